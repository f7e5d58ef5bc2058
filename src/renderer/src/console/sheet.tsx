import type { KeyboardEvent, ReactNode, RefObject } from 'react'
import type { ContestDto } from '../../../shared/api'
import type { SheetDto } from '../../../shared/console'
import { formatCount } from '../../../shared/format'
import {
  checkSheet,
  emptySheetText,
  firstFault,
  INVALID_SHARE_WARN,
  TPS_CAPACITY,
  type CheckedSheet,
  type SheetIssue,
  type SheetText,
} from '../../../shared/sheet-check'
import { numberInEnglish, terbilang } from '../../../shared/terbilang'
import { useT } from '../i18n'
import { useM, type ConsoleMessages } from './messages'

/** What the operator typed, field by field, as text (empty = not given). */
export type SheetValues = SheetText

export function emptySheet(contest: ContestDto): SheetValues {
  return emptySheetText(contest.candidates)
}

export function sheetValuesOf(sheet: SheetDto, contest: ContestDto): SheetValues {
  const v = emptySheet(contest)
  for (const k of Object.keys(v.votes))
    v.votes[k] = sheet.votes[k] !== undefined ? String(sheet.votes[k]) : ''
  v.invalid = String(sheet.invalid)
  if (sheet.voters) {
    v.dpt = String(sheet.voters.dpt)
    v.dptb = String(sheet.voters.dptb)
    v.dpk = String(sheet.voters.dpk)
  }
  return v
}

export interface SheetAnalysis {
  errors: Record<string, string>
  /** Lines that disagree only because an earlier line is broken (said as such, not as errors). */
  follows: Record<string, string>
  /** The first box in form order that is wrong or empty: where the cursor goes. */
  firstFault: string | null
  warnings: string[]
  /** The sheet to send, when there are no errors. */
  sheet: CheckedSheet | null
  valid: number
  total: number
  votersSum: number | null
}

/** A box's name as on the console's form, for "follows from …". */
function fieldName(field: string, m: ConsoleMessages): string {
  const names: Record<string, string> = {
    valid: m.validTyped,
    total: m.totalTyped,
    invalid: m.invalid,
    'voters.total': m.votersTotal,
  }
  return names[field] ?? field
}

function issueMessage(issue: SheetIssue, m: ConsoleMessages): string {
  const n = formatCount(issue.n ?? 0)
  const ref = formatCount(issue.ref ?? 0)
  switch (issue.code) {
    case 'not_count':
      return m.wholeNumber
    case 'voters_sum':
      return m.votersMismatch(n, ref)
    case 'valid_sum':
      return m.validMismatch(n, ref)
    case 'total_sum':
      return m.totalMismatch(n, ref)
    case 'over_capacity':
      return m.overCapacity(issue.ref ?? TPS_CAPACITY)
    case 'total_mismatch':
      return m.warnTotalVsVoters(n, ref)
    case 'turnout_over_dpt':
      return m.warnOverDpt(n, ref)
    case 'over_typical_size':
      return m.warnOverTypical(n, ref)
    case 'zero_total':
      return m.warnZero
    case 'invalid_high':
      return m.warnInvalidHigh(n, ref, INVALID_SHARE_WARN * 100)
    case 'turnout_low':
      return m.warnTurnoutLow(n, ref)
    case 'unanimous': {
      const k = issue.field.slice('votes.'.length)
      return m.warnUnanimous(n, k === '0' ? m.emptyColumn : `${m.paslon} ${k}`)
    }
  }
}

/**
 * Form C.Hasil as the operator types it, in the console's words: the shared checker (the desk's
 * own rules, which decide) in `call` mode — what the caller cannot give may stay empty. Hard
 * errors stop the read-back; warnings are shown and the desk flags them.
 */
export function analyseSheet(
  values: SheetValues,
  contest: ContestDto,
  dpt: number,
  m: ConsoleMessages,
): SheetAnalysis {
  const check = checkSheet(values, { candidates: contest.candidates, dpt }, 'call')
  const errors: Record<string, string> = {}
  for (const field of check.missing) errors[field] = m.required
  // A voters section begun and left unfinished: said once, on its total.
  if (check.missing.some((f) => f.startsWith('voters.'))) errors['voters'] = m.votersPartial
  for (const e of check.errors) errors[e.field] ??= issueMessage(e, m)
  const follows: Record<string, string> = {}
  for (const f of check.follows) follows[f.field] = m.followsFrom(fieldName(f.cause ?? '', m))
  return {
    errors,
    follows,
    firstFault: firstFault(check, contest.candidates),
    warnings: check.warnings.map((w) => issueMessage(w, m)),
    sheet: check.sheet,
    valid: check.valid,
    total: check.total,
    votersSum: check.votersSum,
  }
}

