import type { ConflictRecord } from './store'
import type { Db } from './db'

type Row = Record<string, unknown>

export interface ChaseCallRecord {
  id: number
  reporter: string
  actor: string
  at: string
  outcome: 'reached' | 'no_answer' | 'other'
  note: string
  /** The desa the call was about (migration 0160); null when not known. */
  desa: string | null
}

export interface ReviewAssignmentRecord {
  kecamatan: string
  supervisor: string
  assignedBy: string
  assignedAt: string
}

export interface DraftRecord {
  id: number
  tps: string
  contest: string
  firstActor: string
  payload: string
  createdAt: string
  status: 'waiting' | 'mismatch' | 'saved' | 'cancelled'
  attempts: number
  mismatch: string[]
  closedAt: string | null
  closedBy: string | null
  closeReason: string | null
  submissionSeq: number | null
}

export interface DecisionRecord {
  id: number
  at: string
  actor: string
  tps: string
  contest: string
  kind: 'conflict' | 'flag'
  conflictId: number | null
  action: 'standing' | 'new' | 'corrected' | 'confirm' | 'correct'
  reason: string
  beforeSeq: number | null
  afterSeq: number | null
}

export interface ConflictFull extends ConflictRecord {
  resolvedAt: string | null
  resolvedBy: string | null
  resolution: string | null
  reason: string | null
}

