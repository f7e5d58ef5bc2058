import type { Feature, FeatureCollection } from 'geojson'
import {
  approximateCentre,
  BoundaryFileError,
  inspectProperties,
  matchBoundaries,
  readBoundaryFeatures,
  type BoundaryLevel,
  type RegionShape,
} from '../domain/boundaries'
import {
  centresLayout,
  orderedLayout,
  type CentrePoint,
  type TileLayout,
} from '../domain/tile-layout'
import {
  DISCLAIMER,
  DISCLAIMER_LONG,
  tickerItem,
  type AreaTally,
  type ArrivalsDto,
  type BoardLayoutDto,
  type BoardSummaryDto,
  type BoundaryImportDto,
  type BoundaryInfoDto,
  type BoundaryInspectDto,
  type PublicSummaryDto,
  type TickerLookup,
} from '../shared/board'
import { BoardStore } from '../store/board-store'
import jemberTiles from '../../resources/tiles/35.09.json'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'
import { DeskError } from './errors'
import type { Principal } from './principal'

/** Curated tile tables by regency code (resources/tiles/); other regencies get a computed layout. */
const TILE_TABLES: Record<string, { cols: number; rows: number; tiles: (string | number)[][] }> = {
  [jemberTiles.regency]: jemberTiles,
}

const BUNDLED_META = 'boundaries.bundled'
const BUNDLED_SOURCE = 'bawaan desk: wilayah_boundaries (cahyadsn, lisensi MIT)'
/** A fixed stamp for the shipped layers: boards revalidate them by ETag like imported ones. */
const BUNDLED_DATE = '2024-11-27T00:00:00.000Z'

const WIB_MS = 7 * 3600_000
const BUCKET_MINUTES = 15
const TICKER_SIZE = 30

export interface BoardServiceOptions {
  /** How long the public summary is reused, in ms. */
  publicTtlMs?: number
  now?: () => number
}

/**
 * What the wall board and the public page read: one summary per committed version (boards
 * then follow events), tile layouts, and the boundary layers an admin imports.
 */
export class BoardService {
  private readonly store: BoardStore
  private summaryCache: { version: number; summary: BoardSummaryDto } | null = null
  private publicCache: { at: number; body: string } | null = null
  private layoutCache: BoardLayoutDto | null = null
  private bundledCache:
    { layers: Record<BoundaryLevel, string | null>; info: BoundaryInfoDto[] } | null | undefined
  private readonly publicTtlMs: number
  private readonly now: () => number

  private readonly desk: DeskService

  constructor(
    private readonly core: DeskCore,
    options: BoardServiceOptions = {},
  ) {
    this.desk = core.desk
    this.store = new BoardStore(core.store.db)
    this.publicTtlMs = options.publicTtlMs ?? 5_000
    this.now = options.now ?? (() => Date.now())
  }

  private lookup(): TickerLookup {
    const contests = new Map(this.desk.contests().map((c) => [c.id, c.name]))
    return {
      regionName: (code) => this.desk.regions.get(code)?.name,
      contestName: (id) => contests.get(id),
    }
  }

  // ---------------------------------------------------------------- summary
  /**
   * The summary; scoped to a kecamatan its `conflictsWaiting` counts that kecamatan's open
   * conflicts only (the tallies cover every area either way: a board picks what it draws).
   */
  summary(kecamatan?: string): BoardSummaryDto {
    const whole = this.regencySummary()
    if (kecamatan === undefined) return whole
    return {
      ...whole,
      conflictsWaiting: this.core.store.countOpenConflictsUnder(this.kecamatanCode(kecamatan)),
    }
  }

  private kecamatanCode(code: string): string {
    if (!this.desk.regions.kecamatan.some((k) => k.code === code)) {
      throw new DeskError(
        400,
        'invalid',
        `Kecamatan ${code} tidak dikenal di ${this.desk.regions.regency.name}`,
        {
          kecamatan: 'Kode kecamatan tidak dikenal (contoh 35.09.01)',
        },
      )
    }
    return code
  }

