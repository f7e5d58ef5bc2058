// The result ledger: the one owner of every write to `results` (the standing result per TPS and
// contest) and `conflicts` (reports held for a supervisor). Each operation writes and appends the
// event that announces it in the same call, inside the single writer's transaction — so the rule
// "every change to a standing result is announced" (the recap, boards and consoles re-read on
// those events) is kept by construction, not by a comment. Nothing else in src/ writes these two
// tables (tests/store/ledger-writes.test.ts); tests/service/ledger.test.ts checks each operation
// emits exactly its events.
//
// Operations and their events:
//   accept          → result.accepted
//   hold            → result.conflict
//   resolveConflict → [result.updated when the standing result changes] conflict.resolved
//   reviewResult    → [result.updated for a correction] result.reviewed
//   purgeSimulated  → simulation.purged
//
// Each operation refuses to run outside a transaction (`outsideWriter`): a write made outside the
// writer would be committed on its own, and its event never published.
//
// The ledger decides nothing: the callers (the write path, the console's decisions, the purge)
// check permissions, idempotency and sheets first; it keeps the write and its event together.

import type { ResultSheet, SheetCheck } from '../domain/result-sheet'
import type { DeskEventPayloads } from '../shared/events'
import { LedgerStore, type ResultWrite } from '../store/ledger-store'
import type { ConflictRecord, DeskStore } from '../store/store'
import { DeskError } from './errors'

/** A sheet that becomes (or replaces) the standing result, logged as submission `seq`. */
export interface LedgerSheet {
  tps: string
  contest: string
  seq: number
  sheet: ResultSheet
  check: Pick<SheetCheck, 'valid' | 'total' | 'warnings'>
  channel: string
}

/** What a purge of simulated data removes from the two tables, and its announcement. */
export interface LedgerPurge {
  /** Simulated results to delete (not those a promotion replaces). */
  results: { tps: string; contest: string }[]
  conflicts: number[]
  /** A real report held against a simulated result becomes the result (the first real one). */
  promotions: { replacement: Omit<LedgerSheet, 'channel'>; fromSeq: number }[]
  announce: DeskEventPayloads['simulation.purged']
}

function figures(s: LedgerSheet) {
  return {
    tps: s.tps,
    contest: s.contest,
    votes: s.sheet.votes,
    valid: s.check.valid,
    invalid: s.sheet.invalid,
    total: s.check.total,
    warnings: s.check.warnings.map((w) => w.code),
    channel: s.channel,
  }
}

/**
 * The standing-result row for a sheet. A sheet with warnings is `flagged` for review — or
 * `confirmed` when it comes from a supervisor's decision, made having seen them.
 */
function resultRow(
  s: Omit<LedgerSheet, 'channel'>,
  at: string,
  warned: 'flagged' | 'confirmed',
): ResultWrite {
  const warnings = s.check.warnings
  return {
    tps: s.tps,
    contest: s.contest,
    seq: s.seq,
    sheet: s.sheet,
    totals: s.check,
    warnings,
    review: warnings.length > 0 ? warned : 'none',
    at,
  }
}

/**
 * A ledger operation called outside the writer's transaction (a programming error, never a user's):
 * refused before anything is written.
 */
export class OutsideWriterError extends Error {
  constructor(operation: string) {
    super(`ResultLedger.${operation} must run inside desk.write() (a job of the single writer)`)
    this.name = 'OutsideWriterError'
  }
}

export class ResultLedger {
  private readonly s: LedgerStore

  constructor(private readonly store: DeskStore) {
    this.s = new LedgerStore(store.db)
  }

  /** Only inside the single writer's transaction: its events are published after that commit. */
  private insideWriter(operation: string): void {
    // Not only "a transaction is open": a transaction of its own would commit the write at once and
    // its event would never be published.
    if (!this.store.inWriterJob || !this.store.db.inTransaction)
      throw new OutsideWriterError(operation)
  }

  /** The id the next held report gets (its answer names it before it is held); writer only. */
  nextConflictId(): number {
    this.insideWriter('nextConflictId')
    return this.s.nextConflictId()
  }

