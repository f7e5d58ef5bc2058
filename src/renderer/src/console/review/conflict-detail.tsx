// One conflict on the review screen: the standing and the incoming report side by side, the
// evidence, and the supervisor's decision.

import type { ContestDto } from '../../../../shared/api'
import type { ConflictDto, DecisionAnswer, SubmissionViewDto } from '../../../../shared/console'
import { formatCount, tpsLabel } from '../../../../shared/format'
import { contestShort, Link, Photos, post, roleAtLeast, useConsole, historyPath } from '../common'
import { useM } from '../messages'
import { sheetLines } from '../sheet'
import { DecisionForm } from './decision-form'
import { SubmissionMeta, Verification } from './submission'

function Comparison({
  contest,
  left,
  right,
  differences,
}: {
  contest: ContestDto | undefined
  left: SubmissionViewDto | null
  right: SubmissionViewDto
  differences: string[]
}) {
  const m = useM()
  const a = left ? sheetLines(contest, left.sheet, m) : []
  const b = sheetLines(contest, right.sheet, m)
  const diff = new Set(differences)
  return (
    <table className="compare">
      <thead>
        <tr>
          <th>{m.field}</th>
          <SubmissionMeta s={left} title={m.standing} />
          <SubmissionMeta s={right} title={m.incoming} />
        </tr>
      </thead>
      <tbody>
        {b.map((line, i) => {
          const l = a[i]
          // Derived lines (valid, total) and voter lines when only one side has them ("voters") differ by value.
          const byValue =
            line.key === 'valid' ||
            line.key === 'total' ||
            (diff.has('voters') && line.key.startsWith('voters.'))
          const differs = diff.has(line.key) || (l !== undefined && l.n !== line.n && byValue)
          return (
            <tr key={line.key} className={differs ? 'differs' : undefined} data-field={line.key}>
              <td>
                {line.label}
                {differs && <span className="pill conflict">{m.differs}</span>}
              </td>
              <td className="num">{l?.n === null || l === undefined ? '—' : formatCount(l.n)}</td>
              <td className="num">{line.n === null ? '—' : formatCount(line.n)}</td>
            </tr>
          )
        })}
        <tr>
          <td>{m.warnings}</td>
          <td className="small">{left?.warnings.map((w) => w.message).join('; ') || '—'}</td>
          <td className="small">{right.warnings.map((w) => w.message).join('; ') || '—'}</td>
        </tr>
      </tbody>
    </table>
  )
}

export function ConflictDetail({
  conflict,
  position,
  onDecided,
}: {
  conflict: ConflictDto
  position: string
  onDecided: () => void
}) {
  const m = useM()
  const { config, me } = useConsole()
  const contest = config.contests.find((c) => c.id === conflict.contest)
  // A kecamatan given to another supervisor: said before anything is typed (the desk refuses it
  // anyway), and the form stays visible but disabled. An admin decides any conflict.
  const lockedBy =
    me.role === 'supervisor' && conflict.assignedTo && conflict.assignedTo.id !== me.id
      ? conflict.assignedTo
      : null
  return (
    <article className="card detail" data-conflict-detail={conflict.id}>
      <header className="detail-head">
        <h2>
          #{conflict.id} {tpsLabel(conflict.tps, m.tps)} · {contestShort(config, conflict.contest)}
        </h2>
        <span className="muted">
          {position} · {m.kecamatan} {conflict.tps.kecamatanName} · {m.dpt}{' '}
          {formatCount(conflict.tps.dpt)} ·{' '}
          {conflict.kind === 'correction' ? m.kindCorrection : m.kindConflict} ·{' '}
          {conflict.assignedTo && (
            <>
              {m.assignedTo} <strong>{conflict.assignedTo.name}</strong> ·{' '}
            </>
          )}
          <Link to={historyPath(conflict.tps.code)}>{m.openHistory}</Link>
        </span>
      </header>
      <div className="detail-body">
        <Comparison
          contest={contest}
          left={conflict.standing}
          right={conflict.incoming}
          differences={conflict.differences}
        />
        <div className="detail-side">
          <div className="evidence">
            <Verification v={conflict.verification} />
            <Photos photos={conflict.photos} />
          </div>
          {roleAtLeast(me.role, 'supervisor') ? (
            contest && (
              <DecisionForm
                contest={contest}
                dpt={conflict.tps.dpt}
                locked={
                  lockedBy ? m.assignedElsewhere(conflict.tps.kecamatanName, lockedBy.name) : null
                }
                options={[
                  { id: 'standing', label: m.keepStanding },
                  { id: 'new', label: m.keepNew },
                  { id: 'corrected', label: m.keepCorrected, sheet: true },
                ]}
                prefill={conflict.incoming.sheet}
                onSubmit={(choice, reason, sheet) =>
                  post<DecisionAnswer>(`/conflicts/${conflict.id}/resolve`, {
                    keep: choice,
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
  )
}
