import type { CandidateDto } from '../../../shared/api'
import { pairColour, pairShortName } from '../../../shared/board'
import { NO_DATA, progressColour, textOn, type ColourMode } from '../../../shared/board-colours'
import type { BoardMessages } from './messages'

const STOPS = [0, 25, 50, 75, 100]

export function Legend({
  mode,
  candidates,
  m,
}: {
  mode: ColourMode
  candidates: CandidateDto[]
  m: BoardMessages
}) {
  if (mode === 'progress') {
    return (
      <div className="legend" data-testid="legend">
        <span className="legend-title">{m.legendProgress}</span>
        {STOPS.map((p) => {
          const fill = progressColour(p / 100)
          return (
            <span key={p} className="legend-step" style={{ background: fill, color: textOn(fill) }}>
              {p}%
            </span>
          )
        })}
        <span className="legend-step" style={{ background: NO_DATA, color: textOn(NO_DATA) }}>
          {m.noData}
        </span>
      </div>
    )
  }
  return (
    <div className="legend" data-testid="legend">
      <span className="legend-title">{m.legendLeader}</span>
      {candidates.map((c) => {
        const fill = pairColour(c.number)
        return (
          <span
            key={c.number}
            className="legend-step"
            style={{ background: fill, color: textOn(fill) }}
          >
            {c.number} {pairShortName(c.name)}
          </span>
        )
      })}
      <span className="legend-step" style={{ background: NO_DATA, color: textOn(NO_DATA) }}>
        {m.noData}
      </span>
    </div>
  )
}
