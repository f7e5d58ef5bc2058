import { describe, expect, it } from 'vitest'
import type { ContestDto, ResultAnswer } from '../../src/shared/api'
import type { DraftDto } from '../../src/shared/console'
import {
  entryReducer,
  initialEntry,
  type EntryAction,
  type EntryState,
} from '../../src/renderer/src/console/entry-state'
import type { TpsEntry } from '../../src/renderer/src/console/tps-entry'

// The phone entry screen's steps as one reducer: what one call keeps and what the next call starts from.

const contest = (id: string, pairs: number): ContestDto =>
  ({
    id,
    name: id,
    candidates: Array.from({ length: pairs }, (_, i) => ({ number: i + 1, name: `P${i + 1}` })),
  }) as ContestDto
const BUPATI = contest('bupati', 2)
const GUBERNUR = contest('gubernur', 3)
const TPS = {
  code: '35.09.01.2001.001',
  desaName: 'Kencong',
  number: 1,
  dpt: 300,
  reported: {},
} as unknown as TpsEntry
const answer = { status: 'accepted', receipt: 'R-1' } as ResultAnswer

const run = (actions: EntryAction[], from: EntryState = initialEntry('bupati')) =>
  actions.reduce(entryReducer, from)

describe('phone entry state', () => {
  it('picking a TPS opens an empty sheet of the chosen contest', () => {
    const s = run([{ type: 'pickTps', tps: TPS, contest: GUBERNUR }])
    expect(s.tps).toBe(TPS)
    expect(s.contestId).toBe('gubernur')
    expect(Object.keys(s.values!.votes)).toEqual(['1', '2', '3'])
  })

  it('a form not ready shows its errors; a ready one goes to read-back with a fresh submission id', () => {
    const notReady = run([{ type: 'notReady', error: 'Perbaiki dulu' }])
    expect(notReady).toMatchObject({ showErrors: true, error: 'Perbaiki dulu', step: 'form' })
    const ready = run([{ type: 'readBack', submissionId: 'telepon-1' }], notReady)
    expect(ready).toMatchObject({
      showErrors: true,
      error: null,
      step: 'readback',
      submissionId: 'telepon-1',
    })
  })

  it('a refusal goes back to the form with the fields the desk named; saving again clears them', () => {
    const refused = run([
      { type: 'saving' },
      { type: 'refused', error: 'Ditolak', fields: { invalid: 'Harus angka' } },
    ])
    expect(refused).toMatchObject({
      step: 'form',
      error: 'Ditolak',
      serverFields: { invalid: 'Harus angka' },
    })
    expect(run([{ type: 'saving' }], refused)).toMatchObject({
      step: 'saving',
      error: null,
      serverFields: {},
    })
  })

  it('a blind re-keying that differs marks the fields; one that matches settles them', () => {
    const draft = { id: 7, contest: 'bupati', tps: { dpt: 300 } } as unknown as DraftDto
    const differed = run([
      { type: 'startVerify', draft, contest: BUPATI },
      { type: 'mismatch', error: 'Beda', fields: ['votes.1'] },
    ])
    expect([...differed.mismatch]).toEqual(['votes.1'])
    expect(differed).toMatchObject({ showErrors: true, step: 'form', verify: draft })
    const matched = run([{ type: 'saved', outcome: { kind: 'result', answer } }], differed)
    expect(matched.step).toBe('done')
    expect(matched.mismatch.size).toBe(0)
  })

  it('the next contest keeps the TPS and the caller, and starts an empty sheet', () => {
    const done = run([
      { type: 'pickTps', tps: TPS, contest: BUPATI },
      { type: 'caller', name: 'Bu Sari', phone: '0812' },
      { type: 'note', note: 'plano basah' },
      {
        type: 'values',
        values: {
          dpt: '1',
          dptb: '',
          dpk: '',
          votersTotal: '',
          votes: { '1': '5', '2': '6' },
          valid: '',
          invalid: '0',
          total: '',
        },
      },
      { type: 'readBack', submissionId: 'telepon-1' },
      { type: 'saved', outcome: { kind: 'result', answer } },
    ])
    const next = run([{ type: 'nextContest', contest: GUBERNUR }], done)
    expect(next).toMatchObject({
      tps: TPS,
      callerName: 'Bu Sari',
      callerPhone: '0812',
      note: '',
      contestId: 'gubernur',
      step: 'form',
      outcome: null,
      submissionId: null,
    })
    expect(Object.values(next.values!.votes)).toEqual(['', '', ''])
  })

  it('a new call forgets everything but the contest last chosen', () => {
    const s = run([
      { type: 'pickTps', tps: TPS, contest: GUBERNUR },
      { type: 'caller', name: 'Pak Budi' },
      { type: 'doubleEntry', on: true },
      { type: 'reset' },
    ])
    expect(s).toEqual(initialEntry('gubernur'))
  })
})
