import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react'
import type { BoardLayoutDto, BoundaryImportDto, BoundaryInspectDto } from '../../../shared/board'
import { formatDateTimeWib } from '../../../shared/format'
import { api, ApiFailure } from '../api'
import { useT } from '../i18n'
import type { ScreenProps } from '../routes'
import { BOARD_MESSAGES } from './messages'

/**
 * Admin: import a boundary file for the board's geographic map. The file is inspected first, so
 * the admin picks the property that holds the Kemendagri code from what the file really has,
 * with how many features each would match.
 */
export function BoundaryImport({ onUnauthorized }: ScreenProps) {
  const { lang } = useT()
  const m = BOARD_MESSAGES[lang]
  const [layout, setLayout] = useState<BoardLayoutDto | null>(null)
  const [file, setFile] = useState<{ name: string; text: string } | null>(null)
  const [inspect, setInspect] = useState<BoundaryInspectDto | null>(null)
  const [property, setProperty] = useState('')
  const [result, setResult] = useState<BoundaryImportDto | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const failed = (e: unknown) => {
    if (e instanceof ApiFailure && e.status === 401) onUnauthorized()
    setError(e instanceof Error ? e.message : String(e))
  }
  const reload = () => api<BoardLayoutDto>('/board/layout').then(setLayout, failed)
  useEffect(() => {
    void api<BoardLayoutDto>('/board/layout').then(setLayout, () => {})
  }, [])

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const f = e.target.files?.[0]
    setResult(null)
    setInspect(null)
    setError(null)
    if (!f) return setFile(null)
    const text = await f.text()
    setFile({ name: f.name, text })
    setBusy(true)
    try {
      const info = await api<BoundaryInspectDto>('/board/boundaries/inspect', {
        method: 'POST',
        body: text,
      })
      setInspect(info)
      setProperty(info.suggested ?? info.properties[0]?.name ?? '')
    } catch (err) {
      failed(err)
    } finally {
      setBusy(false)
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!file || !property) return
    setBusy(true)
    setError(null)
    try {
      const q = new URLSearchParams({ property, name: file.name })
      setResult(
        await api<BoundaryImportDto>(`/board/boundaries?${q.toString()}`, {
          method: 'POST',
          body: file.text,
        }),
      )
      await reload()
    } catch (err) {
      failed(err)
    } finally {
      setBusy(false)
    }
  }

  async function removeAll() {
    setBusy(true)
    try {
      await api('/board/boundaries', { method: 'DELETE' })
      setResult(null)
      await reload()
    } catch (err) {
      failed(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="boundary-import">
      <h1>{m.importTitle}</h1>
      <p>{m.importHelp}</p>
      <section className="card">
        <h2>{m.current}</h2>
        {layout && layout.boundaries.length === 0 && <p>{m.none}</p>}
        <ul data-testid="installed">
          {layout?.boundaries.map((b) => (
            <li key={b.level}>
              {b.level}: {b.features} · {b.source} · {b.codeProperty} ·{' '}
              {formatDateTimeWib(b.importedAt)}
            </li>
          ))}
        </ul>
        {layout && layout.boundaries.length > 0 && (
          <button
            type="button"
            className="secondary"
            onClick={() => void removeAll()}
            disabled={busy}
          >
            {m.remove}
          </button>
        )}
      </section>
      <form className="card" onSubmit={(e) => void submit(e)}>
        <label htmlFor="boundary-file">{m.file}</label>
        <input
          id="boundary-file"
          type="file"
          accept=".geojson,.json,.topojson,application/geo+json,application/json"
          onChange={(e) => void choose(e)}
        />
        {inspect && (
          <>
            <label htmlFor="boundary-property">{m.property}</label>
            <select
              id="boundary-property"
              value={property}
              onChange={(e) => setProperty(e.target.value)}
            >
              {inspect.properties.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} — {p.matches}/{inspect.features} {m.matches} ({p.sample.join(', ')})
                </option>
              ))}
            </select>
            <button type="submit" disabled={busy || !property}>
              {m.import}
            </button>
          </>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <section className="card" data-testid="import-result">
          <h2>{m.imported}</h2>
          <p>
            kecamatan: {result.imported.kecamatan} · desa: {result.imported.desa}
          </p>
          {result.unmatched.length > 0 && (
            <>
              <h3>
                {m.unmatched} ({result.unmatched.length})
              </h3>
              <ul>
                {result.unmatched.slice(0, 100).map((u) => (
                  <li key={u.feature}>
                    #{u.feature} {u.value || '—'}: {u.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {result.missing.kecamatan.length + result.missing.desa.length > 0 && (
            <>
              <h3>{m.missing}</h3>
              <p>
                {[...result.missing.kecamatan, ...result.missing.desa].slice(0, 200).join(', ')}
              </p>
            </>
          )}
        </section>
      )}
      <p>
        <a href="/papan">{m.openBoard}</a>
      </p>
    </main>
  )
}
