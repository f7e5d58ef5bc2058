// purge-simulated: one admin action that removes everything a simulator or demo run left in a desk
// (a run against a real desk with --allow-real leaves 280 accounts, thousands of results, postponed
// TPS). The threat is simulated figures in the board, /publik and the official-looking workbook.
//
// What stays, by design: `submissions`, `refusals` and `audit` are append-only (triggers abort
// UPDATE and DELETE): they are the evidence of what reached the desk, including the simulator's
// reports and this purge itself. Nothing shown or exported counts from them once the results,
// conflicts and accounts are gone. Frozen snapshots stay as they were frozen.

import { createHash } from 'node:crypto'
import { unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { checkResultSheet, type ResultSheet } from '../domain/result-sheet'
import type { PurgeAnswer, PurgePreviewDto } from '../shared/purge'
import { PurgeStore, type SimConflictRow, type SimResultRow } from '../store/purge-store'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'
import type { LedgerPurge } from './ledger'
import { DeskError } from './errors'
import type { Principal } from './principal'

export const PURGE_EVENT = 'simulation.purged'
const PHOTO_NAME = /^[0-9a-f]{64}\.(jpg|png|webp)$/

interface Plan {
  results: SimResultRow[]
  removeConflicts: SimConflictRow[]
  keptConflicts: SimConflictRow[]
  promotions: { tps: string; contest: string; conflict: SimConflictRow; fromSeq: number }[]
  deleteUsers: string[]
  revokeUsers: string[]
  tpsStatus: {
    tps: string
    from: string
    to: string
    reason: string | null
    mergedInto: string | null
  }[]
  incidents: { id: number; photo: string | null }[]
  photos: { id: number; file: string }[]
  verifications: string[]
}

export class PurgeService {
  private readonly store: PurgeStore

  private readonly desk: DeskService

  constructor(private readonly core: DeskCore) {
    this.desk = core.desk
    this.store = new PurgeStore(core.store.db)
  }

  private plan(): Plan {
    const results = this.store.simResults()
    const removed = new Map(results.map((r) => [`${r.tps}|${r.contest}`, r.seq]))
    const conflicts = this.store.simConflicts()
    // A real report held against a simulated result was the first real report for that TPS: it stands now.
    const promotions: Plan['promotions'] = []
    const promotedIds = new Set<number>()
    for (const c of conflicts) {
      const key = `${c.tps}|${c.contest}`
      const fromSeq = removed.get(key)
      if (c.status !== 'open' || c.submissionSimulated || fromSeq === undefined) continue
      if (promotions.some((p) => p.tps === c.tps && p.contest === c.contest)) continue
      promotions.push({ tps: c.tps, contest: c.contest, conflict: c, fromSeq })
      promotedIds.add(c.id)
    }
    const removeConflicts: SimConflictRow[] = []
    const keptConflicts: SimConflictRow[] = []
    for (const c of conflicts) {
      if (c.decisions > 0)
        keptConflicts.push(c) // decided: the append-only decision points at it
      else if (promotedIds.has(c.id))
        removeConflicts.push(c) // becomes the result
      else if (c.submissionSimulated) removeConflicts.push(c)
      // A real report is never dropped: a later one stays held, against the promoted report.
    }
    const withCalls = this.store.usersWithCalls()
    const users = this.store.simUsers()
    const tpsStatus: Plan['tpsStatus'] = []
    const firstSim = new Map<string, Record<string, unknown>>()
    const realAfter = new Set<string>()
    for (const a of this.store.statusAudit()) {
      if (a.detail.simulated === true) {
        if (!firstSim.has(a.tps)) firstSim.set(a.tps, a.detail)
      } else if (firstSim.has(a.tps)) realAfter.add(a.tps) // a person decided after the simulator: theirs stands
    }
    for (const [code, detail] of firstSim) {
      if (realAfter.has(code)) continue
      const previous = detail.previous as
        { status: string; reason: string | null; mergedInto: string | null } | undefined
      const tps = this.core.store.getTps(code)
      if (!previous || !tps || tps.status === previous.status) continue
      tpsStatus.push({
        tps: code,
        from: tps.status,
        to: previous.status,
        reason: previous.reason,
        mergedInto: previous.mergedInto,
      })
    }
    return {
      results,
      removeConflicts,
      keptConflicts,
      promotions,
      deleteUsers: users.filter((u) => !withCalls.has(u.id)).map((u) => u.id),
      revokeUsers: users.filter((u) => withCalls.has(u.id) && !u.revokedAt).map((u) => u.id),
      tpsStatus,
      incidents: this.store.simIncidents(),
      photos: this.store.simPhotos(),
      verifications: this.store.simVerifications(),
    }
  }

  private summary(plan: Plan): Omit<PurgePreviewDto, 'confirm'> {
    const s = {
      results: plan.results.length,
      conflicts: plan.removeConflicts.length,
      conflictsKept: plan.keptConflicts.length,
      promoted: plan.promotions.map((p) => ({ tps: p.tps, contest: p.contest })),
      accounts: plan.deleteUsers.length,
      accountsRevoked: plan.revokeUsers.length,
      tpsStatus: plan.tpsStatus.map((t) => ({ tps: t.tps, from: t.from, to: t.to })),
      incidents: plan.incidents.length,
      photos: plan.photos.length,
      verifications: plan.verifications.length,
    }
    const empty =
      s.results +
        s.conflicts +
        s.promoted.length +
        s.accounts +
        s.accountsRevoked +
        s.tpsStatus.length +
        s.incidents +
        s.photos +
        s.verifications ===
      0
    return { ...s, empty }
  }

  /** Everything the plan touches, hashed: a confirmation is for exactly what was shown. */
  private digest(plan: Plan): string {
    const ids = {
      r: plan.results.map((r) => r.seq),
      c: plan.removeConflicts.map((c) => c.id),
      p: plan.promotions.map((p) => p.conflict.id),
      u: plan.deleteUsers,
      v: plan.revokeUsers,
      t: plan.tpsStatus,
      i: plan.incidents.map((i) => i.id),
      f: plan.photos.map((p) => p.id),
      d: plan.verifications,
    }
    return createHash('sha256').update(JSON.stringify(ids)).digest('hex').slice(0, 16)
  }

  preview(): PurgePreviewDto {
    const plan = this.plan()
    return { ...this.summary(plan), confirm: this.digest(plan) }
  }

  /** Remove it all in one transaction of the writer, with one audit entry; refuses a stale confirmation. */
  async purge(actor: Principal, confirm: string): Promise<PurgeAnswer> {
    const done = await this.desk.write(() => {
      const plan = this.plan()
      if (confirm !== this.digest(plan)) {
        throw new DeskError(
          409,
          'purge_changed',
          'Data simulasi berubah sejak ringkasan ditampilkan. Lihat ringkasan yang baru lalu konfirmasi lagi.',
          {
            confirm: 'Tidak cocok dengan ringkasan terbaru',
          },
        )
      }
      const summary = this.summary(plan)
      if (summary.empty)
        throw new DeskError(409, 'purge_empty', 'Tidak ada data simulasi di desk ini.')
      const at = this.core.store.nowIso()
      // The results and held reports go through the ledger, which announces the purge.
      this.core.ledger.purgeSimulated({
        promotions: plan.promotions.flatMap((p) => this.promotion(p)),
        results: plan.results.filter(
          (r) => !plan.promotions.some((p) => p.tps === r.tps && p.contest === r.contest),
        ),
        conflicts: plan.removeConflicts.map((c) => c.id),
        announce: {
          at,
          results: summary.results,
          accounts: summary.accounts,
          tpsStatus: summary.tpsStatus.length,
        },
      })
      for (const i of plan.incidents) this.store.deleteIncident(i.id)
      for (const p of plan.photos) this.store.deletePhoto(p.id)
      for (const d of plan.verifications) this.store.deleteVerification(d)
      for (const id of plan.deleteUsers) this.store.deleteUser(id)
      for (const id of plan.revokeUsers) this.store.revokeUser(id, at)
      for (const t of plan.tpsStatus)
        this.store.restoreStatus(t.tps, t.to, t.reason, t.mergedInto, at)
      const files = [
        ...new Set([
          ...plan.photos.map((p) => p.file),
          ...plan.incidents.flatMap((i) => (i.photo ? [i.photo] : [])),
        ]),
      ].filter((f) => !this.store.photoStillUsed(f))
      this.core.store.audit(actor.id, PURGE_EVENT, null, {
        ...summary,
        promoted: summary.promoted.length,
        tpsStatus: summary.tpsStatus,
      })
      return { summary, files, at }
    })
    // Files after the commit: a rolled-back purge must not have taken a photo with it.
    if (this.desk.dataDir) {
      for (const f of done.files) {
        if (!PHOTO_NAME.test(f)) continue
        try {
          unlinkSync(join(this.desk.dataDir, 'photos', f))
        } catch {
          // already gone
        }
      }
    }
    return { ...done.summary, purgedAt: done.at }
  }

  /** The held real report that becomes the result, checked as on arrival (none if it cannot be). */
  private promotion(p: Plan['promotions'][number]): LedgerPurge['promotions'] {
    const body = JSON.parse(this.store.payload(p.conflict.submissionSeq)) as {
      votes: Record<string, number>
      invalid: number
      voters?: ResultSheet['voters']
    }
    const sheet: ResultSheet = {
      votes: body.votes,
      invalid: body.invalid,
      ...(body.voters ? { voters: body.voters } : {}),
    }
    const contest = this.desk.contest(p.contest)
    const tps = this.core.store.getTps(p.tps)
    if (!contest || !tps) return []
    const check = checkResultSheet(sheet, { candidates: contest.candidates, dpt: tps.dpt })
    // Later real reports held against the simulated result are then held against this one.
    return [
      {
        replacement: {
          tps: p.tps,
          contest: p.contest,
          seq: p.conflict.submissionSeq,
          sheet,
          check,
        },
        fromSeq: p.fromSeq,
      },
    ]
  }
}
