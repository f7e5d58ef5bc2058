import type { DeskEvent } from '../shared/events'
import type { Db } from './db'

type Row = Record<string, unknown>

export interface BoundaryRecord {
  level: 'kecamatan' | 'desa'
  geojson: string
  features: number
  codeProperty: string
  source: string
  importedAt: string
  importedBy: string
}

/** The wall board's reads and its one table (boundaries). Statements are prepared once. */
export class BoardStore {
  private readonly s

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      upsertBoundary:
        p(`INSERT INTO boundaries (level, geojson, features, code_property, source, imported_at, imported_by)
        VALUES (@level, @geojson, @features, @codeProperty, @source, @importedAt, @importedBy)
        ON CONFLICT (level) DO UPDATE SET geojson = excluded.geojson, features = excluded.features,
          code_property = excluded.code_property, source = excluded.source, imported_at = excluded.imported_at,
          imported_by = excluded.imported_by`),
      boundaryInfo: p(
        'SELECT level, features, code_property, source, imported_at, imported_by FROM boundaries ORDER BY level',
      ),
      boundary: p('SELECT * FROM boundaries WHERE level = ?'),
      deleteBoundaries: p('DELETE FROM boundaries'),
      acceptedTimes: p('SELECT contest, accepted_at FROM results'),
      // Newest first by rowid: stops after `limit` matches, so it stays cheap as the log grows.
      recentEvents:
        p(`SELECT * FROM events WHERE type IN ('result.accepted', 'result.conflict', 'incident.created')
        ORDER BY id DESC LIMIT ?`),
    }
  }

  saveBoundary(r: BoundaryRecord): void {
    this.s.upsertBoundary.run(r)
  }

  boundaryInfo(): Omit<BoundaryRecord, 'geojson'>[] {
    return (this.s.boundaryInfo.all() as Row[]).map((r) => ({
      level: r.level as BoundaryRecord['level'],
      features: r.features as number,
      codeProperty: r.code_property as string,
      source: r.source as string,
      importedAt: r.imported_at as string,
      importedBy: r.imported_by as string,
    }))
  }

  /** The stored FeatureCollection text of one level, or null. */
  boundaryGeoJson(level: 'kecamatan' | 'desa'): string | null {
    const r = this.s.boundary.get(level) as Row | undefined
    return r ? (r.geojson as string) : null
  }

  deleteBoundaries(): number {
    return this.s.deleteBoundaries.run().changes
  }

  /** When each current result was accepted, per contest. */
  acceptedTimes(): { contest: string; acceptedAt: string }[] {
    return (this.s.acceptedTimes.all() as Row[]).map((r) => ({
      contest: r.contest as string,
      acceptedAt: r.accepted_at as string,
    }))
  }

  /** The latest events (only ever written by DeskStore.appendEvent, so of the catalogue). */
  recentEvents(limit: number): DeskEvent[] {
    return (this.s.recentEvents.all(limit) as Row[]).map(
      (r) =>
        ({
          id: r.id as number,
          type: r.type as DeskEvent['type'],
          at: r.at as string,
          data: JSON.parse(r.data as string) as unknown,
        }) as DeskEvent,
    )
  }
}
