// A sheet being typed is saved on every keystroke: a call, a dead battery or a reload does not
// make the reporter type it again. Cleared once the report is in the outbox.

import type { SheetText } from '../../shared/sheet-check'
import type { CorrectionBase } from './correction'

export interface Draft {
  input: SheetText
  reason: string
  /** The reporter confirmed the warnings match the paper form. */
  confirmed: boolean
  /** A correction: the numbers it started from (the desk's, or this phone's when the desk was out of reach). */
  base?: CorrectionBase
}

const key = (owner: string, tps: string, contest: string, correction: boolean) =>
  `lapor.draft.${owner}.${tps}.${contest}${correction ? '.koreksi' : ''}`

export function loadDraft(
  owner: string,
  tps: string,
  contest: string,
  correction: boolean,
): Draft | null {
  try {
    const raw = localStorage.getItem(key(owner, tps, contest, correction))
    return raw ? (JSON.parse(raw) as Draft) : null
  } catch {
    return null
  }
}

export function saveDraft(
  owner: string,
  tps: string,
  contest: string,
  correction: boolean,
  draft: Draft,
): void {
  try {
    localStorage.setItem(key(owner, tps, contest, correction), JSON.stringify(draft))
  } catch {
    // storage full: the form keeps it in memory
  }
}

export function clearDraft(owner: string, tps: string, contest: string, correction: boolean): void {
  localStorage.removeItem(key(owner, tps, contest, correction))
}
