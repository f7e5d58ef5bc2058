import { useEffect, useState } from 'react'
import {
  leaderOf,
  pairColour,
  type PublicAreaDto,
  type PublicContestDto,
  type PublicSummaryDto,
} from '../../../shared/board'
import { formatCount, formatTimeWib } from '../../../shared/format'
import { BOARD_MESSAGES } from '../board/messages'
import { useT } from '../i18n'
import type { ScreenProps } from '../routes'
import './publik.css'

const REFRESH_MS = 30_000
const oneDecimal = new Intl.NumberFormat('id-ID', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
})

/**
 * The public page: totals only, the same disclaimer as the wall, built for phones. It reads the
 * desk's cached public summary every 30 seconds while the page is visible: thousands of readers
 * cost the desk one rendering per few seconds, and no open connection each.
 */
export function PublicPage({ config }: ScreenProps) {
  const { lang, setLang } = useT()
  const m = BOARD_MESSAGES[lang]
  const [summary, setSummary] = useState<PublicSummaryDto | null>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let stopped = false
    const load = async () => {
      if (timer) clearTimeout(timer)
      timer = null
      try {
        const res = await fetch('/api/v1/public/summary')
        if (!res.ok) throw new Error(String(res.status))
        const body = (await res.json()) as PublicSummaryDto
        if (!stopped) {
          setSummary(body)
          setFailed(false)
        }
      } catch {
        if (!stopped) setFailed(true)
      }
      if (!stopped && !document.hidden) timer = setTimeout(() => void load(), REFRESH_MS)
    }
    const onVisible = () => {
      if (!document.hidden) void load()
      else if (timer) {
        clearTimeout(timer)
        timer = null
      }
    }
    void load()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [])

  return (
    <div className="publik">
      {(summary?.training ?? config.training) && (
        <div className="publik-training">{m.training}</div>
      )}
      <header className="publik-head">
        <div>
          <h1>
            {m.publicTitle} {summary?.election.name ?? config.election.name}
          </h1>
          <p>{summary?.regency.name ?? config.regency.name}</p>
        </div>
        <button
          type="button"
          className="publik-lang"
          onClick={() => setLang(lang === 'id' ? 'en' : 'id')}
        >
          {lang === 'id' ? 'EN' : 'ID'}
        </button>
      </header>
      <div className="publik-disclaimer" role="note">
        <strong>{m.disclaimer}</strong>
        <span>{m.disclaimerLong}</span>
      </div>
      <p className="publik-asof">
        {summary ? `${m.lastUpdate} ${formatTimeWib(summary.asOf)}` : m.loading} · {m.publicRefresh}
        {failed && <span className="publik-stale"> · {m.downHint}</span>}
      </p>
      {summary?.contests.map((c) => (
        <ContestSection key={c.id} contest={c} m={m} />
      ))}
    </div>
  )
}

function pct(a: PublicAreaDto): string {
  return a.expected > 0 ? `${Math.floor((a.reported / a.expected) * 100)}%` : '–'
}

function ContestSection({
  contest,
  m,
}: {
  contest: PublicContestDto
  m: (typeof BOARD_MESSAGES)['id']
}) {
  const t = contest.total
  const valid = contest.candidates.reduce((a, c) => a + (t.votes[String(c.number)] ?? 0), 0)
  return (
    <section className="publik-contest" data-contest={contest.id}>
      <h2>{contest.name}</h2>
      <div className="publik-progress">
        <span className="publik-big">{pct(t)}</span>
        <span>
          {m.tpsReported}
          <br />
          {formatCount(t.reported)} {m.of} {formatCount(t.expected)}
        </span>
      </div>
      <div className="publik-meter" aria-hidden="true">
        <div style={{ width: `${t.expected > 0 ? (t.reported / t.expected) * 100 : 0}%` }} />
      </div>
      <ol className="publik-pairs">
        {contest.candidates.map((cand) => {
          const v = t.votes[String(cand.number)] ?? 0
          const share = valid > 0 ? (v / valid) * 100 : 0
          return (
            <li key={cand.number}>
              <div className="publik-pair-line">
                <span className="publik-swatch" style={{ background: pairColour(cand.number) }} />
                <span className="publik-pair-name">
                  {cand.number}. {cand.name}
                </span>
                <span className="publik-share">{oneDecimal.format(share)}%</span>
              </div>
              <div className="publik-pair-bar">
                <div style={{ width: `${share}%`, background: pairColour(cand.number) }} />
              </div>
              <div className="publik-votes">
                {formatCount(v)} {m.votes}
              </div>
            </li>
          )
        })}
      </ol>
      <details className="publik-kec">
        <summary>{m.perKecamatan}</summary>
        <table>
          <thead>
            <tr>
              <th>{m.kecamatan}</th>
              <th className="num">{m.reported}</th>
              <th>{m.leader}</th>
            </tr>
          </thead>
          <tbody>
            {contest.kecamatan.map((k) => {
              const leader = leaderOf(k.votes)
              return (
                <tr key={k.code}>
                  <td>{k.name}</td>
                  <td className="num">{pct(k)}</td>
                  <td>
                    {leader !== null ? (
                      <>
                        <span
                          className="publik-swatch small"
                          style={{ background: pairColour(leader) }}
                        />{' '}
                        {leader}
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </details>
    </section>
  )
}
