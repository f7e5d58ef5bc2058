// Form C.Hasil's rules, written once: the desk checks a sheet with them when it arrives
// (`checkSheetFigures`, worded for the API by src/domain/result-sheet.ts) and the phone form
// (/lapor) and the console's phone entry check the sheet while it is typed (`checkSheet`), so what
// the desk would refuse or flag shows while the paper, or the caller, is still at hand. The UI may
// import only src/shared, so the rules live here. On top of the desk's rules, the totals typed as
// written on the form (valid, valid + invalid, voters' total) are compared with the sums: that is
// how a misread digit shows up. Pure, without messages (each screen words them): the light /lapor
// bundle carries it.

/** No TPS can hold more ballots than this (the desk refuses more). */
export const TPS_CAPACITY = 1000
/** KPU sizes a Pilkada TPS for at most about 600 voters. */
export const TPS_TYPICAL_MAX = 600
export const INVALID_SHARE_WARN = 0.1
export const LOW_TURNOUT_WARN = 0.25
export const UNANIMOUS_MIN_VOTES = 50

/** What was typed, box by box, as text ('' = not filled in). */
export interface SheetText {
  dpt: string
  dptb: string
  dpk: string
  votersTotal: string
  votes: Record<string, string>
  valid: string
  invalid: string
  total: string
}

/**
 * Which boxes must be filled before the sheet can go (the rules themselves are the same):
 * - `paper`: a reporter copies form C.Hasil in hand, so every box, the totals included;
 * - `call`: a caller reads out what they have, so the pairs' votes and the invalid votes; the
 *   voters section may stay empty (as at the desk), and the totals read out are checked when given.
 */
export type SheetMode = 'paper' | 'call'

/** Field names as the desk uses them in its answers (`voters.dpt`, `votes.2`, …). */
export type SheetField =
  | 'voters.dpt'
  | 'voters.dptb'
  | 'voters.dpk'
  | 'voters.total'
  | `votes.${string}`
  | 'valid'
  | 'invalid'
  | 'total'

export type SheetErrorCode =
  /** Not a whole number 0 … 9,999,999. */
  | 'not_count'
  /** Voters' total as typed ≠ DPT + DPTb + DPK. */
  | 'voters_sum'
  /** Valid votes as typed ≠ the pairs' votes added up (form only: the desk gets no such box). */
  | 'valid_sum'
  /** Valid + invalid as typed ≠ the valid figure + invalid (form only). */
  | 'total_sum'
  /** More voters, or ballots, than one TPS holds. */
  | 'over_capacity'

export type SheetWarningCode =
  | 'total_mismatch'
  | 'turnout_over_dpt'
  | 'over_typical_size'
  | 'zero_total'
  | 'invalid_high'
  | 'turnout_low'
  | 'unanimous'

export interface SheetIssue<C extends string = SheetErrorCode | SheetWarningCode> {
  field: SheetField
  code: C
  /** The figure the issue is about: a typed total, a sum, a count. */
  n?: number
  /** What `n` was compared with: the sum it should equal, the TPS's DPT, a limit. */
  ref?: number
  /** The figures `ref` adds up, in form order (for a message that shows the sum). */
  parts?: number[]
  /** For an issue in `follows`: the broken line it follows from. */
  cause?: SheetField
}

/** The sheet as the desk takes it (`votes`, `invalid`, `voters` of POST /results). */
export interface CheckedSheet {
  votes: Record<string, number>
  invalid: number
  /** Voters who used their right; `total` as written on the form, when given it must equal dpt + dptb + dpk. */
  voters?: { dpt: number; dptb: number; dpk: number; total?: number }
}

