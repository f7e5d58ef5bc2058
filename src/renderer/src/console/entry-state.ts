// The phone entry screen's state as one reducer: every step of a call (find the TPS, pick the
// contest, key the sheet, read back, save, the desk's answer) is one action, so a step changes
// all it touches at once and the rules of what is kept between calls live in one place.

import type { ContestDto, ResultAnswer } from '../../../shared/api'
import type { DraftDto, IssueDto } from '../../../shared/console'
import { emptySheet, type SheetValues } from './sheet'
import type { TpsEntry } from './tps-entry'

export type Step = 'form' | 'readback' | 'saving' | 'done'

export type Outcome =
  | { kind: 'result'; answer: ResultAnswer }
  | { kind: 'draft'; draft: DraftDto; warnings: IssueDto[] }

export interface EntryState {
  /** A held first keying being re-keyed blind by a second operator, or null. */
  verify: DraftDto | null
  step: Step
  tps: TpsEntry | null
  contestId: string
  callerName: string
  callerPhone: string
  note: string
  doubleEntry: boolean
  values: SheetValues | null
  showErrors: boolean
  /** One id per read-back: a retry after a network error replays safely instead of doubling. */
  submissionId: string | null
  outcome: Outcome | null
  error: string | null
  /** Fields the desk named in a refusal, with its words. */
  serverFields: Record<string, string>
  /** Fields where a blind re-keying differed from the first keying. */
  mismatch: Set<string>
  /** Opened from a refused SMS whose TPS could not be read: where the TPS search starts. */
  searchStart: string
}

export type EntryAction =
  /** A new call: everything goes but the contest last chosen. */
  | { type: 'reset' }
  /** A TPS picked; `values` when a refused SMS's numbers wait to be applied to it. */
  | { type: 'pickTps'; tps: TpsEntry; contest: ContestDto; values?: SheetValues }
  /**
   * Opened from the SMS screen: what could be read of a refused SMS. Without a TPS the search
   * starts at the reporter's own area (`searchStart`).
   */
  | {
      type: 'prefill'
      tps: TpsEntry | null
      contest: ContestDto
      values: SheetValues
      callerName: string
      callerPhone: string
      note: string
      searchStart: string
    }
  | { type: 'chooseContest'; contest: ContestDto }
  | { type: 'caller'; name?: string; phone?: string }
  | { type: 'note'; note: string }
  | { type: 'doubleEntry'; on: boolean }
  | { type: 'values'; values: SheetValues }
  /** The read-back was asked for but the form is not ready: errors show, with this line. */
  | { type: 'notReady'; error: string }
  | { type: 'readBack'; submissionId: string }
  | { type: 'back' }
  | { type: 'saving' }
  | { type: 'saved'; outcome: Outcome }
  | { type: 'refused'; error: string; fields: Record<string, string> }
  | { type: 'mismatch'; error: string; fields: string[] }
  /** The same TPS and caller, the next contest (if any). */
  | { type: 'nextContest'; contest: ContestDto | undefined }
  | { type: 'startVerify'; draft: DraftDto; contest: ContestDto | undefined }

export function initialEntry(contestId: string): EntryState {
  return {
    verify: null,
    step: 'form',
    tps: null,
    contestId,
    callerName: '',
    callerPhone: '',
    note: '',
    doubleEntry: false,
    values: null,
    showErrors: false,
    submissionId: null,
    outcome: null,
    error: null,
    serverFields: {},
    mismatch: new Set(),
    searchStart: '',
  }
}

export function entryReducer(state: EntryState, action: EntryAction): EntryState {
  switch (action.type) {
    case 'reset':
      return initialEntry(state.contestId)
    case 'pickTps':
      return {
        ...state,
        tps: action.tps,
        contestId: action.contest.id,
        values: action.values ?? emptySheet(action.contest),
      }
    case 'prefill':
      return {
        ...state,
        ...(action.tps
          ? { tps: action.tps, contestId: action.contest.id, values: action.values }
          : {}),
        searchStart: action.searchStart,
        callerName: action.callerName,
        callerPhone: action.callerPhone,
        note: action.note,
      }
    case 'chooseContest':
      return {
        ...state,
        contestId: action.contest.id,
        values: emptySheet(action.contest),
        showErrors: false,
      }
    case 'caller':
      return {
        ...state,
        callerName: action.name ?? state.callerName,
        callerPhone: action.phone ?? state.callerPhone,
      }
    case 'note':
      return { ...state, note: action.note }
    case 'doubleEntry':
      return { ...state, doubleEntry: action.on }
    case 'values':
      return { ...state, values: action.values }
    case 'notReady':
      return { ...state, showErrors: true, error: action.error }
    case 'readBack':
      return {
        ...state,
        showErrors: true,
        error: null,
        submissionId: action.submissionId,
        step: 'readback',
      }
    case 'back':
      return { ...state, step: 'form' }
    case 'saving':
      return { ...state, step: 'saving', error: null, serverFields: {} }
    case 'saved':
      // A verified re-keying matched: its earlier mismatch marks are settled.
      return {
        ...state,
        outcome: action.outcome,
        step: 'done',
        ...(state.verify ? { mismatch: new Set<string>() } : {}),
      }
    case 'refused':
      return { ...state, serverFields: action.fields, error: action.error, step: 'form' }
    case 'mismatch':
      return {
        ...state,
        mismatch: new Set(action.fields),
        error: action.error,
        showErrors: true,
        step: 'form',
      }
    case 'nextContest': {
      const fresh = initialEntry(state.contestId)
      if (!state.tps) return fresh
      return {
        ...fresh,
        tps: state.tps,
        callerName: state.callerName,
        callerPhone: state.callerPhone,
        ...(action.contest
          ? { contestId: action.contest.id, values: emptySheet(action.contest) }
          : {}),
      }
    }
    case 'startVerify':
      return {
        ...initialEntry(state.contestId),
        verify: action.draft,
        contestId: action.draft.contest,
        ...(action.contest ? { values: emptySheet(action.contest) } : {}),
      }
  }
}
