import type { RowError } from '../../shared/api'

/** The rows an all-or-nothing import refused, as the sheet numbers them (the first 50). */
export function RowErrorList({ rows, rowLabel }: { rows: RowError[]; rowLabel: string }) {
  return (
    <ul className="row-errors">
      {rows.slice(0, 50).map((r, i) => (
        <li key={i}>
          {rowLabel} {r.row}
          {r.column ? ` (${r.column})` : ''}: {r.message}
        </li>
      ))}
    </ul>
  )
}
