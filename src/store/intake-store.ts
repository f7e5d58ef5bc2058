// The field intake's statements (incidents, evidence photos, the kecamatan officers' marks on a
// desa, and the per-TPS state a reporter's phone shows), prepared once per database. Reads and
// single statements only: src/service/intake/ decides, and writes through the desk's writer.

import type { IncidentDto } from '../shared/api'
import type { Db } from './db'

export interface IncidentRow {
  id: number
  at: string
  reporter: string
  region: string
  tps: string | null
  category: IncidentDto['category']
  urgency: IncidentDto['urgency']
  text: string
  photo: string | null
  status: IncidentDto['status']
  simulated: number
}

export type NewIncidentRow = Omit<IncidentRow, 'id' | 'status'>

export interface PhotoRow {
  id: number
  file: string
  type: string
  bytes: number
  region: string
  tps: string | null
  contest: string | null
  actor: string
  at: string
  simulated: number
}

export type NewPhotoRow = Omit<PhotoRow, 'id'>

export interface VerificationRow {
  desa: string
  status: 'verified' | 'flagged'
  note: string | null
  actor: string
  at: string
  /**
   * A fingerprint of the desa's standing numbers when the mark was made (see standingOf). The
   * column once held a row count, which a correction or a supervisor's decision leaves unchanged.
   */
  results: number
}

/** A standing result's review state. */
export interface ResultStateRow {
  tps: string
  contest: string
  review: string
}

/** A standing result with its numbers. */
export interface StandingRow extends ResultStateRow {
  votes: string
  valid: number
  invalid: number
}

export interface OpenConflictRow {
  tps: string
  contest: string
  kind: 'conflict' | 'correction'
}

const lower = (code: string) => `${code}.`
const upper = (code: string) => `${code}/` // '/' sorts right after '.': every child code lies in [code., code/)

