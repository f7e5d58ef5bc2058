import { useCallback, useEffect, useState } from 'react'
import { purgeLines, type PurgeAnswer, type PurgePreviewDto } from '../../../shared/purge'
import { api, ApiFailure } from '../api'
import { ErrorLine, post } from './common'
import { useM } from './messages'

/**
 * "Data simulasi" (admin): what a simulator or demo run left in this desk, and one button that
 * removes it, after showing the list and asking again. The desk refuses the purge if the data
 * changed since the list was shown (the confirmation carries the list's code).
 */
export function PurgeCard({ onPurged }: { onPurged: () => void }) {
  const m = useM()
  const [preview, setPreview] = useState<PurgePreviewDto | null>(null)
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<PurgeAnswer | null>(null)
  const [error, setError] = useState<ApiFailure | Error | null>(null)

  const load = useCallback(() => {
    api<PurgePreviewDto>('/admin/purge-simulated').then(setPreview, (e: unknown) =>
      setError(e instanceof Error ? e : new Error(String(e))),
    )
  }, [])
  useEffect(load, [load])

  const purge = () => {
    if (!preview) return
    setBusy(true)
    setError(null)
    post<PurgeAnswer>('/admin/purge-simulated', { confirm: preview.confirm }).then(
      (answer) => {
        setBusy(false)
        setAsking(false)
        setDone(answer)
        load()
        onPurged()
      },
      (e: unknown) => {
        setBusy(false)
        setAsking(false)
        setError(e instanceof Error ? e : new Error(String(e)))
        load() // show what is there now
      },
    )
  }

  return (
    <div className="card purge-card">
      <h2>{m.simulatedData}</h2>
      {done && (
        <p className="purge-done" role="status">
          {m.purgeDone(done.results, done.accounts)}
        </p>
      )}
      {!preview ? null : preview.empty ? (
        <p className="muted">{m.noSimulatedData}</p>
      ) : (
        <>
          <p>{m.simulatedFound}</p>
          <ul className="purge-list">
            {purgeLines(preview, m.lang).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="muted small">{m.purgeKeeps}</p>
          {asking ? (
            <div className="purge-confirm" role="alertdialog" aria-label={m.purgeConfirmTitle}>
              <p>
                <strong>{m.purgeConfirmTitle}</strong> {m.purgeConfirmText}
              </p>
              <button type="button" className="danger" disabled={busy} onClick={purge}>
                {m.purgeYes}
              </button>{' '}
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => setAsking(false)}
              >
                {m.cancel}
              </button>
            </div>
          ) : (
            <button type="button" className="danger" onClick={() => setAsking(true)}>
              {m.purgeButton}
            </button>
          )}
        </>
      )}
      <ErrorLine error={error} />
    </div>
  )
}
