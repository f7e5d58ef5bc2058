// Reads for the recap export, snapshots and KPU figures: statements prepared once, parameters only.
// Kept apart from DeskStore so the export feature grows without touching the core store.

import type Database from 'better-sqlite3'
import type { Db } from './db'

type Row = Record<string, unknown>

export interface ResultExportRow {
  tps: string
  votes: Record<string, number>
  valid: number
  invalid: number
  total: number
  voters: [number, number, number, number] | null
  review: 'none' | 'flagged' | 'confirmed'
  receivedAt: string
  channel: string
  actor: string
  userName: string | null
  userPhone: string | null
  callerName: string | null
  callerPhone: string | null
}

export interface ReporterRow {
  region: string
  name: string
  phone: string
}

export interface IncidentRow {
  id: number
  at: string
  reporter: string
  region: string
  tps: string | null
  category: string
  urgency: string
  text: string
  photo: boolean
  status: string
  simulated: boolean
  userName: string | null
  userPhone: string | null
}

export interface SnapshotRecord {
  id: number
  createdAt: string
  actor: string
  label: string
  dataSha256: string
  /** Per contest; `openConflicts`: differing reports/corrections waiting when it was frozen (absent in older snapshots). */
  summary: { contest: string; reported: number; expected: number; openConflicts?: number }[]
  files: { profile: string; filename: string; sha256: string; size: number }[]
}

export interface KpuImportRecord {
  id: number
  at: string
  actor: string
  source: string
  format: 'baris' | 'dhasil'
  level: 'tps' | 'desa' | 'kecamatan'
  contests: string[]
  rows: number
  sha256: string
}

export interface KpuFigureRow {
  region: string
  votes: Record<string, number>
  valid: number
  invalid: number
}

function kpuImportFromRow(r: Row): KpuImportRecord {
  return {
    id: r.id as number,
    at: r.at as string,
    actor: r.actor as string,
    source: r.source as string,
    format: r.format as KpuImportRecord['format'],
    level: r.level as KpuImportRecord['level'],
    contests: JSON.parse(r.contests as string) as string[],
    rows: r.rows as number,
    sha256: r.sha256 as string,
  }
}

