// The review screen's flags tab: results stored with soft warnings, confirmed or corrected.

import { useState } from 'react'
import type { DecisionAnswer, FlagDto } from '../../../../shared/console'
import { formatCount, tpsLabel } from '../../../../shared/format'
import {
  contestShort,
  ErrorLine,
  Link,
  Loading,
  Photos,
  post,
  roleAtLeast,
  useConsole,
  historyPath,
} from '../common'
import { useM } from '../messages'
import { sheetLines } from '../sheet'
import { DecisionForm } from './decision-form'
import { SubmissionMeta, Verification } from './submission'

export function FlagQueue({
  data,
  error,
  onDecided,
}: {
  data: FlagDto[] | null
  error: Error | null
  onDecided: () => void
}) {
  const m = useM()
  const { config, me } = useConsole()
  const [selected, setSelected] = useState<string | null>(null)
  if (!data) return error ? <ErrorLine error={error} /> : <Loading />
  if (data.length === 0) return <p className="card muted">{m.noFlags}</p>
  const keyOf = (f: FlagDto) => `${f.tps.code}/${f.contest}`
  const current = data.find((f) => keyOf(f) === selected) ?? data[0]!
  const contest = config.contests.find((c) => c.id === current.contest)
  const lines = sheetLines(contest, current.result, m)
  return (
    <div className="queue">
      <ul className="queue-list card" aria-label={m.tabFlags}>
        {data.map((f) => (
          <li key={keyOf(f)}>
            <button
              type="button"
              className={f === current ? 'item active' : 'item'}
              onClick={() => setSelected(keyOf(f))}
            >
              <strong>{tpsLabel(f.tps, m.tps)}</strong>
              <span className="muted small">
                {f.tps.kecamatanName} · {contestShort(config, f.contest)} · {f.warnings.length}{' '}
                {m.flagsWaiting}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <article className="card detail" key={keyOf(current)}>
        <header className="detail-head">
          <h2>
            {tpsLabel(current.tps, m.tps)} · {contestShort(config, current.contest)}
          </h2>
          <span className="muted">
            {m.kecamatan} {current.tps.kecamatanName} · {m.dpt} {formatCount(current.tps.dpt)} ·{' '}
            <Link to={historyPath(current.tps.code)}>{m.openHistory}</Link>
          </span>
        </header>
        <div className="detail-body">
          <div>
            <ul className="warnings">
              {current.warnings.map((w) => (
                <li key={w.code}>{w.message}</li>
              ))}
            </ul>
            <table className="compare single">
              <thead>
                <tr>
                  <th>{m.field}</th>
                  <SubmissionMeta s={current.submission} title={m.standing} />
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.key}>
                    <td>{l.label}</td>
                    <td className="num">{l.n === null ? '—' : formatCount(l.n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="detail-side">
            <div className="evidence">
              <Verification v={current.verification} />
              <Photos photos={current.photos} />
            </div>
            {roleAtLeast(me.role, 'supervisor') ? (
              contest && (
                <DecisionForm
                  contest={contest}
                  dpt={current.tps.dpt}
                  options={[
                    { id: 'confirm', label: m.confirmFlag },
                    { id: 'correct', label: m.correctFlag, sheet: true },
                  ]}
                  prefill={current.result}
                  onSubmit={(choice, reason, sheet) =>
                    post<DecisionAnswer>(`/results/${current.tps.code}/${current.contest}/review`, {
                      action: choice,
                      reason,
                      ...(sheet ? { sheet } : {}),
                    })
                  }
                  onDone={onDecided}
                />
              )
            ) : (
              <p className="muted">{m.onlySupervisor}</p>
            )}
          </div>
        </div>
      </article>
    </div>
  )
}
