import type { ResultSheet } from '../domain/result-sheet'
import type { Db } from './db'
import type { ConflictRecord, StoredResult } from './store'

/** A standing result as written: the sheet, its totals, its warnings and review state. */
export interface ResultWrite {
  tps: string
  contest: string
  /** The submission (log row) the figures come from. */
  seq: number
  sheet: ResultSheet
  totals: { valid: number; total: number }
  warnings: StoredResult['warnings']
  review: StoredResult['review']
  at: string
}

/**
 * The only statements that write `results` and `conflicts` (the derived state of the
 * submissions log). Used by the result ledger (`service/ledger.ts`) and nothing else, so every
 * change to a standing result or a held report goes through the one place that announces it;
 * `tests/store/ledger-writes.test.ts` fails if such SQL appears anywhere else in `src/`.
 * Statements prepared once; they run inside the single writer's transaction only.
 */
export class LedgerStore {
  private readonly s

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql)
    this.s = {
      nextConflictId: p('SELECT coalesce(max(id), 0) + 1 AS n FROM conflicts'),
      insertResult:
        p(`INSERT INTO results (tps, contest, submission_seq, votes, valid, invalid, total, voters_dpt, voters_dptb, voters_dpk, voters_total, warnings, review, accepted_at, updated_at)
        VALUES (@tps, @contest, @seq, @votes, @valid, @invalid, @total, @vDpt, @vDptb, @vDpk, @vTotal, @warnings, @review, @at, @at)`),
      updateResult:
        p(`UPDATE results SET submission_seq = @seq, votes = @votes, valid = @valid, invalid = @invalid,
        total = @total, voters_dpt = @vDpt, voters_dptb = @vDptb, voters_dpk = @vDpk, voters_total = @vTotal,
        warnings = @warnings, review = @review, updated_at = @at WHERE tps = @tps AND contest = @contest`),
      setReview: p('UPDATE results SET review = ?, updated_at = ? WHERE tps = ? AND contest = ?'),
      deleteResult: p('DELETE FROM results WHERE tps = ? AND contest = ?'),
      insertConflict:
        p(`INSERT INTO conflicts (id, tps, contest, kind, submission_seq, standing_seq, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      resolveConflict:
        p(`UPDATE conflicts SET status = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ?, reason = ?
        WHERE id = ? AND status = 'open'`),
      deleteConflict: p('DELETE FROM conflicts WHERE id = ?'),
      repointConflicts: p(
        "UPDATE conflicts SET standing_seq = ? WHERE tps = ? AND contest = ? AND status = 'open' AND standing_seq = ?",
      ),
    }
  }

  /** Only meaningful inside the single writer's transaction. */
  nextConflictId(): number {
    return (this.s.nextConflictId.get() as { n: number }).n
  }

  private static row(w: ResultWrite): Record<string, unknown> {
    const v = w.sheet.voters
    return {
      tps: w.tps,
      contest: w.contest,
      seq: w.seq,
      votes: JSON.stringify(w.sheet.votes),
      valid: w.totals.valid,
      invalid: w.sheet.invalid,
      total: w.totals.total,
      vDpt: v ? v.dpt : null,
      vDptb: v ? v.dptb : null,
      vDpk: v ? v.dpk : null,
      vTotal: v ? v.dpt + v.dptb + v.dpk : null,
      warnings: JSON.stringify(w.warnings),
      review: w.review,
      at: w.at,
    }
  }

  insertResult(w: ResultWrite): void {
    this.s.insertResult.run(LedgerStore.row(w))
  }

  /** False when the TPS has no standing result in that contest. */
  updateResult(w: ResultWrite): boolean {
    return this.s.updateResult.run(LedgerStore.row(w)).changes > 0
  }

  setReview(tps: string, contest: string, review: StoredResult['review'], at: string): boolean {
    return this.s.setReview.run(review, at, tps, contest).changes > 0
  }

  deleteResult(tps: string, contest: string): void {
    this.s.deleteResult.run(tps, contest)
  }

  insertConflict(
    id: number,
    tps: string,
    contest: string,
    kind: ConflictRecord['kind'],
    seq: number,
    standingSeq: number,
    at: string,
  ): void {
    this.s.insertConflict.run(id, tps, contest, kind, seq, standingSeq, at)
  }

  /** False when someone else resolved it first. */
  resolveConflict(
    id: number,
    at: string,
    actor: string,
    resolution: string,
    reason: string,
  ): boolean {
    return this.s.resolveConflict.run(at, actor, resolution, reason, id).changes > 0
  }

  deleteConflict(id: number): void {
    this.s.deleteConflict.run(id)
  }

  repointConflicts(tps: string, contest: string, fromSeq: number, toSeq: number): void {
    this.s.repointConflicts.run(toSeq, tps, contest, fromSeq)
  }
}