  private regencySummary(): BoardSummaryDto {
    const cached = this.summaryCache
    if (cached && cached.version === this.desk.version) return cached.summary
    const regions = this.desk.regions
    const config = this.desk.config()
    const tally = (r: {
      tpsTotal: number
      tpsReported: number
      votes: Record<string, number>
    }): AreaTally => ({
      expected: r.tpsTotal,
      reported: r.tpsReported,
      votes: r.votes,
    })
    const contests = config.contests.map((c) => {
      const areas: Record<string, AreaTally> = {}
      const kec = this.desk.recap(c.id, 'kecamatan')
      for (const r of kec.rows) areas[r.code] = tally(r)
      for (const r of this.desk.recap(c.id, 'desa').rows) areas[r.code] = tally(r)
      return { id: c.id, name: c.name, candidates: c.candidates, total: tally(kec.total), areas }
    })
    const lookup = this.lookup()
    const summary: BoardSummaryDto = {
      asOf: this.core.store.nowIso(),
      lastEventId: this.core.store.lastEventId(),
      election: { name: config.election.name, date: config.election.date },
      regency: config.regency,
      training: config.training,
      conflictsWaiting: this.core.store.countOpenConflicts(),
      areas: regions.kecamatan.flatMap((k) => [
        { code: k.code, name: k.name, level: 'kecamatan' as const, parent: regions.regency.code },
        ...regions
          .childrenOf(k.code)
          .map((d) => ({ code: d.code, name: d.name, level: 'desa' as const, parent: k.code })),
      ]),
      contests,
      arrivals: this.arrivals(config.contests.map((c) => c.id)),
      recent: this.store
        .recentEvents(TICKER_SIZE)
        .map((e) => tickerItem(e, lookup))
        .filter((t) => t !== null),
    }
    this.summaryCache = { version: this.desk.version, summary }
    return summary
  }

  /**
   * Accepted results per 15 minutes, from 13:00 WIB (when counting starts) of the day of the
   * latest result, or earlier if results came (or the board looks) earlier that day.
   */
  arrivals(contestIds: string[]): ArrivalsDto {
    const times = this.store
      .acceptedTimes()
      .map((r) => ({ contest: r.contest, t: Date.parse(r.acceptedAt) }))
    const now = Date.parse(this.core.store.nowIso())
    const latest = times.reduce((a, r) => Math.max(a, r.t), 0) || now
    const dayStart = Math.floor((latest + WIB_MS) / 86_400_000) * 86_400_000 - WIB_MS
    const bucketMs = BUCKET_MINUTES * 60_000
    const sameDay = times.filter((r) => r.t >= dayStart)
    // Before 13:00 (a rehearsal in the morning) the chart starts now, so what arrives is counted.
    const earliest = sameDay.reduce((a, r) => Math.min(a, r.t), now)
    const start = Math.min(
      dayStart + 13 * 3600_000,
      Math.floor((earliest - dayStart) / bucketMs) * bucketMs + dayStart,
    )
    const end = Math.max(now, latest)
    const n = Math.max(1, Math.floor((end - start) / bucketMs) + 1)
    const counts: Record<string, number[]> = Object.fromEntries(
      contestIds.map((id) => [id, new Array<number>(n).fill(0)]),
    )
    for (const r of sameDay) {
      const list = counts[r.contest]
      const i = Math.floor((r.t - start) / bucketMs)
      if (list && i >= 0 && i < n) list[i]!++
    }
    return { start: new Date(start).toISOString(), bucketMinutes: BUCKET_MINUTES, counts }
  }

  /**
   * The public page's JSON, rendered at most once per `publicTtlMs` whatever the number of
   * readers. Totals and per-kecamatan counts only: nothing about who reported.
   */
  publicSummaryJson(): string {
    const at = this.now()
    if (this.publicCache && at - this.publicCache.at < this.publicTtlMs)
      return this.publicCache.body
    const s = this.regencySummary()
    const body: PublicSummaryDto = {
      asOf: s.asOf,
      election: s.election,
      regency: s.regency,
      training: s.training,
      disclaimer: `${DISCLAIMER}. ${DISCLAIMER_LONG}`,
      contests: s.contests.map((c) => ({
        id: c.id,
        name: c.name,
        candidates: c.candidates,
        total: { code: s.regency.code, name: s.regency.name, ...c.total },
        kecamatan: s.areas
          .filter((a) => a.level === 'kecamatan')
          .map((a) => ({
            code: a.code,
            name: a.name,
            ...(c.areas[a.code] ?? { expected: 0, reported: 0, votes: {} }),
          })),
      })),
    }
    this.publicCache = { at, body: JSON.stringify(body) }
    return this.publicCache.body
  }