/** Enter moves to the next field (as Tab does); on the last one it calls `onDone`. */
export function enterMovesOn(e: KeyboardEvent<HTMLElement>, onDone: () => void): void {
  if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return
  const target = e.target as HTMLElement
  if (target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON' || target.tagName === 'A') return
  const fields = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('[data-nav]')).filter(
    (el) => !(el as HTMLInputElement).disabled && el.offsetParent !== null,
  )
  // Radio groups count once: the checked one (or the first) stands for the group.
  const stops = fields.filter((el) => {
    const input = el as HTMLInputElement
    if (input.type !== 'radio') return true
    const group = fields.filter(
      (f) => (f as HTMLInputElement).name === input.name,
    ) as HTMLInputElement[]
    return (group.find((g) => g.checked) ?? group[0]) === input
  })
  const input = target as HTMLInputElement
  const here = stops.findIndex(
    (el) =>
      el === target || (input.type === 'radio' && (el as HTMLInputElement).name === input.name),
  )
  if (here < 0) return
  e.preventDefault()
  const next = stops[here + 1]
  if (next) next.focus()
  else onDone()
}

function NumberField({
  id,
  label,
  value,
  onChange,
  error,
  follows,
  flagged,
  hint,
  inputRef,
  big,
}: {
  id: string
  label: ReactNode
  value: string
  onChange: (v: string) => void
  error?: string
  follows?: string
  flagged?: boolean
  hint?: ReactNode
  inputRef?: RefObject<HTMLInputElement | null>
  big?: boolean
}) {
  return (
    <div
      className={`field num-field${error ? ' has-error' : follows ? ' follows' : ''}${flagged ? ' flagged' : ''}${big ? ' big' : ''}`}
    >
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        data-nav
        inputMode="numeric"
        autoComplete="off"
        value={value}
        aria-invalid={!!error}
        onChange={(e) => onChange(e.target.value.replace(/[^\d]/g, '').slice(0, 7))}
      />
      {error ? (
        <span className="field-error">{error}</span>
      ) : follows ? (
        <span className="field-follows">{follows}</span>
      ) : hint ? (
        <span className="hint">{hint}</span>
      ) : null}
    </div>
  )
}

/**
 * The number fields of form C.Hasil, in the paper form's order: voters who used their right
 * (DPT, DPTb, DPK, total), votes per pair, valid, invalid, valid + invalid.
 */
