// The review screen's decided tab: every conflict decided, with its reason and who decided.

import type { ConflictDto } from '../../../../shared/console'
import { tpsLabel } from '../../../../shared/format'
import {
  ActorName,
  contestShort,
  ErrorLine,
  Link,
  Loading,
  Time,
  useConsole,
  useLiveData,
  historyPath,
} from '../common'
import { useM } from '../messages'

export function ResolvedList() {
  const m = useM()
  const { config } = useConsole()
  const resolved = useLiveData<{ conflicts: ConflictDto[] }>('/conflicts?status=resolved', [
    'conflict.resolved',
  ])
  if (!resolved.data) return resolved.error ? <ErrorLine error={resolved.error} /> : <Loading />
  if (resolved.data.conflicts.length === 0) return <p className="card muted">{m.nothingYet}</p>
  const label: Record<string, string> = {
    standing: m.keepStanding,
    new: m.keepNew,
    corrected: m.keepCorrected,
  }
  return (
    <div className="card table-scroll">
      <table className="compact">
        <thead>
          <tr>
            <th>#</th>
            <th>{m.tps}</th>
            <th>{m.contest}</th>
            <th>{m.decisionColumn}</th>
            <th>{m.reasonColumn}</th>
            <th>{m.decidedBy}</th>
            <th>{m.time}</th>
          </tr>
        </thead>
        <tbody>
          {resolved.data.conflicts.map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td>
                <Link to={historyPath(c.tps.code)}>{tpsLabel(c.tps, m.tps)}</Link>
                <div className="muted small">{c.tps.kecamatanName}</div>
              </td>
              <td>{contestShort(config, c.contest)}</td>
              <td>{label[c.resolution?.keep ?? ''] ?? c.resolution?.keep}</td>
              <td>{c.resolution?.reason}</td>
              <td>{c.resolution && <ActorName actor={c.resolution.actor} />}</td>
              <td>{c.resolution?.at && <Time at={c.resolution.at} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
