import { useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react'
import { flushSync } from 'react-dom'
import type { ContestDto, ResultAnswer } from '../../../shared/api'
import type { DraftDto, IssueDto } from '../../../shared/console'
import { formatCount, tpsLabel } from '../../../shared/format'
import { TPS_CAPACITY } from '../../../shared/sheet-check'
import { api, ApiFailure } from '../api'
import {
  ActorName,
  contestShort,
  ErrorLine,
  fieldErrors,
  Link,
  post,
  randomId,
  Time,
  useConsole,
  useLiveData,
  historyPath,
} from './common'
import { useM } from './messages'
import {
  analyseSheet,
  emptySheet,
  enterMovesOn,
  ReadBackTable,
  SheetFields,
  type SheetValues,
} from './sheet'
import { useTpsIndex, type TpsEntry } from './tps-index'
import { TpsSearch } from './tps-search'
import { logEntry } from './entry-log'
import { entryReducer, initialEntry, type Outcome } from './entry-state'

/** The input of a sheet field named by the desk ("votes.2" → #sheet-votes-2, "voters.dpt" → #sheet-dpt). */
function fieldInputId(field: string): string {
  if (field === 'voters' || field === 'voters.dpt') return 'sheet-dpt'
  if (field.startsWith('voters.'))
    return field === 'voters.total' ? 'sheet-voters-total' : `sheet-${field.slice(7)}`
  return `sheet-${field.replace('.', '-')}`
}

/**
 * Phoned-in results, keyboard first: find the TPS, pick the contest, caller, the sheet in the
 * paper form's order (Enter moves on), then a read-back with every number in words before saving.
 * Optional double entry: the first keying is held until another operator re-keys it blind.
 */
export function EntryScreen() {
  const m = useM()
  const { config, me } = useConsole()
  const { index, error: indexError } = useTpsIndex()
  const drafts = useLiveData<{ drafts: DraftDto[] }>('/console/drafts', ['draft.changed'])

  const [state, dispatch] = useReducer(entryReducer, config.contests[0]?.id ?? '', initialEntry)
  const {
    verify,
    step,
    tps,
    contestId,
    callerName,
    callerPhone,
    note,
    doubleEntry,
    values,
    showErrors,
    submissionId,
    outcome,
    error,
    serverFields,
    mismatch,
    searchStart,
  } = state
  // Opened from a refused SMS whose TPS could not be read: the contest and numbers the SMS had,
  // applied when the operator picks the TPS (once).
  const pendingSheet = useRef<{ contestId: string; values: SheetValues } | null>(null)

  const searchRef = useRef<HTMLInputElement>(null)
  const callerRef = useRef<HTMLInputElement>(null)
  const firstSheetRef = useRef<HTMLInputElement>(null)
  const contestRef = useRef<HTMLInputElement>(null)

  const contest: ContestDto | undefined = config.contests.find((c) => c.id === contestId)
  const sheetValues =
    values && contest && Object.keys(values.votes).length === contest.candidates.length
      ? values
      : contest
        ? emptySheet(contest)
        : null
  const analysis = useMemo(
    () =>
      contest && sheetValues
        ? analyseSheet(sheetValues, contest, tps?.dpt ?? verify?.tps.dpt ?? TPS_CAPACITY, m)
        : null,
    [contest, sheetValues, tps, verify, m],
  )
  const contestsShort = config.contests.map((c) => ({
    id: c.id,
    label: contestShort(config, c.id),
  }))

  function resetAll(focusSearch = true) {
    flushSync(() => dispatch({ type: 'reset' }))
    pendingSheet.current = null
    if (focusSearch) searchRef.current?.focus()
  }

  // Focus moves in the same event as the change (flushSync): keys typed fast right after Enter
  // land in the next field instead of being lost while the screen re-renders.
  function pickTps(t: TpsEntry) {
    const pending = pendingSheet.current
    pendingSheet.current = null
    const open = config.contests.find((c) => !t.reported[c.id])
    const chosen = pending?.contestId ?? open?.id ?? config.contests[0]!.id
    flushSync(() =>
      dispatch({
        type: 'pickTps',
        tps: t,
        contest: config.contests.find((c) => c.id === chosen)!,
        ...(pending ? { values: pending.values } : {}),
      }),
    )
    contestRef.current?.focus()
  }

  // Opened from the SMS screen (issue 15): a refused SMS fills in what could be read, once. Without
  // a readable TPS the search starts at the reporter's desa (or kecamatan), caller and note filled.
  const prefilled = useRef(false)
  useEffect(() => {
    if (prefilled.current || !index) return
    const q = new URLSearchParams(window.location.search)
    if (!q.get('tps') && !q.get('pelapor')) return
    prefilled.current = true
    const t = index.byCode.get(q.get('tps') ?? '')
    const c = config.contests.find((x) => x.id === q.get('contest')) ?? config.contests[0]!
    const v = emptySheet(c)
    for (const pair of (q.get('suara') ?? '').split(',')) {
      const [k, n] = pair.split('=')
      if (k && n !== undefined && k in v.votes) v.votes[k] = n
    }
    if (q.get('ts') !== null) v.invalid = q.get('ts')!
    const area = q.get('wilayah') ?? ''
    const inArea =
      index.list.find((x) => x.desa === area) ?? index.list.find((x) => x.kecamatan === area)
    const start = !inArea
      ? ''
      : inArea.desa === area
        ? `${inArea.desaName} ${inArea.kecamatanName}`
        : inArea.kecamatanName
    if (!t && q.get('contest')) pendingSheet.current = { contestId: c.id, values: v }
    flushSync(() =>
      dispatch({
        type: 'prefill',
        tps: t ?? null,
        contest: c,
        values: v,
        callerName: q.get('pelapor') ?? '',
        callerPhone: q.get('hp') ?? '',
        note: q.get('catatan') ?? '',
        searchStart: start,
      }),
    )
    if (t) callerRef.current?.focus()
    else searchRef.current?.focus()
  }, [index, config])

  function chooseContest(id: string) {
    dispatch({ type: 'chooseContest', contest: config.contests.find((c) => c.id === id)! })
  }

  function toReadBack() {
    if (!analysis?.sheet || !contest) {
      dispatch({ type: 'notReady', error: m.fixErrors })
      // Straight to the box at fault, so the operator asks the caller about that one.
      const at = analysis?.firstFault
        ? document.getElementById(fieldInputId(analysis.firstFault))
        : null
      ;(at ?? firstSheetRef.current)?.focus()
      return
    }
    if (!verify && (!tps || callerName.trim() === '')) {
      dispatch({ type: 'notReady', error: !tps ? m.findTps : `${m.callerName}: ${m.required}` })
      if (tps) callerRef.current?.focus()
      else searchRef.current?.focus()
      return
    }
    // One id per read-back: a retry after a network error replays safely instead of doubling.
    dispatch({ type: 'readBack', submissionId: randomId('telepon') })
  }

  async function save() {
    if (!analysis?.sheet || !contest) return
    dispatch({ type: 'saving' })
    try {
      if (verify) {
        const answer = await post<ResultAnswer>(
          `/console/drafts/${verify.id}/verify`,
          analysis.sheet,
        )
        // Confirmed by this blind re-key: the desk saved it as this operator's `entri-ganda-<id>`.
        // Logged like a direct entry so a restored desk that lacks it lists it for entry again.
        logEntry(
          me.id,
          {
            submissionId: `entri-ganda-${verify.id}`,
            tps: verify.tps.code,
            contest: verify.contest,
            ...analysis.sheet,
            caller: verify.caller,
            note: `Entri ganda #${verify.id}: ${verify.firstActor.name} & ${me.name}`,
          },
          answer,
        )
        dispatch({ type: 'saved', outcome: { kind: 'result', answer } })
      } else if (doubleEntry) {
        const res = await post<{ draft: DraftDto; warnings: IssueDto[] }>('/console/drafts', {
          tps: tps!.code,
          contest: contest.id,
          ...analysis.sheet,
          caller: {
            name: callerName.trim(),
            ...(callerPhone.trim() ? { phone: callerPhone.trim() } : {}),
          },
          ...(note.trim() ? { note: note.trim() } : {}),
        })
        dispatch({
          type: 'saved',
          outcome: { kind: 'draft', draft: res.draft, warnings: res.warnings },
        })
      } else {
        const body = {
          submissionId: submissionId!,
          tps: tps!.code,
          contest: contest.id,
          ...analysis.sheet,
          caller: {
            name: callerName.trim(),
            ...(callerPhone.trim() ? { phone: callerPhone.trim() } : {}),
          },
          ...(note.trim() ? { note: note.trim() } : {}),
        }
        const answer = await api<ResultAnswer>('/results', {
          method: 'POST',
          headers: { 'X-Desk-Channel': 'telepon' },
          body: JSON.stringify(body),
        })
        // This console's own log: after a failover, entries the restored desk lacks are entered again from it.
        logEntry(me.id, body, answer)
        dispatch({ type: 'saved', outcome: { kind: 'result', answer } })
      }
    } catch (e) {
      const fields = fieldErrors(e)
      const mismatched = e instanceof ApiFailure && e.body?.error.code === 'double_entry_mismatch'
      flushSync(() =>
        dispatch(
          mismatched
            ? { type: 'mismatch', error: m.mismatchSaved, fields: Object.keys(fields) }
            : { type: 'refused', error: e instanceof Error ? e.message : String(e), fields },
        ),
      )
      // Straight to the first field the desk named, so the operator asks the caller about it.
      const first = Object.keys(fields)[0]
      const target = first ? document.getElementById(fieldInputId(first)) : null
      ;(target ?? firstSheetRef.current)?.focus()
    }
  }

  function nextContest() {
    const t = tps
    const next = t
      ? (config.contests.find((c) => c.id !== contestId && !t.reported[c.id]) ??
        config.contests.find((c) => c.id !== contestId))
      : undefined
    flushSync(() => dispatch({ type: 'nextContest', contest: next }))
    if (!t) return
    firstSheetRef.current?.focus()
  }

  function startVerify(d: DraftDto) {
    const c = config.contests.find((x) => x.id === d.contest)
    flushSync(() => dispatch({ type: 'startVerify', draft: d, contest: c }))
    firstSheetRef.current?.focus()
  }

  // Keep the TPS card's "reported" marks current while the operator is on the phone.
  const liveTps = tps && index ? (index.byCode.get(tps.code) ?? tps) : tps

  return (
    <section className="entry-layout">
      <div className="card entry-main">
        <h1>{verify ? m.rekeyTitle : m.entryTitle}</h1>
        {indexError && <ErrorLine error={indexError} />}
        {step === 'form' || step === 'saving' ? (
          <div className="entry-form" onKeyDown={(e) => enterMovesOn(e, toReadBack)}>
            {verify ? (
              <div className="tps-card">
                <div>
                  <strong>{tpsLabel(verify.tps, m.tps)}</strong> · {m.kecamatan}{' '}
                  {verify.tps.kecamatanName} · {contestShort(config, verify.contest)} · {m.caller}:{' '}
                  {verify.caller.name} {verify.caller.phone ?? ''}
                </div>
                <div className="muted small">
                  {m.firstBy} <ActorName actor={verify.firstActor} /> ·{' '}
                  <Time at={verify.createdAt} />
                </div>
              </div>
            ) : (
              <>
                {index && !tps && (
                  <TpsSearch
                    key={searchStart}
                    index={index}
                    onPick={pickTps}
                    inputRef={searchRef}
                    autoFocus
                    contests={contestsShort}
                    initialQuery={searchStart}
                  />
                )}
                {liveTps && (
                  <div className="tps-card" data-tps={liveTps.code}>
                    <div>
                      <strong>{tpsLabel(liveTps, m.tps)}</strong> · {m.kecamatan}{' '}
                      {liveTps.kecamatanName} · {m.dpt} {formatCount(liveTps.dpt)} ·{' '}
                      <span className="muted">{liveTps.code}</span>
                      {liveTps.status !== 'active' && (
                        <span className="pill conflict">{m.inactiveTps}</span>
                      )}
                    </div>
                    <button type="button" className="link" onClick={() => resetAll()}>
                      {m.changeTps}
                    </button>
                  </div>
                )}
                {liveTps && (
                  <fieldset className="contest-choice">
                    <legend>{m.chooseContest}</legend>
                    {config.contests.map((c) => (
                      <label key={c.id} className={c.id === contestId ? 'chosen' : undefined}>
                        <input
                          type="radio"
                          name="contest"
                          data-nav
                          ref={c.id === contestId ? contestRef : undefined}
                          value={c.id}
                          checked={c.id === contestId}
                          onChange={() => chooseContest(c.id)}
                        />
                        {contestShort(config, c.id)}{' '}
                        <span className={liveTps.reported[c.id] ? 'pill accepted' : 'pill none'}>
                          {liveTps.reported[c.id] ? m.alreadyReported : m.notReported}
                        </span>
                      </label>
                    ))}
                    {liveTps.reported[contestId] && <p className="warn-note">{m.reportedNote}</p>}
                  </fieldset>
                )}
                {liveTps && (
                  <div className="row2">
                    <div
                      className={`field${showErrors && callerName.trim() === '' ? ' has-error' : ''}`}
                    >
                      <label htmlFor="caller-name">{m.callerName}</label>
                      <input
                        id="caller-name"
                        ref={callerRef}
                        data-nav
                        autoComplete="off"
                        value={callerName}
                        onChange={(e) => dispatch({ type: 'caller', name: e.target.value })}
                      />
                      {(serverFields['caller.name'] ||
                        (showErrors && callerName.trim() === '')) && (
                        <span className="field-error">
                          {serverFields['caller.name'] ?? m.required}
                        </span>
                      )}
                    </div>
                    <div className="field">
                      <label htmlFor="caller-phone">{m.callerPhone}</label>
                      <input
                        id="caller-phone"
                        data-nav
                        inputMode="tel"
                        autoComplete="off"
                        value={callerPhone}
                        onChange={(e) => dispatch({ type: 'caller', phone: e.target.value })}
                      />
                    </div>
                  </div>
                )}
              </>
            )}
            {(liveTps || verify) && contest && sheetValues && analysis && (
              <>
                <SheetFields
                  contest={contest}
                  values={sheetValues}
                  onChange={(v) => dispatch({ type: 'values', values: v })}
                  analysis={{ ...analysis, errors: { ...analysis.errors, ...serverFields } }}
                  showErrors={showErrors}
                  flagged={mismatch}
                  firstRef={firstSheetRef}
                />
                {!verify && (
                  <div className="row2">
                    <div className="field">
                      <label htmlFor="entry-note">{m.note}</label>
                      <input
                        id="entry-note"
                        data-nav
                        autoComplete="off"
                        value={note}
                        onChange={(e) => dispatch({ type: 'note', note: e.target.value })}
                        maxLength={1000}
                      />
                    </div>
                    <label className="check">
                      <input
                        type="checkbox"
                        data-nav
                        checked={doubleEntry}
                        onChange={(e) => dispatch({ type: 'doubleEntry', on: e.target.checked })}
                      />{' '}
                      {m.doubleEntry}
                    </label>
                  </div>
                )}
                <ErrorLine error={error} />
                <div className="buttons">
                  <button type="button" onClick={toReadBack} disabled={step === 'saving'}>
                    {m.toReadBack}
                  </button>
                  {verify && (
                    <button type="button" className="secondary" onClick={() => resetAll()}>
                      {m.cancel}
                    </button>
                  )}
                </div>
              </>
            )}
          </div>
        ) : step === 'readback' && analysis?.sheet && contest ? (
          <ReadBack
            onBack={() => {
              flushSync(() => dispatch({ type: 'back' }))
              firstSheetRef.current?.focus()
            }}
            onSave={() => void save()}
            saveLabel={verify ? m.verifySave : doubleEntry ? m.saveDraft : m.save}
            header={
              <p>
                <strong>
                  {tpsLabel(liveTps ?? verify?.tps ?? { desaName: '', number: 0 }, m.tps)}
                </strong>{' '}
                · {contestShort(config, contest.id)} · {m.caller}:{' '}
                {verify ? verify.caller.name : callerName}{' '}
                {verify ? (verify.caller.phone ?? '') : callerPhone}
              </p>
            }
            warnings={analysis.warnings}
          >
            <ReadBackTable
              contest={contest}
              sheet={analysis.sheet}
              valid={analysis.valid}
              total={analysis.total}
            />
          </ReadBack>
        ) : step === 'done' && outcome ? (
          <Done
            outcome={outcome}
            canNext={
              !verify &&
              !!liveTps &&
              config.contests.some((c) => c.id !== contestId && !liveTps.reported[c.id])
            }
            onNext={nextContest}
            onNew={() => resetAll()}
            tpsCode={(liveTps ?? verify?.tps)?.code ?? ''}
          />
        ) : null}
      </div>
      <aside className="card entry-side">
        <h2>{m.drafts}</h2>
        {!drafts.data ? null : drafts.data.drafts.length === 0 ? (
          <p className="muted">{m.noDrafts}</p>
        ) : (
          <ul className="drafts">
            {drafts.data.drafts.map((d) => (
              <DraftItem
                key={d.id}
                draft={d}
                mine={d.firstActor.id === me.id}
                onRekey={() => startVerify(d)}
                onCancelled={drafts.reload}
              />
            ))}
          </ul>
        )}
      </aside>
    </section>
  )
}

function ReadBack({
  header,
  children,
  warnings,
  onBack,
  onSave,
  saveLabel,
}: {
  header: ReactNode
  children: ReactNode
  warnings: string[]
  onBack: () => void
  onSave: () => void
  saveLabel: string
}) {
  const m = useM()
  const saveRef = useRef<HTMLButtonElement>(null)
  useEffect(() => saveRef.current?.focus(), [])
  return (
    <div
      className="readback-step"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault()
          onBack()
        }
      }}
    >
      <h2>{m.readBackTitle}</h2>
      <p className="muted">{m.readBackHelp}</p>
      {header}
      {children}
      {warnings.length > 0 && (
        <ul className="warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="buttons">
        <button type="button" ref={saveRef} onClick={onSave}>
          {saveLabel}
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          {m.back}
        </button>
      </div>
    </div>
  )
}

