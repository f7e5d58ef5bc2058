import { sizeText, type DownloadState } from './download'
import type { RecapMessages } from './messages'

/** Where a download is: the desk preparing it, bytes arriving, or done with the file's SHA-256. */
export function Progress({ state, m }: { state: DownloadState; m: RecapMessages }) {
  if (state.phase === 'idle') return null
  if (state.phase === 'failed')
    return (
      <p className="error" role="alert">
        {state.message}
      </p>
    )
  if (state.phase === 'preparing') {
    return (
      <div className="dl-progress" role="status">
        <progress aria-label={m.preparing} />
        <span>{m.preparing}</span>
      </div>
    )
  }
  if (state.phase === 'downloading') {
    const pct = state.total > 0 ? Math.round((state.received / state.total) * 100) : null
    return (
      <div className="dl-progress" role="status">
        <progress max={state.total || undefined} value={state.total ? state.received : undefined} />
        <span>
          {m.downloading} {pct !== null ? `${pct}%` : sizeText(state.received)}
        </span>
      </div>
    )
  }
  return (
    <div className="dl-done ok-note" role="status">
      <strong>{m.downloaded}:</strong> {state.filename} ({sizeText(state.size)})
      <div className="hash">
        {m.fileHash}: <code>{state.sha256}</code>
      </div>
    </div>
  )
}
