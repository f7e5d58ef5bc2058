import { useCallback, useEffect, useState } from 'react'
import type { ConfigDto, DeskIdentityDto, ReceiptCheckDto, ResultAnswer } from '../../../shared/api'
import { formatCount, formatDateTimeWib } from '../../../shared/format'
import { api } from '../api'
import { contestShort, DESK_RESET, useConsole } from './common'
import { logEntry, loggedEntries, type LoggedEntry } from './entry-log'

const SEEN_KEY = 'desk.console.dataFolder'

function numbers(config: ConfigDto, e: LoggedEntry): string {
  const votes = (e.body.votes ?? {}) as Record<string, number>
  const pairs = Object.entries(votes)
    .map(([n, v]) => `${n}: ${formatCount(v)}`)
    .join(', ')
  return `${contestShort(config, e.contest)} — paslon ${pairs}; tidak sah ${formatCount(Number(e.body.invalid ?? 0))}`
}

/**
 * After a failover (issue 13 item 8): the phoned-in results this console entered that the desk it
 * now talks to does not have (a restored backup older than them), listed from the console's own log
 * for entry again with their original submissionId. Shows nothing while the desk has them all.
 */
export function ReentryPanel() {
  const { me, config, listen } = useConsole()
  const [missing, setMissing] = useState<LoggedEntry[]>([])
  const [moved, setMoved] = useState(false)
  const [done, setDone] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const check = useCallback(async () => {
    const log = loggedEntries(me.id)
    if (log.length === 0) return
    try {
      const identity = await api<DeskIdentityDto>('/desk/identity')
      const seen = localStorage.getItem(SEEN_KEY)
      setMoved(!!seen && seen !== identity.dataFolder)
      localStorage.setItem(SEEN_KEY, identity.dataFolder)
      const unknown = new Set<string>()
      for (let i = 0; i < log.length; i += 1000) {
        const r = await api<ReceiptCheckDto>('/receipts/check', {
          method: 'POST',
          body: JSON.stringify({
            submissionIds: log.slice(i, i + 1000).map((e) => e.submissionId),
          }),
        })
        for (const id of r.unknown) unknown.add(id)
      }
      setMissing(log.filter((e) => unknown.has(e.submissionId)))
      setError(null)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }, [me.id])

  useEffect(() => {
    void check()
  }, [check])
  // A restored desk behind the address: ask it again what it lacks.
  useEffect(() => listen((e) => e.type === DESK_RESET && void check()), [listen, check])

  async function resend(entries: LoggedEntry[]) {
    setBusy(true)
    setError(null)
    try {
      for (const e of entries) {
        const answer = await api<ResultAnswer>('/results', {
          method: 'POST',
          headers: { 'X-Desk-Channel': 'telepon' },
          body: JSON.stringify(e.body),
        })
        logEntry(
          me.id,
          e.body as LoggedEntry['body'] & { submissionId: string; tps: string; contest: string },
          answer,
        )
        setDone((d) => ({ ...d, [e.submissionId]: answer.receipt }))
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  // Nothing missing (or the desk cannot be asked right now): the home stays as it is.
  if (missing.length === 0) return null
  const left = missing.filter((e) => !done[e.submissionId])
  return (
    <article
      className="card reentry"
      data-testid="reentry"
      role="region"
      aria-label="Entri telepon yang tidak ada di desk"
    >
      <h2>Entri telepon yang tidak ada di desk ini ({formatCount(missing.length)})</h2>
      <p>
        {moved ? 'Desk berjalan di salinan cadangan yang dipulihkan. ' : ''}
        Konsol ini mencatat entri berikut, tetapi desk tidak memilikinya (dibuat setelah cadangan
        terakhir). Kirim ulang dengan nomor kiriman yang sama: desk menghitungnya sekali.
      </p>
      {error && <p className="error">{error}</p>}
      <table className="compact">
        <thead>
          <tr>
            <th>TPS</th>
            <th>Angka</th>
            <th>Dientri</th>
            <th>Tanda terima lama</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {missing.map((e) => (
            <tr key={e.submissionId} data-submission={e.submissionId}>
              <td>{e.tps}</td>
              <td>{numbers(config, e)}</td>
              <td>{formatDateTimeWib(e.at)}</td>
              <td>{e.receipt}</td>
              <td>
                {done[e.submissionId] ? (
                  <span data-testid="reentered">Terkirim ulang: {done[e.submissionId]}</span>
                ) : (
                  <button type="button" disabled={busy} onClick={() => void resend([e])}>
                    Kirim ulang
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {left.length > 1 && (
        <button type="button" className="primary" disabled={busy} onClick={() => void resend(left)}>
          Kirim ulang semua ({formatCount(left.length)})
        </button>
      )}
    </article>
  )
}
