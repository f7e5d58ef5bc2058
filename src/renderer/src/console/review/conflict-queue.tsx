// The review screen's conflicts tab: the filtered queue, J/K through it, and the one in view.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ConflictDto } from '../../../../shared/console'
import { formatCount, formatTpsNumber, tpsLabel } from '../../../../shared/format'
import { contestShort, ErrorLine, Loading, Time, useConsole } from '../common'
import { useM } from '../messages'
import { Assignments } from './assignments'
import { ConflictDetail } from './conflict-detail'

interface QueueFilter {
  kecamatan: string
  contest: string
  kind: '' | 'conflict' | 'correction'
  mine: boolean
  q: string
}

const EMPTY_FILTER: QueueFilter = { kecamatan: '', contest: '', kind: '', mine: false, q: '' }

/** The conflicts the filter keeps; the search covers TPS, desa, kecamatan and the reporters' names. */
function filterConflicts(list: ConflictDto[], f: QueueFilter, meId: string): ConflictDto[] {
  const q = f.q.trim().toLowerCase()
  return list.filter(
    (c) =>
      (!f.kecamatan || c.tps.kecamatan === f.kecamatan) &&
      (!f.contest || c.contest === f.contest) &&
      (!f.kind || c.kind === f.kind) &&
      (!f.mine || c.assignedTo?.id === meId) &&
      (!q ||
        [
          `#${c.id}`,
          c.tps.code,
          c.tps.desaName,
          c.tps.kecamatanName,
          `tps ${formatTpsNumber(c.tps.number)}`,
          c.incoming.actor.name,
          c.standing?.actor.name ?? '',
        ]
          .join(' ')
          .toLowerCase()
          .includes(q)),
  )
}

/** True when a key press belongs to a text field (J/K there are letters, not "next"). */
const typing = (e: KeyboardEvent) => {
  const t = e.target as HTMLElement | null
  return (
    !!t &&
    (t.tagName === 'INPUT' ||
      t.tagName === 'TEXTAREA' ||
      t.tagName === 'SELECT' ||
      t.isContentEditable)
  )
}

export function ConflictQueue({
  data,
  error,
  onDecided,
}: {
  data: ConflictDto[] | null
  error: Error | null
  onDecided: () => void
}) {
  const m = useM()
  const { config, me } = useConsole()
  const [selected, setSelected] = useState<number | null>(null)
  const [filter, setFilter] = useState<QueueFilter>(EMPTY_FILTER)
  const shown = useMemo(
    () => (data ? filterConflicts(data, filter, me.id) : []),
    [data, filter, me.id],
  )
  const current = shown.find((c) => c.id === selected) ?? shown[0] ?? null
  const index = current ? shown.indexOf(current) : -1
  // After a decision the decided conflict leaves the list: go on to the one that followed it.
  const after = useRef<number | null>(null)
  useEffect(() => {
    if (after.current === null || !data) return
    const next = shown[Math.min(after.current, shown.length - 1)]
    after.current = null
    setSelected(next?.id ?? null)
  }, [data, shown])
  const move = useCallback(
    (step: number) => {
      if (shown.length === 0) return
      const i = Math.max(0, Math.min(shown.length - 1, index + step))
      setSelected(shown[i]!.id)
      document
        .querySelector<HTMLElement>(`[data-conflict="${shown[i]!.id}"]`)
        ?.scrollIntoView({ block: 'nearest' })
    },
    [shown, index],
  )
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.altKey || e.ctrlKey || e.metaKey) return
      if (e.key === 'j' || e.key === 'J') move(1)
      else if (e.key === 'k' || e.key === 'K') move(-1)
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [move])
  const kecamatanList = useMemo(() => {
    const seen = new Map<string, string>()
    for (const c of data ?? []) seen.set(c.tps.kecamatan, c.tps.kecamatanName)
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]))
  }, [data])
  if (!data) return error ? <ErrorLine error={error} /> : <Loading />
  const set = (patch: Partial<QueueFilter>) => setFilter((f) => ({ ...f, ...patch }))
  return (
    <>
      <div className="card queue-tools">
        <div className="filters" role="search">
          <label>
            {m.filterKecamatan}{' '}
            <select
              value={filter.kecamatan}
              onChange={(e) => set({ kecamatan: e.target.value })}
              aria-label={m.filterKecamatan}
            >
              <option value="">{m.allKecamatan}</option>
              {kecamatanList.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.contest}{' '}
            <select
              value={filter.contest}
              onChange={(e) => set({ contest: e.target.value })}
              aria-label={m.contest}
            >
              <option value="">{m.allContests}</option>
              {config.contests.map((c) => (
                <option key={c.id} value={c.id}>
                  {contestShort(config, c.id)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.kindLabel}{' '}
            <select
              value={filter.kind}
              onChange={(e) => set({ kind: e.target.value as QueueFilter['kind'] })}
              aria-label={m.kindLabel}
            >
              <option value="">{m.allKinds}</option>
              <option value="conflict">{m.kindConflict}</option>
              <option value="correction">{m.kindCorrection}</option>
            </select>
          </label>
          {me.role === 'supervisor' && (
            <label className="check">
              <input
                type="checkbox"
                checked={filter.mine}
                onChange={(e) => set({ mine: e.target.checked })}
              />{' '}
              {m.onlyMine}
            </label>
          )}
          <label>
            {m.search}{' '}
            <input
              type="search"
              value={filter.q}
              onChange={(e) => set({ q: e.target.value })}
              aria-label={m.searchConflicts}
              placeholder={m.searchConflictsHint}
              // Wide enough for the whole hint (one ch per character and some: letters are about a
              // ch wide, commas and spaces less), so it is never cut at 1366×768.
              style={{ width: `${m.searchConflictsHint.length + 3}ch` }}
            />
          </label>
          <span className="muted" data-testid="queue-count">
            {m.shownOf(formatCount(shown.length), formatCount(data.length))}
          </span>
          <span className="queue-nav">
            <button
              type="button"
              className="small-button secondary"
              onClick={() => move(-1)}
              disabled={index <= 0}
            >
              {m.previous}
            </button>
            <button
              type="button"
              className="small-button secondary"
              onClick={() => move(1)}
              disabled={index < 0 || index >= shown.length - 1}
            >
              {m.next}
            </button>
          </span>
        </div>
        <Assignments />
      </div>
      {data.length === 0 ? (
        <p className="card muted">{m.noConflicts}</p>
      ) : shown.length === 0 || !current ? (
        <p className="card muted">{m.noConflictsMatch}</p>
      ) : (
        <div className="queue">
          <ul className="queue-list card" aria-label={m.tabConflicts}>
            {shown.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className={c === current ? 'item active' : 'item'}
                  onClick={() => setSelected(c.id)}
                  data-conflict={c.id}
                  aria-current={c === current}
                >
                  <strong>
                    #{c.id} {tpsLabel(c.tps, m.tps)}
                  </strong>
                  <span className="muted small">
                    {c.tps.kecamatanName} · {contestShort(config, c.contest)} ·{' '}
                    {c.kind === 'correction' ? m.kindCorrection : m.kindConflict} ·{' '}
                    <Time at={c.createdAt} />
                  </span>
                  {c.assignedTo && <span className="small assigned">→ {c.assignedTo.name}</span>}
                </button>
              </li>
            ))}
          </ul>
          <ConflictDetail
            key={current.id}
            conflict={current}
            position={m.position(formatCount(index + 1), formatCount(shown.length))}
            onDecided={() => {
              after.current = index
              onDecided()
            }}
          />
        </div>
      )}
    </>
  )
}
