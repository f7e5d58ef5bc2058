import type { PhotoDto } from '../../../shared/api'
import type { DeskEventType } from '../../../shared/events'
import type { HistoryEntryDto, TpsHistoryDto } from '../../../shared/console'
import { formatCount, formatDateTimeWib, tpsLabel } from '../../../shared/format'
import {
  ActorName,
  contestShort,
  ErrorLine,
  historyPath,
  Link,
  Loading,
  Photos,
  useConsole,
  useLiveData,
} from './common'
import { useM, type ConsoleMessages } from './messages'
import { sheetLines } from './sheet'
import { useTpsIndex } from './tps-index'
import { TpsSearch } from './tps-search'

const HISTORY_EVENTS = [
  'result.accepted',
  'result.conflict',
  'result.updated',
  'result.reviewed',
  'conflict.resolved',
  'draft.changed',
  'tps.status',
  'verification.changed',
] satisfies DeskEventType[]

/** Every submission, decision and actor for one TPS, in time order (`/tps/:code`). */
export function HistoryScreen() {
  const m = useM()
  const { path, navigate } = useConsole()
  const code = new URLSearchParams(path.split('?')[1] ?? '').get('kode') ?? ''
  const { index } = useTpsIndex()
  return (
    <section className="history">
      <div className="card history-search">
        <h1>{m.historyTitle}</h1>
        <p className="muted">{m.historyHelp}</p>
        {index && (
          <TpsSearch
            index={index}
            onPick={(t) => navigate(historyPath(t.code))}
            autoFocus={!code}
            id="history-search"
          />
        )}
      </div>
      {code && <History code={code} />}
    </section>
  )
}

function describe(e: HistoryEntryDto, m: ConsoleMessages): string {
  return m.actions[e.action] ?? e.action
}

/** "votes.2" → "Paslon 2", "voters.dpt" → "Dari DPT": the sheet's own line names. */
function fieldLabel(field: string, m: ConsoleMessages): string {
  const known: Record<string, string> = {
    'voters.dpt': m.votersDpt,
    'voters.dptb': m.votersDptb,
    'voters.dpk': m.votersDpk,
    'voters.total': m.votersTotal,
    voters: m.votersTotal,
    invalid: m.invalid,
    valid: m.validLabel,
    total: m.totalLabel,
  }
  if (known[field]) return known[field]
  const pair = /^votes\.(\d+)$/.exec(field)
  if (pair) return pair[1] === '0' ? m.emptyColumn : `${m.paslon} ${pair[1]}`
  return field
}

/** What the audit log says beyond the reason, in words where we know the action. */
function AuditDetail({ e }: { e: HistoryEntryDto }) {
  const m = useM()
  const d = (e.detail ?? {}) as {
    status?: string
    errors?: string[]
    fields?: string[]
    mergedInto?: string
    category?: string
    urgency?: string
    id?: number
  }
  if (e.action === 'desa.verification' && d.status)
    return <div>{m.verifyStatus[d.status] ?? d.status}</div>
  if (e.action === 'tps.status' && d.status)
    return (
      <div>
        {m.statuses[d.status] ?? d.status}
        {d.mergedInto ? ` → ${d.mergedInto}` : ''}
      </div>
    )
  if (e.action === 'draft.mismatch' && d.fields)
    return (
      <div>
        {m.mismatchFlag}: {d.fields.map((f) => fieldLabel(f, m)).join(', ')}
      </div>
    )
  if (e.action === 'result.rejected' && d.errors) {
    // Stored as "field:code" (e.g. "votes.1:required"): shown as "Paslon 1 wajib diisi".
    const said = d.errors.map((x) => {
      const [field = '', code = ''] = x.split(':')
      return `${fieldLabel(field, m)} ${m.errorCodes[code] ?? code}`.trim()
    })
    return <div className="muted">{said.join('; ')}</div>
  }
  if (e.action === 'incident.create' && d.category) {
    return (
      <div>
        {m.category[d.category] ?? d.category}
        {d.urgency ? ` · ${m.urgencyLabel} ${m.urgency[d.urgency] ?? d.urgency}` : ''}
        {typeof d.id === 'number' ? ` · #${d.id}` : ''}
      </div>
    )
  }
  // The photo itself is shown with the results above; its hash and size say nothing to an operator.
  if (e.action === 'photo.upload') return null
  if (e.reason || e.detail == null || typeof e.detail !== 'object') return null
  // Anything else: its short plain values (file hashes and nested data stay in the audit log).
  const parts = Object.entries(e.detail as Record<string, unknown>)
    .filter(
      ([, v]) =>
        (typeof v === 'string' && v.length <= 40) ||
        typeof v === 'number' ||
        typeof v === 'boolean',
    )
    .map(([k, v]) => `${k}: ${String(v)}`)
  return parts.length > 0 ? <div className="muted">{parts.join(' · ')}</div> : null
}

