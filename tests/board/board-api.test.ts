import { geoArea } from 'd3-geo'
import type { FeatureCollection } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  BoardLayoutDto,
  BoardSummaryDto,
  BoundaryImportDto,
  BoundaryInspectDto,
  PublicSummaryDto,
} from '../../src/shared/board'
import { startDesk, type TestDesk } from '../helpers/desk'
import { importAllTps, send, fixtureText } from './helpers'

describe('board API', () => {
  let desk: TestDesk
  let tps: string[]
  let display: string

  beforeAll(async () => {
    desk = await startDesk()
    tps = await importAllTps(desk, 2)
    const d = await desk.call('POST', '/users', { name: 'Layar Ruang Rapat', role: 'display' })
    display = d.body.accessCode
  })
  afterAll(() => desk.stop())

  it('summarises progress and votes per kecamatan and desa, and counts conflicts waiting', async () => {
    const jombang = tps.filter((t) => t.startsWith('35.09.01.'))
    for (const t of jombang.slice(0, 3)) await send(desk, t, 'bupati', 2)
    await send(desk, jombang[0]!, 'bupati', 2, 7) // differs from the accepted one: a conflict
    const { status, body } = await desk.call<BoardSummaryDto>(
      'GET',
      '/board/summary',
      undefined,
      display,
    )
    expect(status).toBe(200)
    expect(body.regency).toEqual({ code: '35.09', name: expect.stringMatching(/JEMBER/i) })
    expect(body.areas.filter((a) => a.level === 'kecamatan')).toHaveLength(31)
    const bupati = body.contests.find((c) => c.id === 'bupati')!
    expect(bupati.total).toEqual({ expected: tps.length, reported: 3, votes: { '1': 30, '2': 60 } })
    expect(bupati.areas['35.09.01']).toEqual({
      expected: jombang.length,
      reported: 3,
      votes: { '1': 30, '2': 60 },
    })
    expect(bupati.areas['35.09.01.2001']).toMatchObject({ expected: 2, reported: 2 })
    expect(bupati.areas['35.09.19']).toMatchObject({ reported: 0 })
    expect(body.conflictsWaiting).toBe(1)
    expect(body.arrivals.counts.bupati!.reduce((a, b) => a + b, 0)).toBe(3)
    expect(body.arrivals.counts.gubernur!.reduce((a, b) => a + b, 0)).toBe(0)
    expect(body.recent[0]).toMatchObject({
      tone: 'conflict',
      text: expect.stringContaining('TPS 001'),
    })
    expect(body.recent.filter((r) => r.tone === 'result')).toHaveLength(3)
    expect(body.lastEventId).toBeGreaterThan(0)
  })

  it('lets a display token read the board but write nothing', async () => {
    expect((await desk.call('GET', '/board/layout', undefined, display)).status).toBe(200)
    expect((await desk.call('GET', '/board/summary', undefined, null)).status).toBe(401)
    const refused = [
      await desk.call(
        'POST',
        '/results',
        {
          submissionId: 'display-0001',
          tps: tps[5],
          contest: 'bupati',
          votes: { '1': 1, '2': 1 },
          invalid: 0,
        },
        display,
      ),
      await desk.call('POST', '/board/boundaries?property=kode', '{}', display),
      await desk.call('DELETE', '/board/boundaries', undefined, display),
      await desk.call('PUT', '/config', { contests: [] }, display),
      await desk.call('POST', '/users', { name: 'x', role: 'operator' }, display),
      await desk.call('GET', '/users', undefined, display),
      await desk.call(
        'POST',
        `/tps/${tps[0]}/status`,
        { status: 'postponed', reason: 'banjir besar' },
        display,
      ),
    ]
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403])
  })

  it('serves a public summary without a token, without personal data, cached for a few seconds', async () => {
    const first = await desk.call<PublicSummaryDto>('GET', '/public/summary', undefined, null)
    expect(first.status).toBe(200)
    expect(first.headers.get('cache-control')).toBe('public, max-age=5')
    expect(first.body.disclaimer).toMatch(/BUKAN DATA RESMI/)
    const bupati = first.body.contests.find((c) => c.id === 'bupati')!
    expect(bupati.kecamatan).toHaveLength(31)
    expect(bupati.total.reported).toBe(3)
    const text = JSON.stringify(first.body)
    expect(text).not.toMatch(/Layar Ruang Rapat|phone|accessCode|reporter/i)
    // Another result within the cache window does not cost another rendering.
    await send(
      desk,
      tps.find((t) => t.startsWith('35.09.19.'))!,
      'bupati',
      2,
    )
    const again = await desk.call<PublicSummaryDto>('GET', '/public/summary', undefined, null)
    expect(again.body).toEqual(first.body)
  })

  it('inspects and imports the kecamatan GeoJSON, wound for d3 and matched to all 31 kecamatan', async () => {
    const text = fixtureText('jember-kecamatan.geojson')
    const inspect = await desk.call<BoundaryInspectDto>(
      'POST',
      '/board/boundaries/inspect',
      text,
      desk.adminToken,
      { 'content-type': 'application/geo+json' },
    )
    expect(inspect.status).toBe(200)
    expect(inspect.body.features).toBe(31)
    expect(inspect.body.suggested).toBe('kode')
    const imported = await desk.call<BoundaryImportDto>(
      'POST',
      '/board/boundaries?property=kode&name=jember-kecamatan.geojson',
      text,
    )
    expect(imported.status).toBe(200)
    expect(imported.body.imported).toEqual({ kecamatan: 31, desa: 0 })
    expect(imported.body.unmatched).toEqual([])
    expect(imported.body.missing.kecamatan).toEqual([])
    const layer = await desk.call<FeatureCollection>(
      'GET',
      '/board/boundaries/kecamatan',
      undefined,
      display,
    )
    expect(layer.status).toBe(200)
    expect(layer.body.features).toHaveLength(31)
    // With RFC 7946 winding, d3 would see each region as the whole globe minus it (≈ 4π sr).
    for (const f of layer.body.features) expect(geoArea(f)).toBeLessThan(0.001)
    const etag = layer.headers.get('etag')!
    const cached = await desk.call('GET', '/board/boundaries/kecamatan', undefined, display, {
      'if-none-match': etag,
    })
    expect(cached.status).toBe(304)
    const layout = await desk.call<BoardLayoutDto>('GET', '/board/layout', undefined, display)
    expect(layout.body.boundaries).toEqual([
      expect.objectContaining({ level: 'kecamatan', features: 31, codeProperty: 'kode' }),
    ])
    expect(layout.body.regency.source).toBe('table')
    expect(layout.body.regency.tiles).toHaveLength(31)
  })

  it('imports both layers from the TopoJSON, lays desa tiles out from their centres, and lists unmatched features', async () => {
    const imported = await desk.call<BoundaryImportDto>(
      'POST',
      '/board/boundaries?property=kode',
      fixtureText('jember-kecamatan-desa.topojson'),
    )
    expect(imported.status).toBe(200)
    expect(imported.body.imported).toEqual({
      kecamatan: 31,
      desa: desk.service.regions.desa.length,
    })
    const layout = await desk.call<BoardLayoutDto>('GET', '/board/layout', undefined, display)
    expect(layout.body.kecamatan['35.09.01']!.source).toBe('centres')
    expect(layout.body.kecamatan['35.09.01']!.tiles).toHaveLength(
      desk.service.regions.childrenOf('35.09.01').length,
    )

    const odd: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: '3509190000' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.6, -8.1],
                [113.7, -8.1],
                [113.7, -8.2],
                [113.6, -8.1],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { id: '350919' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.6, -8.1],
                [113.7, -8.1],
                [113.7, -8.2],
                [113.6, -8.1],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { id: '35.10.01' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.6, -8.1],
                [113.7, -8.1],
                [113.7, -8.2],
                [113.6, -8.1],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: { type: 'Point', coordinates: [113.6, -8.1] },
        },
      ],
    }
    const partial = await desk.call<BoundaryImportDto>(
      'POST',
      '/board/boundaries?property=id',
      JSON.stringify(odd),
    )
    expect(partial.status).toBe(200)
    expect(partial.body.imported).toEqual({ kecamatan: 1, desa: 0 })
    expect(partial.body.unmatched.map((u) => u.feature)).toEqual([1, 3, 4])
    expect(partial.body.missing.kecamatan).toHaveLength(30)

    const wrong = await desk.call(
      'POST',
      '/board/boundaries?property=nama',
      fixtureText('jember-kecamatan.geojson'),
    )
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.code).toBe('import_invalid')
    expect(wrong.body.error.message).toMatch(/kode/)
    const notGeo = await desk.call('POST', '/board/boundaries?property=kode', 'kode,nama\n1,2\n')
    expect(notGeo.status).toBe(400)
    expect(notGeo.body.error.code).toBe('bad_file')
    const noProperty = await desk.call(
      'POST',
      '/board/boundaries',
      fixtureText('jember-kecamatan.geojson'),
    )
    expect(noProperty.status).toBe(400)
    expect(noProperty.body.error.fields.property).toBeTruthy()

    expect((await desk.call('DELETE', '/board/boundaries')).body).toEqual({ removed: 2 })
    expect((await desk.call('GET', '/board/boundaries/kecamatan', undefined, display)).status).toBe(
      404,
    )
  })
})

describe('public summary limits', () => {
  it('rate limits readers by address', async () => {
    const desk = await startDesk({
      limits: { perPrincipal: { rate: 100, burst: 100 }, perAddress: { rate: 1, burst: 5 } },
    })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 8; i++)
        statuses.push((await desk.call('GET', '/public/summary', undefined, null)).status)
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
      expect(statuses.at(-1)).toBe(429)
    } finally {
      await desk.stop()
    }
  })
})
