import type { Plugin } from 'chart.js'
import type { CandidateDto } from '../../../shared/api'
import { pairColour, pairShortName } from '../../../shared/board'
import { CHART_MUTED as MUTED, CHART_TEXT as TEXT } from '../../../shared/board-colours'
import { formatCount } from '../../../shared/format'
import { useChart } from './use-chart'

const FONT = "system-ui, 'Segoe UI', 'Liberation Sans', 'DejaVu Sans', sans-serif"

const shareFormat = new Intl.NumberFormat('id-ID', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
})

export interface VoteRow {
  candidate: CandidateDto
  votes: number
  share: number
}

interface VoteChartMeta {
  rows: VoteRow[]
  scale: number
}

/**
 * Names, vote counts and shares are drawn by this plugin rather than by axes: a wall needs the
 * share at a size axes do not offer. The smallest font it used is kept on the canvas
 * (data-min-font-px) so the legibility test can check canvas text as well.
 */
const voteLabels: Plugin<'bar'> = {
  id: 'voteLabels',
  afterDatasetsDraw(chart) {
    const meta = (chart.options.plugins as unknown as { voteMeta?: VoteChartMeta }).voteMeta
    if (!meta) return
    const { ctx, chartArea } = chart
    const bars = chart.getDatasetMeta(0).data
    const baseName = 26 * meta.scale
    const shareSize = Math.round(64 * meta.scale)
    let nameSize = Math.round(baseName)
    let overflow = 0
    ctx.save()
    bars.forEach((bar, i) => {
      const row = meta.rows[i]
      if (!row) return
      const { x, y, height } = bar.getProps(['x', 'y', 'height'], true) as {
        x: number
        y: number
        height: number
      }
      const top = y - height / 2
      ctx.textBaseline = 'alphabetic'
      // Name and vote count share the line above the bar: never cut, the pair's short name is
      // drawn narrower (condensed by measure, the height stays legible) when both do not fit.
      const count = `${formatCount(row.votes)} suara`
      const name = `${row.candidate.number} · ${pairShortName(row.candidate.name)}`
      const size = Math.round(baseName)
      ctx.font = `600 ${size}px ${FONT}`
      const countWidth = ctx.measureText(count).width
      const room = chart.width - chartArea.left - countWidth - 20 * meta.scale
      const nameWidth = ctx.measureText(name).width
      ctx.fillStyle = MUTED
      ctx.textAlign = 'right'
      ctx.fillText(count, chart.width, top - 8 * meta.scale)
      ctx.textAlign = 'left'
      ctx.fillStyle = TEXT
      ctx.fillText(name, chartArea.left, top - 8 * meta.scale, Math.max(1, room))
      nameSize = Math.min(nameSize, size)
      // How much was condensed (1 = not at all) and whether anything still spills: for the tests.
      overflow = Math.max(overflow, countWidth > chart.width ? countWidth - chart.width : 0)
      chart.canvas.dataset[`name${i}`] = name
      chart.canvas.dataset[`squeeze${i}`] = String(nameWidth > room ? room / nameWidth : 1)
      ctx.font = `800 ${shareSize}px ${FONT}`
      ctx.textBaseline = 'middle'
      ctx.fillStyle = TEXT
      ctx.fillText(`${shareFormat.format(row.share)}%`, x + 14 * meta.scale, y + 2)
    })
    ctx.restore()
    chart.canvas.dataset.minFontPx = String(Math.min(nameSize, shareSize))
    chart.canvas.dataset.overflowPx = String(Math.round(overflow))
    chart.canvas.dataset.keyFontPx = String(shareSize)
  },
}

/**
 * What every chart on the wall shares: fills its box, redrawn without animation, no pointer, no
 * legend. A fresh object per chart: chart.js keeps (and the vote chart writes into) what it is given.
 */
const wallOptions = () => ({
  responsive: true,
  locale: 'id-ID',
  maintainAspectRatio: false,
  animation: false as const,
  events: [] as never[],
  plugins: { legend: { display: false }, tooltip: { enabled: false } },
})

/** Design pixels per pair: its name line and a bar beside a share 64 design pixels high. */
const VOTE_ROW = 96

