// Live workbook builds cannot be used to fill the desk's memory or the worker's queue: thresholds
// are rounded to 0.1 point (near-identical values share one build), the cache keeps a few builds of
// the data as it is now, and a burst of new builds beyond the queue's bound is refused with 503
// export_busy (Retry-After) while requests joining a build in progress still get it.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  CACHE_ENTRIES,
  type ExportService,
  MAX_PENDING_BUILDS,
  normaliseThreshold,
} from '../../src/service/export-service'
import { ADMIN_TOKEN } from '../helpers/desk'
import { downloadFrom, seedNight, tpsCode, type Night } from './fixture'

let night: Night
let exports: ExportService

beforeAll(async () => {
  night = await seedNight()
  exports = night.desk.features.export
}, 60_000)

afterAll(async () => {
  await night?.desk.stop()
})

afterEach(() => {
  vi.restoreAllMocks()
})

const download = (path: string) => downloadFrom(night.desk.url, path)

/** Let every build in the worker finish. */
async function drain(): Promise<void> {
  while (exports.builder.pending > 0) await new Promise((r) => setTimeout(r, 20))
}

describe('export bounds: threshold, cache, queue', () => {
  it('rounds the threshold to 0.1 percentage point', () => {
    expect([0, 0.04, 1, 1.01, 1.04, 1.06, 2.25, 99.96, 100].map(normaliseThreshold)).toEqual([
      0, 0, 1, 1, 1, 1.1, 2.3, 100, 100,
    ])
  })

  it('thresholds 1.01 and 1.04 share one build, over HTTP too, and the report says 1', async () => {
    const run = vi.spyOn(exports.builder, 'run')
    const a = exports.workbook('berjenjang', 1.01)
    const b = exports.workbook('berjenjang', 1.04)
    expect(b).toBe(a)
    expect(run).toHaveBeenCalledTimes(1)
    await a

    const first = await download('/export/recap.xlsx?profile=lengkap&threshold=1.01')
    const second = await download('/export/recap.xlsx?profile=lengkap&threshold=1.04')
    expect(first.status).toBe(200)
    expect(second.headers.get('x-desk-sha256')).toBe(first.headers.get('x-desk-sha256'))
    expect(second.bytes.equals(first.bytes)).toBe(true)
    expect(run).toHaveBeenCalledTimes(2)
    expect(exports.cachedBuilds).toEqual(
      expect.arrayContaining(['recap|berjenjang|1', 'recap|lengkap|1']),
    )

    const kpu1 = await download('/export/kpu/report.xlsx?threshold=1.01')
    const kpu2 = await download('/export/kpu/report.xlsx?threshold=1.04')
    expect(kpu1.status).toBe(200)
    expect(kpu2.bytes.equals(kpu1.bytes)).toBe(true)
    expect(run).toHaveBeenCalledTimes(3)
    expect(
      (await night.desk.call('GET', '/export/kpu/report?threshold=1.04')).body.thresholdPercent,
    ).toBe(1)
  })

  it('many distinct thresholds never keep more than the bound, least recently used going first', async () => {
    const run = vi.spyOn(exports.builder, 'run')
    const thresholds = Array.from({ length: 3 * CACHE_ENTRIES }, (_, i) => 10 + i * 0.7)
    for (const t of thresholds) {
      expect((await download(`/export/recap.xlsx?threshold=${t}`)).status).toBe(200)
      expect(exports.cachedBuilds.length).toBeLessThanOrEqual(CACHE_ENTRIES)
    }
    expect(run).toHaveBeenCalledTimes(thresholds.length)
    const kept = exports.cachedBuilds
    expect(kept).toHaveLength(CACHE_ENTRIES)
    expect(kept).toEqual(
      thresholds.slice(-CACHE_ENTRIES).map((t) => `recap|berjenjang|${normaliseThreshold(t)}`),
    )

    // Asking again for the oldest kept one is served from the cache and makes it the most recent.
    const oldest = thresholds[thresholds.length - CACHE_ENTRIES]!
    await download(`/export/recap.xlsx?threshold=${oldest}`)
    expect(run).toHaveBeenCalledTimes(thresholds.length)
    expect(exports.cachedBuilds.at(-1)).toBe(`recap|berjenjang|${normaliseThreshold(oldest)}`)
    // One evicted is built anew.
    await download(`/export/recap.xlsx?threshold=${thresholds[0]}`)
    expect(run).toHaveBeenCalledTimes(thresholds.length + 1)
    expect(exports.cachedBuilds).toHaveLength(CACHE_ENTRIES)
  })

  it('a burst of distinct builds beyond the bound is refused with export_busy; the earlier ones and joiners succeed', async () => {
    await drain()
    const burst = Array.from({ length: MAX_PENDING_BUILDS + 2 }, (_, i) => 40 + i)
    const builds = burst.map((t) => exports.workbook('lengkap', t))
    // Joining a build in progress (41.04 rounds to 41) neither counts nor is refused.
    const joiner = exports.workbook('lengkap', 41.04)
    expect(joiner).toBe(builds[1])
    expect(exports.builder.pending).toBe(MAX_PENDING_BUILDS)
    const settled = await Promise.allSettled([...builds, joiner])
    const outcome = settled.map((s) =>
      s.status === 'fulfilled' ? 'ok' : (s.reason as { code: string }).code,
    )
    expect(outcome).toEqual([
      ...burst.slice(0, MAX_PENDING_BUILDS).map(() => 'ok'),
      'export_busy',
      'export_busy',
      'ok',
    ])
    const refused = settled.at(-2) as PromiseRejectedResult
    expect(refused.reason).toMatchObject({ status: 503, code: 'export_busy' })
    // A refused build leaves nothing behind, and once the queue has room it is built.
    expect(exports.cachedBuilds).not.toContain(`recap|lengkap|${burst.at(-1)}`)
    await expect(exports.workbook('lengkap', burst.at(-1)!)).resolves.toMatchObject({
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
  })

  it('over HTTP a full queue answers 503 export_busy in the API error shape with Retry-After, without reading the data', async () => {
    await drain()
    // (A freeze is a write: it comes first, else the build below would be of an older data version.)
    const snap = await night.desk.call('POST', '/export/snapshots', {
      label: 'batas antrean',
      confirmOpenConflicts: 1,
    })
    expect(snap.status).toBe(201)
    expect((await download('/export/recap.xlsx?threshold=55')).status).toBe(200)
    vi.spyOn(exports.builder, 'pending', 'get').mockReturnValue(MAX_PENDING_BUILDS)
    const source = vi.spyOn(exports, 'source')
    const refused: [string, string][] = [
      ['GET', '/export/recap.xlsx?threshold=56'],
      ['GET', '/export/kpu/report.xlsx?threshold=56'],
      ['POST', `/export/snapshots/${snap.body.id}/verify`],
    ]
    for (const [method, path] of refused) {
      const res = await fetch(`${night.desk.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      const body = (await res.json()) as {
        error: { code: string; message: string; fields: Record<string, string> }
      }
      expect(body.error).toEqual({
        code: 'export_busy',
        message: expect.stringMatching(/Coba lagi dalam 5 detik/),
        fields: {},
      })
    }
    expect(source).not.toHaveBeenCalled()
    // The build already there is still served.
    expect((await download('/export/recap.xlsx?threshold=55.02')).status).toBe(200)
  })

  it('after the data changes the old version’s builds are gone at once', async () => {
    await drain()
    expect((await download('/export/recap.xlsx?threshold=3')).status).toBe(200)
    expect((await download('/export/kpu/report.xlsx?threshold=3')).status).toBe(200)
    expect(exports.cachedBuilds).toEqual(expect.arrayContaining(['recap|berjenjang|3', 'kpu|3']))
    const before = (await download('/export/recap.xlsx?threshold=3')).headers.get('x-desk-sha256')
    const r = await night.desk.call('POST', '/results', {
      submissionId: 'bounds-late-keting-002',
      tps: tpsCode('35.09.01.2002', 2),
      contest: 'bupati',
      votes: { '1': 11, '2': 22 },
      invalid: 2,
    })
    expect(r.status).toBe(201)
    // Nothing of the previous data is held, even before anyone asks again.
    expect(exports.cachedBuilds).toEqual([])
    const after = await download('/export/recap.xlsx?threshold=3')
    expect(after.headers.get('x-desk-sha256')).not.toBe(before)
    expect(exports.cachedBuilds).toEqual(['recap|berjenjang|3'])
  })
})
