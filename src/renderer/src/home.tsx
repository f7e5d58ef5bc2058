import { useEffect, useRef, useState } from 'react'
import type { ProgressDto } from '../../shared/api'
import { formatCount, formatTimeWib } from '../../shared/format'
import { api, ApiFailure, subscribe } from './api'
import { useT } from './i18n'
import type { ScreenProps } from './routes'

/** Console home: reporting progress per contest and per kecamatan, live over SSE. */
export function Home({ config, onUnauthorized }: ScreenProps) {
  const { t } = useT()
  const [progress, setProgress] = useState<ProgressDto | null>(null)
  const [connected, setConnected] = useState(false)
  const [since, setSince] = useState<Date | null>(null)
  const pending = useRef(false)

  useEffect(() => {
    let stopped = false
    const load = () =>
      api<ProgressDto>('/progress').then(
        (p) => !stopped && setProgress(p),
        (e: unknown) => {
          if (e instanceof ApiFailure && e.status === 401) onUnauthorized()
        },
      )
    void load()
    // Coalesce a burst of events into one reload per animation frame.
    const unsubscribe = subscribe(
      () => {
        if (pending.current) return
        pending.current = true
        requestAnimationFrame(() => {
          pending.current = false
          void load()
        })
      },
      (ok) => {
        setConnected(ok)
        setSince(ok ? null : (s) => s ?? new Date())
        if (ok) void load()
      },
    )
    return () => {
      stopped = true
      unsubscribe()
    }
  }, [onUnauthorized])

  if (!progress) return <p>{t.loading}</p>
  return (
    <section className="home">
      <div className={connected ? 'status ok' : 'status down'} role="status">
        {connected ? t.live : `${t.disconnected}${since ? ` ${formatTimeWib(since)}` : ''}`} · {t.lastUpdate}{' '}
        {formatTimeWib(progress.asOf, true)}
      </div>
      <div className="contests">
        {progress.contests.map((c) => {
          const contest = config.contests.find((x) => x.id === c.contest)
          return (
            <article className="card contest" key={c.contest}>
              <h2>{contest?.name ?? c.contest}</h2>
              <p className="big">
                {c.percent.toLocaleString('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%
              </p>
              <p>
                {formatCount(c.reported)} / {formatCount(c.expected)} {t.reportedOf}
              </p>
              <progress max={Math.max(1, c.expected)} value={c.reported} />
              <table>
                <thead>
                  <tr>
                    <th>{t.kecamatan}</th>
                    <th className="num">{t.reported}</th>
                    <th className="num">{t.expected}</th>
                    <th className="num">{t.percent}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.kecamatan.map((k) => (
                    <tr key={k.code}>
                      <td>{k.name}</td>
                      <td className="num">{formatCount(k.reported)}</td>
                      <td className="num">{formatCount(k.expected)}</td>
                      <td className="num">{k.percent.toLocaleString('id-ID', { maximumFractionDigits: 1 })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </article>
          )
        })}
      </div>
    </section>
  )
}
