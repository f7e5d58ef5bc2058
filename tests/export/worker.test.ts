// The recap workbook is built in a worker thread: the same bytes as a build on the desk's own
// thread, the desk's event loop keeps turning meanwhile, errors reach the caller as before, and a
// stopping desk ends the worker.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildReconcileWorkbook, buildRecapWorkbook } from '../../src/export/recap-workbook'
import { SOURCE_FORMAT, type RecapSource, type SourceResult } from '../../src/export/source'
import { DeskError } from '../../src/service/errors'
import { WorkbookBuilder } from '../../src/service/workbook-builder'
import { seedNight, type Night } from './fixture'

/** A regency-sized night (about Jember's 4,046 TPS): `tps` TPS, 2 contests, KPU figures, incidents. */
function syntheticSource(tpsCount: number): RecapSource {
  let seed = 5
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31)
  const pad = (n: number, w: number) => String(n).padStart(w, '0')
  const kecamatan = Array.from({ length: 31 }, (_, i) => ({
    code: `35.09.${pad(i + 1, 2)}`,
    name: `Kecamatan ${i + 1}`,
  }))
  const desa = Array.from({ length: 248 }, (_, i) => {
    const k = kecamatan[i % 31]!
    return {
      code: `${k.code}.${2001 + Math.floor(i / 31)}`,
      name: `Desa ${i + 1}`,
      kecamatan: k.code,
    }
  })
  const tps = Array.from({ length: tpsCount }, (_, i) => {
    const d = desa[i % desa.length]!
    const n = 1 + Math.floor(i / desa.length)
    return {
      code: `${d.code}.${pad(n, 3)}`,
      desa: d.code,
      number: n,
      dpt: 300 + Math.floor(rnd() * 300),
      status: i % 97 === 0 ? ('postponed' as const) : ('active' as const),
      reason: i % 97 === 0 ? 'banjir' : null,
      mergedInto: null,
    }
  }).sort((a, b) => a.code.localeCompare(b.code))
  const contests = [
    {
      id: 'gubernur',
      name: 'Pemilihan Gubernur',
      candidates: [1, 2, 3].map((n) => ({ number: n, name: `Paslon ${n}` })),
      openConflicts: 2,
    },
    {
      id: 'bupati',
      name: 'Pemilihan Bupati',
      candidates: [1, 2].map((n) => ({ number: n, name: `Paslon ${n}` })),
      openConflicts: 0,
    },
  ]
  const results: Record<string, SourceResult[]> = {}
  for (const c of contests) {
    results[c.id] = tps
      .filter((t) => t.status === 'active' && rnd() > 0.1)
      .map((t) => {
        const votes = c.candidates.map(() => 30 + Math.floor(rnd() * 90))
        const valid = votes.reduce((a, b) => a + b, 0)
        const invalid = Math.floor(rnd() * 8)
        return {
          tps: t.code,
          votes,
          valid,
          invalid,
          total: valid + invalid,
          voters: rnd() < 0.8 ? [valid + invalid - 2, 1, 1, valid + invalid] : null,
          receivedAt: '2024-11-27T08:30:00.000Z',
          channel: rnd() < 0.9 ? 'web' : 'telepon',
          review: 'none' as const,
          reporter: { name: `Pelapor ${t.desa}`, phone: '081234567890' },
          caller: null,
        }
      })
  }
  return {
    format: SOURCE_FORMAT,
    generatedAt: '2024-11-27T14:00:00.000Z',
    desk: {
      regency: { code: '35.09', name: 'Kabupaten Jember' },
      election: { name: 'Pemilihan Serentak 2024', date: '2024-11-27' },
      training: false,
    },
    contests,
    kecamatan,
    desa,
    tps,
    results,
    reporters: desa.map((d) => ({
      region: d.code,
      name: `Pelapor ${d.name}`,
      phone: '081200000000',
    })),
    incidents: [
      {
        id: 1,
        at: '2024-11-27T07:00:00.000Z',
        region: desa[0]!.code,
        tps: null,
        category: 'logistik',
        urgency: 'sedang',
        text: 'Hubungi 0812 3456 7890',
        photo: false,
        status: 'open',
        simulated: false,
        reporter: null,
      },
    ],
    kpu: {
      thresholdPercent: 1,
      sets: [
        {
          contest: 'bupati',
          importId: 1,
          importedAt: '2024-11-27T13:00:00.000Z',
          source: 'uji',
          level: 'kecamatan',
          figures: kecamatan.map((k) => ({
            region: k.code,
            votes: [1000, 900],
            valid: 1900,
            invalid: 20,
          })),
        },
      ],
    },
  }
}

