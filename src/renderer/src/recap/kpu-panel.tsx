import { useCallback, useEffect, useRef, useState } from 'react'
import type { ConfigDto, RowError } from '../../../shared/api'
import type { KpuImportDto, ReconcileContestDto, ReconcileReportDto } from '../../../shared/export'
import { contestShortName } from '../../../shared/board'
import { formatCount } from '../../../shared/format'
import { api, ApiFailure } from '../api'
import { downloadFile, type DownloadState } from './download'
import type { RecapMessages } from './messages'
import { Progress } from './progress'
import { wibDateTime } from './time'

const MAX_ROWS = 500

interface Props {
  config: ConfigDto
  m: RecapMessages
  operator: boolean
  /** Bumped when another screen imported KPU figures. */
  version: number
  onUnauthorized: () => void
}

function ContestReport({ c, m }: { c: ReconcileContestDto; m: RecapMessages }) {
  const rows = c.rows.slice(0, MAX_ROWS)
  return (
    <div className="kpu-contest">
      <h3>
        {c.name} — {m.level[c.level]} · “{c.source}” ({wibDateTime(c.importedAt)})
      </h3>
      <p className="kpu-summary">
        <span>
          {formatCount(c.regions)} {m.regions}
        </span>
        <span className={c.flaggedRegions > 0 ? 'pill conflict' : 'pill accepted'}>
          {formatCount(c.flaggedRegions)} {m.flaggedRegions}
        </span>
        <span className="pill flagged">
          {formatCount(c.incompleteRegions)} {m.incompleteRegions}
        </span>
        <span className="pill none">
          {formatCount(c.regionsWithoutKpu)} {m.withoutKpu}
        </span>
      </p>
      <table className="compact totals">
        <caption>{m.totals}</caption>
        <thead>
          <tr>
            <th>{m.line}</th>
            <th className="num">{m.desk}</th>
            <th className="num">{m.kpu}</th>
            <th className="num">{m.diff}</th>
          </tr>
        </thead>
        <tbody>
          {c.totals.map((t) => (
            <tr key={t.line}>
              <td>{t.label}</td>
              <td className="num">{formatCount(t.desk)}</td>
              <td className="num">{formatCount(t.kpu)}</td>
              <td className={`num ${t.diff !== 0 ? 'diff' : ''}`}>
                {t.diff > 0 ? `+${formatCount(t.diff)}` : formatCount(t.diff)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {c.rows.length === 0 ? (
        <p className="ok-note">{m.allMatch}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="compact kpu-rows">
              <thead>
                <tr>
                  <th>{m.code}</th>
                  <th>{m.region}</th>
                  <th>{m.line}</th>
                  <th className="num">{m.desk}</th>
                  <th className="num">{m.kpu}</th>
                  <th className="num">{m.diff}</th>
                  <th className="num">{m.diffPercent}</th>
                  <th>{m.mark}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.code}|${r.line}`} className={`st-${r.status}`}>
                    <td className="nowrap">{r.code}</td>
                    <td>
                      {r.name}
                      {r.kecamatan && <span className="muted small"> · {r.kecamatan}</span>}
                    </td>
                    <td>{r.label}</td>
                    <td className="num">{formatCount(r.desk)}</td>
                    <td className="num">{formatCount(r.kpu)}</td>
                    <td className="num">
                      {r.diff > 0 ? `+${formatCount(r.diff)}` : formatCount(r.diff)}
                    </td>
                    <td className="num">
                      {r.diffPercent === null
                        ? '—'
                        : `${r.diffPercent.toLocaleString('id-ID', { maximumFractionDigits: 2 })}%`}
                    </td>
                    <td>
                      <span className={`mark ${r.status}`}>{m.status[r.status]}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {c.rows.length > rows.length && (
            <p className="small muted">{m.shown(rows.length, c.rows.length)}</p>
          )}
        </>
      )}
    </div>
  )
}

/** KPU figures in, the difference report out, as a screen and as a sheet. */
export function KpuPanel({ config, m, operator, version, onUnauthorized }: Props) {
  const [imports, setImports] = useState<KpuImportDto[] | null>(null)
  const [report, setReport] = useState<ReconcileReportDto | null>(null)
  const [threshold, setThreshold] = useState('1')
  const [onlyFlagged, setOnlyFlagged] = useState(true)
  const [contest, setContest] = useState('')
  const [source, setSource] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<{ message: string; rows: RowError[] } | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [sheet, setSheet] = useState<DownloadState>({ phase: 'idle' })
  const fileInput = useRef<HTMLInputElement>(null)
  const feedback = useRef<HTMLDivElement>(null)
  const pct = Number(threshold.replace(',', '.'))
  const thresholdOk = threshold.trim() !== '' && Number.isFinite(pct) && pct >= 0 && pct <= 100

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiFailure && e.status === 401) onUnauthorized()
    },
    [onUnauthorized],
  )

  const load = useCallback(() => {
    api<{ imports: KpuImportDto[] }>('/export/kpu/imports').then((r) => setImports(r.imports), fail)
    if (thresholdOk) {
      api<ReconcileReportDto>(
        `/export/kpu/report?threshold=${pct}&only=${onlyFlagged ? 'flagged' : 'all'}`,
      ).then(setReport, fail)
    }
  }, [fail, pct, onlyFlagged, thresholdOk])

  useEffect(() => {
    load()
  }, [load, version])

  // The answer to an import may fall below the fold on a laptop: bring it into view.
  useEffect(() => {
    if (errors || done) feedback.current?.scrollIntoView({ block: 'nearest' })
  }, [errors, done])

  const upload = async () => {
    if (!file) return
    setBusy(true)
    setErrors(null)
    setDone(null)
    const q = new URLSearchParams({ source: source.trim() || file.name })
    if (contest) q.set('contest', contest)
    try {
      const r = await api<KpuImportDto & { figures: number }>(
        `/export/kpu/import?${q.toString()}`,
        {
          method: 'POST',
          body: file,
          headers: { 'Content-Type': 'application/octet-stream' },
        },
      )
      setDone(
        m.importedText(
          r.id,
          m.level[r.level] ?? r.level,
          formatCount(r.figures),
          r.contests
            .map((id) => contestShortName(config.contests.find((c) => c.id === id)?.name ?? id))
            .join(', '),
        ),
      )
      setFile(null)
      setSource('')
      if (fileInput.current) fileInput.current.value = ''
      load()
    } catch (e) {
      fail(e)
      if (e instanceof ApiFailure) setErrors({ message: e.message, rows: e.body?.error.rows ?? [] })
      else setErrors({ message: String(e), rows: [] })
    } finally {
      setBusy(false)
    }
  }

  return (
    <article className="card kpu">
      <h2>3. {m.kpuTitle}</h2>
      <p className="small">{m.kpuHelp}</p>
      {operator ? (
        <div className="inline-form">
          <label>
            {m.kpuFile}{' '}
            <input
              ref={fileInput}
              type="file"
              accept=".csv,.xlsx,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <label>
            {m.kpuContest}{' '}
            <select value={contest} onChange={(e) => setContest(e.target.value)}>
              <option value="">{m.kpuContestFromFile}</option>
              {config.contests.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.kpuSource}{' '}
            <input
              value={source}
              maxLength={120}
              placeholder={m.kpuSourcePlaceholder}
              onChange={(e) => setSource(e.target.value)}
            />
          </label>
          <button type="button" onClick={() => void upload()} disabled={!file || busy}>
            {busy ? m.kpuImporting : m.kpuImport}
          </button>
        </div>
      ) : (
        <p className="small muted">{m.kpuNeedsOperator}</p>
      )}
      <details className="small">
        <summary>{m.kpuColumns}</summary>
        <p>
          <strong>Per baris (Sirekap):</strong> <code>kode_tps</code> (atau <code>kode_desa</code> +{' '}
          <code>nomor_tps</code>, atau <code>kode_desa</code>, atau <code>kode_kecamatan</code>),{' '}
          <code>pemilihan</code> (boleh tidak ada bila pemilihan dipilih di atas),{' '}
          <code>suara_1</code>, <code>suara_2</code>, … (<code>suara_kolom_kosong</code>),{' '}
          <code>suara_tidak_sah</code>; boleh ada <code>suara_sah</code> dan{' '}
          <code>jumlah_suara</code> (diperiksa). Kolom lain diabaikan.
        </p>
        <p>
          <strong>Susunan D.Hasil:</strong> sel A1 <code>uraian</code>; judul kolom lain kode
          kecamatan atau desa (nama boleh menyusul, kolom JUMLAH dilewati); baris{' '}
          <code>suara_1</code>, <code>suara_2</code>, …, <code>suara_tidak_sah</code> (boleh{' '}
          <code>suara_sah</code>, <code>jumlah_suara</code>). Pilih pemilihannya di atas.
        </p>
        <p>
          <strong>Judul dari berkas KPU</strong> dibaca apa adanya: mis. &ldquo;Kode
          Kecamatan&rdquo;, &ldquo;Suara Paslon 01&rdquo;, nama pasangan calon, &ldquo;Jumlah Suara
          Sah&rdquo;, &ldquo;Jumlah Suara Tidak Sah&rdquo;, &ldquo;1. Jumlah Suara Sah dan Tidak
          Sah&rdquo;. Bila kolom yang diperlukan tidak ditemukan, pesan kesalahannya menyebut judul
          yang tidak dikenali.
        </p>
      </details>
      <div ref={feedback}>
        {errors && (
          <div className="kpu-errors" role="alert">
            <p className="error">{errors.rows.length ? m.kpuErrors : errors.message}</p>
            {errors.rows.length > 0 && (
              <table className="compact">
                <thead>
                  <tr>
                    <th className="num">{m.row}</th>
                    <th>{m.column}</th>
                    <th>{m.problem}</th>
                  </tr>
                </thead>
                <tbody>
                  {errors.rows.slice(0, 200).map((r, i) => (
                    <tr key={i}>
                      <td className="num">{r.row}</td>
                      <td>{r.column ?? '—'}</td>
                      <td>{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
        {done && (
          <p className="ok-note" role="status">
            {done}
          </p>
        )}
      </div>
      {imports && imports.length > 0 && (
        <p className="small muted imports">
          {m.imports}:{' '}
          {imports.map((i) => (
            <span key={i.id}>
              #{i.id} “{i.source}” ({m.level[i.level]},{' '}
              {i.contests
                .map((id) => contestShortName(config.contests.find((c) => c.id === id)?.name ?? id))
                .join(', ')}
              , {wibDateTime(i.at)})
            </span>
          ))}
        </p>
      )}
      <div className="filters">
        <label>
          {m.threshold}{' '}
          <input
            className="threshold"
            inputMode="decimal"
            value={threshold}
            aria-invalid={!thresholdOk}
            onChange={(e) => setThreshold(e.target.value)}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={onlyFlagged}
            onChange={(e) => setOnlyFlagged(e.target.checked)}
          />{' '}
          {m.onlyFlagged}
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!thresholdOk || !report || report.contests.length === 0}
          onClick={() =>
            void downloadFile(`/export/kpu/report.xlsx?threshold=${pct}`, (st) => {
              if (st.phase === 'failed' && st.status === 401) onUnauthorized()
              setSheet(st)
            })
          }
        >
          {m.downloadReport}
        </button>
      </div>
      <Progress state={sheet} m={m} />
      {!report ? null : report.contests.length === 0 ? (
        <p className="muted">{m.noKpu}</p>
      ) : (
        report.contests.map((c) => <ContestReport key={c.contest} c={c} m={m} />)
      )}
    </article>
  )
}