  /** The first report of a TPS in a contest becomes its standing result; flagged when it warns. */
  accept(input: LedgerSheet & { receipt: string }): void {
    this.insideWriter('accept')
    this.s.insertResult(resultRow(input, this.store.nowIso(), 'flagged'))
    this.store.appendEvent('result.accepted', { ...figures(input), receipt: input.receipt })
  }

  /** A different report (or a correction) for a TPS with a standing result: held, never applied. */
  hold(input: {
    id: number
    tps: string
    contest: string
    kind: ConflictRecord['kind']
    seq: number
    standingSeq: number
    channel: string
  }): void {
    this.insideWriter('hold')
    this.s.insertConflict(
      input.id,
      input.tps,
      input.contest,
      input.kind,
      input.seq,
      input.standingSeq,
      this.store.nowIso(),
    )
    this.store.appendEvent('result.conflict', {
      tps: input.tps,
      contest: input.contest,
      conflictId: input.id,
      kind: input.kind,
      channel: input.channel,
    })
  }

  /**
   * A supervisor's decision on a held report: the conflict is closed, and when the decision keeps
   * another sheet (`replacement`), that sheet becomes the standing result. Throws when the conflict
   * was already closed (callers check first, inside the same writer job).
   */
  resolveConflict(input: {
    conflict: { id: number; tps: string; contest: string }
    keep: DeskEventPayloads['conflict.resolved']['keep']
    actor: string
    reason: string
    decisionId: number
    replacement: LedgerSheet | null
    /** The decision's time (its row in review_decisions carries the same). */
    at: string
  }): void {
    this.insideWriter('resolveConflict')
    const { conflict: c, at } = input
    if (!this.s.resolveConflict(c.id, at, input.actor, input.keep, input.reason))
      throw new DeskError(409, 'already_resolved', `Konflik #${c.id} sudah diputuskan`)
    if (input.replacement) this.replace(input.replacement, input.decisionId, at)
    this.store.appendEvent('conflict.resolved', {
      conflictId: c.id,
      tps: c.tps,
      contest: c.contest,
      keep: input.keep,
      decisionId: input.decisionId,
      changed: input.replacement !== null,
    })
  }

  /** A supervisor confirms a flagged result as it stands, or replaces it with a corrected sheet. */
  reviewResult(
    input: { tps: string; contest: string; decisionId: number; at: string } & (
      { action: 'confirm' } | { action: 'correct'; replacement: LedgerSheet }
    ),
  ): void {
    this.insideWriter('reviewResult')
    const at = input.at
    if (input.action === 'correct') this.replace(input.replacement, input.decisionId, at)
    else this.s.setReview(input.tps, input.contest, 'confirmed', at)
    this.store.appendEvent('result.reviewed', {
      tps: input.tps,
      contest: input.contest,
      action: input.action,
      decisionId: input.decisionId,
    })
  }

  /**
   * Remove what the simulator left in the two tables, in the purge's writer job: promoted real
   * reports become the result (and later real reports held against the simulated one are held
   * against them), simulated results and held reports go. One `simulation.purged` announces it
   * all (with the counts of the rest of the purge): subscribers re-read rather than patch.
   */
  purgeSimulated(input: LedgerPurge): void {
    this.insideWriter('purgeSimulated')
    const at = this.store.nowIso()
    for (const p of input.promotions) {
      const r = p.replacement
      this.s.deleteResult(r.tps, r.contest)
      this.s.insertResult(resultRow(r, at, 'flagged'))
      this.s.repointConflicts(r.tps, r.contest, p.fromSeq, r.seq)
    }
    for (const r of input.results) this.s.deleteResult(r.tps, r.contest)
    for (const id of input.conflicts) this.s.deleteConflict(id)
    this.store.appendEvent('simulation.purged', input.announce)
  }

  /** `sheet` (logged as `seq`) replaces the standing result, announced as result.updated. */
  private replace(r: LedgerSheet, decisionId: number, at: string): void {
    // A supervisor decided with a written reason, having seen the warnings: they are confirmed.
    this.s.updateResult(resultRow(r, at, 'confirmed'))
    this.store.appendEvent('result.updated', { ...figures(r), decisionId })
  }
}
