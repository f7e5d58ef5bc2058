import { useCallback, useEffect, useRef, useState } from 'react'
import type { ProgressDto } from '../../../shared/api'
import type { ExportProfileDto, SnapshotDto, SnapshotVerifyDto } from '../../../shared/export'
import { formatCount, formatPercent } from '../../../shared/format'
import { contestShortName } from '../../../shared/board'
import { api, ApiFailure, subscribe } from '../api'
import type { ScreenProps } from '../routes'
import { downloadFile, sizeText, type DownloadState } from './download'
import { Progress } from './progress'
import { KpuPanel } from './kpu-panel'
import { useRecapM, type RecapMessages } from './messages'
import { wibDateTime } from './time'
import './recap.css'

const RANK: Record<string, number> = {
  display: 0,
  reporter: 1,
  operator: 2,
  supervisor: 3,
  admin: 4,
}
const isOperator = (role: string) => (RANK[role] ?? -1) >= RANK.operator!

function CopyHash({ hash, m }: { hash: string; m: RecapMessages }) {
  const [copied, setCopied] = useState(false)
  return (
    <span className="hash-cell">
      <code title={hash}>{hash.slice(0, 16)}…</code>
      <button
        type="button"
        className="small-button secondary"
        onClick={() => {
          void navigator.clipboard?.writeText(hash).then(() => setCopied(true))
        }}
      >
        {copied ? m.copied : m.copy}
      </button>
    </span>
  )
}

function SnapshotRow({
  s,
  m,
  onUnauthorized,
  operator,
  contestName,
}: {
  s: SnapshotDto
  m: RecapMessages
  onUnauthorized: () => void
  operator: boolean
  contestName: (id: string) => string
}) {
  const [state, setState] = useState<DownloadState>({ phase: 'idle' })
  const [verify, setVerify] = useState<SnapshotVerifyDto | 'busy' | null>(null)
  const berjenjang = s.files.find((f) => f.profile === 'berjenjang')
  const get = (profile: ExportProfileDto) =>
    void downloadFile(`/export/snapshots/${s.id}/recap.xlsx?profile=${profile}`, (st) => {
      if (st.phase === 'failed' && st.status === 401) onUnauthorized()
      setState(st)
    })
  return (
    <tr>
      <td className="num">#{s.id}</td>
      <td className="nowrap">{wibDateTime(s.createdAt)}</td>
      <td>{s.label || '—'}</td>
      <td className="nowrap small">
        {s.summary.map((x) => (
          <div key={x.contest}>
            {contestName(x.contest)}: {formatCount(x.reported)}/{formatCount(x.expected)}
            {!!x.openConflicts && (
              <div className="warn-text" title={m.openConflictsTitle}>
                {formatCount(x.openConflicts)} {m.openConflictsNote}
              </div>
            )}
          </div>
        ))}
      </td>
      <td>{berjenjang && <CopyHash hash={berjenjang.sha256} m={m} />}</td>
      <td className="nowrap">
        {s.files.map((f) => (
          <button
            key={f.profile}
            type="button"
            className="small-button"
            onClick={() => get(f.profile)}
            title={f.filename}
          >
            {f.profile === 'berjenjang' ? m.berjenjang : m.lengkap} · {sizeText(f.size)}
          </button>
        ))}
        {operator && (
          <button
            type="button"
            className="small-button secondary"
            disabled={verify === 'busy'}
            onClick={() => {
              setVerify('busy')
              api<SnapshotVerifyDto>(`/export/snapshots/${s.id}/verify`, { method: 'POST' }).then(
                setVerify,
                () => setVerify(null),
              )
            }}
          >
            {m.verify}
          </button>
        )}
        {verify && verify !== 'busy' && (
          <span
            className={verify.files.every((f) => f.identical) ? 'pill accepted' : 'pill conflict'}
          >
            {verify.files.every((f) => f.identical) ? m.verified : m.notVerified}
          </span>
        )}
        {state.phase !== 'idle' && state.phase !== 'done' && <Progress state={state} m={m} />}
      </td>
    </tr>
  )
}