/** The photos sent for this TPS (every contest), shown with its results. */
function TpsPhotos({ code }: { code: string }) {
  const photos = useLiveData<{ photos: PhotoDto[] }>(`/photos?tps=${encodeURIComponent(code)}`, [
    'photo.added',
  ])
  // Photos belong to the intake feature: a desk without it (404) simply has none to show.
  if (photos.error) return photos.error.status === 404 ? null : <ErrorLine error={photos.error} />
  if (!photos.data) return null
  return <Photos photos={photos.data.photos.map((p) => ({ url: p.url, label: p.label }))} />
}

function History({ code }: { code: string }) {
  const m = useM()
  const { config } = useConsole()
  const h = useLiveData<TpsHistoryDto>(`/tps/${encodeURIComponent(code)}/history`, HISTORY_EVENTS)
  if (!h.data) return h.error ? <ErrorLine error={h.error} /> : <Loading />
  const { tps, results, entries, openConflicts } = h.data
  return (
    <>
      <article className="card history-head" data-tps={tps.code}>
        <h2>
          {tpsLabel(tps, m.tps)}{' '}
          <span className="muted">
            · {m.kecamatan} {tps.kecamatanName} · {tps.code} · {m.dpt} {formatCount(tps.dpt)} ·{' '}
            {m.statuses[tps.status]}
            {tps.statusReason ? ` (${tps.statusReason})` : ''}
          </span>
        </h2>
        {openConflicts.length > 0 && (
          <p className="warn-note">
            {m.openConflictsHere}: {openConflicts.map((id) => `#${id}`).join(', ')} —{' '}
            <Link to="/tinjau">{m.navReview}</Link>
          </p>
        )}
        <h3>{m.currentResults}</h3>
        {results.length === 0 ? (
          <p className="muted">{m.nothingYet}</p>
        ) : (
          <div className="result-cards">
            {results.map((r) => {
              const contest = config.contests.find((c) => c.id === r.contest)
              return (
                <table key={r.contest} className="compact result-card" data-contest={r.contest}>
                  <caption>
                    {contestShort(config, r.contest)} · {m.review[r.review] ?? r.review}
                  </caption>
                  <tbody>
                    {sheetLines(contest, r.sheet, m)
                      .filter((l) => l.n !== null)
                      .map((l) => (
                        <tr key={l.key}>
                          <td>{l.label}</td>
                          <td className="num">{formatCount(l.n!)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              )
            })}
          </div>
        )}
        <TpsPhotos code={tps.code} />
      </article>
      <article className="card timeline-card">
        <h3>{m.timeline}</h3>
        <table className="compact timeline">
          <thead>
            <tr>
              <th>{m.time}</th>
              <th>{m.contest}</th>
              <th>{m.action}</th>
              <th>{m.who}</th>
              <th>{m.details}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr
                key={i}
                className={`kind-${e.kind} action-${e.action.replace(/\./g, '-')}`}
                data-action={e.action}
              >
                <td className="nowrap">{formatDateTimeWib(e.at)}</td>
                <td>{e.contest ? contestShort(config, e.contest) : '—'}</td>
                <td>
                  <strong>{describe(e, m)}</strong>
                  {e.channel && (
                    <div className="muted small">{m.channels[e.channel] ?? e.channel}</div>
                  )}
                </td>
                <td>
                  <ActorName actor={e.actor} />
                </td>
                <td className="small">
                  {e.sheet && (
                    <div className="sheet-inline">
                      {sheetLines(
                        config.contests.find((c) => c.id === e.contest),
                        e.sheet,
                        m,
                      )
                        .filter((l) => l.n !== null && l.key !== 'total')
                        .map((l) => `${l.label} ${formatCount(l.n!)}`)
                        .join(' · ')}
                    </div>
                  )}
                  {e.receipt && (
                    <div>
                      {m.receipt}: {e.receipt}
                    </div>
                  )}
                  {e.caller && (
                    <div>
                      {m.caller}: {e.caller.name} {e.caller.phone ?? ''}
                    </div>
                  )}
                  {e.reason && <div className="reason">“{e.reason}”</div>}
                  {e.kind === 'audit' && <AuditDetail e={e} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </>
  )
}