function conflictFromRow(r: Row): ConflictFull {
  return {
    id: r.id as number,
    tps: r.tps as string,
    contest: r.contest as string,
    kind: r.kind as ConflictRecord['kind'],
    submissionSeq: r.submission_seq as number,
    standingSeq: r.standing_seq as number,
    status: r.status as ConflictRecord['status'],
    createdAt: r.created_at as string,
    resolvedAt: (r.resolved_at as string | null) ?? null,
    resolvedBy: (r.resolved_by as string | null) ?? null,
    resolution: (r.resolution as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
  }
}

function draftFromRow(r: Row): DraftRecord {
  return {
    id: r.id as number,
    tps: r.tps as string,
    contest: r.contest as string,
    firstActor: r.first_actor as string,
    payload: r.payload as string,
    createdAt: r.created_at as string,
    status: r.status as DraftRecord['status'],
    attempts: r.attempts as number,
    mismatch: r.mismatch ? (JSON.parse(r.mismatch as string) as string[]) : [],
    closedAt: (r.closed_at as string | null) ?? null,
    closedBy: (r.closed_by as string | null) ?? null,
    closeReason: (r.close_reason as string | null) ?? null,
    submissionSeq: (r.submission_seq as number | null) ?? null,
  }
}

function decisionFromRow(r: Row): DecisionRecord {
  return {
    id: r.id as number,
    at: r.at as string,
    actor: r.actor as string,
    tps: r.tps as string,
    contest: r.contest as string,
    kind: r.kind as DecisionRecord['kind'],
    conflictId: (r.conflict_id as number | null) ?? null,
    action: r.action as DecisionRecord['action'],
    reason: r.reason as string,
    beforeSeq: (r.before_seq as number | null) ?? null,
    afterSeq: (r.after_seq as number | null) ?? null,
  }
}

function callFromRow(r: Row): ChaseCallRecord {
  return {
    id: r.id as number,
    reporter: r.reporter as string,
    actor: r.actor as string,
    at: r.at as string,
    outcome: r.outcome as ChaseCallRecord['outcome'],
    note: r.note as string,
    desa: (r.desa as string | null) ?? null,
  }
}

/**
 * The console's statements (migration 0070), prepared once, over the same database as DeskStore.
 * Writes run inside the desk's single writer; `results` and `conflicts` are only read here (the
 * result ledger, service/ledger.ts, writes them).
 */
export class ConsoleStore {
  private readonly s

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      recentSubmissions: p('SELECT * FROM submissions ORDER BY seq DESC LIMIT ?'),
      lastReportPerActor: p(`SELECT s.actor AS actor, s.received_at AS at FROM submissions s
        JOIN (SELECT actor, max(seq) AS seq FROM submissions GROUP BY actor) m ON s.seq = m.seq`),
      activeReportersSince: p(`SELECT count(DISTINCT s.actor) AS n FROM submissions s
        JOIN users u ON u.id = s.actor WHERE u.role = 'reporter' AND s.received_at >= ?`),
      insertCall: p(
        'INSERT INTO chase_calls (reporter, actor, at, outcome, note, desa) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      latestCalls: p(`SELECT c.*, m.n AS n FROM chase_calls c
        JOIN (SELECT reporter, max(id) AS id, count(*) AS n FROM chase_calls GROUP BY reporter) m ON c.id = m.id`),
      callsFor: p('SELECT * FROM chase_calls WHERE reporter = ? ORDER BY id DESC LIMIT ?'),
      getConflict: p('SELECT * FROM conflicts WHERE id = ?'),
      openConflicts: p("SELECT * FROM conflicts WHERE status = 'open' ORDER BY id"),
      resolvedConflicts: p(
        "SELECT * FROM conflicts WHERE status = 'resolved' ORDER BY resolved_at DESC, id DESC LIMIT ?",
      ),
      conflictsForTps: p('SELECT * FROM conflicts WHERE tps = ? ORDER BY id'),
      flagged: p(
        "SELECT tps, contest FROM results WHERE review = 'flagged' ORDER BY accepted_at, tps",
      ),
      insertDecision:
        p(`INSERT INTO review_decisions (at, actor, tps, contest, kind, conflict_id, action, reason, before_seq, after_seq)
        VALUES (@at, @actor, @tps, @contest, @kind, @conflictId, @action, @reason, @beforeSeq, @afterSeq)`),
      decisionsForTps: p('SELECT * FROM review_decisions WHERE tps = ? ORDER BY id'),
      decisionForConflict: p(
        'SELECT * FROM review_decisions WHERE conflict_id = ? ORDER BY id DESC LIMIT 1',
      ),
      insertDraft: p(
        `INSERT INTO entry_drafts (tps, contest, first_actor, payload, created_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      getDraft: p('SELECT * FROM entry_drafts WHERE id = ?'),
      openDrafts: p(
        "SELECT * FROM entry_drafts WHERE status IN ('waiting', 'mismatch') ORDER BY id DESC",
      ),
      countOpenDrafts: p(
        "SELECT count(*) AS n FROM entry_drafts WHERE status IN ('waiting', 'mismatch')",
      ),
      draftsForTps: p('SELECT * FROM entry_drafts WHERE tps = ? ORDER BY id'),
      draftMismatch:
        p(`UPDATE entry_drafts SET status = 'mismatch', attempts = attempts + 1, mismatch = ?
        WHERE id = ? AND status IN ('waiting', 'mismatch')`),
      closeDraft:
        p(`UPDATE entry_drafts SET status = ?, attempts = attempts + ?, closed_at = ?, closed_by = ?, close_reason = ?,
        submission_seq = ? WHERE id = ? AND status IN ('waiting', 'mismatch')`),
      auditForTps: p(
        'SELECT * FROM audit WHERE target = ? OR (target >= ? AND target < ?) ORDER BY id',
      ),
      auditForTarget: p('SELECT * FROM audit WHERE target = ? ORDER BY id'),
      assignments: p('SELECT * FROM review_assignments ORDER BY kecamatan'),
      setAssignment:
        p(`INSERT INTO review_assignments (kecamatan, supervisor, assigned_by, assigned_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (kecamatan) DO UPDATE SET supervisor = excluded.supervisor, assigned_by = excluded.assigned_by,
        assigned_at = excluded.assigned_at`),
      removeAssignment: p('DELETE FROM review_assignments WHERE kecamatan = ?'),
    }
  }

  // -- review assignments (migration 0090)
  assignments(): ReviewAssignmentRecord[] {
    return (this.s.assignments.all() as Row[]).map((r) => ({
      kecamatan: r.kecamatan as string,
      supervisor: r.supervisor as string,
      assignedBy: r.assigned_by as string,
      assignedAt: r.assigned_at as string,
    }))
  }

  setAssignment(kecamatan: string, supervisor: string | null, by: string, at: string): void {
    if (supervisor === null) this.s.removeAssignment.run(kecamatan)
    else this.s.setAssignment.run(kecamatan, supervisor, by, at)
  }

  recentSubmissions(limit: number): Row[] {
    return this.s.recentSubmissions.all(limit) as Row[]
  }

  /** actor id → time of their latest submission. */
  lastReportPerActor(): Map<string, string> {
    return new Map(
      (this.s.lastReportPerActor.all() as { actor: string; at: string }[]).map((r) => [
        r.actor,
        r.at,
      ]),
    )
  }

  activeReportersSince(iso: string): number {
    return (this.s.activeReportersSince.get(iso) as { n: number }).n
  }

  // -- chase calls
  insertCall(
    reporter: string,
    actor: string,
    at: string,
    outcome: ChaseCallRecord['outcome'],
    note: string,
    desa: string | null = null,
  ): number {
    return Number(this.s.insertCall.run(reporter, actor, at, outcome, note, desa).lastInsertRowid)
  }

  /** reporter id → their latest call and how many calls in all. */
  latestCalls(): Map<string, { call: ChaseCallRecord; count: number }> {
    return new Map(
      (this.s.latestCalls.all() as Row[]).map((r) => [
        r.reporter as string,
        { call: callFromRow(r), count: r.n as number },
      ]),
    )
  }

  callsFor(reporter: string, limit = 20): ChaseCallRecord[] {
    return (this.s.callsFor.all(reporter, limit) as Row[]).map(callFromRow)
  }

  // -- conflicts
  getConflict(id: number): ConflictFull | undefined {
    const r = this.s.getConflict.get(id) as Row | undefined
    return r ? conflictFromRow(r) : undefined
  }

  openConflicts(): ConflictFull[] {
    return (this.s.openConflicts.all() as Row[]).map(conflictFromRow)
  }

  resolvedConflicts(limit: number): ConflictFull[] {
    return (this.s.resolvedConflicts.all(limit) as Row[]).map(conflictFromRow)
  }

  conflictsForTps(tps: string): ConflictFull[] {
    return (this.s.conflictsForTps.all(tps) as Row[]).map(conflictFromRow)
  }

  flagged(): { tps: string; contest: string }[] {
    return this.s.flagged.all() as { tps: string; contest: string }[]
  }

  // -- decisions
  insertDecision(d: Omit<DecisionRecord, 'id'>): number {
    return Number(this.s.insertDecision.run(d).lastInsertRowid)
  }

  decisionsForTps(tps: string): DecisionRecord[] {
    return (this.s.decisionsForTps.all(tps) as Row[]).map(decisionFromRow)
  }

  decisionForConflict(id: number): DecisionRecord | undefined {
    const r = this.s.decisionForConflict.get(id) as Row | undefined
    return r ? decisionFromRow(r) : undefined
  }

  // -- double-entry drafts
  insertDraft(tps: string, contest: string, actor: string, payload: string, at: string): number {
    return Number(this.s.insertDraft.run(tps, contest, actor, payload, at).lastInsertRowid)
  }

  getDraft(id: number): DraftRecord | undefined {
    const r = this.s.getDraft.get(id) as Row | undefined
    return r ? draftFromRow(r) : undefined
  }

  openDrafts(): DraftRecord[] {
    return (this.s.openDrafts.all() as Row[]).map(draftFromRow)
  }

  countOpenDrafts(): number {
    return (this.s.countOpenDrafts.get() as { n: number }).n
  }

  draftsForTps(tps: string): DraftRecord[] {
    return (this.s.draftsForTps.all(tps) as Row[]).map(draftFromRow)
  }

  markDraftMismatch(id: number, fields: string[]): boolean {
    return this.s.draftMismatch.run(JSON.stringify(fields), id).changes > 0
  }

  closeDraft(
    id: number,
    status: 'saved' | 'cancelled',
    at: string,
    actor: string,
    reason: string | null,
    submissionSeq: number | null,
  ): boolean {
    return (
      this.s.closeDraft.run(
        status,
        status === 'saved' ? 1 : 0,
        at,
        actor,
        reason,
        submissionSeq,
        id,
      ).changes > 0
    )
  }

  // -- audit entries about one TPS (target "CODE" or "CODE/contest"), or about one exact target
  auditForTps(tps: string): AuditRow[] {
    return (this.s.auditForTps.all(tps, `${tps}/`, `${tps}0`) as Row[]).map(auditFromRow)
  }

  auditForTarget(target: string): AuditRow[] {
    return (this.s.auditForTarget.all(target) as Row[]).map(auditFromRow)
  }
}

export interface AuditRow {
  id: number
  at: string
  actor: string
  action: string
  target: string | null
  detail: unknown
}

function auditFromRow(r: Row): AuditRow {
  return {
    id: r.id as number,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as string,
    target: (r.target as string | null) ?? null,
    detail: r.detail ? (JSON.parse(r.detail as string) as unknown) : null,
  }
}