/** `/rekap`: download the staged recap with progress, freeze snapshots, reconcile with KPU. */
export function RecapScreen({ config, onUnauthorized }: ScreenProps) {
  const m = useRecapM()
  const [me, setMe] = useState<{ role: string; name: string } | null>(null)
  const [progress, setProgress] = useState<ProgressDto | null>(null)
  const [snapshots, setSnapshots] = useState<SnapshotDto[] | null>(null)
  const [profile, setProfile] = useState<ExportProfileDto>('berjenjang')
  const [state, setState] = useState<DownloadState>({ phase: 'idle' })
  const [label, setLabel] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [freezing, setFreezing] = useState(false)
  const [freezeMsg, setFreezeMsg] = useState<{ ok: boolean; text: string } | null>(null)
  /** The desk's 409 open_conflicts message and count: freezing now needs a second, explicit yes to that count. */
  const [openConflicts, setOpenConflicts] = useState<{ message: string; count: number } | null>(
    null,
  )
  const [kpuVersion, setKpuVersion] = useState(0)
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiFailure && e.status === 401) onUnauthorized()
    },
    [onUnauthorized],
  )
  const loadSnapshots = useCallback(
    () =>
      api<{ snapshots: SnapshotDto[] }>('/export/snapshots').then(
        (r) => setSnapshots(r.snapshots),
        fail,
      ),
    [fail],
  )
  const loadProgress = useCallback(
    () => api<ProgressDto>('/progress').then(setProgress, fail),
    [fail],
  )

  useEffect(() => {
    api<{ role: string; name: string }>('/me').then(setMe, fail)
  }, [fail])

  // Display accounts show the wall board and nothing else; reporters have their form.
  const allowed = !!me && me.role !== 'reporter' && me.role !== 'display'
  useEffect(() => {
    if (!allowed) return
    void loadSnapshots()
    void loadProgress()
    const unsubscribe = subscribe(
      (e) => {
        if (e.type === 'snapshot.created') void loadSnapshots()
        else if (e.type === 'kpu.imported') setKpuVersion((v) => v + 1)
        else if (!pending.current) {
          // A burst of results becomes one reload.
          pending.current = setTimeout(() => {
            pending.current = null
            void loadProgress()
          }, 1000)
        }
      },
      () => {},
      { types: ['snapshot.created', 'kpu.imported'] },
    )
    return () => {
      unsubscribe()
      if (pending.current) clearTimeout(pending.current)
    }
  }, [allowed, loadSnapshots, loadProgress])

  if (!me) return <p>{m.loading}</p>
  if (me.role === 'display') {
    return (
      <section className="card">
        <p>{m.displayHere}</p>
        <a className="button" href="/papan">
          {m.openBoard}
        </a>
      </section>
    )
  }
  if (!allowed) return <p className="card">{m.reporterHere}</p>
  const operator = isOperator(me.role)

  const download = () =>
    void downloadFile(`/export/recap.xlsx?profile=${profile}`, (st) => {
      if (st.phase === 'failed' && st.status === 401) onUnauthorized()
      setState(st)
    })

  const freeze = async (confirmOpenConflicts: number | false = false) => {
    setFreezing(true)
    setFreezeMsg(null)
    setOpenConflicts(null)
    try {
      const s = await api<SnapshotDto>('/export/snapshots', {
        method: 'POST',
        body: JSON.stringify({ label, confirmOpenConflicts }),
      })
      setFreezeMsg({ ok: true, text: `${m.frozen} #${s.id} · ${wibDateTime(s.createdAt)}` })
      setLabel('')
      void loadSnapshots()
    } catch (e) {
      fail(e)
      if (e instanceof ApiFailure && e.status === 409 && e.body?.error.code === 'open_conflicts') {
        setOpenConflicts({ message: e.message, count: e.body.error.openConflicts ?? 0 })
      } else setFreezeMsg({ ok: false, text: e instanceof Error ? e.message : String(e) })
    } finally {
      setFreezing(false)
      setConfirming(false)
    }
  }

  const busy = state.phase === 'preparing' || state.phase === 'downloading'
  return (
    <section className="recap">
      <div className="recap-head">
        <div>
          <h1>{m.title}</h1>
          <p className="muted">{m.intro}</p>
        </div>
        <a href="/" className="back">
          {m.back}
        </a>
      </div>
      {progress && (
        <p className="recap-progress">
          {progress.contests.map((c) => (
            <span key={c.contest}>
              <strong>{config.contests.find((x) => x.id === c.contest)?.name ?? c.contest}</strong>:{' '}
              {formatCount(c.reported)}/{formatCount(c.expected)} {m.progressLine} (
              {formatPercent(c.reported, c.expected)})
            </span>
          ))}
        </p>
      )}
      <div className="recap-grid">
        <article className="card">
          <h2>1. {m.downloadTitle}</h2>
          <fieldset className="profiles">
            <legend>{m.profile}</legend>
            <label className="check">
              <input
                type="radio"
                name="profile"
                checked={profile === 'berjenjang'}
                onChange={() => setProfile('berjenjang')}
              />
              <span>
                <strong>{m.berjenjang}</strong> — {m.berjenjangHelp}
              </span>
            </label>
            <label className="check">
              <input
                type="radio"
                name="profile"
                checked={profile === 'lengkap'}
                disabled={!operator}
                onChange={() => setProfile('lengkap')}
              />
              <span>
                <strong>{m.lengkap}</strong> — {m.lengkapHelp}
              </span>
            </label>
            {!operator && <p className="small muted">{m.lengkapNeedsOperator}</p>}
          </fieldset>
          <button type="button" onClick={download} disabled={busy}>
            {m.download}
          </button>
          <Progress state={state} m={m} />
        </article>
        <article className="card">
          <h2>2. {m.freezeTitle}</h2>
          <p className="small">{m.freezeHelp}</p>
          {operator ? (
            <div className="inline-form">
              <label className="grow">
                {m.label}{' '}
                <input
                  value={label}
                  maxLength={120}
                  placeholder={m.labelPlaceholder}
                  onChange={(e) => setLabel(e.target.value)}
                />
              </label>
              {!confirming ? (
                <button type="button" onClick={() => setConfirming(true)} disabled={freezing}>
                  {m.freeze}
                </button>
              ) : (
                <>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => void freeze()}
                    disabled={freezing}
                  >
                    {freezing ? m.freezing : m.freezeConfirm}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setConfirming(false)}
                    disabled={freezing}
                  >
                    {m.cancel}
                  </button>
                </>
              )}
            </div>
          ) : (
            <p className="small muted">{m.freezeNeedsOperator}</p>
          )}
          {openConflicts && (
            <div className="warn-box" role="alert">
              <strong>{m.openConflictsTitle}</strong>
              <p>{openConflicts.message}</p>
              <div className="inline-form">
                <button
                  type="button"
                  className="danger"
                  onClick={() => void freeze(openConflicts.count)}
                  disabled={freezing}
                >
                  {freezing ? m.freezing : m.freezeAnyway}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setOpenConflicts(null)}
                  disabled={freezing}
                >
                  {m.cancel}
                </button>
              </div>
            </div>
          )}
          {freezeMsg && (
            <p className={freezeMsg.ok ? 'ok-note' : 'error'} role="status">
              {freezeMsg.text}
            </p>
          )}
        </article>
      </div>
      <article className="card">
        <h2>{m.snapshotsTitle}</h2>
        {!snapshots ? (
          <p>{m.loading}</p>
        ) : snapshots.length === 0 ? (
          <p className="muted">{m.noSnapshots}</p>
        ) : (
          <div className="table-scroll short">
            <table className="compact snapshots">
              <thead>
                <tr>
                  <th>{m.no}</th>
                  <th>{m.time}</th>
                  <th>{m.label}</th>
                  <th>{m.reported}</th>
                  <th>{m.hashBerjenjang}</th>
                  <th>{m.files}</th>
                </tr>
              </thead>
              <tbody>
                {snapshots.map((s) => (
                  <SnapshotRow
                    key={s.id}
                    s={s}
                    m={m}
                    onUnauthorized={onUnauthorized}
                    operator={operator}
                    contestName={(id) =>
                      contestShortName(config.contests.find((c) => c.id === id)?.name ?? id)
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </article>
      <KpuPanel
        config={config}
        m={m}
        operator={operator}
        version={kpuVersion}
        onUnauthorized={onUnauthorized}
      />
    </section>
  )
}
