// A correction starts from the numbers the desk holds (issue 16 item 5): the reporter changes only
// what is wrong, and sees every changed box, desk value beside the new one, before sending.

import type { StandingSheetDto } from '../../shared/api'
import { fieldLabel, sheetFromBody, type Candidate } from '../../shared/lapor-sheet'
import type { SheetText } from '../../shared/sheet-check'
import { call } from './api'

/** Where a correction's starting numbers came from. */
export interface CorrectionBase {
  input: SheetText
  /** desk: what the desk holds now; phone: what this phone sent (the desk could not be reached). */
  from: 'desk' | 'phone'
  receipt?: string
}

/** The desk's standing numbers for one TPS and contest, or null when it holds none or cannot be reached. */
export async function deskNumbers(
  tps: string,
  contest: string,
  candidates: Candidate[],
): Promise<CorrectionBase | null> {
  const r = await call<StandingSheetDto>('GET', `/intake/tps/${encodeURIComponent(tps)}/standing`, {
    timeoutMs: 10_000,
  })
  const standing = r.body.contests[contest]
  if (!standing) return null
  const body = {
    votes: standing.votes,
    invalid: standing.invalid,
    ...(standing.voters ? { voters: standing.voters } : {}),
  }
  return { input: sheetFromBody(body, candidates), from: 'desk', receipt: standing.receipt }
}

export interface SheetChange {
  field: string
  label: string
  was: string
  now: string
}

/** Every box whose number differs from the starting numbers, in the order of the paper form. */
export function sheetChanges(
  base: SheetText,
  input: SheetText,
  candidates: Candidate[],
): SheetChange[] {
  const pairs: [string, string, string][] = [
    ['voters.dpt', base.dpt, input.dpt],
    ['voters.dptb', base.dptb, input.dptb],
    ['voters.dpk', base.dpk, input.dpk],
    ['voters.total', base.votersTotal, input.votersTotal],
    ...candidates.map((c): [string, string, string] => [
      `votes.${c.number}`,
      base.votes[String(c.number)] ?? '',
      input.votes[String(c.number)] ?? '',
    ]),
    ['valid', base.valid, input.valid],
    ['invalid', base.invalid, input.invalid],
    ['total', base.total, input.total],
  ]
  const norm = (v: string) => (v.trim() === '' ? '' : String(Number(v.trim())))
  return pairs
    .filter(([, was, now]) => norm(was) !== norm(now))
    .map(([field, was, now]) => ({
      field,
      label: fieldLabel(field, candidates),
      was: norm(was),
      now: norm(now),
    }))
}
