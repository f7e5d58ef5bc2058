import { geoArea, geoMercator, geoPath } from 'd3-geo'
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson'
import { useLayoutEffect, useMemo, useRef } from 'react'
import { leaderOf, pairColour, type AreaTally, type TileLayoutDto } from '../../../shared/board'
import { formatCount } from '../../../shared/format'
import {
  BOARD_BG,
  NO_DATA,
  regionFill,
  textOn,
  type ColourMode,
} from '../../../shared/board-colours'
import { percentReported } from '../../../shared/board-model'

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

export interface MapProps {
  /** Size in design units (1 unit = 1 px at 1920×1080). */
  width: number
  height: number
  tallyOf: (code: string) => AreaTally | undefined
  nameOf: (code: string) => string
  /** The leading pair as a tile can hold it: number and a short name ("2 · Khofifah"). */
  pairLabel?: (n: number) => string
  mode: ColourMode
  onPick?: (code: string) => void
}

function pctLabel(t: AreaTally | undefined): string {
  const p = percentReported(t)
  return p === null ? '–' : `${p}%`
}

/**
 * Equal tiles on a grid, roughly where each region lies: name, % of TPS reported, and a band
 * naming the leading pair in its colour (or, when tiles are coloured by leader, the TPS count).
 */
export function TileMap({
  layout,
  width,
  height,
  tallyOf,
  nameOf,
  pairLabel,
  mode,
  onPick,
}: MapProps & { layout: TileLayoutDto }) {
  const svg = useRef<SVGSVGElement>(null)
  const gap = 10
  const cols = Math.max(1, layout.cols)
  const rows = Math.max(1, layout.rows)
  const tileW = (width - gap * (cols - 1)) / cols
  const tileH = Math.max(60, Math.min((height - gap * (rows - 1)) / rows, tileW * 1.2))
  const top = Math.max(0, (height - (rows * tileH + gap * (rows - 1))) / 2)
  const pad = clamp(tileW * 0.07, 8, 16)
  const nameSize = clamp(tileW / 7, 24, 36)
  const band = clamp(tileH * 0.24, 36, 56)
  const bandFont = clamp(band * 0.62, 24, 32)
  const pctSize = clamp(
    Math.min((tileH - band - nameSize - pad * 2) * 0.95, (tileW - pad * 2) / 3.2),
    28,
    96,
  )

  // A long name, pair or figure is narrowed (never made smaller than 24 px) to stay inside its tile.
  useLayoutEffect(() => {
    const max = tileW - pad * 2
    for (const t of svg.current?.querySelectorAll<SVGTextElement>(
      'text.tile-name, text.tile-band, text.tile-pct',
    ) ?? []) {
      t.removeAttribute('textLength')
      t.removeAttribute('lengthAdjust')
      if (t.getComputedTextLength() > max) {
        t.setAttribute('textLength', String(max))
        t.setAttribute('lengthAdjust', 'spacingAndGlyphs')
      }
    }
  })

  return (
    <svg
      ref={svg}
      className="map tile-map"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Peta petak wilayah"
    >
      {layout.tiles.map((cell) => {
        const t = tallyOf(cell.code)
        const fill = regionFill(t, mode)
        const ink = textOn(fill)
        const leader = t ? leaderOf(t.votes) : null
        const bandFill =
          mode === 'leader' ? BOARD_BG : leader === null ? NO_DATA : pairColour(leader)
        const bandText =
          mode === 'leader'
            ? t && t.expected > 0
              ? `${formatCount(t.reported)}/${formatCount(t.expected)} TPS`
              : 'Tanpa TPS'
            : leader !== null
              ? (pairLabel?.(leader) ?? `${leader}`)
              : t && t.reported > 0
                ? 'Seri'
                : 'Belum ada'
        const x = cell.col * (tileW + gap)
        const y = top + cell.row * (tileH + gap)
        return (
          <g
            key={cell.code}
            data-tile={cell.code}
            data-percent={percentReported(t) ?? ''}
            transform={`translate(${x},${y})`}
            onClick={onPick ? () => onPick(cell.code) : undefined}
            className={onPick ? 'pickable' : undefined}
          >
            <rect className="tile-bg" width={tileW} height={tileH} rx={8} fill={fill} />
            <text
              className="tile-name"
              data-bg={fill}
              x={pad}
              y={pad + nameSize * 0.85}
              fontSize={nameSize}
              fontWeight={700}
              fill={ink}
            >
              {nameOf(cell.code)}
            </text>
            <text
              className="tile-pct"
              data-bg={fill}
              x={pad}
              y={tileH - band - pad * 0.8}
              fontSize={pctSize}
              fontWeight={800}
              fill={ink}
            >
              {pctLabel(t)}
            </text>
            <g data-band="">
              <rect
                className="tile-bg"
                y={tileH - band}
                width={tileW}
                height={band}
                fill={bandFill}
              />
              <text
                className="tile-band"
                data-bg={bandFill}
                x={pad}
                y={tileH - band / 2}
                dominantBaseline="central"
                fontSize={bandFont}
                fontWeight={700}
                fill={textOn(bandFill)}
              >
                {bandText}
              </text>
            </g>
          </g>
        )
      })}
    </svg>
  )
}

