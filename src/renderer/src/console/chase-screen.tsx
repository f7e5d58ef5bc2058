import { useMemo, useRef, useState } from 'react'
import type { ChaseCallDto, ChaseDto, ChaseRowDto, CallOutcome } from '../../../shared/console'
import { CALL_OUTCOMES } from '../../../shared/console'
import { formatCount } from '../../../shared/format'
import { useT } from '../i18n'
import {
  actorLabel,
  contestShort,
  durationSince,
  ErrorLine,
  Loading,
  post,
  Time,
  useConsole,
  useLiveData,
  useNow,
} from './common'
import { useM } from './messages'
import { useSmsM } from './sms-messages'

/**
 * Belum Lapor: reporters whose TPS are still missing, most overdue first, filterable by
 * kecamatan. Calls are logged ("sudah ditelepon") and shared live with every operator.
 */
export function ChaseScreen() {
  const m = useM()
  const { lang } = useT()
  const { config } = useConsole()
  const chase = useLiveData<ChaseDto>('/console/chase', [
    'result.accepted',
    'result.updated',
    'chase.called',
    'tps.status',
    'tps.imported',
    'users.imported',
    'sms.received',
  ])
  const [kecamatan, setKecamatan] = useState(
    () => new URLSearchParams(window.location.search).get('kecamatan') ?? '',
  )
  const [query, setQuery] = useState('')
  const now = useNow()

  const kecamatanList = useMemo(() => {
    const seen = new Map<string, string>()
    for (const r of chase.data?.rows ?? []) seen.set(r.kecamatan, r.kecamatanName)
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]))
  }, [chase.data])

  if (!chase.data) return chase.error ? <ErrorLine error={chase.error} /> : <Loading />
  const q = query.trim().toLowerCase()
  const rows = chase.data.rows.filter(
    (r) =>
      (!kecamatan || r.kecamatan === kecamatan) &&
      (!q ||
        `${r.reporter.name} ${r.reporter.phone} ${r.desaName} ${r.kecamatanName} ${r.alsoCall.map((o) => `${o.name} ${o.phone}`).join(' ')}`
          .toLowerCase()
          .includes(q)),
  )
  return (
    <section className="card chase">
      <div className="screen-head">
        <h1>{m.chaseTitle}</h1>
        <p className="muted">{m.chaseHelp}</p>
      </div>
      <div className="filters">
        <label>
          {m.filterKecamatan}{' '}
          <select
            value={kecamatan}
            onChange={(e) => setKecamatan(e.target.value)}
            aria-label={m.filterKecamatan}
          >
            <option value="">{m.allKecamatan}</option>
            {kecamatanList.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m.search}{' '}
          <input value={query} onChange={(e) => setQuery(e.target.value)} aria-label={m.search} />
        </label>
        <span className="muted">
          {formatCount(rows.length)} {m.rows} · {formatCount(chase.data.complete)} {m.complete}
        </span>
      </div>
      <div className="table-scroll">
        <table className="chase-table">
          <thead>
            <tr>
              <th>{m.reporter}</th>
              <th>{m.phone}</th>
              <th>{m.region}</th>
              {config.contests.map((c) => (
                <th key={c.id} className="num">
                  {contestShort(config, c.id)}
                </th>
              ))}
              <th>{m.lastReport}</th>
              <th>{m.lastCall}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <ChaseRow key={r.key} row={r} now={now} lang={lang} onCalled={chase.reload} />
            ))}
          </tbody>
        </table>
      </div>
      {chase.data.unassigned.length > 0 && (
        <details className="unassigned">
          <summary>
            {m.unassigned} ({formatCount(chase.data.unassigned.length)})
          </summary>
          <ul>
            {chase.data.unassigned.map((u) => (
              <li key={u.code}>
                {u.name} ({u.kecamatanName}): {formatCount(u.missing)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}

/** On another desa's row, which desa a call was about (an officer's call is not this desa's chase). */
function CallAbout({ call, desa }: { call: ChaseCallDto; desa: string }) {
  const m = useM()
  if (!call.desa || call.desa.code === desa) return null
  return (
    <span className="muted" data-call-about={call.desa.code}>
      {' '}
      · {m.callAbout(call.desa.name)}
    </span>
  )
}

function ChaseRow({
  row,
  now,
  lang,
  onCalled,
}: {
  row: ChaseRowDto
  now: number
  lang: 'id' | 'en'
  onCalled: () => void
}) {
  const m = useM()
  const sms = useSmsM()
  const { config } = useConsole()
  const [open, setOpen] = useState(false)
  // Nothing pre-selected: an operator who types a note and presses Enter must say how the call went.
  const [outcome, setOutcome] = useState<CallOutcome | null>(null)
  const [callee, setCallee] = useState(row.reporter.id)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const firstOutcome = useRef<HTMLInputElement>(null)
  const toggle = (who: string) => {
    if (open && who === callee) return setOpen(false)
    setCallee(who)
    setOutcome(null)
    setError(null)
    setOpen(true)
  }
  const save = () => {
    if (!outcome) {
      setError(m.chooseOutcome)
      firstOutcome.current?.focus()
      return
    }
    setBusy(true)
    setError(null)
    // Said which desa it was about: a kecamatan officer answers for every desa of the kecamatan.
    post(`/console/chase/${callee}/calls`, { outcome, note, desa: row.desa }).then(
      () => {
        setBusy(false)
        setOpen(false)
        setNote('')
        onCalled()
      },
      (e: unknown) => {
        setBusy(false)
        setError(e instanceof Error ? e.message : String(e))
      },
    )
  }
  return (
    <>
      <tr
        data-reporter={row.reporter.id}
        data-desa={row.desa}
        className={
          row.lastCall && (!row.lastCall.desa || row.lastCall.desa.code === row.desa)
            ? 'called'
            : undefined
        }
      >
        <td>
          <strong>{row.reporter.name}</strong>
          {row.reporter.level === 'kecamatan' && (
            <div className="muted small">{m.officerOf(row.reporter.regionName)}</div>
          )}
          {row.alsoCall.map((o) => (
            <div key={o.id} className="also-call small" data-also={o.id}>
              {m.alsoCall}: <strong>{o.name}</strong> · {m.officerShort}
            </div>
          ))}
        </td>
        <td>
          <a href={`tel:${row.reporter.phone.replace(/[^\d+]/g, '')}`}>{row.reporter.phone}</a>
          {row.lastSms && (
            <div className="muted small" data-last-sms={row.lastSms.status}>
              SMS <Time at={row.lastSms.at} /> ·{' '}
              {sms.statuses[row.lastSms.status] ?? row.lastSms.status}
            </div>
          )}
          {row.alsoCall.map((o) => (
            <div key={o.id} className="also-call small">
              <a href={`tel:${o.phone.replace(/[^\d+]/g, '')}`}>{o.phone}</a>
            </div>
          ))}
        </td>
        <td>
          {row.desaName}
          <div className="muted small">{row.kecamatanName}</div>
        </td>
        {config.contests.map((c) => {
          const x = row.contests[c.id] ?? { expected: 0, reported: 0 }
          return (
            <td key={c.id} className={`num${x.reported < x.expected ? ' missing' : ''}`}>
              {formatCount(x.reported)}/{formatCount(x.expected)}
            </td>
          )
        })}
        <td className={row.lastReportAt ? undefined : 'never'}>
          {row.lastReportAt ? (
            <>
              {m.ago(durationSince(row.lastReportAt, now, lang))}
              <div className="muted small">
                <Time at={row.lastReportAt} />
              </div>
            </>
          ) : (
            m.never
          )}
        </td>
        <td>
          {row.lastCall ? (
            <div className={`call call-${row.lastCall.outcome}`}>
              <strong>{m.callOutcome[row.lastCall.outcome]}</strong> · <Time at={row.lastCall.at} />{' '}
              · {actorLabel(row.lastCall.actor, m)}
              <CallAbout call={row.lastCall} desa={row.desa} />
              {row.calls > 1 && <span className="muted"> (×{row.calls})</span>}
              {row.lastCall.note && <div className="small">{row.lastCall.note}</div>}
            </div>
          ) : (
            <span className="muted">—</span>
          )}
          {row.alsoCall
            .filter((o) => o.lastCall)
            .map((o) => (
              <div key={o.id} className={`call small call-${o.lastCall!.outcome}`}>
                {o.name}: <strong>{m.callOutcome[o.lastCall!.outcome]}</strong> ·{' '}
                <Time at={o.lastCall!.at} />
                <CallAbout call={o.lastCall!} desa={row.desa} />
              </div>
            ))}
        </td>
        <td className="call-buttons">
          <button
            type="button"
            className="small-button"
            onClick={() => toggle(row.reporter.id)}
            aria-expanded={open && callee === row.reporter.id}
          >
            {m.called}
          </button>
          {row.alsoCall.map((o) => (
            <button
              key={o.id}
              type="button"
              className="small-button secondary"
              data-call-also={o.id}
              onClick={() => toggle(o.id)}
              aria-expanded={open && callee === o.id}
            >
              {m.calledOfficer}
            </button>
          ))}
        </td>
      </tr>
      {open && (
        <tr className="call-form-row">
          <td colSpan={6 + config.contests.length}>
            <div
              className="inline-form"
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
                  e.preventDefault()
                  save()
                }
                if (e.key === 'Escape') setOpen(false)
              }}
            >
              <strong className="callee">
                {callee === row.reporter.id
                  ? row.reporter.name
                  : row.alsoCall.find((o) => o.id === callee)?.name}
                :
              </strong>
              <span role="radiogroup" aria-label={m.callOutcomeLabel} className="outcomes">
                {CALL_OUTCOMES.map((o, i) => (
                  <label key={o} className="check">
                    <input
                      ref={i === 0 ? firstOutcome : undefined}
                      type="radio"
                      name={`outcome-${row.key}`}
                      value={o}
                      checked={outcome === o}
                      onChange={() => {
                        setOutcome(o)
                        setError(null)
                      }}
                    />{' '}
                    {m.callOutcome[o]}
                  </label>
                ))}
              </span>
              <input
                autoFocus
                className="grow"
                aria-label={m.callNote}
                placeholder={m.callNote}
                value={note}
                maxLength={500}
                onChange={(e) => setNote(e.target.value)}
              />
              <button type="button" className="small-button" disabled={busy} onClick={save}>
                {m.saveCall}
              </button>
              <ErrorLine error={error} />
            </div>
          </td>
        </tr>
      )}
    </>
  )
}
