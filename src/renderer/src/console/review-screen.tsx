import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ContestDto, VerificationListDto } from '../../../shared/api'
import type { ConflictDto, DecisionAnswer, FlagDto, ReviewAssignmentsDto, SheetDto, SubmissionViewDto, VerificationDto } from '../../../shared/console'
import { api } from '../api'
import { formatCount } from '../../../shared/format'
import { ActorName, contestShort, ErrorLine, fieldErrors, Link, Loading, Photos, post, roleAtLeast, Time, useConsole, useLiveData, historyPath } from './common'
import { useM } from './messages'
import { analyseSheet, SheetFields, sheetLines, sheetValuesOf, type SheetValues } from './sheet'
import { loadRegions, type RegionsDto } from './tps-index'
import { RegionSelects } from '../region-selects'

type Tab = 'conflicts' | 'flags' | 'resolved' | 'verification'
const REVIEW_EVENTS = ['result.conflict', 'review.assigned', 'conflict.resolved', 'result.updated', 'result.reviewed', 'result.accepted', 'photo.added', 'verification.changed']

/**
 * The review queue: conflicts side by side, soft-warning flags, decided conflicts and the
 * kecamatan checks. Supervisors and admins decide, always with a written reason.
 */
export function ReviewScreen() {
  const m = useM()
  const { navigate, path } = useConsole()
  const tab = (new URLSearchParams(path.split('?')[1] ?? '').get('tab') as Tab | null) ?? 'conflicts'
  const conflicts = useLiveData<{ conflicts: ConflictDto[] }>('/conflicts', REVIEW_EVENTS)
  const flags = useLiveData<{ flags: FlagDto[] }>('/console/flags', REVIEW_EVENTS)
  const setTab = (t: Tab) => navigate(t === 'conflicts' ? '/tinjau' : `/tinjau?tab=${t}`)
  const tabs: { id: Tab; label: string; count?: number }[] = [
    { id: 'conflicts', label: m.tabConflicts, ...(conflicts.data ? { count: conflicts.data.conflicts.length } : {}) },
    { id: 'flags', label: m.tabFlags, ...(flags.data ? { count: flags.data.flags.length } : {}) },
    { id: 'resolved', label: m.tabResolved },
    { id: 'verification', label: m.tabVerification },
  ]
  return (
    <section className="review">
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'tab active' : 'tab'} onClick={() => setTab(t.id)}>
            {t.label}
            {t.count !== undefined && <span className="badge">{formatCount(t.count)}</span>}
          </button>
        ))}
      </div>
      {tab === 'conflicts' && <ConflictQueue data={conflicts.data?.conflicts ?? null} error={conflicts.error} onDecided={conflicts.reload} />}
      {tab === 'flags' && <FlagQueue data={flags.data?.flags ?? null} error={flags.error} onDecided={flags.reload} />}
      {tab === 'resolved' && <ResolvedList />}
      {tab === 'verification' && <VerificationList />}
    </section>
  )
}

function tpsLabel(t: { desaName: string; number: number }, m: ReturnType<typeof useM>) {
  return `${t.desaName} · ${m.tps} ${String(t.number).padStart(3, '0')}`
}

interface QueueFilter {
  kecamatan: string
  contest: string
  kind: '' | 'conflict' | 'correction'
  mine: boolean
  q: string
}

const EMPTY_FILTER: QueueFilter = { kecamatan: '', contest: '', kind: '', mine: false, q: '' }

/** The conflicts the filter keeps; the search covers TPS, desa, kecamatan and the reporters' names. */
function filterConflicts(list: ConflictDto[], f: QueueFilter, meId: string): ConflictDto[] {
  const q = f.q.trim().toLowerCase()
  return list.filter(
    (c) =>
      (!f.kecamatan || c.tps.kecamatan === f.kecamatan) &&
      (!f.contest || c.contest === f.contest) &&
      (!f.kind || c.kind === f.kind) &&
      (!f.mine || c.assignedTo?.id === meId) &&
      (!q ||
        [`#${c.id}`, c.tps.code, c.tps.desaName, c.tps.kecamatanName, `tps ${String(c.tps.number).padStart(3, '0')}`, c.incoming.actor.name, c.standing?.actor.name ?? '']
          .join(' ')
          .toLowerCase()
          .includes(q)),
  )
}