export interface SheetCheck {
  /** Hard errors, in form order: the sheet cannot go. */
  errors: SheetIssue<SheetErrorCode>[]
  /**
   * Lines that disagree only because a line they are built on is broken (`cause`): one typo is
   * one error, and the total after it is shown as following from it, not as a second error.
   */
  follows: SheetIssue<SheetErrorCode>[]
  /** Doubtful but possible (the desk stores it and flags it for review). */
  warnings: SheetIssue<SheetWarningCode>[]
  /** Boxes that must be filled and are still empty, in form order. */
  missing: SheetField[]
  /** What to send, once nothing is missing or wrong. */
  sheet: CheckedSheet | null
  /** The pairs' votes added up (as far as typed). */
  valid: number
  /** valid + invalid (as far as typed). */
  total: number
  /** DPT + DPTb + DPK once all three are typed. */
  votersSum: number | null
}

/** Every box of the form in the paper's order (to find the first one at fault). */
export function sheetFieldOrder(candidates: readonly { number: number }[]): SheetField[] {
  return [
    'voters.dpt',
    'voters.dptb',
    'voters.dpk',
    'voters.total',
    ...candidates.map((c) => `votes.${c.number}` as const),
    'valid',
    'invalid',
    'total',
  ]
}

/** The first box, in form order, that is wrong or still empty: where the cursor goes. */
export function firstFault(
  check: Pick<SheetCheck, 'errors' | 'missing'>,
  candidates: readonly { number: number }[],
): SheetField | null {
  const bad = new Set<string>([...check.errors.map((e) => e.field), ...check.missing])
  return sheetFieldOrder(candidates).find((f) => bad.has(f)) ?? null
}

export function emptySheetText(candidates: readonly { number: number }[]): SheetText {
  return {
    dpt: '',
    dptb: '',
    dpk: '',
    votersTotal: '',
    votes: Object.fromEntries(candidates.map((c) => [String(c.number), ''])),
    valid: '',
    invalid: '',
    total: '',
  }
}

/** The boxes the desk also sees; the typed valid and total exist only on the form. */
const deskField = (f: SheetField) => f !== 'valid' && f !== 'total'

/** Voters' section once DPT, DPTb and DPK are known: the typed total must be their sum, and no TPS holds more. */
function votersErrors(
  dpt: number,
  dptb: number,
  dpk: number,
  typed: number | null,
): SheetIssue<'voters_sum' | 'over_capacity'>[] {
  const sum = dpt + dptb + dpk
  const out: SheetIssue<'voters_sum' | 'over_capacity'>[] = []
  if (typed !== null && typed !== sum)
    out.push({
      field: 'voters.total',
      code: 'voters_sum',
      n: typed,
      ref: sum,
      parts: [dpt, dptb, dpk],
    })
  if (sum > TPS_CAPACITY)
    out.push({ field: 'voters.total', code: 'over_capacity', n: sum, ref: TPS_CAPACITY })
  return out
}

/** The soft checks of a sheet without errors, in the desk's order: possible, but worth a second look. */
function sheetWarnings(
  f: {
    votes: Record<string, number>
    valid: number
    invalid: number
    total: number
    voters: { dpt: number } | undefined
    votersSum: number | null
  },
  ctx: { candidates: readonly { number: number }[]; dpt: number },
): SheetIssue<SheetWarningCode>[] {
  const warnings: SheetIssue<SheetWarningCode>[] = []
  const { total, valid, invalid } = f
  if (f.votersSum !== null && total !== f.votersSum)
    warnings.push({ field: 'voters.total', code: 'total_mismatch', n: total, ref: f.votersSum })
  const fromDpt = f.voters ? f.voters.dpt : total
  if (fromDpt > ctx.dpt)
    warnings.push({
      field: f.voters ? 'voters.dpt' : 'invalid',
      code: 'turnout_over_dpt',
      n: fromDpt,
      ref: ctx.dpt,
    })
  if (total > TPS_TYPICAL_MAX)
    warnings.push({ field: 'invalid', code: 'over_typical_size', n: total, ref: TPS_TYPICAL_MAX })
  if (total === 0) warnings.push({ field: 'invalid', code: 'zero_total' })
  else {
    if (invalid > total * INVALID_SHARE_WARN)
      warnings.push({ field: 'invalid', code: 'invalid_high', n: invalid, ref: total })
    if (ctx.dpt > 0 && total < ctx.dpt * LOW_TURNOUT_WARN)
      warnings.push({ field: 'invalid', code: 'turnout_low', n: total, ref: ctx.dpt })
    const all = ctx.candidates.filter((c) => f.votes[String(c.number)] === valid)
    if (valid >= UNANIMOUS_MIN_VOTES && ctx.candidates.length > 1 && all.length === 1) {
      warnings.push({ field: `votes.${all[0]!.number}`, code: 'unanimous', n: valid })
    }
  }
  return warnings
}