/** Vote share per pair: a bar per pair in its colour, its name, votes and share. */
export function VoteChart({ rows, scale }: { rows: VoteRow[]; scale: number }) {
  const canvas = useChart<'bar'>(
    () => ({
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          {
            data: [],
            backgroundColor: [],
            borderWidth: 0,
            barPercentage: 0.55,
            categoryPercentage: 1,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        ...wallOptions(),
        scales: {
          x: { display: false, min: 0, max: 100 },
          y: { display: false },
        },
      },
      plugins: [voteLabels],
    }),
    (c) => {
      c.data.labels = rows.map((r) => String(r.candidate.number))
      const ds = c.data.datasets[0]!
      ds.data = rows.map((r) => r.share)
      ds.backgroundColor = rows.map((r) => pairColour(r.candidate.number))
      // Room above the first bar for its name line (with the gap each bar has above it), and on
      // the right for the share.
      c.options.layout = { padding: { top: 20 * scale, right: 230 * scale, left: 0, bottom: 0 } }
      ;(c.options.plugins as unknown as { voteMeta: VoteChartMeta }).voteMeta = { rows, scale }
    },
    [rows, scale],
  )

  return (
    <div
      className="vote-chart"
      style={{ height: `calc(${rows.length * VOTE_ROW + 10} * var(--u))` }}
    >
      <canvas
        ref={canvas}
        role="img"
        aria-label={rows
          .map((r) => `${r.candidate.number} ${r.candidate.name}: ${shareFormat.format(r.share)}%`)
          .join('; ')}
      />
    </div>
  )
}

/** The y ticks chart.js kept after laying out (it drops them when short of room), for the tests. */
const yTicksSeen: Plugin<'bar'> = {
  id: 'yTicksSeen',
  afterLayout(chart) {
    chart.canvas.dataset.yTicks = (chart.scales.y?.ticks ?? [])
      .map((t) => String(t.label))
      .join(',')
  },
}

/** Accepted results per 15 minutes since 13:00 WIB, on the desk's clock (simulated in a demo). */
export function ArrivalsChart({
  labels,
  counts,
  scale,
}: {
  labels: string[]
  counts: number[]
  scale: number
}) {
  const canvas = useChart<'bar'>(
    () => ({
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          {
            data: [],
            backgroundColor: '#56B4E9',
            borderWidth: 0,
            barPercentage: 0.9,
            categoryPercentage: 1,
          },
        ],
      },
      options: {
        ...wallOptions(),
        scales: {
          x: {
            grid: { display: false },
            border: { color: '#64748b' },
            ticks: { color: MUTED, autoSkip: false, maxRotation: 0 },
          },
          y: {
            beginAtZero: true,
            grid: { color: '#334155' },
            border: { display: false },
            ticks: { color: MUTED, precision: 0, maxTicksLimit: 4 },
          },
        },
      },
      plugins: [yTicksSeen],
    }),
    (c) => {
      const size = Math.round(24 * scale)
      const font = { size, family: FONT, weight: 600 as const }
      c.data.labels = labels
      c.data.datasets[0]!.data = counts
      const x = c.options.scales!.x!
      const y = c.options.scales!.y!
      // A label at every hour: "19:00" where they fit side by side, else the hour alone ("19");
      // only an evening of more hours than even that fits skips every second (third…) one.
      const hours = labels.filter((l) => l.endsWith(':00')).length
      const room = Math.max(1, c.canvas.clientWidth - 3 * size)
      c.ctx.save()
      c.ctx.font = `600 ${size}px ${FONT}`
      const longWidth = c.ctx.measureText('00:00').width + size * 0.5
      const shortWidth = c.ctx.measureText('00').width + size * 0.5
      c.ctx.restore()
      const long = hours * longWidth <= room
      const per = long ? longWidth : shortWidth
      const step = Math.max(1, Math.ceil((hours * per) / room))
      x.ticks = {
        ...x.ticks,
        font,
        callback: (_v, i) => {
          const l = labels[i]
          if (!l?.endsWith(':00') || Number(l.slice(0, 2)) % step !== 0) return ''
          return long ? l : l.slice(0, 2)
        },
      }
      // Room on the right so the last hour's label is never cut at the card's edge.
      c.options.layout = { padding: { right: long ? size * 1.4 : size * 0.6 } }
      c.canvas.dataset.hourLabels = labels
        .filter((l, i) => l.endsWith(':00') && Number(l.slice(0, 2)) % step === 0 && i >= 0)
        .join(',')
      y.ticks = { ...y.ticks, font }
      c.canvas.dataset.minFontPx = String(size)
    },
    [labels, counts, scale],
  )

  return (
    <div className="arrivals-chart">
      <canvas ref={canvas} role="img" aria-label="Laporan masuk per 15 menit" />
    </div>
  )
}