function Done({
  outcome,
  canNext,
  onNext,
  onNew,
  tpsCode,
}: {
  outcome: Outcome
  canNext: boolean
  onNext: () => void
  onNew: () => void
  tpsCode: string
}) {
  const m = useM()
  const first = useRef<HTMLButtonElement>(null)
  useEffect(() => first.current?.focus(), [])
  const answer = outcome.kind === 'result' ? outcome.answer : null
  const status = answer?.status === 'duplicate' ? (answer.replayOf ?? 'duplicate') : answer?.status
  const warnings = outcome.kind === 'result' ? outcome.answer.warnings : outcome.warnings
  return (
    <div
      className={`done-step status-${status ?? 'draft'}`}
      role="status"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault()
          onNew()
        }
      }}
    >
      <h2>
        {outcome.kind === 'draft'
          ? m.savedDraft
          : status === 'accepted'
            ? m.savedAccepted
            : status === 'conflict'
              ? m.savedConflict
              : m.savedDuplicate}
      </h2>
      {answer && (
        <p className="receipt">
          {m.receipt}: <strong>{answer.receipt}</strong>
        </p>
      )}
      {warnings.length > 0 && (
        <>
          <h3>{m.warnings}</h3>
          <ul className="warnings">
            {warnings.map((w) => (
              <li key={w.code}>{w.message}</li>
            ))}
          </ul>
        </>
      )}
      <div className="buttons">
        {canNext && (
          <button type="button" ref={first} onClick={onNext}>
            {m.nextContest}
          </button>
        )}
        <button
          type="button"
          ref={canNext ? undefined : first}
          className={canNext ? 'secondary' : undefined}
          onClick={onNew}
        >
          {canNext ? m.otherTps : m.newEntry}
        </button>
        {tpsCode && <Link to={historyPath(tpsCode)}>{m.openHistory}</Link>}
      </div>
    </div>
  )
}