/** True when a key press belongs to a text field (J/K there are letters, not "next"). */
const typing = (e: KeyboardEvent) => {
  const t = e.target as HTMLElement | null
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
}

function ConflictQueue({ data, error, onDecided }: { data: ConflictDto[] | null; error: Error | null; onDecided: () => void }) {
  const m = useM()
  const { config, me } = useConsole()
  const [selected, setSelected] = useState<number | null>(null)
  const [filter, setFilter] = useState<QueueFilter>(EMPTY_FILTER)
  const shown = useMemo(() => (data ? filterConflicts(data, filter, me.id) : []), [data, filter, me.id])
  const current = shown.find((c) => c.id === selected) ?? shown[0] ?? null
  const index = current ? shown.indexOf(current) : -1
  // After a decision the decided conflict leaves the list: go on to the one that followed it.
  const after = useRef<number | null>(null)
  useEffect(() => {
    if (after.current === null || !data) return
    const next = shown[Math.min(after.current, shown.length - 1)]
    after.current = null
    setSelected(next?.id ?? null)
  }, [data, shown])
  const move = useCallback(
    (step: number) => {
      if (shown.length === 0) return
      const i = Math.max(0, Math.min(shown.length - 1, index + step))
      setSelected(shown[i]!.id)
      document.querySelector<HTMLElement>(`[data-conflict="${shown[i]!.id}"]`)?.scrollIntoView({ block: 'nearest' })
    },
    [shown, index],
  )
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.altKey || e.ctrlKey || e.metaKey) return
      if (e.key === 'j' || e.key === 'J') move(1)
      else if (e.key === 'k' || e.key === 'K') move(-1)
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [move])
  const kecamatanList = useMemo(() => {
    const seen = new Map<string, string>()
    for (const c of data ?? []) seen.set(c.tps.kecamatan, c.tps.kecamatanName)
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]))
  }, [data])
  if (!data) return error ? <ErrorLine error={error} /> : <Loading />
  const set = (patch: Partial<QueueFilter>) => setFilter((f) => ({ ...f, ...patch }))
  return (
    <>
      <div className="card queue-tools">
        <div className="filters" role="search">
          <label>
            {m.filterKecamatan}{' '}
            <select value={filter.kecamatan} onChange={(e) => set({ kecamatan: e.target.value })} aria-label={m.filterKecamatan}>
              <option value="">{m.allKecamatan}</option>
              {kecamatanList.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.contest}{' '}
            <select value={filter.contest} onChange={(e) => set({ contest: e.target.value })} aria-label={m.contest}>
              <option value="">{m.allContests}</option>
              {config.contests.map((c) => (
                <option key={c.id} value={c.id}>
                  {contestShort(config, c.id)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.kindLabel}{' '}
            <select value={filter.kind} onChange={(e) => set({ kind: e.target.value as QueueFilter['kind'] })} aria-label={m.kindLabel}>
              <option value="">{m.allKinds}</option>
              <option value="conflict">{m.kindConflict}</option>
              <option value="correction">{m.kindCorrection}</option>
            </select>
          </label>
          {me.role === 'supervisor' && (
            <label className="check">
              <input type="checkbox" checked={filter.mine} onChange={(e) => set({ mine: e.target.checked })} /> {m.onlyMine}
            </label>
          )}
          <label>
            {m.search}{' '}
            <input
              type="search"
              value={filter.q}
              onChange={(e) => set({ q: e.target.value })}
              aria-label={m.searchConflicts}
              placeholder={m.searchConflictsHint}
              // Wide enough for the whole hint (one ch per character and some: letters are about a
              // ch wide, commas and spaces less), so it is never cut at 1366×768.
              style={{ width: `${m.searchConflictsHint.length + 3}ch` }}
            />
          </label>
          <span className="muted" data-testid="queue-count">
            {m.shownOf(formatCount(shown.length), formatCount(data.length))}
          </span>
          <span className="queue-nav">
            <button type="button" className="small-button secondary" onClick={() => move(-1)} disabled={index <= 0}>
              {m.previous}
            </button>
            <button type="button" className="small-button secondary" onClick={() => move(1)} disabled={index < 0 || index >= shown.length - 1}>
              {m.next}
            </button>
          </span>
        </div>
        <Assignments />
      </div>
      {data.length === 0 ? (
        <p className="card muted">{m.noConflicts}</p>
      ) : shown.length === 0 || !current ? (
        <p className="card muted">{m.noConflictsMatch}</p>
      ) : (
        <div className="queue">
          <ul className="queue-list card" aria-label={m.tabConflicts}>
            {shown.map((c) => (
              <li key={c.id}>
                <button type="button" className={c === current ? 'item active' : 'item'} onClick={() => setSelected(c.id)} data-conflict={c.id} aria-current={c === current}>
                  <strong>
                    #{c.id} {tpsLabel(c.tps, m)}
                  </strong>
                  <span className="muted small">
                    {c.tps.kecamatanName} · {contestShort(config, c.contest)} · {c.kind === 'correction' ? m.kindCorrection : m.kindConflict} · <Time at={c.createdAt} />
                  </span>
                  {c.assignedTo && <span className="small assigned">→ {c.assignedTo.name}</span>}
                </button>
              </li>
            ))}
          </ul>
          <ConflictDetail
            key={current.id}
            conflict={current}
            position={m.position(formatCount(index + 1), formatCount(shown.length))}
            onDecided={() => {
              after.current = index
              onDecided()
            }}
          />
        </div>
      )}
    </>
  )
}

/** Who takes which kecamatan's conflicts: seen by all staff, changed by supervisors and the admin. */
function Assignments() {
  const m = useM()
  const { me } = useConsole()
  const data = useLiveData<ReviewAssignmentsDto>('/console/review-assignments', ['review.assigned', 'users.imported'])
  const [kecamatan, setKecamatan] = useState('')
  const [supervisor, setSupervisor] = useState('')
  const [error, setError] = useState<string | null>(null)
  if (!data.data) return null
  const canAssign = roleAtLeast(me.role, 'supervisor')
  const save = (kec: string, sup: string | null) => {
    setError(null)
    api<ReviewAssignmentsDto>(`/console/review-assignments/${kec}`, { method: 'PUT', body: JSON.stringify({ supervisor: sup }) }).then(
      () => {
        setKecamatan('')
        setSupervisor('')
        data.reload()
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    )
  }
  return (
    <details className="assignments" data-testid="assignments">
      <summary>
        {m.assignmentsTitle} ({formatCount(data.data.assignments.length)})
      </summary>
      {data.data.assignments.length === 0 ? (
        <p className="muted small">{m.noAssignments}</p>
      ) : (
        <ul className="small">
          {data.data.assignments.map((a) => (
            <li key={a.kecamatan} data-assigned={a.kecamatan}>
              {m.kecamatan} {a.kecamatanName} → <strong>{a.supervisor.name}</strong>{' '}
              <span className="muted">
                ({a.assignedBy.name}, <Time at={a.at} />)
              </span>
              {canAssign && (
                <button type="button" className="small-button secondary" onClick={() => save(a.kecamatan, null)}>
                  {m.unassign}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAssign && (
        <div className="inline-form">
          <select value={kecamatan} onChange={(e) => setKecamatan(e.target.value)} aria-label={m.assignKecamatan}>
            <option value="">{m.assignKecamatan}</option>
            {data.data.kecamatan.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
          <select value={supervisor} onChange={(e) => setSupervisor(e.target.value)} aria-label={m.assignSupervisor}>
            <option value="">{m.assignSupervisor}</option>
            {data.data.supervisors.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <button type="button" className="small-button" disabled={!kecamatan || !supervisor} onClick={() => save(kecamatan, supervisor)}>
            {m.assign}
          </button>
          <ErrorLine error={error} />
        </div>
      )}
    </details>
  )
}

/** A phone number to call back, as a link (tel:) the console's softphone or a laptop can use. */
function Phone({ phone }: { phone: string | null | undefined }) {
  if (!phone) return null
  return (
    <a className="phone" href={`tel:${phone.replace(/[^\d+]/g, '')}`}>
      {phone}
    </a>
  )
}

function SubmissionMeta({ s, title }: { s: SubmissionViewDto | null; title: string }) {
  const m = useM()
  if (!s) return <th>{title}</th>
  return (
    <th className="sub-meta">
      <div className="col-title">{title}</div>
      <div>
        <ActorName actor={s.actor} /> <Phone phone={s.actorPhone} />
      </div>
      <div className="muted small">
        <Time at={s.at} seconds /> · {m.channels[s.channel] ?? s.channel} · {m.receipt} {s.receipt ?? '—'}
      </div>
      {s.caller && (
        <div className="small">
          {m.caller}: {s.caller.name} <Phone phone={s.caller.phone} />
        </div>
      )}
      {s.correctionReason && (
        <div className="small">
          {m.correctionReason}: <em>{s.correctionReason}</em>
        </div>
      )}
      {s.note && !s.correctionReason && <div className="small">“{s.note}”</div>}
    </th>
  )
}

function Comparison({ contest, left, right, differences }: { contest: ContestDto | undefined; left: SubmissionViewDto | null; right: SubmissionViewDto; differences: string[] }) {
  const m = useM()
  const a = left ? sheetLines(contest, left.sheet, m) : []
  const b = sheetLines(contest, right.sheet, m)
  const diff = new Set(differences)
  return (
    <table className="compare">
      <thead>
        <tr>
          <th>{m.field}</th>
          <SubmissionMeta s={left} title={m.standing} />
          <SubmissionMeta s={right} title={m.incoming} />
        </tr>
      </thead>
      <tbody>
        {b.map((line, i) => {
          const l = a[i]
          // Derived lines (valid, total) and voter lines when only one side has them ("voters") differ by value.
          const byValue = line.key === 'valid' || line.key === 'total' || (diff.has('voters') && line.key.startsWith('voters.'))
          const differs = diff.has(line.key) || (l !== undefined && l.n !== line.n && byValue)
          return (
            <tr key={line.key} className={differs ? 'differs' : undefined} data-field={line.key}>
              <td>
                {line.label}
                {differs && <span className="pill conflict">{m.differs}</span>}
              </td>
              <td className="num">{l?.n === null || l === undefined ? '—' : formatCount(l.n)}</td>
              <td className="num">{line.n === null ? '—' : formatCount(line.n)}</td>
            </tr>
          )
        })}
        <tr>
          <td>{m.warnings}</td>
          <td className="small">{left?.warnings.map((w) => w.message).join('; ') || '—'}</td>
          <td className="small">{right.warnings.map((w) => w.message).join('; ') || '—'}</td>
        </tr>
      </tbody>
    </table>
  )
}

function Verification({ v }: { v: VerificationDto | null }) {
  const m = useM()
  return (
    <p className="verification small">
      <strong>{m.verification}:</strong>{' '}
      {v ? (
        <>
          {v.status}
          {v.actor && <> · {v.actor.name}</>}
          {v.at && (
            <>
              {' '}
              · <Time at={v.at} />
            </>
          )}
          {v.note && <> · “{v.note}”</>}
        </>
      ) : (
        <span className="muted">{m.noVerification}</span>
      )}
    </p>
  )
}

function ConflictDetail({ conflict, position, onDecided }: { conflict: ConflictDto; position: string; onDecided: () => void }) {
  const m = useM()
  const { config, me } = useConsole()
  const contest = config.contests.find((c) => c.id === conflict.contest)
  // A kecamatan given to another supervisor: said before anything is typed (the desk refuses it
  // anyway), and the form stays visible but disabled. An admin decides any conflict.
  const lockedBy = me.role === 'supervisor' && conflict.assignedTo && conflict.assignedTo.id !== me.id ? conflict.assignedTo : null
  return (
    <article className="card detail" data-conflict-detail={conflict.id}>
      <header className="detail-head">
        <h2>
          #{conflict.id} {tpsLabel(conflict.tps, m)} · {contestShort(config, conflict.contest)}
        </h2>
        <span className="muted">
          {position} · {m.kecamatan} {conflict.tps.kecamatanName} · {m.dpt} {formatCount(conflict.tps.dpt)} ·{' '}
          {conflict.kind === 'correction' ? m.kindCorrection : m.kindConflict} ·{' '}
          {conflict.assignedTo && (
            <>
              {m.assignedTo} <strong>{conflict.assignedTo.name}</strong> ·{' '}
            </>
          )}
          <Link to={historyPath(conflict.tps.code)}>{m.openHistory}</Link>
        </span>
      </header>
      <div className="detail-body">
      <Comparison contest={contest} left={conflict.standing} right={conflict.incoming} differences={conflict.differences} />
      <div className="detail-side">
      <div className="evidence">
        <Verification v={conflict.verification} />
        <Photos photos={conflict.photos} />
      </div>
      {roleAtLeast(me.role, 'supervisor') ? (
        contest && (
          <DecisionForm
            key={conflict.id}
            contest={contest}
            dpt={conflict.tps.dpt}
            locked={lockedBy ? m.assignedElsewhere(conflict.tps.kecamatanName, lockedBy.name) : null}
            options={[
              { id: 'standing', label: m.keepStanding },
              { id: 'new', label: m.keepNew },
              { id: 'corrected', label: m.keepCorrected, sheet: true },
            ]}
            prefill={conflict.incoming.sheet}
            onSubmit={(choice, reason, sheet) =>
              post<DecisionAnswer>(`/conflicts/${conflict.id}/resolve`, { keep: choice, reason, ...(sheet ? { sheet } : {}) })
            }
            onDone={onDecided}
          />
        )
      ) : (
        <p className="muted">{m.onlySupervisor}</p>
      )}
      </div>
      </div>
    </article>
  )
}

/** Choose, write the reason, and (for a correction) key the sheet; the server records it all. */
function DecisionForm({
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
        setFields(Object.fromEntries(Object.entries(fieldErrors(e)).map(([k, v]) => [k.replace(/^sheet\./, ''), v])))
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
              <input type="radio" name="decision" value={o.id} checked={choice === o.id} onChange={() => setChoice(o.id)} /> {o.label}
            </label>
          ))}
        </div>
        {needsSheet && (
          <SheetFields contest={contest} values={values} onChange={setValues} analysis={{ ...analysis, errors: { ...analysis.errors, ...fields } }} showErrors={tried} idPrefix="decision" />
        )}
        <label htmlFor="decision-reason">{m.reason}</label>
        <textarea id="decision-reason" rows={2} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
        <ErrorLine error={error} />
        <button type="submit" disabled={busy || !choice || reason.trim().length < 5}>
          {m.decideButton}
        </button>
      </fieldset>
    </form>
  )
}

function FlagQueue({ data, error, onDecided }: { data: FlagDto[] | null; error: Error | null; onDecided: () => void }) {
  const m = useM()
  const { config, me } = useConsole()
  const [selected, setSelected] = useState<string | null>(null)
  if (!data) return error ? <ErrorLine error={error} /> : <Loading />
  if (data.length === 0) return <p className="card muted">{m.noFlags}</p>
  const keyOf = (f: FlagDto) => `${f.tps.code}/${f.contest}`
  const current = data.find((f) => keyOf(f) === selected) ?? data[0]!
  const contest = config.contests.find((c) => c.id === current.contest)
  const lines = sheetLines(contest, current.result, m)
  return (
    <div className="queue">
      <ul className="queue-list card" aria-label={m.tabFlags}>
        {data.map((f) => (
          <li key={keyOf(f)}>
            <button type="button" className={f === current ? 'item active' : 'item'} onClick={() => setSelected(keyOf(f))}>
              <strong>{tpsLabel(f.tps, m)}</strong>
              <span className="muted small">
                {f.tps.kecamatanName} · {contestShort(config, f.contest)} · {f.warnings.length} {m.flagsWaiting}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <article className="card detail" key={keyOf(current)}>
        <header className="detail-head">
          <h2>
            {tpsLabel(current.tps, m)} · {contestShort(config, current.contest)}
          </h2>
          <span className="muted">
            {m.kecamatan} {current.tps.kecamatanName} · {m.dpt} {formatCount(current.tps.dpt)} · <Link to={historyPath(current.tps.code)}>{m.openHistory}</Link>
          </span>
        </header>
        <div className="detail-body">
        <div>
        <ul className="warnings">
          {current.warnings.map((w) => (
            <li key={w.code}>{w.message}</li>
          ))}
        </ul>
        <table className="compare single">
          <thead>
            <tr>
              <th>{m.field}</th>
              <SubmissionMeta s={current.submission} title={m.standing} />
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.key}>
                <td>{l.label}</td>
                <td className="num">{l.n === null ? '—' : formatCount(l.n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        <div className="detail-side">
        <div className="evidence">
          <Verification v={current.verification} />
          <Photos photos={current.photos} />
        </div>
        {roleAtLeast(me.role, 'supervisor') ? (
          contest && (
            <DecisionForm
              contest={contest}
              dpt={current.tps.dpt}
              options={[
                { id: 'confirm', label: m.confirmFlag },
                { id: 'correct', label: m.correctFlag, sheet: true },
              ]}
              prefill={current.result}
              onSubmit={(choice, reason, sheet) =>
                post<DecisionAnswer>(`/results/${current.tps.code}/${current.contest}/review`, { action: choice, reason, ...(sheet ? { sheet } : {}) })
              }
              onDone={onDecided}
            />
          )
        ) : (
          <p className="muted">{m.onlySupervisor}</p>
        )}
        </div>
        </div>
      </article>
    </div>
  )
}

function ResolvedList() {
  const m = useM()
  const { config } = useConsole()
  const resolved = useLiveData<{ conflicts: ConflictDto[] }>('/conflicts?status=resolved', ['conflict.resolved'])
  if (!resolved.data) return resolved.error ? <ErrorLine error={resolved.error} /> : <Loading />
  if (resolved.data.conflicts.length === 0) return <p className="card muted">{m.nothingYet}</p>
  const label: Record<string, string> = { standing: m.keepStanding, new: m.keepNew, corrected: m.keepCorrected }
  return (
    <div className="card table-scroll">
      <table className="compact">
        <thead>
          <tr>
            <th>#</th>
            <th>{m.tps}</th>
            <th>{m.contest}</th>
            <th>{m.decisionColumn}</th>
            <th>{m.reasonColumn}</th>
            <th>{m.decidedBy}</th>
            <th>{m.time}</th>
          </tr>
        </thead>
        <tbody>
          {resolved.data.conflicts.map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td>
                <Link to={historyPath(c.tps.code)}>{tpsLabel(c.tps, m)}</Link>
                <div className="muted small">{c.tps.kecamatanName}</div>
              </td>
              <td>{contestShort(config, c.contest)}</td>
              <td>{label[c.resolution?.keep ?? ''] ?? c.resolution?.keep}</td>
              <td>{c.resolution?.reason}</td>
              <td>{c.resolution && <ActorName actor={c.resolution.actor} />}</td>
              <td>{c.resolution?.at && <Time at={c.resolution.at} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function VerificationList() {
  const m = useM()
  const { config } = useConsole()
  const [regions, setRegions] = useState<RegionsDto | null>(null)
  const [kecamatan, setKecamatan] = useState('')
  useEffect(() => {
    void loadRegions().then(setRegions)
  }, [])
  const list = useLiveData<VerificationListDto>(`/verification${kecamatan ? `?kecamatan=${kecamatan}` : ''}`, ['verification.changed', 'result.accepted', 'conflict.resolved', 'result.reviewed'])
  if (list.error?.status === 404) return <p className="card muted">{m.verificationUnavailable}</p>
  return (
    <div className="card verification-list">
      <div className="filters">
        <RegionSelects
          regions={regions}
          kecamatan={kecamatan}
          onKecamatan={setKecamatan}
          labels={{ kecamatan: m.filterKecamatan, anyKecamatan: m.allKecamatan }}
        />
      </div>
      {!list.data ? (
        list.error ? <ErrorLine error={list.error} /> : <Loading />
      ) : (
        <div className="table-scroll">
          <table className="compact">
            <thead>
              <tr>
                <th>{m.kecamatan}</th>
                <th>{m.desa}</th>
                <th className="num">{m.tpsActive}</th>
                {config.contests.map((c) => (
                  <th key={c.id} className="num">
                    {contestShort(config, c.id)}
                  </th>
                ))}
                <th>{m.verification}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((r) => (
                <tr key={r.desa} className={r.verification ? `verified-${r.verification.status}` : undefined}>
                  <td>{regions?.kecamatan.find((k) => k.code === r.kecamatan)?.name ?? r.kecamatan}</td>
                  <td>{r.name}</td>
                  <td className="num">{formatCount(r.tpsActive)}</td>
                  {config.contests.map((c) => {
                    const x = r.contests[c.id]
                    return (
                      <td key={c.id} className="num">
                        {x ? formatCount(x.reported) : '—'}
                        {x && x.needsCheck > 0 && (
                          <span className="pill conflict">
                            {x.needsCheck} {m.needsCheck}
                          </span>
                        )}
                      </td>
                    )
                  })}
                  <td>
                    {r.verification ? (
                      <>
                        <strong>{m.verifyStatus[r.verification.status] ?? r.verification.status}</strong>
                        {r.verification.by && <> · {r.verification.by.name}</>} · <Time at={r.verification.at} />
                        {r.verification.stale && <span className="pill flagged"> {m.stale}</span>}
                        {r.verification.note && <div className="small">“{r.verification.note}”</div>}
                      </>
                    ) : (
                      <span className="muted">{m.noVerification}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
