// The review screen's assignments: which supervisor takes which kecamatan's conflicts.

import { useState } from 'react'
import type { ReviewAssignmentsDto } from '../../../../shared/console'
import { api } from '../../api'
import { formatCount } from '../../../../shared/format'
import { ErrorLine, roleAtLeast, Time, useConsole, useLiveData } from '../common'
import { useM } from '../messages'

/** Who takes which kecamatan's conflicts: seen by all staff, changed by supervisors and the admin. */
export function Assignments() {
  const m = useM()
  const { me } = useConsole()
  const data = useLiveData<ReviewAssignmentsDto>('/console/review-assignments', [
    'review.assigned',
    'users.imported',
  ])
  const [kecamatan, setKecamatan] = useState('')
  const [supervisor, setSupervisor] = useState('')
  const [error, setError] = useState<string | null>(null)
  if (!data.data) return null
  const canAssign = roleAtLeast(me.role, 'supervisor')
  const save = (kec: string, sup: string | null) => {
    setError(null)
    api<ReviewAssignmentsDto>(`/console/review-assignments/${kec}`, {
      method: 'PUT',
      body: JSON.stringify({ supervisor: sup }),
    }).then(
      () => {
        setKecamatan('')
        setSupervisor('')
        data.reload()
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    )
  }
  return (
    <details className="assignments" data-testid="assignments">
      <summary>
        {m.assignmentsTitle} ({formatCount(data.data.assignments.length)})
      </summary>
      {data.data.assignments.length === 0 ? (
        <p className="muted small">{m.noAssignments}</p>
      ) : (
        <ul className="small">
          {data.data.assignments.map((a) => (
            <li key={a.kecamatan} data-assigned={a.kecamatan}>
              {m.kecamatan} {a.kecamatanName} → <strong>{a.supervisor.name}</strong>{' '}
              <span className="muted">
                ({a.assignedBy.name}, <Time at={a.at} />)
              </span>
              {canAssign && (
                <button
                  type="button"
                  className="small-button secondary"
                  onClick={() => save(a.kecamatan, null)}
                >
                  {m.unassign}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAssign && (
        <div className="inline-form">
          <select
            value={kecamatan}
            onChange={(e) => setKecamatan(e.target.value)}
            aria-label={m.assignKecamatan}
          >
            <option value="">{m.assignKecamatan}</option>
            {data.data.kecamatan.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
          <select
            value={supervisor}
            onChange={(e) => setSupervisor(e.target.value)}
            aria-label={m.assignSupervisor}
          >
            <option value="">{m.assignSupervisor}</option>
            {data.data.supervisors.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="small-button"
            disabled={!kecamatan || !supervisor}
            onClick={() => save(kecamatan, supervisor)}
          >
            {m.assign}
          </button>
          <ErrorLine error={error} />
        </div>
      )}
    </details>
  )
}
