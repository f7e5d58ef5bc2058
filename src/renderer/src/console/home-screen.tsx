import { useEffect, useState } from 'react'
import type { IncidentDto, ProgressDto } from '../../../shared/api'
import type { BackupStatusDto } from '../../../shared/backup'
import type { ConsoleSummaryDto } from '../../../shared/console'
import {
  formatCount,
  formatDateTimeWib,
  formatTimeWib,
  formatTpsNumber,
} from '../../../shared/format'
import { api, ApiFailure } from '../api'
import {
  actorLabel,
  contestShort,
  durationSince,
  ErrorLine,
  Link,
  Loading,
  Photos,
  post,
  Time,
  useConsole,
  useLiveData,
  historyPath,
  isRemovedSimulated,
} from './common'
import { useM } from './messages'
import { LockoutsLine } from './lockouts-card'
import { ReentryPanel } from './reentry-panel'

const pct = (n: number) =>
  n.toLocaleString('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** Console home: progress per contest, what waits for a decision, last arrivals, incidents. Live. */
export function HomeScreen() {
  const m = useM()
  const { config } = useConsole()
  const progress = useLiveData<ProgressDto>('/progress', [
    'result.accepted',
    'result.updated',
    'tps.status',
    'tps.imported',
    'conflict.resolved',
    'simulation.purged',
  ])
  const summary = useLiveData<ConsoleSummaryDto>('/console/summary', [
    'result.accepted',
    'result.conflict',
    'result.updated',
    'result.reviewed',
    'conflict.resolved',
    'draft.changed',
    'chase.called',
    'simulation.purged',
  ])
  if (!progress.data || !summary.data)
    return progress.error || summary.error ? (
      <ErrorLine error={progress.error ?? summary.error} />
    ) : (
      <Loading />
    )
  const p = progress.data
  const s = summary.data
  return (
    <section className="home-grid">
      <BackupLine />
      <LockoutsLine />
      <ReentryPanel />
      <div className="home-top">
        {p.contests.map((c) => (
          <article className="card stat contest-stat" key={c.contest} data-contest={c.contest}>
            <h2>{contestShort(config, c.contest)}</h2>
            <p className="big">{pct(c.percent)}%</p>
            <p>
              <strong>{formatCount(c.reported)}</strong> / {formatCount(c.expected)} {m.tpsReported}
            </p>
            <progress max={Math.max(1, c.expected)} value={c.reported} />
          </article>
        ))}
        <article className="card stat waiting">
          <h2>{m.waiting}</h2>
          <ul className="waiting-list">
            <li className={s.openConflicts ? 'hot' : ''}>
              <Link to="/tinjau">
                <strong>{formatCount(s.openConflicts)}</strong> {m.conflictsWaiting}
              </Link>
            </li>
            <li className={s.flagged ? 'warm' : ''}>
              <Link to="/tinjau?tab=flags">
                <strong>{formatCount(s.flagged)}</strong> {m.flagsWaiting}
              </Link>
            </li>
            <li>
              <Link to="/entri">
                <strong>{formatCount(s.draftsWaiting)}</strong> {m.draftsWaiting}
              </Link>
            </li>
            <li>
              <Link to="/belum-lapor">
                <strong>{formatCount(s.reportersMissing)}</strong> {m.reportersMissing}
              </Link>
            </li>
          </ul>
        </article>
      </div>
      <div className="home-bottom">
        <article className="card scroll">
          <h2>{m.perKecamatan}</h2>
          <table className="compact">
            <thead>
              <tr>
                <th>{m.kecamatan}</th>
                {p.contests.map((c) => (
                  <th className="num" key={c.contest}>
                    {contestShort(config, c.contest)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.contests[0]?.kecamatan.map((k, i) =>
                // A kecamatan without TPS in the registry (yet) is noise here.
                p.contests.every((c) => c.kecamatan[i]!.expected === 0) ? null : (
                  <tr key={k.code}>
                    <td>{k.name}</td>
                    {p.contests.map((c) => {
                      const row = c.kecamatan[i]!
                      return (
                        <td
                          className="num"
                          key={c.contest}
                          title={`${formatCount(row.reported)} / ${formatCount(row.expected)}`}
                        >
                          {formatCount(row.reported)}/{formatCount(row.expected)}{' '}
                          <span className="muted">({pct(row.percent)}%)</span>
                        </td>
                      )
                    })}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </article>
        <article className="card scroll">
          <h2>{m.lastArrivals}</h2>
          {s.recent.length === 0 ? (
            <p className="muted">{m.nothingYet}</p>
          ) : (
            <table className="compact arrivals">
              <thead>
                <tr>
                  <th>{m.time} (WIB)</th>
                  <th>{m.tps}</th>
                  <th>{m.contest}</th>
                  <th>{m.who}</th>
                  <th>{m.outcome}</th>
                </tr>
              </thead>
              <tbody>
                {s.recent.map((a) => (
                  <tr key={a.seq} className={`outcome-${a.outcome}`}>
                    <td className="nowrap">{formatTimeWib(a.at).replace(' WIB', '')}</td>
                    <td className="nowrap">
                      <Link to={historyPath(a.tpsCode)}>
                        {a.tps ? `${a.tps.desaName} ${formatTpsNumber(a.tps.number)}` : a.tpsCode}
                      </Link>
                      {a.tps && <div className="muted small">{a.tps.kecamatanName}</div>}
                    </td>
                    <td>{contestShort(config, a.contest)}</td>
                    <td className={isRemovedSimulated(a.actor) ? 'removed-actor' : undefined}>
                      {actorLabel(a.actor, m)}
                      <div className="muted small">
                        {!isRemovedSimulated(a.actor) && (
                          <>{m.role[a.actor.role] ?? a.actor.role} · </>
                        )}
                        {m.channels[a.channel] ?? a.channel}
                      </div>
                    </td>
                    <td>
                      <span className={`pill ${a.outcome}`}>
                        {m.outcomes[a.outcome] ?? a.outcome}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
        <Incidents />
      </div>
    </section>
  )
}

function Incidents() {
  const m = useM()
  const incidents = useLiveData<{ incidents: IncidentDto[] }>('/incidents?limit=12', [
    'incident.created',
    'incident.updated',
  ])
  const [busy, setBusy] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  // The incident endpoint belongs to the intake feature; a desk without it shows a plain note.
  const unavailable =
    incidents.error && (incidents.error.status === 404 || incidents.error.status === 0)
  return (
    <article className="card scroll">
      <h2>{m.incidents}</h2>
      {unavailable ? (
        <p className="muted">{m.incidentsUnavailable}</p>
      ) : incidents.error ? (
        <ErrorLine error={incidents.error} />
      ) : !incidents.data ? (
        <Loading />
      ) : incidents.data.incidents.length === 0 ? (
        <p className="muted">{m.noIncidents}</p>
      ) : (
        <ul className="incidents">
          {incidents.data.incidents.map((i) => (
            <li key={i.id} className={`urgency-${i.urgency} status-${i.status}`}>
              <div className="incident-head">
                <span className={`pill urgency-${i.urgency}`}>
                  {m.urgency[i.urgency] ?? i.urgency}
                </span>{' '}
                <strong>{m.category[i.category] ?? i.category}</strong> · <Time at={i.at} /> ·{' '}
                {i.tps ? (
                  <Link to={historyPath(i.tps)}>
                    {i.regionName} {i.tps.slice(-3)}
                  </Link>
                ) : (
                  i.regionName
                )}
              </div>
              <div className="incident-text">{i.text}</div>
              {i.photo && (
                <Photos
                  photos={[
                    {
                      url: `/api/v1/photos/${encodeURIComponent(i.photo)}`,
                      label: `${m.category[i.category] ?? i.category} · ${i.regionName}`,
                    },
                  ]}
                  heading={false}
                />
              )}
              {i.reporter && (
                <div className="muted small">
                  {i.reporter.name} · {i.reporter.phone}
                </div>
              )}
              {i.status === 'open' ? (
                <button
                  type="button"
                  className="small-button"
                  disabled={busy === i.id}
                  onClick={() => {
                    setBusy(i.id)
                    post(`/incidents/${i.id}/status`, { status: 'handled' }).then(
                      () => {
                        setBusy(null)
                        incidents.reload()
                      },
                      (e: unknown) => {
                        setBusy(null)
                        setError(e instanceof Error ? e.message : String(e))
                      },
                    )
                  }}
                >
                  {m.markHandled}
                </button>
              ) : (
                <span className="muted small">{m.handled}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorLine error={error} />
    </article>
  )
}

/** How often the home re-reads the backup state: it turns red by age alone, with no event. */
const BACKUP_POLL_MS = 15_000

/**
 * The last good backup, one line above everything else; red when it is older than two intervals
 * or the backup folder is gone, so a pulled-out USB stick is seen within seconds, not at failover.
 */
function BackupLine() {
  const m = useM()
  const { onUnauthorized } = useConsole()
  const [status, setStatus] = useState<BackupStatusDto | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let alive = true
    const load = () =>
      api<BackupStatusDto>('/backup').then(
        (s) => {
          if (!alive) return
          setStatus(s)
          setFailed(false)
        },
        (e: unknown) => {
          if (!alive) return
          if (e instanceof ApiFailure && e.status === 401) onUnauthorized()
          setFailed(true)
        },
      )
    void load()
    const timer = setInterval(() => void load(), BACKUP_POLL_MS)
    return () => {
      alive = false
      clearInterval(timer)
    }
  }, [onUnauthorized])
  if (!status) return failed ? <p className="backup-line unknown">{m.backupUnknown}</p> : null
  const last = status.lastGood
  const recent = last ? Date.parse(status.now) - Date.parse(last.at) < 60_000 : false
  const age = last
    ? recent
      ? m.backupJustNow
      : m.backupAgo(durationSince(last.at, Date.parse(status.now), m.lang))
    : null
  const text =
    status.state === 'off'
      ? m.backupOff
      : status.state === 'missing'
        ? m.backupMissing(status.dir ?? '')
        : last
          ? m.backupLast(formatDateTimeWib(last.at), age!)
          : m.backupNone
  return (
    <p
      className={`backup-line state-${status.state}${status.alarm ? ' alarm' : ''}`}
      role={status.alarm ? 'alert' : 'status'}
      data-state={status.state}
    >
      <strong>{status.alarm ? m.backupAlarm : m.backup}</strong> {text}
      {status.state === 'stale' && last
        ? ` — ${m.backupStale(Math.round((2 * status.intervalSeconds) / 60))}`
        : ''}
      {status.lastError && status.state !== 'missing' ? (
        <span className="backup-error">
          {' '}
          · {m.backupFailed}: {status.lastError.message}
        </span>
      ) : null}
      {status.dir && status.state !== 'missing' ? (
        <span className="muted small">
          {' '}
          · {status.dir} · {m.backupKept(formatCount(status.kept), formatCount(status.photos))}
        </span>
      ) : null}
    </p>
  )
}
