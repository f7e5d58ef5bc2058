import Database from 'better-sqlite3'
import { geoArea } from 'd3-geo'
import type { Feature, Polygon } from 'geojson'
import { describe, expect, it } from 'vitest'
import {
  matchBoundaries,
  normaliseRegionCode,
  readBoundaryFeatures,
  rewindForD3,
} from '../../src/domain/boundaries'
import { assign, centresLayout, orderedLayout } from '../../src/domain/tile-layout'
import { loadRegency } from '../../src/host/regions-source'
import {
  CHART_MUTED,
  CHART_TEXT,
  contrast,
  PANEL_BG,
  progressColour,
  textOn,
} from '../../src/shared/board-colours'
import {
  ARRIVAL_BUCKETS_MAX,
  BoardModel,
  percentReported,
  TICKER_MAX,
} from '../../src/shared/board-model'
import {
  contestShortName,
  leaderOf,
  pairShortName,
  tickerItem,
  type BoardSummaryDto,
} from '../../src/shared/board'
import { migrate } from '../../src/store/db'
import { MIGRATIONS } from '../../src/store/migrations'
import jemberTiles from '../../resources/tiles/35.09.json'
import { fixtureText } from './helpers'

describe('migration 0050 (boundaries)', () => {
  it('adds one row per layer, only kecamatan or desa, never empty', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 40)
    expect(migrate(db, MIGRATIONS, 50)).toBe(50)
    const insert = db.prepare(
      "INSERT INTO boundaries (level, geojson, features, code_property, source, imported_at, imported_by) VALUES (?, '{}', ?, 'kode', 'f', 't', 'admin')",
    )
    insert.run('kecamatan', 31)
    expect(() => insert.run('kecamatan', 31)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => insert.run('provinsi', 1)).toThrow(/CHECK/)
    expect(() => insert.run('desa', 0)).toThrow(/CHECK/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO boundaries (level, geojson, features, code_property, source, imported_at, imported_by) VALUES ('desa', '{}', 'many', 'k', 's', 't', 'a')",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/)
  })
})

describe('tile layouts', () => {
  it('assigns optimally where a greedy choice would not', () => {
    // Row 0 prefers column 0 (1 < 2), but giving it column 1 saves row 1 a cost of 100.
    expect(
      assign([
        [1, 2],
        [1, 100],
      ]),
    ).toEqual([1, 0])
  })

  it('keeps the compass: west left, north up', () => {
    const layout = centresLayout([
      { code: 'w', lon: 113.3, lat: -8.2 },
      { code: 'e', lon: 113.9, lat: -8.2 },
      { code: 'n', lon: 113.6, lat: -8.0 },
      { code: 's', lon: 113.6, lat: -8.4 },
    ])
    const at = Object.fromEntries(layout.tiles.map((t) => [t.code, t]))
    expect(at.w!.col).toBeLessThan(at.e!.col)
    expect(at.n!.row).toBeLessThan(at.s!.row)
    expect(new Set(layout.tiles.map((t) => `${t.row},${t.col}`)).size).toBe(4)
  })

  it('falls back to code order on a wide grid', () => {
    const layout = orderedLayout(['b', 'a', 'c', 'd', 'e'])
    expect(layout.tiles[0]).toEqual({ code: 'a', row: 0, col: 0 })
    expect(layout.cols).toBeGreaterThanOrEqual(layout.rows)
  })

  it("Jember's table places all 31 kecamatan in distinct cells, roughly where they lie", () => {
    const regions = loadRegency('35.09')
    const codes = jemberTiles.tiles.map((t) => t[0])
    expect([...codes].sort()).toEqual(regions.kecamatan.map((k) => k.code))
    expect(new Set(jemberTiles.tiles.map((t) => `${t[1]},${t[2]}`)).size).toBe(31)
    const cell = Object.fromEntries(
      jemberTiles.tiles.map((t) => [t[0], { row: t[1] as number, col: t[2] as number }]),
    )
    expect(cell['35.09.02']!.col).toBeLessThan(cell['35.09.31']!.col) // Kencong (west) left of Sumberjambe (east)
    expect(cell['35.09.25']!.row).toBeLessThan(cell['35.09.18']!.row) // Jelbuk (north) above Tempurejo (south coast)
  })
})