function DraftItem({
  draft,
  mine,
  onRekey,
  onCancelled,
}: {
  draft: DraftDto
  mine: boolean
  onRekey: () => void
  onCancelled: () => void
}) {
  const m = useM()
  const { config, me } = useConsole()
  const [cancelling, setCancelling] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const canCancel = mine || me.role === 'supervisor' || me.role === 'admin'
  return (
    <li className={draft.status === 'mismatch' ? 'mismatch' : undefined}>
      <div>
        <strong>{tpsLabel(draft.tps, m.tps)}</strong> · {contestShort(config, draft.contest)}
      </div>
      <div className="muted small">
        {m.caller}: {draft.caller.name} · {m.firstBy} {draft.firstActor.name} ·{' '}
        <Time at={draft.createdAt} />
        {draft.status === 'mismatch' && (
          <span className="pill conflict">
            {m.mismatchFlag} ×{draft.attempts}
          </span>
        )}
      </div>
      {mine ? (
        <div className="muted small">{m.yourDraft}</div>
      ) : (
        <button type="button" className="small-button" onClick={onRekey}>
          {m.rekey}
        </button>
      )}
      {canCancel &&
        (cancelling ? (
          <div className="inline-form">
            <input
              aria-label={m.cancelReason}
              placeholder={m.cancelReason}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <button
              type="button"
              className="small-button"
              onClick={() =>
                void post(`/console/drafts/${draft.id}/cancel`, { reason }).then(
                  onCancelled,
                  (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
                )
              }
            >
              {m.apply}
            </button>
          </div>
        ) : (
          <button type="button" className="link small" onClick={() => setCancelling(true)}>
            {m.cancelDraft}
          </button>
        ))}
      <ErrorLine error={error} />
    </li>
  )
}