function mainPart(f: Feature): Feature {
  if (f.geometry?.type !== 'MultiPolygon') return f
  const parts = (f.geometry as MultiPolygon).coordinates.map((coordinates): Feature => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates },
  }))
  return parts.reduce((best, p) => (geoArea(p) > geoArea(best) ? p : best), parts[0]!)
}

/** Real shapes from the imported boundaries, drawn with d3-geo (rings already wound for d3). */
export function GeoMap({
  shapes,
  width,
  height,
  tallyOf,
  nameOf,
  mode,
  onPick,
}: MapProps & { shapes: FeatureCollection }) {
  const drawn = useMemo(() => {
    const projection = geoMercator().fitExtent(
      [
        [8, 8],
        [width - 8, height - 8],
      ],
      shapes,
    )
    const path = geoPath(projection)
    return shapes.features.map((f) => {
      // Label the main body, not the centre of all parts (an offshore island pulls it into the sea).
      const main = mainPart(f)
      const [[x0, y0], [x1, y1]] = path.bounds(main)
      return {
        code: String(f.properties?.code),
        d: path(f) ?? '',
        centre: path.centroid(main),
        w: x1 - x0,
        h: y1 - y0,
      }
    })
  }, [shapes, width, height])

  return (
    <svg
      className="map geo-map"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Peta wilayah"
    >
      {drawn.map((s) => {
        const fill = regionFill(tallyOf(s.code), mode)
        return (
          <path
            key={s.code}
            data-shape={s.code}
            data-percent={percentReported(tallyOf(s.code)) ?? ''}
            d={s.d}
            fill={fill}
            stroke={BOARD_BG}
            strokeWidth={1.5}
            onClick={onPick ? () => onPick(s.code) : undefined}
            className={onPick ? 'pickable' : undefined}
          />
        )
      })}
      {drawn.map((s) => {
        // Label a shape only where the label fits inside it; the halo in the shape's own colour
        // keeps the text on that colour even where it touches a neighbour.
        if (s.w < 70 || s.h < 34 || !Number.isFinite(s.centre[0])) return null
        const fill = regionFill(tallyOf(s.code), mode)
        const withName = s.w >= 150 && s.h >= 70
        return (
          <text
            key={s.code}
            data-label={s.code}
            data-bg={fill}
            x={s.centre[0]}
            y={s.centre[1]}
            textAnchor="middle"
            fontSize={24}
            fontWeight={700}
            fill={textOn(fill)}
            stroke={fill}
            strokeWidth={5}
            paintOrder="stroke"
            pointerEvents="none"
          >
            {withName && (
              <tspan x={s.centre[0]} dy={-6}>
                {nameOf(s.code)}
              </tspan>
            )}
            <tspan x={s.centre[0]} dy={withName ? 28 : 8}>
              {pctLabel(tallyOf(s.code))}
            </tspan>
          </text>
        )
      })}
    </svg>
  )
}