describe('boundary files', () => {
  const regions = loadRegency('35.09')

  it('normalises Kemendagri codes written with or without dots', () => {
    expect(normaliseRegionCode('35.09.01')).toBe('35.09.01')
    expect(normaliseRegionCode('350901')).toBe('35.09.01')
    expect(normaliseRegionCode(3509012001)).toBe('35.09.01.2001')
    expect(normaliseRegionCode('35.09')).toBeNull()
    expect(normaliseRegionCode('Jombang')).toBeNull()
  })

  it('rewinds RFC 7946 rings for d3 (exterior clockwise, holes counter-clockwise)', () => {
    const rfc: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [113, -8],
          [114, -8],
          [114, -7],
          [113, -7],
          [113, -8],
        ], // counter-clockwise exterior
        [
          [113.2, -7.8],
          [113.2, -7.2],
          [113.8, -7.2],
          [113.8, -7.8],
          [113.2, -7.8],
        ], // clockwise hole
      ],
    }
    const feature = (g: Polygon): Feature => ({ type: 'Feature', properties: {}, geometry: g })
    expect(geoArea(feature(rfc))).toBeGreaterThan(12) // d3 reads it as nearly the whole sphere (4π)
    const fixed = rewindForD3(rfc)
    expect(geoArea(feature(fixed))).toBeLessThan(0.001)
    expect(geoArea(feature(fixed))).toBeGreaterThan(0)
    expect(geoArea(feature(rewindForD3(fixed)))).toBeCloseTo(geoArea(feature(fixed)), 12) // idempotent
  })

  it('reads every object of a TopoJSON and matches 31 kecamatan and every desa of Jember', () => {
    const features = readBoundaryFeatures(fixtureText('jember-kecamatan-desa.topojson'))
    const match = matchBoundaries(features, 'kode', regions)
    expect(match.kecamatan).toHaveLength(31)
    expect(match.desa).toHaveLength(regions.desa.length)
    expect(match.unmatched).toEqual([])
    expect(match.missing).toEqual({ kecamatan: [], desa: [] })
    for (const s of match.kecamatan)
      expect(geoArea({ type: 'Feature', properties: {}, geometry: s.geometry })).toBeLessThan(0.001)
  })

  it('refuses what is not GeoJSON or TopoJSON', () => {
    expect(() => readBoundaryFeatures('not json')).toThrow(/JSON/)
    expect(() => readBoundaryFeatures('{"type":"Point","coordinates":[1,2]}')).toThrow(
      /GeoJSON|TopoJSON/,
    )
  })
})

function summary(): BoardSummaryDto {
  const start = '2024-11-27T06:00:00.000Z' // 13:00 WIB
  return {
    asOf: '2024-11-27T07:00:00.000Z',
    lastEventId: 10,
    election: { name: 'Pemilihan Serentak 2024', date: '2024-11-27' },
    regency: { code: '35.09', name: 'Kabupaten Jember' },
    training: false,
    conflictsWaiting: 0,
    areas: [
      { code: '35.09.01', name: 'Jombang', level: 'kecamatan', parent: '35.09' },
      { code: '35.09.01.2001', name: 'Padomasan', level: 'desa', parent: '35.09.01' },
    ],
    contests: [
      {
        id: 'bupati',
        name: 'Pemilihan Bupati dan Wakil Bupati Jember 2024',
        candidates: [
          { number: 1, name: 'A' },
          { number: 2, name: 'B' },
        ],
        total: { expected: 10, reported: 1, votes: { '1': 5, '2': 3 } },
        areas: {
          '35.09.01': { expected: 4, reported: 1, votes: { '1': 5, '2': 3 } },
          '35.09.01.2001': { expected: 2, reported: 1, votes: { '1': 5, '2': 3 } },
        },
      },
    ],
    arrivals: { start, bucketMinutes: 15, counts: { bupati: [1, 0, 0, 0, 0] } },
    recent: [],
  }
}

const accepted = (id: number, at = '2024-11-27T07:05:00.000Z') => ({
  id,
  type: 'result.accepted' as const,
  at,
  data: {
    tps: '35.09.01.2001.002',
    contest: 'bupati',
    votes: { '1': 10, '2': 20 },
    valid: 30,
    invalid: 1,
    total: 31,
    warnings: [],
    receipt: 'x',
    channel: 'api',
  },
})