/**
 * The desk's hard errors: the form's typed sums it never gets (`valid_sum`, `total_sum`), and what
 * only it meets: a pair's votes missing from a sheet, a pair the contest does not have.
 */
export type DeskSheetErrorCode =
  Exclude<SheetErrorCode, 'valid_sum' | 'total_sum'> | 'required' | 'unknown_candidate'

export interface FiguresCheck {
  errors: SheetIssue<DeskSheetErrorCode>[]
  warnings: SheetIssue<SheetWarningCode>[]
  valid: number
  /** valid + invalid */
  total: number
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0

/**
 * The desk's check of a sheet that arrived (`votes`, `invalid`, `voters` of POST /results, an
 * SMS, a console entry): hard errors refuse it, warnings flag it for review. Ballots over a TPS's
 * capacity are named on `invalid` (the desk's answers have no total box), and only once nothing
 * else is wrong.
 */
export function checkSheetFigures(
  sheet: CheckedSheet,
  ctx: { candidates: readonly { number: number }[]; dpt: number },
): FiguresCheck {
  const errors: SheetIssue<DeskSheetErrorCode>[] = []
  const known = new Set(ctx.candidates.map((c) => String(c.number)))
  let valid = 0
  for (const c of ctx.candidates) {
    const key = String(c.number)
    const v: unknown = sheet.votes[key]
    if (v === undefined || v === null) errors.push({ field: `votes.${key}`, code: 'required' })
    else if (!isCount(v)) errors.push({ field: `votes.${key}`, code: 'not_count' })
    else valid += v
  }
  for (const key of Object.keys(sheet.votes))
    if (!known.has(key)) errors.push({ field: `votes.${key}`, code: 'unknown_candidate' })
  if (!isCount(sheet.invalid)) errors.push({ field: 'invalid', code: 'not_count' })

  const voters = sheet.voters
  let votersSum: number | null = null
  if (voters) {
    let ok = true
    for (const part of ['dpt', 'dptb', 'dpk'] as const) {
      if (!isCount(voters[part])) {
        ok = false
        errors.push({ field: `voters.${part}`, code: 'not_count' })
      }
    }
    if (voters.total !== undefined && !isCount(voters.total)) {
      ok = false
      errors.push({ field: 'voters.total', code: 'not_count' })
    }
    if (ok) {
      errors.push(...votersErrors(voters.dpt, voters.dptb, voters.dpk, voters.total ?? null))
      votersSum = voters.dpt + voters.dptb + voters.dpk
    }
  }
  const total = valid + (isCount(sheet.invalid) ? sheet.invalid : 0)
  if (errors.length === 0 && total > TPS_CAPACITY)
    errors.push({ field: 'invalid', code: 'over_capacity', n: total, ref: TPS_CAPACITY })
  if (errors.length > 0) return { errors, warnings: [], valid, total }
  return {
    errors,
    warnings: sheetWarnings(
      { votes: sheet.votes, valid, invalid: sheet.invalid, total, voters, votersSum },
      ctx,
    ),
    valid,
    total,
  }
}

/** Check the sheet as typed so far. `dpt` is the TPS's registered voters. */
export function checkSheet(
  text: SheetText,
  ctx: { candidates: readonly { number: number }[]; dpt: number },
  mode: SheetMode,
): SheetCheck {
  const errors: SheetIssue<SheetErrorCode>[] = []
  const follows: SheetIssue<SheetErrorCode>[] = []
  const warnings: SheetIssue<SheetWarningCode>[] = []
  const missing: SheetField[] = []
  const paper = mode === 'paper'
  const read = (field: SheetField, raw: string, required: boolean): number | null => {
    const s = raw.trim()
    if (s === '') {
      if (required) missing.push(field)
      return null
    }
    if (!/^\d{1,7}$/.test(s)) {
      errors.push({ field, code: 'not_count' })
      return null
    }
    return Number(s)
  }

  // The voters section is optional as a whole at the desk; once any of it is given, DPT, DPTb
  // and DPK all are (its total stays optional there, and must then equal their sum).
  const votersGiven =
    paper || [text.dpt, text.dptb, text.dpk, text.votersTotal].some((s) => s.trim() !== '')
  const dpt = read('voters.dpt', text.dpt, votersGiven)
  const dptb = read('voters.dptb', text.dptb, votersGiven)
  const dpk = read('voters.dpk', text.dpk, votersGiven)
  const votersTyped = read('voters.total', text.votersTotal, paper)
  const votes: Record<string, number> = {}
  let valid = 0
  let allVotes = true
  for (const c of ctx.candidates) {
    const k = String(c.number)
    const n = read(`votes.${k}`, text.votes[k] ?? '', true)
    if (n === null) allVotes = false
    else {
      votes[k] = n
      valid += n
    }
  }
  const validTyped = read('valid', text.valid, paper)
  const invalid = read('invalid', text.invalid, true)
  const totalTyped = read('total', text.total, paper)
  const total = valid + (invalid ?? 0)

  let voters: CheckedSheet['voters']
  let votersSum: number | null = null
  if (dpt !== null && dptb !== null && dpk !== null) {
    votersSum = dpt + dptb + dpk
    voters = { dpt, dptb, dpk }
    if (votersTyped !== null && votersTyped === votersSum) voters.total = votersTyped
    errors.push(...votersErrors(dpt, dptb, dpk, votersTyped))
  }
  if (allVotes && validTyped !== null && validTyped !== valid) {
    errors.push({
      field: 'valid',
      code: 'valid_sum',
      n: validTyped,
      ref: valid,
      parts: ctx.candidates.map((c) => votes[String(c.number)]!),
    })
  }
  // One typo, one error: the first broken line is the error. The total is built on the valid
  // figure; when the valid box disagrees with the pairs, a total that agrees with either the valid
  // figure as written or the pairs' sum is right, and one that agrees with neither is shown as
  // following from the broken valid line (fix that first), not as a second error.
  const validBroken = errors.some((e) => e.field === 'valid')
  const validBase = validTyped ?? (allVotes ? valid : null)
  if (totalTyped !== null && validBase !== null && invalid !== null) {
    const bases = validBroken ? [validBase, valid] : [validBase]
    if (!bases.some((b) => totalTyped === b + invalid)) {
      const issue: SheetIssue<SheetErrorCode> = {
        field: 'total',
        code: 'total_sum',
        n: totalTyped,
        ref: validBase + invalid,
        parts: [validBase, invalid],
      }
      if (validBroken) follows.push({ ...issue, cause: 'valid' })
      else errors.push(issue)
    }
  }
  // As at the desk: ballots over capacity are named once the rest of what it sees is right.
  const deskComplete = allVotes && invalid !== null && !missing.some(deskField)
  if (deskComplete && !errors.some((e) => deskField(e.field)) && total > TPS_CAPACITY) {
    errors.push({ field: 'total', code: 'over_capacity', n: total, ref: TPS_CAPACITY })
  }

  const ok = errors.length === 0 && missing.length === 0 && invalid !== null
  if (ok) warnings.push(...sheetWarnings({ votes, valid, invalid, total, voters, votersSum }, ctx))
  return {
    errors,
    follows,
    warnings,
    missing,
    sheet: ok ? { votes, invalid, ...(voters ? { voters } : {}) } : null,
    valid,
    total,
    votersSum,
  }
}
