import { useMemo, useState } from 'react'
import { formatCount, formatTpsNumber } from '../../../shared/format'
import type { RowError } from '../../../shared/api'
import { api, ApiFailure } from '../api'
import { RowErrorList } from '../row-errors'
import {
  contestShort,
  ErrorLine,
  Link,
  Loading,
  post,
  roleAtLeast,
  useConsole,
  historyPath,
} from './common'
import { useM } from './messages'
import { useTpsIndex, type TpsEntry } from './tps-index'
import { RegionSelects } from '../region-selects'

const PAGE = 200

/** TPS registry: import (admin), filter and see DPT, mark postponed/merged with a reason (supervisor). */
export function RegistryScreen() {
  const m = useM()
  const { config, me } = useConsole()
  const { index, error } = useTpsIndex()
  const [kecamatan, setKecamatan] = useState('')
  const [desa, setDesa] = useState('')
  const [status, setStatus] = useState('')
  const [query, setQuery] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const [editing, setEditing] = useState<string | null>(null)

  const filtered = useMemo(() => {
    if (!index) return []
    const q = query.trim().toLowerCase()
    return index.list.filter(
      (t) =>
        (!kecamatan || t.kecamatan === kecamatan) &&
        (!desa || t.desa === desa) &&
        (!status || t.status === status) &&
        (!q || t.hay.includes(q)),
    )
  }, [index, kecamatan, desa, status, query])

  if (!index) return error ? <ErrorLine error={error} /> : <Loading />
  const dptSum = filtered.reduce((a, t) => a + (t.status === 'active' ? t.dpt : 0), 0)
  return (
    <section className="card registry">
      <div className="screen-head">
        <h1>{m.registryTitle}</h1>
      </div>
      {roleAtLeast(me.role, 'admin') && <ImportBox />}
      <div className="filters">
        <RegionSelects
          regions={index.regions}
          kecamatan={kecamatan}
          onKecamatan={(code) => {
            setKecamatan(code)
            setLimit(PAGE)
          }}
          desa={desa}
          onDesa={setDesa}
          labels={{
            kecamatan: m.filterKecamatan,
            anyKecamatan: m.allKecamatan,
            desa: m.desa,
            anyDesa: m.allDesa,
          }}
        />
        <label>
          {m.status}{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">—</option>
            {(['active', 'postponed', 'merged'] as const).map((s) => (
              <option key={s} value={s}>
                {m.statuses[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m.search} <input value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <span className="muted">
          {m.shown(formatCount(Math.min(limit, filtered.length)), formatCount(filtered.length))} ·{' '}
          {m.dpt} {formatCount(dptSum)}
        </span>
      </div>
      <div className="table-scroll">
        <table className="compact registry-table">
          <thead>
            <tr>
              <th>{m.tps}</th>
              <th>{m.desa}</th>
              <th>{m.kecamatan}</th>
              <th className="num">{m.dpt}</th>
              <th className="num">L/P</th>
              <th>{m.location}</th>
              <th>{m.status}</th>
              {config.contests.map((c) => (
                <th key={c.id}>{contestShort(config, c.id)}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {filtered.slice(0, limit).map((t) => (
              <RegistryRow
                key={t.code}
                t={t}
                editing={editing === t.code}
                onEdit={() => setEditing(editing === t.code ? null : t.code)}
                onDone={() => setEditing(null)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {filtered.length > limit && (
        <button type="button" className="secondary" onClick={() => setLimit((l) => l + PAGE)}>
          {m.showMore}
        </button>
      )}
    </section>
  )
}

function RegistryRow({
  t,
  editing,
  onEdit,
  onDone,
}: {
  t: TpsEntry
  editing: boolean
  onEdit: () => void
  onDone: () => void
}) {
  const m = useM()
  const { config, me } = useConsole()
  return (
    <>
      <tr className={`status-${t.status}`} data-tps={t.code}>
        <td>
          <Link to={historyPath(t.code)}>{formatTpsNumber(t.number)}</Link>
          <div className="muted small">{t.code}</div>
        </td>
        <td>{t.desaName}</td>
        <td>{t.kecamatanName}</td>
        <td className="num">{formatCount(t.dpt)}</td>
        <td className="num">
          {t.dptL !== null && t.dptP !== null
            ? `${formatCount(t.dptL)}/${formatCount(t.dptP)}`
            : '—'}
        </td>
        <td>{t.location ?? ''}</td>
        <td>
          {m.statuses[t.status]}
          {t.statusReason && <div className="small">{t.statusReason}</div>}
          {t.mergedInto && <div className="small">→ {t.mergedInto}</div>}
        </td>
        {config.contests.map((c) => (
          <td key={c.id}>{t.reported[c.id] ? '✓' : '–'}</td>
        ))}
        <td>
          {roleAtLeast(me.role, 'supervisor') && (
            <button type="button" className="small-button" onClick={onEdit} aria-expanded={editing}>
              {m.changeStatus}
            </button>
          )}
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={8 + config.contests.length}>
            <StatusForm t={t} onDone={onDone} />
          </td>
        </tr>
      )}
    </>
  )
}

function StatusForm({ t, onDone }: { t: TpsEntry; onDone: () => void }) {
  const m = useM()
  const [status, setStatus] = useState(t.status)
  const [reason, setReason] = useState(t.statusReason ?? '')
  const [mergedInto, setMergedInto] = useState(t.mergedInto ?? '')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // The TPS already has results: the desk names them and asks for a confirmation first.
  const [askConfirm, setAskConfirm] = useState(false)
  const send = (confirmResults: boolean) => {
    setBusy(true)
    post(`/tps/${t.code}/status`, {
      status,
      ...(status !== 'active' ? { reason } : {}),
      ...(status === 'merged' ? { mergedInto: mergedInto.trim() } : {}),
      ...(confirmResults ? { confirmResults: true } : {}),
    }).then(onDone, (err: unknown) => {
      setBusy(false)
      setAskConfirm(err instanceof ApiFailure && err.body?.error.code === 'tps_has_result')
      setError(err instanceof Error ? err.message : String(err))
    })
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault()
        send(false)
      }}
    >
      <select
        value={status}
        onChange={(e) => setStatus(e.target.value as TpsEntry['status'])}
        aria-label={m.status}
      >
        {(['active', 'postponed', 'merged'] as const).map((s) => (
          <option key={s} value={s}>
            {m.statuses[s]}
          </option>
        ))}
      </select>
      {status !== 'active' && (
        <input
          className="grow"
          placeholder={m.reason}
          aria-label={m.reason}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      )}
      {status === 'merged' && (
        <input
          placeholder={m.mergedInto}
          aria-label={m.mergedInto}
          value={mergedInto}
          onChange={(e) => setMergedInto(e.target.value)}
        />
      )}
      <button type="submit" className="small-button" disabled={busy}>
        {m.apply}
      </button>
      <button type="button" className="link" onClick={onDone}>
        {m.cancel}
      </button>
      <ErrorLine error={error} />
      {askConfirm && (
        <button
          type="button"
          className="small-button danger"
          disabled={busy}
          onClick={() => send(true)}
        >
          {m.confirmResultsLeave}
        </button>
      )}
    </form>
  )
}

/** Upload a CSV/XLSX file as the request body; the desk imports all rows or none. */
export function FileImport({
  label,
  path,
  onDone,
}: {
  label: string
  path: string
  onDone: (body: unknown) => void
}) {
  const m = useM()
  const [error, setError] = useState<string | null>(null)
  const [rows, setRows] = useState<RowError[]>([])
  const [busy, setBusy] = useState(false)
  async function upload(input: HTMLInputElement) {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    setBusy(true)
    setError(null)
    setRows([])
    try {
      const body = await api<unknown>(path, {
        method: 'POST',
        body: await file.arrayBuffer(),
        headers: { 'Content-Type': 'application/octet-stream' },
      })
      onDone(body)
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
      if (err instanceof ApiFailure) setRows(err.body?.error.rows ?? [])
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="import-box">
      <label>
        {label}{' '}
        <input
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={busy}
          onChange={(e) => void upload(e.target)}
        />
      </label>
      {/* The desk's message already says nothing was imported and how many rows failed: say it once. */}
      <ErrorLine error={error ?? (rows.length > 0 ? m.importFailed : null)} />
      {rows.length > 0 && <RowErrorList rows={rows} rowLabel={m.row} />}
    </div>
  )
}

function ImportBox() {
  const m = useM()
  const [done, setDone] = useState<string | null>(null)
  return (
    <>
      <FileImport
        label={m.importTps}
        path="/tps/import"
        onDone={(b) => {
          const r = b as { imported: number; updated: number }
          setDone(m.importDone(r.imported, r.updated))
        }}
      />
      {done && <p className="ok-note">{done}</p>}
    </>
  )
}