/** An incident as the desk announces it (a display account receives it without `text`). */
const incident = (
  id: number,
  at: string,
  data: {
    region: string
    category: 'cuaca' | 'keamanan'
    urgency: 'sedang' | 'tinggi'
    text?: string
  },
) => ({
  id,
  type: 'incident.created' as const,
  at,
  data: {
    id,
    at,
    regionName: '',
    tps: null,
    categoryLabel: '',
    text: '',
    status: 'open' as const,
    simulated: false,
    hasPhoto: false,
    ...data,
  },
})

describe('board model (live updates on top of a summary)', () => {
  it('applies a result to the regency, its kecamatan and desa, once', () => {
    const model = new BoardModel(summary())
    expect(model.apply(accepted(11))).toBe('applied')
    expect(model.tally('bupati', '35.09')).toEqual({
      expected: 10,
      reported: 2,
      votes: { '1': 15, '2': 23 },
    })
    expect(model.tally('bupati', '35.09.01')).toEqual({
      expected: 4,
      reported: 2,
      votes: { '1': 15, '2': 23 },
    })
    expect(model.tally('bupati', '35.09.01.2001')).toMatchObject({ reported: 2 })
    expect(model.summary.arrivals.counts.bupati![4]).toBe(1) // 14:05 WIB: fifth 15-minute bucket
    // A replayed event (after a reconnect) and one already in the summary change nothing.
    expect(model.apply(accepted(11))).toBe('ignored')
    expect(model.apply(accepted(9))).toBe('ignored')
    expect(model.tally('bupati', '35.09')!.reported).toBe(2)
    expect(model.ticker[0]!.text).toBe('TPS 002 Padomasan, Jombang · Bupati')
    expect(model.lastUpdate).toBe('2024-11-27T07:05:00.000Z')
  })

  it('counts conflicts, asks for a fresh summary when the past changes, and ignores the rest', () => {
    const model = new BoardModel(summary())
    expect(
      model.apply({
        id: 11,
        type: 'result.conflict',
        at: 'x',
        data: { tps: '35.09.01.2001.001', contest: 'bupati', conflictId: 1, kind: 'conflict' },
      }),
    ).toBe('applied')
    expect(model.summary.conflictsWaiting).toBe(1)
    const resolved = {
      conflictId: 1,
      tps: '35.09.01.2001.001',
      contest: 'bupati',
      keep: 'new' as const,
      decisionId: 1,
      changed: true,
    }
    expect(model.apply({ id: 12, type: 'conflict.resolved', at: 'x', data: resolved })).toBe(
      'refresh',
    )
    const call = { reporter: 'u1', callId: 1, outcome: 'reached' as const }
    expect(model.apply({ id: 13, type: 'chase.called', at: 'x', data: call })).toBe('ignored')
    expect(model.lastEventId).toBe(13)
  })

  it('stays bounded: ticker and arrivals never grow without limit', () => {
    const model = new BoardModel(summary())
    const start = Date.parse(summary().arrivals.start)
    for (let i = 0; i < 500; i++)
      model.apply(accepted(100 + i, new Date(start + i * 15 * 60_000).toISOString()))
    expect(model.ticker).toHaveLength(TICKER_MAX)
    expect(model.summary.arrivals.counts.bupati!.length).toBeLessThanOrEqual(ARRIVAL_BUCKETS_MAX)
    expect(model.summary.arrivals.counts.bupati!.at(-1)).toBe(1)
  })

  it("keeps the desk's clock when it runs 90× faster than the wall's, and the chart grows with it", () => {
    // The summary is read at 14:00 WIB on the desk; the wall's own clock says 1 000 000.
    let local = 1_000_000
    const model = new BoardModel(summary(), local)
    expect(new Date(model.deskNow(local)).toISOString()).toBe('2024-11-27T07:00:00.000Z')
    // 40 real seconds later the desk's clock is an hour on (90×): an incident at 15:00 WIB.
    local += 40_000
    model.apply(
      incident(11, '2024-11-27T08:00:00.000Z', {
        region: '35.09.01',
        category: 'cuaca',
        urgency: 'sedang',
      }),
      local,
    )
    expect(new Date(model.deskNow(local)).toISOString()).toBe('2024-11-27T08:00:00.000Z')
    expect(new Date(model.deskNow(local + 1_000)).toISOString()).toBe('2024-11-27T08:00:01.000Z')
    // Empty buckets up to 15:00 (13:00 + 9 quarter hours), though no result came.
    expect(model.summary.arrivals.counts.bupati).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0])
    // A result at 15:40 WIB follows, counted in its bucket; the clock follows it too.
    local += 30_000
    expect(model.apply(accepted(12, '2024-11-27T08:40:00.000Z'), local)).toBe('applied')
    expect(new Date(model.deskNow(local)).toISOString()).toBe('2024-11-27T08:40:00.000Z')
    expect(model.summary.arrivals.counts.bupati!.slice(-2)).toEqual([0, 1])
    // An older event (replayed after a reconnect, or slow on its way) never turns the clock back.
    local += 2_000
    model.apply(accepted(13, '2024-11-27T07:30:00.000Z'), local)
    expect(new Date(model.deskNow(local)).toISOString()).toBe('2024-11-27T08:40:02.000Z')
  })

  it('shows incidents without their free text, and floors percentages', () => {
    const model = new BoardModel(summary())
    model.apply(
      incident(11, 'x', {
        region: '35.09.01.2001',
        category: 'keamanan',
        urgency: 'tinggi',
        text: 'Pak Budi 0812345 dipukul',
      }),
    )
    expect(model.ticker[0]!.text).toBe('Kejadian keamanan (urgensi tinggi) · Padomasan, Jombang')
    expect(model.ticker[0]!.tone).toBe('incident')
    expect(percentReported({ expected: 1000, reported: 999, votes: {} })).toBe(99)
    expect(percentReported({ expected: 0, reported: 0, votes: {} })).toBeNull()
  })
})

