import { createHash } from 'node:crypto'
import type { Contest } from '../domain/election'
import type { ContestResult } from '../domain/recap'
import type { TpsImportRow, TpsRecord, TpsStatus } from '../domain/tps'
import type { DeskEvent, DeskEventOf, DeskEventPayloads, DeskEventType } from '../shared/events'
import type { Role } from '../shared/schemas'
import type { Db } from './db'

export interface UserRecord {
  id: string
  name: string
  phone: string
  role: Role
  region: string
  codeId: string
  codeHash: string
  simulated: boolean
  createdAt: string
  revokedAt: string | null
}

/** What the desk keeps of every submission it received, accepted or refused. */
export interface ReceivedSubmission {
  submissionId: string
  actor: string
  channel: string
  receivedAt: string
  address: string
  tps: string
  contest: string
  /** Canonical JSON of the body, and its SHA-256. */
  payload: string
  hash: string
}

export interface SubmissionRecord extends ReceivedSubmission {
  seq: number
  outcome: 'accepted' | 'duplicate' | 'conflict'
  answer: string
}

export interface RefusalRecord extends ReceivedSubmission {
  /** What the sender was answered: HTTP status, error code, fields named. */
  status: number
  code: string
  fields: Record<string, string>
}

export interface StoredResult extends ContestResult {
  contest: string
  submissionSeq: number
  voters: { dpt: number; dptb: number; dpk: number } | null
  warnings: { field: string; code: string; message: string }[]
  review: 'none' | 'flagged' | 'confirmed'
  acceptedAt: string
  updatedAt: string
}

export interface ConflictRecord {
  id: number
  tps: string
  contest: string
  kind: 'conflict' | 'correction'
  submissionSeq: number
  standingSeq: number
  status: 'open' | 'resolved'
  createdAt: string
}

/**
 * JSON with object keys sorted (undefined members left out), so equal bodies hash equally.
 * Iterative with its own stack: a body nested thousands deep once overflowed the recursive
 * version and answered 500 (the edge now refuses more than 400 levels; this holds regardless).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = []
  // Work items: a value to write, or a literal piece of punctuation.
  const stack: ({ v: unknown } | string)[] = [{ v: value }]
  while (stack.length > 0) {
    const item = stack.pop()!
    if (typeof item === 'string') {
      out.push(item)
      continue
    }
    const v = item.v
    if (v === null || typeof v !== 'object') {
      out.push(JSON.stringify(v))
    } else if (Array.isArray(v)) {
      stack.push(']')
      for (let i = v.length - 1; i >= 0; i--) {
        // As JSON.stringify does: undefined in an array is null.
        stack.push({ v: v[i] === undefined ? null : v[i] })
        if (i > 0) stack.push(',')
      }
      out.push('[')
    } else {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      stack.push('}')
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ v: entries[i]![1] })
        stack.push(`${i > 0 ? ',' : ''}${JSON.stringify(entries[i]![0])}:`)
      }
      out.push('{')
    }
  }
  return out.join('')
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

type Row = Record<string, unknown>

function tpsFromRow(r: Row): TpsRecord {
  return {
    code: r.code as string,
    desa: r.desa as string,
    number: r.number as number,
    dpt: r.dpt as number,
    dptL: (r.dpt_l as number | null) ?? null,
    dptP: (r.dpt_p as number | null) ?? null,
    location: (r.location as string | null) ?? null,
    status: r.status as TpsStatus,
    statusReason: (r.status_reason as string | null) ?? null,
    mergedInto: (r.merged_into as string | null) ?? null,
    simulated: r.simulated === 1,
  }
}

function userFromRow(r: Row): UserRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    phone: r.phone as string,
    role: r.role as Role,
    region: r.region as string,
    codeId: r.code_id as string,
    codeHash: r.code_hash as string,
    simulated: r.simulated === 1,
    createdAt: r.created_at as string,
    revokedAt: (r.revoked_at as string | null) ?? null,
  }
}

function resultFromRow(r: Row): StoredResult {
  const hasVoters = r.voters_dpt !== null
  return {
    tps: r.tps as string,
    contest: r.contest as string,
    submissionSeq: r.submission_seq as number,
    votes: JSON.parse(r.votes as string) as Record<string, number>,
    valid: r.valid as number,
    invalid: r.invalid as number,
    total: r.total as number,
    votersTotal: (r.voters_total as number | null) ?? null,
    voters: hasVoters
      ? { dpt: r.voters_dpt as number, dptb: r.voters_dptb as number, dpk: r.voters_dpk as number }
      : null,
    warnings: JSON.parse(r.warnings as string) as StoredResult['warnings'],
    review: r.review as StoredResult['review'],
    acceptedAt: r.accepted_at as string,
    updatedAt: r.updated_at as string,
  }
}

function contestResultFromRow(r: Row): ContestResult {
  return {
    tps: r.tps as string,
    votes: JSON.parse(r.votes as string) as Record<string, number>,
    valid: r.valid as number,
    invalid: r.invalid as number,
    total: r.total as number,
    votersTotal: (r.voters_total as number | null) ?? null,
  }
}

function receivedFromRow(r: Row): ReceivedSubmission {
  return {
    submissionId: r.submission_id as string,
    actor: r.actor as string,
    channel: r.channel as string,
    receivedAt: r.received_at as string,
    address: r.address as string,
    tps: r.tps as string,
    contest: r.contest as string,
    payload: r.payload as string,
    hash: r.hash as string,
  }
}

function submissionFromRow(r: Row): SubmissionRecord {
  return {
    ...receivedFromRow(r),
    seq: r.seq as number,
    outcome: r.outcome as SubmissionRecord['outcome'],
    answer: r.answer as string,
  }
}

/**
 * Every read and write of the desk database, as statements prepared once. Writes are meant to run
 * inside the single writer's transaction; events appended during a job are collected in
 * `pendingEvents` and published by the caller after commit.
 */