  // ---------------------------------------------------------------- layouts
  layout(): BoardLayoutDto {
    if (this.layoutCache) return this.layoutCache
    const regions = this.desk.regions
    const kecShapes = this.shapes('kecamatan')
    const desaShapes = this.shapes('desa')
    const desaCentres = new Map(desaShapes.map((s) => [s.code, approximateCentre(s.geometry)]))

    let regency: TileLayout
    const table = TILE_TABLES[regions.regency.code]
    const kecCodes = regions.kecamatan.map((k) => k.code)
    if (
      table &&
      table.tiles.length === kecCodes.length &&
      table.tiles.every((t) => regions.contains(String(t[0])))
    ) {
      regency = {
        cols: table.cols,
        rows: table.rows,
        tiles: table.tiles.map(([code, row, col]) => ({
          code: String(code),
          row: Number(row),
          col: Number(col),
        })),
        source: 'table',
      }
    } else {
      const centres = new Map(kecShapes.map((s) => [s.code, approximateCentre(s.geometry)]))
      for (const code of kecCodes) {
        if (centres.has(code)) continue
        const inside = regions.childrenOf(code).flatMap((d) => desaCentres.get(d.code) ?? [])
        if (inside.length) {
          centres.set(code, {
            lon: inside.reduce((a, p) => a + p.lon, 0) / inside.length,
            lat: inside.reduce((a, p) => a + p.lat, 0) / inside.length,
          })
        }
      }
      regency = layoutFrom(kecCodes, centres)
    }
    const kecamatan: Record<string, TileLayout> = {}
    for (const code of kecCodes)
      kecamatan[code] = layoutFrom(
        regions.childrenOf(code).map((d) => d.code),
        desaCentres,
      )
    this.layoutCache = {
      regency,
      kecamatan,
      boundaries: this.boundaryInfo(),
    }
    return this.layoutCache
  }

  private shapes(level: BoundaryLevel): RegionShape[] {
    const text = this.boundaryGeoJson(level)
    if (!text) return []
    const fc = JSON.parse(text) as FeatureCollection
    return fc.features.map((f) => ({
      code: String(f.properties?.code),
      name: String(f.properties?.name),
      geometry: f.geometry as RegionShape['geometry'],
    }))
  }

  // ---------------------------------------------------------------- boundaries
  boundaryGeoJson(level: BoundaryLevel): string | null {
    const bundled = this.bundled()
    if (bundled) return bundled.layers[level]
    return this.store.boundaryGeoJson(level)
  }

  private boundaryInfo(): BoundaryInfoDto[] {
    const bundled = this.bundled()
    if (bundled) return bundled.info
    return this.store
      .boundaryInfo()
      .map(({ level, features, codeProperty, source, importedAt }) => ({
        level,
        features,
        codeProperty,
        source,
        importedAt,
      }))
  }

  /**
   * The regency's shipped boundaries (resources/boundaries/), matched like an import but kept in
   * memory: a new desk shows its geographic map out of the box. Once an administrator imports or
   * removes boundaries (meta `boundaries.bundled` = off), the stored layers alone count.
   */
  private bundled(): {
    layers: Record<BoundaryLevel, string | null>
    info: BoundaryInfoDto[]
  } | null {
    if (this.bundledCache !== undefined) return this.bundledCache
    this.bundledCache = null
    const load = this.desk.bundledBoundaries
    if (
      !load ||
      this.core.store.getMeta(BUNDLED_META) === 'off' ||
      this.store.boundaryInfo().length > 0
    )
      return null
    const text = load()
    if (!text) return null
    const match = matchBoundaries(readBoundaryFeatures(text), 'kode', this.desk.regions)
    const layers: Record<BoundaryLevel, string | null> = { kecamatan: null, desa: null }
    const info: BoundaryInfoDto[] = []
    for (const level of ['desa', 'kecamatan'] as const) {
      const shapes = match[level]
      if (shapes.length === 0) continue
      const fc: FeatureCollection = {
        type: 'FeatureCollection',
        features: shapes.map((s) => ({
          type: 'Feature',
          properties: { code: s.code, name: s.name },
          geometry: s.geometry,
        })),
      }
      layers[level] = JSON.stringify(fc)
      info.push({
        level,
        features: shapes.length,
        codeProperty: 'kode',
        source: BUNDLED_SOURCE,
        importedAt: BUNDLED_DATE,
      })
    }
    this.bundledCache = info.length ? { layers, info } : null
    return this.bundledCache
  }

