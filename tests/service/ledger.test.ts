import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkResultSheet, type ResultSheet } from '../../src/domain/result-sheet'
import { OutsideWriterError, type LedgerSheet } from '../../src/service/ledger'
import type { DeskEvent } from '../../src/shared/events'
import { canonicalJson, sha256 } from '../../src/store/store'
import { DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// The result ledger is the one owner of `results` and `conflicts`: each operation writes and
// appends exactly its events in the same writer job, published after the commit.

const TPS = `${DESA_A}.001`
const TPS2 = `${DESA_A}.002`
const CONTEST = 'bupati'

let desk: TestDesk

beforeAll(async () => {
  desk = await startDesk()
  expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
})
afterAll(async () => {
  await desk.stop()
})

const sheet = (a: number, b: number): ResultSheet => ({ votes: { '1': a, '2': b }, invalid: 2 })

/** A row in the submissions log (the ledger's rows point at one), as the write path appends it. */
function logged(tps: string, s: ResultSheet): number {
  const store = desk.store
  const seq = store.nextSubmissionSeq()
  const payload = canonicalJson({ submissionId: `ledger-${seq}`, tps, contest: CONTEST, ...s })
  store.appendSubmission({
    seq,
    submissionId: `ledger-${seq}`,
    actor: 'admin',
    channel: 'test',
    receivedAt: store.nowIso(),
    address: '127.0.0.1',
    tps,
    contest: CONTEST,
    payload,
    hash: sha256(payload),
    outcome: 'accepted',
    answer: '{}',
  })
  return seq
}

/** `s` logged against `tps` and held as an open conflict against `standingSeq` (in a writer job). */
function held(tps: string, s: ResultSheet, standingSeq: number): { id: number; seq: number } {
  const seq = logged(tps, s)
  const id = desk.ledger.nextConflictId()
  desk.ledger.hold({
    id,
    tps,
    contest: CONTEST,
    kind: 'conflict',
    seq,
    standingSeq,
    channel: 'test',
  })
  return { id, seq }
}

function entry(tps: string, s: ResultSheet, seq: number, dpt = 300): LedgerSheet {
  const candidates = desk.service.contest(CONTEST)!.candidates
  return {
    tps,
    contest: CONTEST,
    seq,
    sheet: s,
    check: checkResultSheet(s, { candidates, dpt }),
    channel: 'test',
  }
}

/** Run `fn` as one writer job; the events it appended (in order) and those published after commit. */
async function job(fn: () => void): Promise<{ appended: DeskEvent[]; published: DeskEvent[] }> {
  const published: DeskEvent[] = []
  const off = desk.service.bus.subscribe((e) => published.push(e))
  try {
    const appended = await desk.service.write(() => {
      fn()
      return [...desk.store.pendingEvents]
    })
    return { appended, published }
  } finally {
    off()
  }
}

const types = (events: DeskEvent[]) => events.map((e) => e.type)
const result = (tps = TPS) => desk.store.getResult(tps, CONTEST)
const conflict = (id: number) =>
  desk.store.db.prepare('SELECT * FROM conflicts WHERE id = ?').get(id) as
    { status: string; standing_seq: number; resolution: string | null } | undefined

describe('result ledger', () => {
  it('accept: inserts the standing result and announces result.accepted with its figures', async () => {
    const { appended, published } = await job(() => {
      const seq = logged(TPS, sheet(100, 80))
      desk.ledger.accept({ ...entry(TPS, sheet(100, 80), seq), receipt: 'R-1' })
    })
    expect(types(appended)).toEqual(['result.accepted'])
    expect(published.map((e) => e.id)).toEqual(appended.map((e) => e.id))
    expect(appended[0]!.data).toMatchObject({
      tps: TPS,
      contest: CONTEST,
      votes: { '1': 100, '2': 80 },
      valid: 180,
      invalid: 2,
      total: 182,
      receipt: 'R-1',
      channel: 'test',
    })
    expect(result()).toMatchObject({ valid: 180, review: 'none' })
    // The recap follows the event: the TPS counts as reported.
    expect(desk.service.reportedSet(CONTEST).has(TPS)).toBe(true)
  })

  it('hold: keeps a different report as an open conflict, the standing result untouched', async () => {
    const before = result()!
    let id = 0
    const { appended } = await job(() => {
      id = held(TPS, sheet(90, 80), before.submissionSeq).id
    })
    expect(types(appended)).toEqual(['result.conflict'])
    expect(appended[0]!.data).toMatchObject({ conflictId: id, kind: 'conflict', tps: TPS })
    expect(conflict(id)).toMatchObject({ status: 'open', standing_seq: before.submissionSeq })
    expect(result()).toEqual(before)
  })

  it('resolveConflict: keeping the standing result only closes it; keeping another sheet replaces it first', async () => {
    const standing = result()!
    let first = { id: 0, seq: 0 }
    let second = { id: 0, seq: 0 }
    await job(() => {
      first = held(TPS, sheet(95, 80), standing.submissionSeq)
      second = held(TPS, sheet(96, 80), standing.submissionSeq)
    })
    const at = desk.store.nowIso()
    const kept = await job(() =>
      desk.ledger.resolveConflict({
        conflict: { id: first.id, tps: TPS, contest: CONTEST },
        keep: 'standing',
        actor: 'admin',
        reason: 'lembar asli dicek',
        decisionId: 1,
        at,
        replacement: null,
      }),
    )
    expect(types(kept.appended)).toEqual(['conflict.resolved'])
    expect(kept.appended[0]!.data).toMatchObject({ conflictId: first.id, changed: false })
    expect(conflict(first.id)).toMatchObject({ status: 'resolved', resolution: 'standing' })
    expect(result()!.submissionSeq).toBe(standing.submissionSeq)

    const replaced = await job(() =>
      desk.ledger.resolveConflict({
        conflict: { id: second.id, tps: TPS, contest: CONTEST },
        keep: 'new',
        actor: 'admin',
        reason: 'laporan baru benar',
        decisionId: 2,
        at,
        replacement: entry(TPS, sheet(96, 80), second.seq),
      }),
    )
    expect(types(replaced.appended)).toEqual(['result.updated', 'conflict.resolved'])
    expect(replaced.appended[0]!.data).toMatchObject({ votes: { '1': 96, '2': 80 }, decisionId: 2 })
    expect(result()).toMatchObject({ submissionSeq: second.seq, valid: 176 })
    expect(
      desk.service.recap(CONTEST, 'tps', DESA_A).rows.find((r) => r.code === TPS),
    ).toMatchObject({
      valid: 176,
    })

    // A conflict already decided: refused, and the whole job (events included) rolls back.
    const last = desk.store.lastEventId()
    await expect(
      job(() =>
        desk.ledger.resolveConflict({
          conflict: { id: second.id, tps: TPS, contest: CONTEST },
          keep: 'standing',
          actor: 'admin',
          reason: 'lagi',
          decisionId: 3,
          at,
          replacement: null,
        }),
      ),
    ).rejects.toThrow(/sudah diputuskan/)
    expect(desk.store.lastEventId()).toBe(last)
    expect(conflict(second.id)).toMatchObject({ resolution: 'new' })
  })

  it('reviewResult: a confirmation marks the flag confirmed; a correction replaces, then announces the review', async () => {
    // 40 invalid ballots of 337: above the 10 % warning line, so the result is flagged.
    await job(() => {
      const s = { ...sheet(200, 97), invalid: 40 }
      const seq = logged(TPS2, s)
      desk.ledger.accept({ ...entry(TPS2, s, seq), receipt: 'R-2' })
    })
    expect(result(TPS2)!.review).toBe('flagged')
    const at = desk.store.nowIso()
    const confirmed = await job(() =>
      desk.ledger.reviewResult({
        tps: TPS2,
        contest: CONTEST,
        decisionId: 4,
        at,
        action: 'confirm',
      }),
    )
    expect(types(confirmed.appended)).toEqual(['result.reviewed'])
    expect(confirmed.appended[0]!.data).toEqual({
      tps: TPS2,
      contest: CONTEST,
      action: 'confirm',
      decisionId: 4,
    })
    expect(result(TPS2)).toMatchObject({ review: 'confirmed', valid: 297 })

    const corrected = await job(() => {
      const s = sheet(150, 50)
      const seq = logged(TPS2, s)
      desk.ledger.reviewResult({
        tps: TPS2,
        contest: CONTEST,
        decisionId: 5,
        at,
        action: 'correct',
        replacement: entry(TPS2, s, seq),
      })
    })
    expect(types(corrected.appended)).toEqual(['result.updated', 'result.reviewed'])
    expect(result(TPS2)).toMatchObject({ review: 'none', valid: 200 })
  })

  it('purgeSimulated: removes and promotes as told, announced once as simulation.purged', async () => {
    const standing = result(TPS2)!
    let promotedSeq = 0
    let heldId = 0
    let laterId = 0
    await job(() => {
      // Two held reports against TPS2's result: one becomes the result, the later one stays held.
      for (const s of [sheet(140, 60), sheet(141, 60)]) {
        const { id, seq } = held(TPS2, s, standing.submissionSeq)
        if (!promotedSeq) [promotedSeq, heldId] = [seq, id]
        else laterId = id
      }
    })
    const announce = { at: desk.store.nowIso(), results: 2, accounts: 0, tpsStatus: 0 }
    const { appended } = await job(() =>
      desk.ledger.purgeSimulated({
        results: [{ tps: TPS, contest: CONTEST }],
        conflicts: [heldId],
        promotions: [
          {
            replacement: entry(TPS2, sheet(140, 60), promotedSeq),
            fromSeq: standing.submissionSeq,
          },
        ],
        announce,
      }),
    )
    expect(types(appended)).toEqual(['simulation.purged'])
    expect(appended[0]!.data).toEqual(announce)
    expect(result(TPS)).toBeUndefined()
    expect(result(TPS2)).toMatchObject({ submissionSeq: promotedSeq, valid: 200 })
    expect(conflict(heldId)).toBeUndefined()
    expect(conflict(laterId)).toMatchObject({ status: 'open', standing_seq: promotedSeq })
    // The recap rebuilt from the purge's event: TPS left it, TPS2 carries the promoted figures.
    const rows = desk.service.recap(CONTEST, 'tps', DESA_A).rows
    expect(rows.find((r) => r.code === TPS)?.tpsReported).toBe(0)
    expect(rows.find((r) => r.code === TPS2)?.valid).toBe(200)
  })

  it('refuses every operation outside the writer: nothing written, no event appended', async () => {
    const TPS3 = `${DESA_A}.003`
    // A row in the log for it to point at, written the proper way.
    const seq = await desk.service.write(() => logged(TPS3, sheet(100, 80)))
    const lastEvent = desk.store.lastEventId()
    const count = (table: string) =>
      (desk.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    const before = { results: count('results'), conflicts: count('conflicts') }
    const at = desk.store.nowIso()
    const calls: [string, () => unknown][] = [
      ['nextConflictId', () => desk.ledger.nextConflictId()],
      ['accept', () => desk.ledger.accept({ ...entry(TPS3, sheet(100, 80), seq), receipt: 'R-3' })],
      [
        'hold',
        () =>
          desk.ledger.hold({
            id: 999,
            tps: TPS3,
            contest: CONTEST,
            kind: 'conflict',
            seq,
            standingSeq: seq,
            channel: 'test',
          }),
      ],
      [
        'resolveConflict',
        () =>
          desk.ledger.resolveConflict({
            conflict: { id: 999, tps: TPS3, contest: CONTEST },
            keep: 'standing',
            actor: 'admin',
            reason: 'di luar writer',
            decisionId: 9,
            at,
            replacement: null,
          }),
      ],
      [
        'reviewResult',
        () =>
          desk.ledger.reviewResult({
            tps: TPS2,
            contest: CONTEST,
            decisionId: 9,
            at,
            action: 'confirm',
          }),
      ],
      [
        'purgeSimulated',
        () =>
          desk.ledger.purgeSimulated({
            results: [{ tps: TPS2, contest: CONTEST }],
            conflicts: [],
            promotions: [],
            announce: { at, results: 1, accounts: 0, tpsStatus: 0 },
          }),
      ],
    ]
    for (const [name, call] of calls) {
      expect(desk.store.db.inTransaction, name).toBe(false)
      expect(call, name).toThrow(OutsideWriterError)
      expect(call, name).toThrow(`ResultLedger.${name} must run inside desk.write()`)
      // A transaction of its own is not the writer's either: it would commit at once and its
      // event would never be published.
      expect(() => desk.store.db.transaction(call)(), name).toThrow(OutsideWriterError)
    }
    expect({ results: count('results'), conflicts: count('conflicts') }).toEqual(before)
    expect(result(TPS3)).toBeUndefined()
    expect(result(TPS2)).toMatchObject({ valid: 200 })
    expect(desk.store.lastEventId()).toBe(lastEvent)
    expect(desk.store.pendingEvents).toEqual([])

    // The same call inside the writer goes through.
    const { appended } = await job(() =>
      desk.ledger.accept({ ...entry(TPS3, sheet(100, 80), seq), receipt: 'R-3' }),
    )
    expect(types(appended)).toEqual(['result.accepted'])
    expect(result(TPS3)).toMatchObject({ valid: 180 })
  })
})