export class DeskStore {
  pendingEvents: DeskEvent[] = []
  /** True while a job of the single writer runs (DeskService.write); the result ledger checks it. */
  inWriterJob = false
  private readonly s

  constructor(
    readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      getMeta: p('SELECT value FROM meta WHERE key = ?'),
      setMeta: p(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      listContests: p('SELECT id, name, candidates FROM contests ORDER BY position'),
      deleteContests: p('DELETE FROM contests'),
      insertContest: p('INSERT INTO contests (id, position, name, candidates) VALUES (?, ?, ?, ?)'),
      anyResult: p('SELECT 1 FROM submissions LIMIT 1'),
      listTps: p('SELECT * FROM tps ORDER BY code'),
      listTpsUnder: p("SELECT * FROM tps WHERE code >= ? || '.' AND code < ? || '/' ORDER BY code"),
      getTps: p('SELECT * FROM tps WHERE code = ?'),
      countTps: p('SELECT count(*) AS n FROM tps'),
      upsertTps:
        p(`INSERT INTO tps (code, desa, number, dpt, dpt_l, dpt_p, location, simulated, updated_at)
        VALUES (@code, @desa, @number, @dpt, @dptL, @dptP, @location, @simulated, @at)
        ON CONFLICT (code) DO UPDATE SET dpt = excluded.dpt, dpt_l = excluded.dpt_l, dpt_p = excluded.dpt_p,
          location = excluded.location, simulated = excluded.simulated, updated_at = excluded.updated_at`),
      setTpsStatus: p(
        'UPDATE tps SET status = ?, status_reason = ?, merged_into = ?, updated_at = ? WHERE code = ?',
      ),
      insertUser:
        p(`INSERT INTO users (id, name, phone, role, region, code_id, code_hash, simulated, created_at)
        VALUES (@id, @name, @phone, @role, @region, @codeId, @codeHash, @simulated, @createdAt)`),
      userByCodeId: p('SELECT * FROM users WHERE code_id = ?'),
      userById: p('SELECT * FROM users WHERE id = ?'),
      listUsers: p('SELECT * FROM users ORDER BY role, region, name'),
      revokeUser: p('UPDATE users SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      reissueUser: p('UPDATE users SET code_id = ?, code_hash = ?, revoked_at = NULL WHERE id = ?'),
      findSubmission: p('SELECT * FROM submissions WHERE actor = ? AND submission_id = ?'),
      submissionBySeq: p('SELECT * FROM submissions WHERE seq = ?'),
      submissionsForTps: p('SELECT * FROM submissions WHERE tps = ? ORDER BY seq'),
      insertRefusal:
        p(`INSERT INTO refusals (submission_id, actor, channel, received_at, address, tps, contest, payload, hash, status, code, fields)
        VALUES (@submissionId, @actor, @channel, @receivedAt, @address, @tps, @contest, @payload, @hash, @status, @code, @fields)`),
      refusalsForTps: p('SELECT * FROM refusals WHERE tps = ? ORDER BY id'),
      nextSeq: p('SELECT coalesce(max(seq), 0) + 1 AS n FROM submissions'),
      insertSubmission:
        p(`INSERT INTO submissions (seq, submission_id, actor, channel, received_at, address, tps, contest, payload, hash, outcome, answer)
        VALUES (@seq, @submissionId, @actor, @channel, @receivedAt, @address, @tps, @contest, @payload, @hash, @outcome, @answer)`),
      getResult: p('SELECT * FROM results WHERE tps = ? AND contest = ?'),
      recapResults: p(
        'SELECT tps, votes, valid, invalid, total, voters_total FROM results WHERE contest = ?',
      ),
      recapResult: p(
        'SELECT tps, votes, valid, invalid, total, voters_total FROM results WHERE tps = ? AND contest = ?',
      ),
      resultsForTps: p('SELECT * FROM results WHERE tps = ?'),
      openConflictsFor: p(
        "SELECT * FROM conflicts WHERE tps = ? AND contest = ? AND status = 'open' ORDER BY id",
      ),
      countOpenConflicts: p("SELECT count(*) AS n FROM conflicts WHERE status = 'open'"),
      // Every TPS code under a region lies in [code., code/) ('/' sorts right after '.'): a range on conflicts_open.
      countOpenConflictsUnder: p(
        "SELECT count(*) AS n FROM conflicts WHERE status = 'open' AND tps >= ? || '.' AND tps < ? || '/'",
      ),
      countFlagged: p("SELECT count(*) AS n FROM results WHERE review = 'flagged'"),
      insertEvent: p('INSERT INTO events (at, type, data) VALUES (?, ?, ?)'),
      eventsAfter: p('SELECT * FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?'),
      lastEventId: p('SELECT coalesce(max(id), 0) AS id FROM events'),
      insertAudit: p(
        'INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)',
      ),
      listAudit: p('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
    }
  }

  nowIso(): string {
    return this.now().toISOString()
  }

  // -- meta
  getMeta(key: string): string | null {
    const r = this.s.getMeta.get(key) as { value: string } | undefined
    return r ? r.value : null
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value)
  }

  // -- contests
  listContests(): Contest[] {
    return (this.s.listContests.all() as Row[]).map((r) => ({
      id: r.id as string,
      name: r.name as string,
      candidates: JSON.parse(r.candidates as string) as Contest['candidates'],
    }))
  }

  replaceContests(contests: Contest[]): void {
    this.s.deleteContests.run()
    contests.forEach((c, i) =>
      this.s.insertContest.run(c.id, i, c.name, JSON.stringify(c.candidates)),
    )
  }

  /** Once any report has arrived, the contests and candidates are fixed. */
  hasAnySubmission(): boolean {
    return this.s.anyResult.get() !== undefined
  }

  // -- TPS registry
  listTps(under?: string): TpsRecord[] {
    const rows = under ? this.s.listTpsUnder.all(under, under) : this.s.listTps.all()
    return (rows as Row[]).map(tpsFromRow)
  }

  getTps(code: string): TpsRecord | undefined {
    const r = this.s.getTps.get(code) as Row | undefined
    return r ? tpsFromRow(r) : undefined
  }

  countTps(): number {
    return (this.s.countTps.get() as { n: number }).n
  }

  upsertTps(rows: TpsImportRow[], simulated: boolean): { imported: number; updated: number } {
    let imported = 0
    let updated = 0
    const at = this.nowIso()
    for (const r of rows) {
      const exists = this.s.getTps.get(r.code) !== undefined
      this.s.upsertTps.run({ ...r, simulated: simulated ? 1 : 0, at })
      if (exists) updated++
      else imported++
    }
    return { imported, updated }
  }

  setTpsStatus(
    code: string,
    status: TpsStatus,
    reason: string | null,
    mergedInto: string | null,
  ): void {
    this.s.setTpsStatus.run(status, reason, mergedInto, this.nowIso(), code)
  }

  // -- users
  insertUser(u: Omit<UserRecord, 'revokedAt'>): void {
    this.s.insertUser.run({ ...u, simulated: u.simulated ? 1 : 0 })
  }

  userByCodeId(codeId: string): UserRecord | undefined {
    const r = this.s.userByCodeId.get(codeId) as Row | undefined
    return r ? userFromRow(r) : undefined
  }

  userById(id: string): UserRecord | undefined {
    const r = this.s.userById.get(id) as Row | undefined
    return r ? userFromRow(r) : undefined
  }

  listUsers(): UserRecord[] {
    return (this.s.listUsers.all() as Row[]).map(userFromRow)
  }

  revokeUser(id: string): boolean {
    return this.s.revokeUser.run(this.nowIso(), id).changes > 0
  }

  reissueUserCode(id: string, codeId: string, codeHash: string): void {
    this.s.reissueUser.run(codeId, codeHash, id)
  }

  // -- submissions, results, conflicts
  findSubmission(actor: string, submissionId: string): SubmissionRecord | undefined {
    const r = this.s.findSubmission.get(actor, submissionId) as Row | undefined
    return r ? submissionFromRow(r) : undefined
  }

  submissionBySeq(seq: number): SubmissionRecord | undefined {
    const r = this.s.submissionBySeq.get(seq) as Row | undefined
    return r ? submissionFromRow(r) : undefined
  }

  submissionsForTps(tps: string): SubmissionRecord[] {
    return (this.s.submissionsForTps.all(tps) as Row[]).map(submissionFromRow)
  }

  /** Only meaningful inside the single writer's transaction. */
  nextSubmissionSeq(): number {
    return (this.s.nextSeq.get() as { n: number }).n
  }

  appendSubmission(s: SubmissionRecord): void {
    this.s.insertSubmission.run(s)
  }

  /** A refused submission, kept whole in its own append-only log (not under the idempotency key). */
  appendRefusal(r: RefusalRecord): void {
    this.s.insertRefusal.run({ ...r, fields: JSON.stringify(r.fields) })
  }

  refusalsForTps(tps: string): RefusalRecord[] {
    return (this.s.refusalsForTps.all(tps) as Row[]).map((r) => ({
      ...receivedFromRow(r),
      status: r.status as number,
      code: r.code as string,
      fields: JSON.parse(r.fields as string) as Record<string, string>,
    }))
  }

  getResult(tps: string, contest: string): StoredResult | undefined {
    const r = this.s.getResult.get(tps, contest) as Row | undefined
    return r ? resultFromRow(r) : undefined
  }

  /** Only what a rollup needs, for every TPS of a contest (the recap's hot path: no warnings, no metadata). */
  recapResults(contest: string): Map<string, ContestResult> {
    const map = new Map<string, ContestResult>()
    for (const r of this.s.recapResults.all(contest) as Row[])
      map.set(r.tps as string, contestResultFromRow(r))
    return map
  }

  /** The same for one TPS, or undefined when it has no standing result. */
  recapResult(tps: string, contest: string): ContestResult | undefined {
    const r = this.s.recapResult.get(tps, contest) as Row | undefined
    return r ? contestResultFromRow(r) : undefined
  }

  resultsForTps(tps: string): StoredResult[] {
    return (this.s.resultsForTps.all(tps) as Row[]).map(resultFromRow)
  }

  openConflictsFor(tps: string, contest: string): ConflictRecord[] {
    return (this.s.openConflictsFor.all(tps, contest) as Row[]).map((r) => ({
      id: r.id as number,
      tps: r.tps as string,
      contest: r.contest as string,
      kind: r.kind as ConflictRecord['kind'],
      submissionSeq: r.submission_seq as number,
      standingSeq: r.standing_seq as number,
      status: r.status as ConflictRecord['status'],
      createdAt: r.created_at as string,
    }))
  }

  countOpenConflicts(): number {
    return (this.s.countOpenConflicts.get() as { n: number }).n
  }

  /** Open conflicts of the TPS under a kecamatan (or desa) code. */
  countOpenConflictsUnder(region: string): number {
    return (this.s.countOpenConflictsUnder.get(region, region) as { n: number }).n
  }

  countFlagged(): number {
    return (this.s.countFlagged.get() as { n: number }).n
  }

  // -- events and audit
  /**
   * Append an event of the catalogue (src/shared/events.ts) with exactly its payload, in the
   * writer's transaction; it is published after the commit. The result events are appended by the
   * result ledger only (service/ledger.ts), together with the write they announce.
   */
  appendEvent<K extends DeskEventType>(type: K, data: DeskEventPayloads[K]): DeskEventOf<K> {
    const at = this.nowIso()
    const id = Number(this.s.insertEvent.run(at, type, JSON.stringify(data)).lastInsertRowid)
    const event: DeskEventOf<K> = { id, type, at, data }
    this.pendingEvents.push(event as DeskEvent)
    return event
  }

  /** Stored events after `id` up to `upTo`: only ever written by appendEvent, so of the catalogue. */
  eventsAfter(id: number, limit = 1000, upTo = Number.MAX_SAFE_INTEGER): DeskEvent[] {
    return (this.s.eventsAfter.all(id, upTo, limit) as Row[]).map(
      (r) =>
        ({
          id: r.id as number,
          type: r.type as DeskEventType,
          at: r.at as string,
          data: JSON.parse(r.data as string) as unknown,
        }) as DeskEvent,
    )
  }

  lastEventId(): number {
    return (this.s.lastEventId.get() as { id: number }).id
  }

  audit(actor: string, action: string, target: string | null, detail?: unknown): void {
    this.s.insertAudit.run(
      this.nowIso(),
      actor,
      action,
      target,
      detail === undefined ? null : JSON.stringify(detail),
    )
  }

  listAudit(limit = 200): {
    id: number
    at: string
    actor: string
    action: string
    target: string | null
    detail: unknown
  }[] {
    return (this.s.listAudit.all(limit) as Row[]).map((r) => ({
      id: r.id as number,
      at: r.at as string,
      actor: r.actor as string,
      action: r.action as string,
      target: (r.target as string | null) ?? null,
      detail: r.detail ? (JSON.parse(r.detail as string) as unknown) : null,
    }))
  }
}
