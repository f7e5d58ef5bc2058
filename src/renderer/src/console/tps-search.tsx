import { useMemo, useState, type RefObject } from 'react'
import { formatCount, tpsLabel } from '../../../shared/format'
import { useM } from './messages'
import { searchTps, type TpsEntry, type TpsIndex } from './tps-index'

/**
 * Type-ahead TPS finder: type any of code, desa or kecamatan name and the TPS number; ↑/↓ choose,
 * Enter takes the highlighted one, Esc clears.
 */
export function TpsSearch({
  index,
  onPick,
  inputRef,
  autoFocus,
  id = 'tps-search',
  contests,
  initialQuery = '',
}: {
  index: TpsIndex
  onPick: (t: TpsEntry) => void
  inputRef?: RefObject<HTMLInputElement | null>
  autoFocus?: boolean
  id?: string
  /** When given, each suggestion shows which contests already have a result. */
  contests?: { id: string; label: string }[]
  /** Text the search starts with (e.g. the desa of a refused SMS's reporter). */
  initialQuery?: string
}) {
  const m = useM()
  const [query, setQuery] = useState(initialQuery)
  const [active, setActive] = useState(0)
  const matches = useMemo(() => searchTps(index, query), [index, query])
  const pick = (t: TpsEntry | undefined) => {
    if (!t) return
    onPick(t)
    setQuery('')
    setActive(0)
  }
  return (
    <div className="tps-search">
      <label htmlFor={id}>{m.findTps}</label>
      <input
        id={id}
        ref={inputRef}
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={false}
        placeholder={m.findTpsPlaceholder}
        value={query}
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls={`${id}-list`}
        aria-activedescendant={matches[active] ? `${id}-opt-${active}` : undefined}
        onChange={(e) => {
          setQuery(e.target.value)
          setActive(0)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault()
            setActive((a) => Math.min(a + 1, matches.length - 1))
          } else if (e.key === 'ArrowUp') {
            e.preventDefault()
            setActive((a) => Math.max(a - 1, 0))
          } else if (e.key === 'Enter') {
            e.preventDefault()
            e.stopPropagation()
            pick(matches[active])
          } else if (e.key === 'Escape') {
            setQuery('')
          }
        }}
      />
      {index.list.length === 0 && <p className="muted">{m.tpsNotLoaded}</p>}
      {query.trim() !== '' && (
        <ul className="suggestions" id={`${id}-list`} role="listbox">
          {matches.length === 0 && <li className="muted">{m.noTpsMatch}</li>}
          {matches.map((t, i) => (
            <li
              key={t.code}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault()
                pick(t)
              }}
            >
              <strong>{tpsLabel(t, m.tps)}</strong>{' '}
              <span className="muted">
                {m.kecamatan} {t.kecamatanName} · {t.code} · {m.dpt} {formatCount(t.dpt)}
              </span>
              {t.status !== 'active' && (
                <span className="pill conflict"> {m.statuses[t.status]}</span>
              )}
              {contests && (
                <span className="marks">
                  {contests.map((c) => (
                    <span key={c.id} className={t.reported[c.id] ? 'pill accepted' : 'pill none'}>
                      {c.label}: {t.reported[c.id] ? '✓' : '–'}
                    </span>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