export class IntakeStore {
  private readonly s

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      resultsUnder: p('SELECT tps, contest, review FROM results WHERE tps >= ? AND tps < ?'),
      conflictsUnder: p(
        "SELECT tps, contest, kind FROM conflicts WHERE status = 'open' AND tps >= ? AND tps < ?",
      ),
      standingUnder: p(
        'SELECT tps, contest, votes, valid, invalid, review FROM results WHERE tps >= ? AND tps < ? ORDER BY tps, contest',
      ),
      insertIncident:
        p(`INSERT INTO incidents (at, reporter, region, tps, category, urgency, text, photo, simulated)
        VALUES (@at, @reporter, @region, @tps, @category, @urgency, @text, @photo, @simulated)`),
      incidentById: p('SELECT * FROM incidents WHERE id = ?'),
      listIncidents:
        p(`SELECT * FROM incidents WHERE (@status IS NULL OR status = @status) AND id > @after
        AND (@reporter IS NULL OR reporter = @reporter) ORDER BY id DESC LIMIT @limit`),
      setIncidentStatus: p('UPDATE incidents SET status = ? WHERE id = ?'),
      setIncidentPhoto: p('UPDATE incidents SET photo = ? WHERE id = ? AND photo IS NULL'),
      findIncidentSubmission: p(
        'SELECT incident, hash FROM incident_submissions WHERE actor = ? AND submission_id = ?',
      ),
      insertIncidentSubmission: p(
        'INSERT INTO incident_submissions (actor, submission_id, incident, hash) VALUES (?, ?, ?, ?)',
      ),
      insertPhoto:
        p(`INSERT OR IGNORE INTO photos (file, type, bytes, region, tps, contest, actor, at, simulated)
        VALUES (@file, @type, @bytes, @region, @tps, @contest, @actor, @at, @simulated)`),
      photoByFile: p('SELECT * FROM photos WHERE file = ? ORDER BY id LIMIT 1'),
      photosForTps: p('SELECT * FROM photos WHERE tps = ? ORDER BY id'),
      photosUnder: p(
        'SELECT * FROM photos WHERE (region >= ? AND region < ?) OR region = ? ORDER BY id',
      ),
      photoExact: p(
        "SELECT * FROM photos WHERE file = ? AND region = ? AND coalesce(tps, '') = ? AND coalesce(contest, '') = ?",
      ),
      // Quota reads, on the photos_by_tps index: a reporter's photos all lie inside their region.
      photosAtPlace: p(
        'SELECT count(*) AS n FROM photos WHERE tps IS @tps AND contest IS @contest AND region = @region AND actor = @actor',
      ),
      photoBytesOf:
        p(`SELECT coalesce(sum(bytes), 0) AS n FROM (SELECT DISTINCT file, bytes FROM photos WHERE actor = @actor
        AND ((tps >= @lo AND tps < @hi) OR (tps IS NULL AND (region = @region OR (region >= @lo AND region < @hi)))))`),
      actorHasFile: p('SELECT 1 FROM photos WHERE file = ? AND actor = ? LIMIT 1'),
      countTpsUnder: p('SELECT count(*) AS n FROM tps WHERE code >= ? AND code < ?'),
      upsertVerification:
        p(`INSERT INTO desa_verifications (desa, status, note, actor, at, results) VALUES (@desa, @status, @note, @actor, @at, @results)
        ON CONFLICT (desa) DO UPDATE SET status = excluded.status, note = excluded.note, actor = excluded.actor, at = excluded.at, results = excluded.results`),
      verificationsUnder: p('SELECT * FROM desa_verifications WHERE desa >= ? AND desa < ?'),
      verificationOf: p('SELECT * FROM desa_verifications WHERE desa = ?'),
    }
  }

  // ---------------------------------------------------------------- results and conflicts, read only
  /** The review state of every standing result under a region. */
  resultsUnder(region: string): ResultStateRow[] {
    return this.s.resultsUnder.all(lower(region), upper(region)) as ResultStateRow[]
  }

  /** Every standing result under a region with its numbers, by TPS and contest. */
  standingUnder(region: string): StandingRow[] {
    return this.s.standingUnder.all(lower(region), upper(region)) as StandingRow[]
  }

  openConflictsUnder(region: string): OpenConflictRow[] {
    return this.s.conflictsUnder.all(lower(region), upper(region)) as OpenConflictRow[]
  }

  countTpsUnder(region: string): number {
    return (this.s.countTpsUnder.get(lower(region), upper(region)) as { n: number }).n
  }

  // ---------------------------------------------------------------- incidents
  insertIncident(row: NewIncidentRow): number {
    return Number(this.s.insertIncident.run(row).lastInsertRowid)
  }

  incidentById(id: number): IncidentRow | undefined {
    return this.s.incidentById.get(id) as IncidentRow | undefined
  }

  /** Newest first; `reporter` null lists everyone's. */
  listIncidents(q: {
    status: 'open' | 'handled' | null
    after: number
    reporter: string | null
    limit: number
  }): IncidentRow[] {
    return this.s.listIncidents.all(q) as IncidentRow[]
  }

  setIncidentStatus(id: number, status: 'open' | 'handled'): void {
    this.s.setIncidentStatus.run(status, id)
  }

  /** Only an incident without a photo gets one. */
  setIncidentPhoto(id: number, file: string): void {
    this.s.setIncidentPhoto.run(file, id)
  }

  incidentSubmission(
    actor: string,
    submissionId: string,
  ): { incident: number; hash: string } | undefined {
    return this.s.findIncidentSubmission.get(actor, submissionId) as
      { incident: number; hash: string } | undefined
  }

  insertIncidentSubmission(
    actor: string,
    submissionId: string,
    incident: number,
    hash: string,
  ): void {
    this.s.insertIncidentSubmission.run(actor, submissionId, incident, hash)
  }

  // ---------------------------------------------------------------- photos
  /** True when the row is new (the same file for the same place, contest and actor is kept once). */
  insertPhoto(row: NewPhotoRow): boolean {
    return this.s.insertPhoto.run(row).changes > 0
  }

  photoByFile(file: string): PhotoRow | undefined {
    return this.s.photoByFile.get(file) as PhotoRow | undefined
  }

  photosForTps(tps: string): PhotoRow[] {
    return this.s.photosForTps.all(tps) as PhotoRow[]
  }

  /** Photos of a desa or kecamatan and of everything under it. */
  photosUnder(region: string): PhotoRow[] {
    return this.s.photosUnder.all(lower(region), upper(region), region) as PhotoRow[]
  }

  /** The file's row for exactly this place and contest, if stored. */
  photoExact(
    file: string,
    region: string,
    tps: string | null,
    contest: string | null,
  ): PhotoRow | undefined {
    return this.s.photoExact.get(file, region, tps ?? '', contest ?? '') as PhotoRow | undefined
  }

  /** How many photos one actor keeps for one place (a TPS and contest, a TPS, or a desa). */
  photosAtPlace(place: {
    tps: string | null
    contest: string | null
    region: string
    actor: string
  }): number {
    return (this.s.photosAtPlace.get(place) as { n: number }).n
  }

  /** Bytes of the distinct files one actor keeps inside their region. */
  photoBytesOf(actor: string, region: string): number {
    return (
      this.s.photoBytesOf.get({ actor, region, lo: lower(region), hi: upper(region) }) as {
        n: number
      }
    ).n
  }

  actorHasFile(file: string, actor: string): boolean {
    return !!this.s.actorHasFile.get(file, actor)
  }

  // ---------------------------------------------------------------- kecamatan verification
  upsertVerification(v: VerificationRow): void {
    this.s.upsertVerification.run(v)
  }

  verificationsUnder(region: string): VerificationRow[] {
    return this.s.verificationsUnder.all(lower(region), upper(region)) as VerificationRow[]
  }

  verificationOf(desa: string): VerificationRow | undefined {
    return this.s.verificationOf.get(desa) as VerificationRow | undefined
  }
}