export function SheetFields({
  contest,
  values,
  onChange,
  analysis,
  showErrors,
  flagged,
  idPrefix = 'sheet',
  firstRef,
}: {
  contest: ContestDto
  values: SheetValues
  onChange: (v: SheetValues) => void
  analysis: SheetAnalysis
  showErrors: boolean
  flagged?: Set<string>
  idPrefix?: string
  firstRef?: RefObject<HTMLInputElement | null>
}) {
  const m = useM()
  // A field's error shows once something is typed in it, or after an attempt to go on.
  const shown = (key: string, raw: string) =>
    showErrors || raw.trim() !== '' ? analysis.errors[key] : undefined
  const set = (patch: Partial<SheetValues>) => onChange({ ...values, ...patch })
  const sum = analysis.votersSum
  return (
    <div className="sheet-fields">
      <fieldset>
        <legend>
          A. {m.votersUsed} <span className="muted">— {m.votersOptional}</span>
        </legend>
        <div className="row4">
          <NumberField
            id={`${idPrefix}-dpt`}
            label={m.votersDpt}
            value={values.dpt}
            onChange={(v) => set({ dpt: v })}
            error={shown('voters.dpt', values.dpt)}
            flagged={flagged?.has('voters.dpt')}
            inputRef={firstRef}
          />
          <NumberField
            id={`${idPrefix}-dptb`}
            label={m.votersDptb}
            value={values.dptb}
            onChange={(v) => set({ dptb: v })}
            error={shown('voters.dptb', values.dptb)}
            flagged={flagged?.has('voters.dptb')}
          />
          <NumberField
            id={`${idPrefix}-dpk`}
            label={m.votersDpk}
            value={values.dpk}
            onChange={(v) => set({ dpk: v })}
            error={shown('voters.dpk', values.dpk)}
            flagged={flagged?.has('voters.dpk')}
          />
          <NumberField
            id={`${idPrefix}-voters-total`}
            label={m.votersTotal}
            value={values.votersTotal}
            onChange={(v) => set({ votersTotal: v })}
            error={
              analysis.errors['voters.total'] ??
              (showErrors ? analysis.errors['voters'] : undefined)
            }
            flagged={flagged?.has('voters') || flagged?.has('voters.total')}
            hint={sum !== null ? `${m.computed}: ${formatCount(sum)}` : undefined}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>B. {m.votesTitle}</legend>
        <div className="votes">
          {contest.candidates.map((c) => {
            const k = String(c.number)
            return (
              <NumberField
                key={k}
                id={`${idPrefix}-votes-${k}`}
                big
                label={
                  <>
                    <strong>{c.number === 0 ? m.emptyColumn : `${m.paslon} ${c.number}`}</strong>{' '}
                    <span className="cand">{c.name}</span>
                  </>
                }
                value={values.votes[k] ?? ''}
                onChange={(v) => set({ votes: { ...values.votes, [k]: v } })}
                error={shown(`votes.${k}`, values.votes[k] ?? '')}
                flagged={flagged?.has(`votes.${k}`)}
              />
            )
          })}
        </div>
        <div className="row3">
          <NumberField
            id={`${idPrefix}-valid`}
            label={m.validTyped}
            value={values.valid}
            onChange={(v) => set({ valid: v })}
            error={analysis.errors['valid']}
            hint={`${m.computed}: ${formatCount(analysis.valid)}`}
          />
          <NumberField
            id={`${idPrefix}-invalid`}
            label={m.invalid}
            value={values.invalid}
            big
            onChange={(v) => set({ invalid: v })}
            error={shown('invalid', values.invalid)}
            flagged={flagged?.has('invalid')}
          />
          <NumberField
            id={`${idPrefix}-total`}
            label={m.totalTyped}
            value={values.total}
            onChange={(v) => set({ total: v })}
            error={analysis.errors['total']}
            follows={analysis.follows['total']}
            hint={`${m.computed}: ${formatCount(analysis.total)}`}
          />
        </div>
      </fieldset>
      {analysis.warnings.length > 0 && (
        <ul className="warnings" aria-label={m.warnings}>
          {analysis.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

/**
 * The words to read a number back in: always Indonesian terbilang (the caller on the phone speaks
 * Indonesian, whatever language the console is in), with English as a second line for an
 * English-reading operator.
 */
export function useWords(): (n: number) => { id: string; en: string | null } {
  const { lang } = useT()
  return (n) => ({ id: terbilang(n), en: lang === 'en' ? numberInEnglish(n) : null })
}

/** Every number of the sheet with its words, to read back to the caller before saving. */
export function ReadBackTable({
  contest,
  sheet,
  valid,
  total,
}: {
  contest: ContestDto
  sheet: SheetDto
  valid: number
  total: number
}) {
  const m = useM()
  const words = useWords()
  const rows: { key: string; label: ReactNode; n: number }[] = []
  if (sheet.voters) {
    rows.push({ key: 'voters.dpt', label: `${m.votersUsed}: ${m.votersDpt}`, n: sheet.voters.dpt })
    rows.push({ key: 'voters.dptb', label: m.votersDptb, n: sheet.voters.dptb })
    rows.push({ key: 'voters.dpk', label: m.votersDpk, n: sheet.voters.dpk })
    rows.push({
      key: 'voters.total',
      label: m.votersTotal,
      n: sheet.voters.dpt + sheet.voters.dptb + sheet.voters.dpk,
    })
  }
  for (const c of contest.candidates) {
    rows.push({
      key: `votes.${c.number}`,
      label: (
        <>
          <strong>{c.number === 0 ? m.emptyColumn : `${m.paslon} ${c.number}`}</strong>{' '}
          <span className="cand">{c.name}</span>
        </>
      ),
      n: sheet.votes[String(c.number)] ?? 0,
    })
  }
  rows.push({ key: 'valid', label: m.validLabel, n: valid })
  rows.push({ key: 'invalid', label: m.invalid, n: sheet.invalid })
  rows.push({ key: 'total', label: m.totalLabel, n: total })
  return (
    <table className="readback">
      <thead>
        <tr>
          <th>{m.field}</th>
          <th className="num">{m.number}</th>
          <th>{m.words}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const w = words(r.n)
          return (
            <tr key={r.key} data-field={r.key}>
              <td>{r.label}</td>
              <td className="num big-number">{formatCount(r.n)}</td>
              <td className="words">
                <span lang="id">{w.id}</span>
                {w.en && (
                  <div className="words-en" lang="en">
                    {w.en}
                  </div>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** A compact read-only sheet (review and history): one line per field. */
export function sheetLines(
  contest: ContestDto | undefined,
  sheet: SheetDto,
  m: ConsoleMessages,
): { key: string; label: string; n: number | null }[] {
  const lines: { key: string; label: string; n: number | null }[] = [
    { key: 'voters.dpt', label: m.votersDpt, n: sheet.voters?.dpt ?? null },
    { key: 'voters.dptb', label: m.votersDptb, n: sheet.voters?.dptb ?? null },
    { key: 'voters.dpk', label: m.votersDpk, n: sheet.voters?.dpk ?? null },
  ]
  const numbers = contest
    ? contest.candidates.map((c) => String(c.number))
    : Object.keys(sheet.votes)
  for (const k of numbers)
    lines.push({
      key: `votes.${k}`,
      label: k === '0' ? m.emptyColumn : `${m.paslon} ${k}`,
      n: sheet.votes[k] ?? null,
    })
  const valid = Object.values(sheet.votes).reduce((a, b) => a + b, 0)
  lines.push({ key: 'valid', label: m.validLabel, n: valid })
  lines.push({ key: 'invalid', label: m.invalid, n: sheet.invalid })
  lines.push({ key: 'total', label: m.totalLabel, n: valid + sheet.invalid })
  return lines
}
