import { useEffect, useState } from 'react'
import type { SmsMessageDto, SmsOverviewDto } from '../../../shared/api'
import { formatCount } from '../../../shared/format'
import { displayMsisdn } from '../../../shared/sms'
import { api } from '../api'
import { contestShort, ErrorLine, Loading, post, Time, useConsole, useLiveData } from './common'
import { useSmsM } from './sms-messages'
import { entryPathFor } from './sms-entry-path'

const PAGE = 200
const TONE: Record<string, string> = {
  counted: 'ok',
  sent: 'ok',
  conflict: 'warm',
  refused: 'hot',
  wrong_code: 'hot',
  locked: 'hot',
  failed: 'hot',
  unknown_number: 'muted',
}
/**
 * SMS (issue 15): messages in and out as they come, with what became of each; a refused one opens
 * the phoned-in entry form prefilled, so an operator fixes it in one step after calling back.
 */
export function SmsScreen() {
  const s = useSmsM()
  const { config, navigate } = useConsole()
  const [onlyProblems, setOnlyProblems] = useState(false)
  // The desk filters (a page of the newest 200 would hide older messages needing action).
  const base = `/sms?limit=${PAGE}${onlyProblems ? '&problems=1' : ''}`
  const data = useLiveData<SmsOverviewDto>(base, [
    'sms.received',
    'sms.sent',
    'sms.handled',
    'sms.unblocked',
  ])
  const [unblockError, setUnblockError] = useState<string | null>(null)
  // Older pages, fetched on demand below the live first page.
  const [older, setOlder] = useState<SmsMessageDto[]>([])
  const [moreState, setMoreState] = useState<'idle' | 'loading' | 'end' | 'error'>('idle')
  useEffect(() => {
    setOlder([])
    setMoreState('idle')
  }, [base])

  if (!data.data) return data.error ? <ErrorLine error={data.error} /> : <Loading />
  const { gateways, unknown, blocked } = data.data
  async function unblock(phone: string) {
    setUnblockError(null)
    try {
      await post('/sms/unblock', { phone })
      data.reload()
    } catch (e) {
      setUnblockError(e instanceof Error ? e.message : String(e))
    }
  }
  const first = data.data.messages
  const firstIds = new Set(first.map((m) => m.id))
  const rows = [...first, ...older.filter((m) => !firstIds.has(m.id))]
  const mayHaveMore = moreState !== 'end' && (older.length > 0 || first.length >= PAGE)
  async function loadOlder() {
    const oldest = rows[rows.length - 1]
    if (!oldest) return
    setMoreState('loading')
    try {
      const page = await api<SmsOverviewDto>(`${base}&before=${oldest.id}`)
      setOlder((o) => [...o, ...page.messages])
      setMoreState(page.messages.length < PAGE ? 'end' : 'idle')
    } catch {
      setMoreState('error')
    }
  }
  return (
    <div className="sms-layout">
      <section className="card sms">
        <div className="screen-head">
          <h1>{s.title}</h1>
          <p className="muted">{s.help}</p>
        </div>
        <div className="filters">
          <span className={`pill ${gateways.gammu ? 'pill-ok' : ''}`} data-gateway="gammu">
            {s.gammu}: {gateways.gammu ? s.on : s.off}
          </span>
          <span className={`pill ${gateways.android ? 'pill-ok' : ''}`} data-gateway="android">
            {s.android}: {gateways.android ? s.on : s.off}
          </span>
          <label>
            <input
              type="checkbox"
              checked={onlyProblems}
              onChange={(e) => setOnlyProblems(e.target.checked)}
            />{' '}
            {s.filterProblems}
          </label>
        </div>
        {!gateways.gammu && !gateways.android && <p className="warn-note">{s.noGateway}</p>}
        {rows.length === 0 ? (
          <p className="muted">{s.nothing}</p>
        ) : (
          <div className="table-scroll">
            <table className="compact sms-table">
              <thead>
                <tr>
                  <th>{s.time}</th>
                  <th>{s.direction}</th>
                  <th>{s.number}</th>
                  <th>{s.reporter}</th>
                  <th>{s.text}</th>
                  <th>{s.status}</th>
                  <th>{s.action}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => {
                  const entry = entryPathFor(m, s.smsNote)
                  return (
                    <tr
                      key={m.id}
                      data-sms={m.id}
                      data-status={m.status}
                      className={m.direction === 'out' ? 'sms-out' : ''}
                    >
                      <td className="nowrap">
                        <Time at={m.at} seconds />
                      </td>
                      <td>{m.direction === 'in' ? s.in : s.out}</td>
                      <td className="nowrap">{displayMsisdn(m.phone)}</td>
                      <td>
                        {m.reporter ? (
                          <>
                            {m.reporter.name}
                            <div className="muted small">{m.reporter.regionName}</div>
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className="sms-text">
                        <code>{m.text}</code>
                        {m.parts && m.parts.length > 0 && (
                          <div className="muted small">
                            {m.parts
                              .map(
                                (p) =>
                                  `${contestShort(config, p.contest)}: ${s.parts[p.status] ?? p.status}${p.receipt ? ` ${p.receipt}` : ''}`,
                              )
                              .join(' · ')}
                          </div>
                        )}
                      </td>
                      <td>
                        <span className={`sms-status tone-${TONE[m.status] ?? 'plain'}`}>
                          {s.statuses[m.status] ?? m.status}
                        </span>
                        {(m.reason ?? m.error) && (
                          <div className="small sms-reason">{m.reason ?? m.error}</div>
                        )}
                        {m.handled && (
                          <div className="small sms-handled" data-handled={m.id}>
                            <span className="sms-status tone-ok">{s.handled}</span> {s.handledBy}{' '}
                            {m.handled.by.name}, <Time at={m.handled.at} />
                            {m.handled.receipt ? ` · ${m.handled.receipt}` : ''}
                          </div>
                        )}
                      </td>
                      <td>
                        {entry && (
                          <button
                            type="button"
                            className="small"
                            title={s.fillHelp}
                            onClick={() => navigate(entry)}
                          >
                            {s.fill}
                          </button>
                        )}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
            {mayHaveMore && (
              <p className="sms-more">
                <button
                  type="button"
                  className="small"
                  disabled={moreState === 'loading'}
                  onClick={() => void loadOlder()}
                >
                  {moreState === 'loading' ? s.loadingOlder : s.older}
                </button>
                {moreState === 'error' && <span className="field-error"> {s.olderFailed}</span>}
              </p>
            )}
          </div>
        )}
      </section>
      <aside className="sms-side">
        <section className="card sms-blocked">
          <h2>{s.blockedTitle}</h2>
          <p className="muted small">{s.blockedHelp}</p>
          {blocked.length === 0 ? (
            <p className="muted">{s.noBlocked}</p>
          ) : (
            <ul className="plain-list">
              {blocked.map((b) => (
                <li key={b.phone} data-blocked={b.phone}>
                  <strong>{displayMsisdn(b.phone)}</strong> · {s.until} <Time at={b.until} />{' '}
                  <button type="button" className="small" onClick={() => void unblock(b.phone)}>
                    {s.unblock}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {unblockError && <p className="field-error">{unblockError}</p>}
        </section>
        <section className="card sms-unknown">
          <h2>{s.unknownTitle}</h2>
          <p className="muted small">{s.unknownHelp}</p>
          {unknown.length === 0 ? (
            <p className="muted">{s.noUnknown}</p>
          ) : (
            <ul className="plain-list">
              {unknown.map((u) => (
                <li key={u.phone} data-unknown={u.phone}>
                  <strong>{displayMsisdn(u.phone)}</strong> · {formatCount(u.count)} {s.times},{' '}
                  {s.last} <Time at={u.lastAt} />
                  <div className="muted small">
                    <code>{u.lastText}</code>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </aside>
    </div>
  )
}