describe('board texts and colours', () => {
  it('names contests and pairs shortly, and finds the leader (none on a tie)', () => {
    expect(contestShortName('Pemilihan Gubernur dan Wakil Gubernur Jawa Timur 2024')).toBe(
      'Gubernur',
    )
    expect(contestShortName('Pemilihan Wali Kota dan Wakil Wali Kota Surabaya 2024')).toBe(
      'Wali Kota',
    )
    expect(pairShortName('Hj. Luluk Nur Hamidah - H. Lukmanul Khakim')).toBe('Luluk Nur')
    expect(leaderOf({ '1': 5, '2': 7 })).toBe(2)
    expect(leaderOf({ '1': 5, '2': 5 })).toBeNull()
    expect(leaderOf({ '1': 0, '2': 0 })).toBeNull()
  })

  it('puts text of at least 4.5:1 contrast on every fill', () => {
    for (let i = 0; i <= 100; i++) {
      const fill = progressColour(i / 100)
      expect(contrast(fill, textOn(fill))).toBeGreaterThanOrEqual(4.5)
    }
    // Chart text is drawn on a canvas, out of reach of the DOM measurement in the e2e test.
    expect(contrast(CHART_TEXT, PANEL_BG)).toBeGreaterThanOrEqual(4.5)
    expect(contrast(CHART_MUTED, PANEL_BG)).toBeGreaterThanOrEqual(4.5)
    for (const fill of [
      '#0072B2',
      '#E69F00',
      '#009E73',
      '#CC79A7',
      '#56B4E9',
      '#D55E00',
      '#F0E442',
      '#8C8C8C',
      '#2b3444',
    ]) {
      expect(contrast(fill, textOn(fill))).toBeGreaterThanOrEqual(4.5)
    }
  })

  it('writes ticker lines from place and contest only', () => {
    const lookup = { regionName: () => undefined, contestName: () => undefined }
    // A caller's name in the data (as an older desk might have sent) never reaches the line.
    const data = {
      tps: '35.09.01.2001.001',
      contest: 'bupati',
      conflictId: 1,
      kind: 'correction' as const,
      caller: { name: 'Ani' },
    }
    const item = tickerItem({ id: 1, at: 't', type: 'result.conflict', data }, lookup)
    expect(item!.text).toBe('TPS 001 35.09.01.2001, 35.09.01 · bupati: koreksi menunggu keputusan')
    const draft = { draftId: 1, tps: data.tps, contest: 'bupati', status: 'waiting' as const }
    expect(tickerItem({ id: 2, at: 't', type: 'draft.changed', data: draft }, lookup)).toBeNull()
  })
})