  /** Inside a writer job: the admin has taken the map over; shipped boundaries are not shown again. */
  private retireBundled(): void {
    this.core.store.setMeta(BUNDLED_META, 'off')
  }

  private readFeatures(text: string): Feature[] {
    try {
      const features = readBoundaryFeatures(text)
      if (features.length === 0)
        throw new BoundaryFileError('Berkas tidak berisi satu pun fitur (wilayah)')
      return features
    } catch (e) {
      if (e instanceof BoundaryFileError)
        throw new DeskError(400, 'bad_file', e.message, { file: e.message })
      throw e
    }
  }

  /** Which property holds the Kemendagri code? For the import form's choice. */
  inspectBoundaries(text: string): BoundaryInspectDto {
    const features = this.readFeatures(text)
    const properties = inspectProperties(features, this.desk.regions)
    return {
      features: features.length,
      properties,
      suggested: properties[0] && properties[0].matches > 0 ? properties[0].name : null,
    }
  }

  /**
   * Import a boundary file: features matched by `property` to this regency's kecamatan and desa
   * replace the stored layer(s) they belong to. Nothing is stored when nothing matches.
   */
  async importBoundaries(
    actor: Principal,
    text: string,
    property: string,
    source: string,
  ): Promise<BoundaryImportDto> {
    const features = this.readFeatures(text)
    const match = matchBoundaries(features, property, this.desk.regions)
    const result: BoundaryImportDto = {
      property,
      imported: { kecamatan: match.kecamatan.length, desa: match.desa.length },
      unmatched: match.unmatched.slice(0, 500),
      missing: match.missing,
    }
    if (match.kecamatan.length + match.desa.length === 0) {
      const known = Object.keys(features[0]?.properties ?? {}).join(', ')
      throw new DeskError(
        400,
        'import_invalid',
        `Tidak ada fitur yang cocok dengan wilayah ${this.desk.regions.regency.name} lewat properti "${property}". Pilih properti yang berisi kode Kemendagri${known ? ` (ada: ${known})` : ''}.`,
        { property: 'Tidak ada kode wilayah yang cocok' },
        match.unmatched
          .slice(0, 50)
          .map((u) => ({ row: u.feature, message: `${u.value || '(kosong)'}: ${u.reason}` })),
      )
    }
    const at = this.core.store.nowIso()
    await this.desk.write(() => {
      for (const level of ['kecamatan', 'desa'] as const) {
        const shapes = match[level]
        if (shapes.length === 0) continue
        const fc: FeatureCollection = {
          type: 'FeatureCollection',
          features: shapes.map((s) => ({
            type: 'Feature',
            properties: { code: s.code, name: s.name },
            geometry: s.geometry,
          })),
        }
        this.store.saveBoundary({
          level,
          geojson: JSON.stringify(fc),
          features: shapes.length,
          codeProperty: property,
          source,
          importedAt: at,
          importedBy: actor.id,
        })
      }
      this.retireBundled()
      this.core.store.audit(actor.id, 'boundaries.import', null, {
        ...result.imported,
        property,
        source,
        unmatched: match.unmatched.length,
      })
      this.core.store.appendEvent('boundaries.imported', { ...result.imported })
    })
    this.layoutCache = null
    this.bundledCache = null
    return result
  }

  async deleteBoundaries(actor: Principal): Promise<number> {
    const removed = await this.desk.write(() => {
      const shown = this.bundled()?.info.length ?? 0
      const n = this.store.deleteBoundaries() + shown
      this.retireBundled()
      this.core.store.audit(actor.id, 'boundaries.delete', null, { layers: n })
      this.core.store.appendEvent('boundaries.imported', { kecamatan: 0, desa: 0 })
      return n
    })
    this.layoutCache = null
    this.bundledCache = null
    return removed
  }
}

/** Tiles from approximate centres when every region has one, else in code order. */
function layoutFrom(
  codes: string[],
  centres: Map<string, { lon: number; lat: number }>,
): TileLayout {
  if (codes.length > 0 && codes.every((c) => centres.has(c))) {
    return centresLayout(codes.map((code): CentrePoint => ({ code, ...centres.get(code)! })))
  }
  return orderedLayout(codes)
}
