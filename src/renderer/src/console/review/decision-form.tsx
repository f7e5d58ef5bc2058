// The supervisor's decision on the review screen, for a conflict or a flagged result.

import { useMemo, useState } from 'react'
import type { ContestDto } from '../../../../shared/api'
import type { DecisionAnswer, SheetDto } from '../../../../shared/console'
import { ErrorLine, fieldErrors } from '../common'
import { useM } from '../messages'
import { analyseSheet, SheetFields, sheetValuesOf, type SheetValues } from '../sheet'

/** Choose, write the reason, and (for a correction) key the sheet; the server records it all. */
export function DecisionForm({
  contest,
  dpt,
  options,
  prefill,
  onSubmit,
  onDone,
  locked = null,
}: {
  contest: ContestDto
  dpt: number
  /** Why this user may not decide here (the form shows, disabled, under this line). */
  locked?: string | null
  options: { id: string; label: string; sheet?: boolean }[]
  prefill: SheetDto
  onSubmit: (choice: string, reason: string, sheet: SheetDto | null) => Promise<DecisionAnswer>
  onDone: () => void
}) {
  const m = useM()
  const [choice, setChoice] = useState<string>('')
  const [reason, setReason] = useState('')
  const [values, setValues] = useState<SheetValues>(() => sheetValuesOf(prefill, contest))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fields, setFields] = useState<Record<string, string>>({})
  const [tried, setTried] = useState(false)
  const needsSheet = options.find((o) => o.id === choice)?.sheet ?? false
  const analysis = useMemo(() => analyseSheet(values, contest, dpt, m), [values, contest, dpt, m])
  const submit = () => {
    setTried(true)
    setError(null)
    if (!choice) return
    if (reason.trim().length < 5) {
      setError(m.reasonShort)
      return
    }
    if (needsSheet && !analysis.sheet) {
      setError(m.fixErrors)
      return
    }
    setBusy(true)
    onSubmit(choice, reason.trim(), needsSheet ? analysis.sheet : null).then(
      () => {
        setBusy(false)
        onDone()
      },
      (e: unknown) => {
        setBusy(false)
        setError(e instanceof Error ? e.message : String(e))
        setFields(
          Object.fromEntries(
            Object.entries(fieldErrors(e)).map(([k, v]) => [k.replace(/^sheet\./, ''), v]),
          ),
        )
      },
    )
  }
  return (
    <form
      className="decision"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      {locked && (
        <p className="warn-note" role="note" data-testid="decision-locked">
          {locked}
        </p>
      )}
      <fieldset disabled={!!locked}>
        <legend>{m.decide}</legend>
        <div className="choices">
          {options.map((o) => (
            <label key={o.id} className={`check${choice === o.id ? ' chosen' : ''}`}>
              <input
                type="radio"
                name="decision"
                value={o.id}
                checked={choice === o.id}
                onChange={() => setChoice(o.id)}
              />{' '}
              {o.label}
            </label>
          ))}
        </div>
        {needsSheet && (
          <SheetFields
            contest={contest}
            values={values}
            onChange={setValues}
            analysis={{ ...analysis, errors: { ...analysis.errors, ...fields } }}
            showErrors={tried}
            idPrefix="decision"
          />
        )}
        <label htmlFor="decision-reason">{m.reason}</label>
        <textarea
          id="decision-reason"
          rows={2}
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
        />
        <ErrorLine error={error} />
        <button type="submit" disabled={busy || !choice || reason.trim().length < 5}>
          {m.decideButton}
        </button>
      </fieldset>
    </form>
  )
}