export class RecapQueries {
  private readonly s
  private incidentsStmt: Database.Statement<[]> | null = null

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      results:
        p(`SELECT r.tps, r.votes, r.valid, r.invalid, r.total, r.voters_dpt, r.voters_dptb, r.voters_dpk,
          r.voters_total, r.review, s.received_at, s.channel, s.actor, u.name AS user_name, u.phone AS user_phone,
          json_extract(s.payload, '$.caller.name') AS caller_name, json_extract(s.payload, '$.caller.phone') AS caller_phone
        FROM results r JOIN submissions s ON s.seq = r.submission_seq LEFT JOIN users u ON u.id = s.actor
        WHERE r.contest = ? ORDER BY r.tps`),
      reporters: p(
        `SELECT region, name, phone FROM users WHERE role = 'reporter' AND revoked_at IS NULL ORDER BY region, name`,
      ),
      openConflicts: p(
        `SELECT contest, count(*) AS n FROM conflicts WHERE status = 'open' GROUP BY contest`,
      ),
      openDisputes: p(
        `SELECT DISTINCT contest, tps, kind FROM conflicts WHERE status = 'open' ORDER BY contest, tps, kind`,
      ),
      hasIncidents: p(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents'`),
      nextSnapshotId: p('SELECT coalesce(max(id), 0) + 1 AS n FROM snapshots'),
      insertSnapshot:
        p(`INSERT INTO snapshots (id, created_at, actor, label, data_sha256, data, summary)
        VALUES (@id, @createdAt, @actor, @label, @dataSha256, @data, @summary)`),
      insertSnapshotFile:
        p(`INSERT INTO snapshot_files (snapshot, profile, filename, sha256, size, bytes)
        VALUES (@snapshot, @profile, @filename, @sha256, @size, @bytes)`),
      listSnapshots: p(
        'SELECT id, created_at, actor, label, data_sha256, summary FROM snapshots ORDER BY id DESC',
      ),
      getSnapshot: p(
        'SELECT id, created_at, actor, label, data_sha256, summary FROM snapshots WHERE id = ?',
      ),
      snapshotFiles: p(
        'SELECT snapshot, profile, filename, sha256, size FROM snapshot_files ORDER BY snapshot, profile',
      ),
      snapshotFilesOf: p(
        'SELECT snapshot, profile, filename, sha256, size FROM snapshot_files WHERE snapshot = ? ORDER BY profile',
      ),
      snapshotFile: p(
        'SELECT filename, sha256, bytes FROM snapshot_files WHERE snapshot = ? AND profile = ?',
      ),
      snapshotData: p('SELECT data FROM snapshots WHERE id = ?'),
      nextKpuImportId: p('SELECT coalesce(max(id), 0) + 1 AS n FROM kpu_imports'),
      insertKpuImport:
        p(`INSERT INTO kpu_imports (id, at, actor, source, format, level, contests, rows, sha256)
        VALUES (@id, @at, @actor, @source, @format, @level, @contests, @rows, @sha256)`),
      insertKpuFigure: p(`INSERT INTO kpu_figures (import, contest, region, votes, valid, invalid)
        VALUES (@import, @contest, @region, @votes, @valid, @invalid)`),
      listKpuImports: p('SELECT * FROM kpu_imports ORDER BY id DESC'),
      kpuFigures: p(
        'SELECT region, votes, valid, invalid FROM kpu_figures WHERE import = ? AND contest = ? ORDER BY region',
      ),
    }
  }

  resultsForExport(contest: string): ResultExportRow[] {
    return (this.s.results.all(contest) as Row[]).map((r) => ({
      tps: r.tps as string,
      votes: JSON.parse(r.votes as string) as Record<string, number>,
      valid: r.valid as number,
      invalid: r.invalid as number,
      total: r.total as number,
      voters:
        r.voters_dpt === null
          ? null
          : [
              r.voters_dpt as number,
              r.voters_dptb as number,
              r.voters_dpk as number,
              r.voters_total as number,
            ],
      review: r.review as ResultExportRow['review'],
      receivedAt: r.received_at as string,
      channel: r.channel as string,
      actor: r.actor as string,
      userName: (r.user_name as string | null) ?? null,
      userPhone: (r.user_phone as string | null) ?? null,
      callerName: (r.caller_name as string | null) ?? null,
      callerPhone: (r.caller_phone as string | null) ?? null,
    }))
  }

  activeReporters(): ReporterRow[] {
    return this.s.reporters.all() as ReporterRow[]
  }

  openConflictsByContest(): Map<string, number> {
    return new Map(
      (this.s.openConflicts.all() as { contest: string; n: number }[]).map((r) => [r.contest, r.n]),
    )
  }

  /** Per contest, the TPS with an open conflict or a held correction (once per TPS and kind). */
  openDisputes(): Map<string, { tps: string; kind: 'conflict' | 'correction' }[]> {
    const out = new Map<string, { tps: string; kind: 'conflict' | 'correction' }[]>()
    for (const r of this.s.openDisputes.all() as {
      contest: string
      tps: string
      kind: 'conflict' | 'correction'
    }[]) {
      const list = out.get(r.contest) ?? []
      list.push({ tps: r.tps, kind: r.kind })
      out.set(r.contest, list)
    }
    return out
  }

  /** The incident log (written by the intake feature), or null on a desk without it. */
  incidents(): IncidentRow[] | null {
    if (!this.incidentsStmt) {
      if (this.s.hasIncidents.get() === undefined) return null
      this.incidentsStmt = this.db
        .prepare(`SELECT i.id, i.at, i.reporter, i.region, i.tps, i.category, i.urgency, i.text,
          i.photo, i.status, i.simulated, u.name AS user_name, u.phone AS user_phone
        FROM incidents i LEFT JOIN users u ON u.id = i.reporter ORDER BY i.at, i.id`)
    }
    return (this.incidentsStmt.all() as Row[]).map((r) => ({
      id: r.id as number,
      at: r.at as string,
      reporter: r.reporter as string,
      region: r.region as string,
      tps: (r.tps as string | null) ?? null,
      category: r.category as string,
      urgency: r.urgency as string,
      text: r.text as string,
      photo: r.photo !== null && r.photo !== '',
      status: r.status as string,
      simulated: r.simulated === 1,
      userName: (r.user_name as string | null) ?? null,
      userPhone: (r.user_phone as string | null) ?? null,
    }))
  }

  // -- snapshots (append-only; triggers refuse any change)
  nextSnapshotId(): number {
    return (this.s.nextSnapshotId.get() as { n: number }).n
  }

  insertSnapshot(s: {
    id: number
    createdAt: string
    actor: string
    label: string
    dataSha256: string
    data: Buffer
    summary: SnapshotRecord['summary']
  }): void {
    this.s.insertSnapshot.run({ ...s, summary: JSON.stringify(s.summary) })
  }

  insertSnapshotFile(f: {
    snapshot: number
    profile: string
    filename: string
    sha256: string
    bytes: Buffer
  }): void {
    this.s.insertSnapshotFile.run({ ...f, size: f.bytes.length })
  }

  private snapshotFromRow(r: Row, files: SnapshotRecord['files']): SnapshotRecord {
    return {
      id: r.id as number,
      createdAt: r.created_at as string,
      actor: r.actor as string,
      label: r.label as string,
      dataSha256: r.data_sha256 as string,
      summary: JSON.parse(r.summary as string) as SnapshotRecord['summary'],
      files,
    }
  }

  listSnapshots(): SnapshotRecord[] {
    const files = new Map<number, SnapshotRecord['files']>()
    for (const f of this.s.snapshotFiles.all() as Row[]) {
      const list = files.get(f.snapshot as number) ?? []
      list.push({
        profile: f.profile as string,
        filename: f.filename as string,
        sha256: f.sha256 as string,
        size: f.size as number,
      })
      files.set(f.snapshot as number, list)
    }
    return (this.s.listSnapshots.all() as Row[]).map((r) =>
      this.snapshotFromRow(r, files.get(r.id as number) ?? []),
    )
  }

  getSnapshot(id: number): SnapshotRecord | undefined {
    const r = this.s.getSnapshot.get(id) as Row | undefined
    if (!r) return undefined
    const files = (this.s.snapshotFilesOf.all(id) as Row[]).map((f) => ({
      profile: f.profile as string,
      filename: f.filename as string,
      sha256: f.sha256 as string,
      size: f.size as number,
    }))
    return this.snapshotFromRow(r, files)
  }

  snapshotFile(
    id: number,
    profile: string,
  ): { filename: string; sha256: string; bytes: Buffer } | undefined {
    return this.s.snapshotFile.get(id, profile) as
      { filename: string; sha256: string; bytes: Buffer } | undefined
  }

  snapshotData(id: number): Buffer | undefined {
    return (this.s.snapshotData.get(id) as { data: Buffer } | undefined)?.data
  }

  // -- KPU figures (kept per import)
  nextKpuImportId(): number {
    return (this.s.nextKpuImportId.get() as { n: number }).n
  }

  insertKpuImport(i: KpuImportRecord): void {
    this.s.insertKpuImport.run({ ...i, contests: JSON.stringify(i.contests) })
  }

  insertKpuFigure(importId: number, contest: string, f: KpuFigureRow): void {
    this.s.insertKpuFigure.run({
      import: importId,
      contest,
      region: f.region,
      votes: JSON.stringify(f.votes),
      valid: f.valid,
      invalid: f.invalid,
    })
  }

  listKpuImports(): KpuImportRecord[] {
    return (this.s.listKpuImports.all() as Row[]).map(kpuImportFromRow)
  }

  kpuFigures(importId: number, contest: string): KpuFigureRow[] {
    return (this.s.kpuFigures.all(importId, contest) as Row[]).map((r) => ({
      region: r.region as string,
      votes: JSON.parse(r.votes as string) as Record<string, number>,
      valid: r.valid as number,
      invalid: r.invalid as number,
    }))
  }
}