let builder: WorkbookBuilder
const big = syntheticSource(4046)

beforeAll(() => {
  builder = new WorkbookBuilder()
})

afterAll(async () => {
  await builder?.close()
})

describe('export worker: workbook builds off the event loop', () => {
  it('builds the very bytes a build on this thread gives, for both profiles, a snapshot and the KPU report', async () => {
    const snapshot = { id: 7, label: 'Kirim ke provinsi', frozenAt: '2024-11-27T14:00:00.000Z' }
    const builds = [
      { profile: 'berjenjang' as const },
      { profile: 'lengkap' as const, snapshot, thresholdPercent: 2 },
    ]
    const mid = syntheticSource(1500)
    const answer = await builder.run({ kind: 'recap', source: mid, builds, gzipSource: true })
    builds.forEach((b, i) => {
      const inline = buildRecapWorkbook(mid, b)
      expect(Buffer.isBuffer(answer.built[i]!.bytes)).toBe(true)
      expect(answer.built[i]!.bytes.equals(inline.bytes)).toBe(true)
      expect(answer.built[i]).toMatchObject({
        sha256: inline.sha256,
        dataSha256: inline.dataSha256,
        filename: inline.filename,
        sheetNames: inline.sheetNames,
      })
    })
    // A snapshot's stored data, rebuilt in the worker, gives the frozen file again.
    expect(answer.gzippedSource!.equals(gzipSync(JSON.stringify(mid)))).toBe(true)
    const again = await builder.run({
      kind: 'rebuild',
      gzipped: answer.gzippedSource!,
      builds: [{ profile: 'lengkap', snapshot }],
    })
    expect(
      again.built[0]!.bytes.equals(
        buildRecapWorkbook(mid, { profile: 'lengkap', snapshot, thresholdPercent: 1 }).bytes,
      ),
    ).toBe(true)
    const report = await builder.run({ kind: 'reconcile', source: mid, thresholdPercent: 1 })
    expect(report.built[0]!.bytes.equals(buildReconcileWorkbook(mid, 1).bytes)).toBe(true)
  })

  it('keeps the event loop turning while a regency-sized workbook is built', async () => {
    let ticks = 0
    let worst = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      worst = Math.max(worst, now - last)
      last = now
      ticks++
    }, 10)
    const t0 = performance.now()
    try {
      await builder.run({ kind: 'recap', source: big, builds: [{ profile: 'lengkap' }] })
    } finally {
      clearInterval(timer)
    }
    const took = performance.now() - t0
    // Built on this thread, not one tick would have run until the build was over.
    expect(took).toBeGreaterThan(100)
    expect(ticks).toBeGreaterThanOrEqual(5)
    expect(worst).toBeLessThan(took)
  })

  it('a failing build rejects with the error a build on this thread throws, and the next build works', async () => {
    const broken = { ...big, tps: null } as unknown as RecapSource
    let inline: Error | null = null
    try {
      buildRecapWorkbook(broken, { profile: 'berjenjang' })
    } catch (e) {
      inline = e as Error
    }
    expect(inline).toBeInstanceOf(TypeError)
    const failed = await builder
      .run({ kind: 'recap', source: broken, builds: [{ profile: 'berjenjang' }] })
      .catch((e: Error) => e)
    expect(failed).toBeInstanceOf(Error)
    expect((failed as Error).message).toBe(inline!.message)
    expect((failed as Error).name).toBe('TypeError')
    const started = builder.started
    const ok = await builder.run({ kind: 'reconcile', source: big, thresholdPercent: 1 })
    expect(ok.built[0]!.bytes.length).toBeGreaterThan(0)
    expect(builder.started).toBe(started) // the same worker: a thrown error does not end it
  })

  it('builds queue one at a time, in order', async () => {
    const small = syntheticSource(300)
    const answers = await Promise.all(
      [1, 2, 3].map((id) =>
        builder.run({
          kind: 'recap',
          source: small,
          builds: [
            {
              profile: 'berjenjang',
              snapshot: { id, label: `#${id}`, frozenAt: small.generatedAt },
            },
          ],
        }),
      ),
    )
    expect(answers.map((a) => a.built[0]!.filename.match(/snapshot-(\d)/)![1])).toEqual([
      '1',
      '2',
      '3',
    ])
  })

  it('a worker that dies fails its build and the next build gets a fresh worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-export-worker-'))
    const dying = join(dir, 'dying.mjs')
    writeFileSync(
      dying,
      "import { parentPort } from 'node:worker_threads'\nparentPort.on('message', () => process.exit(3))\n",
    )
    const b = new WorkbookBuilder({ entry: () => ({ file: dying }) })
    try {
      const first = await b
        .run({ kind: 'reconcile', source: big, thresholdPercent: 1 })
        .catch((e: Error) => e)
      expect((first as Error).message).toMatch(/kode 3/)
      const second = await b
        .run({ kind: 'reconcile', source: big, thresholdPercent: 1 })
        .catch((e: Error) => e)
      expect((second as Error).message).toMatch(/kode 3/)
      expect(b.started).toBe(2)
    } finally {
      await b.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an idle worker exits after a while, and closing refuses what was still waiting', async () => {
    const b = new WorkbookBuilder({ idleMs: 50 })
    const small = syntheticSource(100)
    await b.run({ kind: 'recap', source: small, builds: [{ profile: 'berjenjang' }] })
    expect(b.threadId).not.toBeNull()
    await new Promise((r) => setTimeout(r, 300))
    expect(b.threadId).toBeNull()
    const waiting = [1, 2].map(() =>
      b
        .run({ kind: 'recap', source: big, builds: [{ profile: 'lengkap' }] })
        .catch((e: unknown) => e),
    )
    expect(b.pending).toBe(2)
    await b.close()
    for (const e of await Promise.all(waiting))
      expect(e).toMatchObject({ status: 503, code: 'stopping' })
    expect(b.threadId).toBeNull()
    expect(b.started).toBe(2)
    await expect(
      b.run({ kind: 'reconcile', source: small, thresholdPercent: 1 }),
    ).rejects.toBeInstanceOf(DeskError)
  })
})

