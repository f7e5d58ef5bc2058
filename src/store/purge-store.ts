import type { Db } from './db'

export interface SimResultRow {
  tps: string
  contest: string
  seq: number
}

export interface SimConflictRow {
  id: number
  tps: string
  contest: string
  status: 'open' | 'resolved'
  submissionSeq: number
  standingSeq: number
  submissionSimulated: boolean
  standingSimulated: boolean
  decisions: number
  createdAt: string
}

/**
 * What the simulator left in a desk, found by its marks: accounts created with `?simulated=1`
 * (`users.simulated`), everything those accounts submitted (by `submissions.actor`), incidents and
 * photos stored as simulated, and TPS status changes whose audit entry says `simulated`.
 * Statements prepared once; used inside the writer only. `results` and `conflicts` are only read
 * here: the result ledger (service/ledger.ts) removes them.
 */
export class PurgeStore {
  private readonly s

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      simUsers: p(
        'SELECT id, name, role, region, revoked_at FROM users WHERE simulated = 1 ORDER BY role, region, name',
      ),
      usersWithCalls: p(
        'SELECT DISTINCT c.reporter AS id FROM chase_calls c JOIN users u ON u.id = c.reporter WHERE u.simulated = 1',
      ),
      simResults: p(`SELECT r.tps, r.contest, r.submission_seq AS seq FROM results r
        JOIN submissions s ON s.seq = r.submission_seq JOIN users u ON u.id = s.actor
        WHERE u.simulated = 1 ORDER BY r.tps, r.contest`),
      simConflicts:
        p(`SELECT c.id, c.tps, c.contest, c.status, c.submission_seq, c.standing_seq, c.created_at,
          coalesce(u1.simulated, 0) AS sub_sim, coalesce(u2.simulated, 0) AS stand_sim,
          (SELECT count(*) FROM review_decisions d WHERE d.conflict_id = c.id) AS decisions
        FROM conflicts c
        JOIN submissions s1 ON s1.seq = c.submission_seq
        JOIN submissions s2 ON s2.seq = c.standing_seq
        LEFT JOIN users u1 ON u1.id = s1.actor
        LEFT JOIN users u2 ON u2.id = s2.actor
        WHERE coalesce(u1.simulated, 0) = 1 OR coalesce(u2.simulated, 0) = 1
        ORDER BY c.id`),
      submissionPayload: p('SELECT payload FROM submissions WHERE seq = ?'),
      simIncidents: p('SELECT id, photo FROM incidents WHERE simulated = 1 ORDER BY id'),
      simPhotos: p('SELECT id, file FROM photos WHERE simulated = 1 ORDER BY id'),
      simVerifications: p(
        'SELECT v.desa FROM desa_verifications v JOIN users u ON u.id = v.actor WHERE u.simulated = 1',
      ),
      statusAudit: p(
        "SELECT id, target, detail FROM audit WHERE action = 'tps.status' ORDER BY id",
      ),
      deleteIncidentKeys: p('DELETE FROM incident_submissions WHERE incident = ?'),
      deleteIncident: p('DELETE FROM incidents WHERE id = ?'),
      deletePhoto: p('DELETE FROM photos WHERE id = ?'),
      photoStillUsed: p(
        'SELECT (SELECT count(*) FROM photos WHERE file = ?) + (SELECT count(*) FROM incidents WHERE photo = ?) AS n',
      ),
      deleteVerification: p('DELETE FROM desa_verifications WHERE desa = ?'),
      // The account's hashed SMS code goes with it (it references the account).
      deleteSmsCode: p('DELETE FROM sms_codes WHERE user_id = ?'),
      deleteUser: p('DELETE FROM users WHERE id = ?'),
      revokeUser: p('UPDATE users SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      restoreStatus: p(
        'UPDATE tps SET status = ?, status_reason = ?, merged_into = ?, updated_at = ? WHERE code = ?',
      ),
    }
  }

  simUsers(): {
    id: string
    name: string
    role: string
    region: string
    revokedAt: string | null
  }[] {
    return (
      this.s.simUsers.all() as {
        id: string
        name: string
        role: string
        region: string
        revoked_at: string | null
      }[]
    ).map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      region: r.region,
      revokedAt: r.revoked_at,
    }))
  }

  /** Simulated accounts a real operator logged calls to: the call log is append-only and points at them. */
  usersWithCalls(): Set<string> {
    return new Set((this.s.usersWithCalls.all() as { id: string }[]).map((r) => r.id))
  }

  simResults(): SimResultRow[] {
    return this.s.simResults.all() as SimResultRow[]
  }

  simConflicts(): SimConflictRow[] {
    return (this.s.simConflicts.all() as Record<string, unknown>[]).map((r) => ({
      id: r.id as number,
      tps: r.tps as string,
      contest: r.contest as string,
      status: r.status as 'open' | 'resolved',
      submissionSeq: r.submission_seq as number,
      standingSeq: r.standing_seq as number,
      submissionSimulated: r.sub_sim === 1,
      standingSimulated: r.stand_sim === 1,
      decisions: r.decisions as number,
      createdAt: r.created_at as string,
    }))
  }

  payload(seq: number): string {
    return (this.s.submissionPayload.get(seq) as { payload: string }).payload
  }

  simIncidents(): { id: number; photo: string | null }[] {
    return this.s.simIncidents.all() as { id: number; photo: string | null }[]
  }

  simPhotos(): { id: number; file: string }[] {
    return this.s.simPhotos.all() as { id: number; file: string }[]
  }

  simVerifications(): string[] {
    return (this.s.simVerifications.all() as { desa: string }[]).map((r) => r.desa)
  }

  statusAudit(): { id: number; tps: string; detail: Record<string, unknown> }[] {
    return (
      this.s.statusAudit.all() as { id: number; target: string; detail: string | null }[]
    ).map((r) => ({
      id: r.id,
      tps: r.target,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {},
    }))
  }

  deleteIncident(id: number): void {
    this.s.deleteIncidentKeys.run(id)
    this.s.deleteIncident.run(id)
  }

  deletePhoto(id: number): void {
    this.s.deletePhoto.run(id)
  }

  photoStillUsed(file: string): boolean {
    return (this.s.photoStillUsed.get(file, file) as { n: number }).n > 0
  }

  deleteVerification(desa: string): void {
    this.s.deleteVerification.run(desa)
  }

  deleteUser(id: string): void {
    this.s.deleteSmsCode.run(id)
    this.s.deleteUser.run(id)
  }

  revokeUser(id: string, at: string): void {
    this.s.revokeUser.run(at, id)
  }

  restoreStatus(
    tps: string,
    status: string,
    reason: string | null,
    mergedInto: string | null,
    at: string,
  ): void {
    this.s.restoreStatus.run(status, reason, mergedInto, at, tps)
  }
}