describe('export worker behind the desk', () => {
  let night: Night

  beforeAll(async () => {
    night = await seedNight()
  }, 60_000)

  afterAll(async () => {
    await night?.desk.stop()
  })

  it('a failing build answers with the desk JSON error, and the next request gets its workbook', async () => {
    const exports = night.desk.features.export
    const real = exports.source.bind(exports)
    const spy = vi
      .spyOn(exports, 'source')
      .mockImplementation((t) => ({ ...real(t), tps: null }) as unknown as RecapSource)
    const res = await fetch(
      `${night.desk.url}/api/v1/export/recap.xlsx?profile=lengkap&threshold=3`,
      { headers: { authorization: `Bearer ${night.desk.adminToken}` } },
    )
    spy.mockRestore()
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toMatch(/json/)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('internal')
    const again = await night.desk.call('GET', '/export/recap.xlsx?profile=lengkap&threshold=3')
    expect(again.status).toBe(200)
    expect(again.headers.get('x-desk-sha256')).toMatch(/^[0-9a-f]{64}$/)
  })

  it('stopping the desk ends the worker', async () => {
    const exports = night.desk.features.export
    expect((await night.desk.call('GET', '/export/recap.xlsx')).status).toBe(200)
    expect(exports.builder.threadId).not.toBeNull()
    await night.desk.stop()
    expect(exports.builder.threadId).toBeNull()
    await expect(
      exports.builder.run({ kind: 'reconcile', source: big, thresholdPercent: 1 }),
    ).rejects.toMatchObject({ status: 503 })
  })
})
