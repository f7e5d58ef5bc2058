import type { FeatureCollection } from 'geojson'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  contestShortName,
  pairTileLabel,
  type BoardLayoutDto,
  type BoardSummaryDto,
  type TickerItem,
} from '../../../shared/board'
import { formatCount, formatTimeWib } from '../../../shared/format'
import { api } from '../api'
import { useT } from '../i18n'
import type { ScreenProps } from '../routes'
import { BoundaryImport } from './boundary-import'
import { ArrivalsChart, VoteChart, type VoteRow } from './charts'
import type { ColourMode } from '../../../shared/board-colours'
import { Legend } from './legend'
import { useBoardLive } from './live'
import { GeoMap, TileMap } from './maps'
import { BOARD_MESSAGES, type BoardMessages } from './messages'
import { percentReported, type BoardModel } from '../../../shared/board-model'
import './board.css'

/**
 * The wall board, and at /papan?batas the admin's boundary import (a query, not a sub-path: the
 * UI's assets are addressed relative to the page, so /papan/batas would look for /papan/assets).
 */
export function BoardScreen(props: ScreenProps) {
  if (new URLSearchParams(window.location.search).has('batas')) return <BoundaryImport {...props} />
  return <Board {...props} />
}

interface BoardParams {
  contest: string | null
  kec: string | null
  /** Seconds per step of the unattended cycle; null when the board is driven by hand. */
  auto: number | null
  tilesOnly: boolean
  colour: ColourMode
}

function readParams(search: string): BoardParams {
  const q = new URLSearchParams(search)
  const auto = Number(q.get('auto'))
  return {
    contest: q.get('contest'),
    kec: q.get('kec'),
    auto: q.has('auto') ? (Number.isFinite(auto) && auto >= 5 ? Math.min(auto, 3600) : 20) : null,
    tilesOnly: q.get('peta') === 'petak',
    colour: q.get('warna') === 'unggul' ? 'leader' : 'progress',
  }
}

const DESIGN_W = 1920
const DESIGN_H = 1080

/** Design pixels → screen pixels: the board is laid out for 1920×1080 and scaled to the screen. */
function useScale(): number {
  const get = () => Math.min(window.innerWidth / DESIGN_W, window.innerHeight / DESIGN_H)
  const [scale, setScale] = useState(get)
  useEffect(() => {
    const on = () => setScale(get())
    window.addEventListener('resize', on)
    return () => window.removeEventListener('resize', on)
  }, [])
  return scale
}

function useSize(el: HTMLElement | null): { w: number; h: number } {
  const [size, setSize] = useState({ w: 0, h: 0 })
  useEffect(() => {
    if (!el) return
    const ro = new ResizeObserver(([entry]) => {
      const r = entry!.contentRect
      setSize((s) =>
        Math.abs(s.w - r.width) < 1 && Math.abs(s.h - r.height) < 1
          ? s
          : { w: r.width, h: r.height },
      )
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [el])
  return size
}

/** The imported boundary layers, fetched once per import (the desk answers 304 otherwise). */
function useShapes(layout: BoardLayoutDto | null, needDesa: boolean) {
  const [shapes, setShapes] = useState<{ kecamatan?: FeatureCollection; desa?: FeatureCollection }>(
    {},
  )
  const kecInfo = layout?.boundaries.find((b) => b.level === 'kecamatan')
  const desaInfo = layout?.boundaries.find((b) => b.level === 'desa')
  const kecKey = kecInfo?.importedAt ?? null
  const desaKey = desaInfo?.importedAt ?? null
  useEffect(() => {
    let stopped = false
    if (!kecKey) setShapes((s) => ({ ...s, kecamatan: undefined }))
    else
      void api<FeatureCollection>('/board/boundaries/kecamatan').then(
        (fc) => !stopped && setShapes((s) => ({ ...s, kecamatan: fc })),
        () => {},
      )
    return () => {
      stopped = true
    }
  }, [kecKey])
  useEffect(() => {
    let stopped = false
    if (!desaKey) setShapes((s) => ({ ...s, desa: undefined }))
    else if (needDesa)
      void api<FeatureCollection>('/board/boundaries/desa').then(
        (fc) => !stopped && setShapes((s) => ({ ...s, desa: fc })),
        () => {},
      )
    return () => {
      stopped = true
    }
  }, [desaKey, needDesa])
  return shapes
}

/**
 * The desk's time (a training desk's is simulated), once the desk is known; this screen's before.
 * Read from the model at every tick: its offset moves with each event the desk sends.
 */
function Clock({ model }: { model: BoardModel | null }) {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000)
    return () => clearInterval(timer)
  }, [])
  // This render's time, not the last tick's: a model that arrived in between is not set back.
  const local = Date.now()
  const now = model ? model.deskNow(local) : local
  return (
    <div className="board-clock" data-testid="clock">
      {formatTimeWib(now, true)}
    </div>
  )
}

// One empty list while the summary loads, so effects keyed on the contests do not rerun each render.
const NO_CONTESTS: BoardModel['summary']['contests'] = []

function Board({ config, onUnauthorized }: ScreenProps) {
  const { lang } = useT()
  const m = BOARD_MESSAGES[lang]
  const params = useMemo(() => readParams(window.location.search), [])
  const live = useBoardLive(onUnauthorized)
  const scale = useScale()
  const model = live.model
  const contests = model?.summary.contests ?? NO_CONTESTS
  const [contestIndex, setContestIndex] = useState(0)
  const [area, setArea] = useState<string | null>(params.kec)
  const [tilesOnly, setTilesOnly] = useState(params.tilesOnly)
  const [colour, setColour] = useState<ColourMode>(params.colour)
  const [paused, setPaused] = useState(false)
  const [idle, setIdle] = useState(false)
  const [, setMinute] = useState(0)
  const [mapBox, setMapBox] = useState<HTMLDivElement | null>(null)
  const size = useSize(mapBox)
  const shapes = useShapes(live.layout, area !== null && !tilesOnly)
  const [notice, setNotice] = useState<string | null>(null)
  // Boundaries for what is on show: kecamatan shapes for the regency, desa shapes inside one.
  const hasShapes = !!live.layout?.boundaries.some((b) => b.level === (area ? 'desa' : 'kecamatan'))
  const showingGeo = hasShapes && !tilesOnly
  const hasShapesRef = useRef(hasShapes)
  hasShapesRef.current = hasShapes
  // M (or the map button) with no boundaries imported: say so on the wall instead of doing nothing.
  const toggleMap = useCallback(() => {
    if (!hasShapesRef.current) {
      setNotice(m.noBoundaries)
      return
    }
    setNotice(null)
    setTilesOnly((v) => !v)
  }, [m])
  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => setNotice(null), 8_000)
    return () => clearTimeout(timer)
  }, [notice])

  // The contest asked for in the address, once contests are known.
  const wanted = useRef(params.contest)
  useEffect(() => {
    if (!wanted.current || contests.length === 0) return
    const i = contests.findIndex((c) => c.id === wanted.current)
    if (i >= 0) setContestIndex(i)
    wanted.current = null
  }, [contests])

  const kecCodes = useMemo(
    () =>
      model ? model.summary.areas.filter((a) => a.level === 'kecamatan').map((a) => a.code) : [],
    [model],
  )

  // Unattended: contest overview, then one kecamatan, then the next contest… every N seconds.
  const step = useRef(0)
  useEffect(() => {
    if (!params.auto || paused || contests.length === 0) return
    const timer = setInterval(() => {
      step.current++
      const k = step.current
      setContestIndex(Math.floor(k / 2) % contests.length)
      setArea(
        k % 2 === 0 || kecCodes.length === 0
          ? null
          : kecCodes[Math.floor(k / 2) % kecCodes.length]!,
      )
    }, params.auto * 1000)
    return () => clearInterval(timer)
  }, [params.auto, paused, contests.length, kecCodes])

  // New empty buckets on the arrivals chart as time passes, without waiting for a report.
  useEffect(() => {
    if (!model) return
    const timer = setInterval(() => {
      model.extendArrivals(model.deskNow())
      setMinute((n) => n + 1)
    }, 60_000)
    return () => clearInterval(timer)
  }, [model])

  const fullscreen = useCallback(() => {
    if (!document.fullscreenElement)
      void document.documentElement.requestFullscreen?.().catch(() => {})
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight')
        setContestIndex((i) => (contests.length ? (i + 1) % contests.length : 0))
      else if (e.key === 'ArrowLeft')
        setContestIndex((i) => (contests.length ? (i - 1 + contests.length) % contests.length : 0))
      else if (e.key === 'Escape' || e.key === 'Backspace') setArea(null)
      else if (e.key === 'm' || e.key === 'M') toggleMap()
      else if (e.key === 'w' || e.key === 'W')
        setColour((c) => (c === 'progress' ? 'leader' : 'progress'))
      else if (e.key === ' ') setPaused((p) => !p)
      else if (e.key === 'f' || e.key === 'F') fullscreen()
      else return
      e.preventDefault()
    }
    // Browsers allow full screen only after a gesture: in unattended mode the first key or click does it.
    const onGesture = () => params.auto && fullscreen()
    window.addEventListener('keydown', onKey)
    window.addEventListener('pointerdown', onGesture)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('pointerdown', onGesture)
    }
  }, [contests.length, fullscreen, params.auto, toggleMap])

  // No cursor on the wall: always in unattended mode, otherwise after three still seconds.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const move = () => {
      setIdle(false)
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => setIdle(true), 3_000)
    }
    move()
    window.addEventListener('mousemove', move)
    return () => {
      if (timer) clearTimeout(timer)
      window.removeEventListener('mousemove', move)
    }
  }, [])

  const style = { '--u': `${scale}px` } as React.CSSProperties
  const training = model?.summary.training ?? config.training
  const regency = model?.summary.regency ?? config.regency
  const contest = contests[Math.min(contestIndex, Math.max(0, contests.length - 1))]

  return (
    // data-event-id: the last desk event this board has applied, so a test (or an operator with the
    // inspector) can tell a board that is behind from one that is up to date.
    <div
      className={`board${params.auto || idle ? ' no-cursor' : ''}`}
      style={style}
      data-revision={live.revision}
      data-event-id={model?.lastEventId}
    >
      {training && <div className="board-training">{m.training}</div>}
      <header className="board-head">
        <div className="board-title">
          <h1>{regency.name}</h1>
          <p>
            {config.election.name} · {contest ? contestShortName(contest.name) : ''}
          </p>
        </div>
        <div className="board-disclaimer">{m.disclaimer}</div>
        <div className="board-time">
          <Clock model={model} />
          <p data-testid="last-update">
            {m.lastUpdate} {model ? formatTimeWib(model.lastUpdate, true) : '–'}
          </p>
        </div>
        {live.downSince && (
          <div className="board-down" role="alert" data-testid="connection-lost">
            {m.downSince} {formatTimeWib(live.downSince)} — {m.downHint}
          </div>
        )}
      </header>
      {!model || !contest || !live.layout ? (
        <div className="board-loading">{live.downSince ? m.connecting : m.loading}</div>
      ) : (
        <>
          <div className="board-body">
            <section className="board-map">
              <div className="map-head">
                <h2>
                  {area ? `${m.kecamatan} ${model.name(area)}` : m.kabupaten}
                  {params.auto && paused && <span className="paused"> · {m.paused}</span>}
                </h2>
                {!params.auto && (
                  <div className="map-controls">
                    {area && (
                      <button type="button" onClick={() => setArea(null)}>
                        {m.back}
                      </button>
                    )}
                    {/* Each button says what the wall shows now; its title says what pressing it does. */}
                    <button
                      type="button"
                      data-testid="map-mode"
                      onClick={toggleMap}
                      title={showingGeo ? m.switchToTiles : m.switchToGeo}
                    >
                      {showingGeo ? m.showingGeo : m.showingTiles}
                    </button>
                    <button
                      type="button"
                      data-testid="colour-mode"
                      onClick={() => setColour((c) => (c === 'progress' ? 'leader' : 'progress'))}
                      title={colour === 'progress' ? m.switchToLeader : m.switchToProgress}
                    >
                      {colour === 'progress' ? m.showingProgress : m.showingLeader}
                    </button>
                    <button type="button" onClick={fullscreen}>
                      {m.fullscreen}
                    </button>
                  </div>
                )}
              </div>
              {/* In the flow, above the map (which gives up the room for a few seconds): it hides no tile. */}
              {notice && (
                <div className="board-notice" role="status" data-testid="board-notice">
                  {notice}
                </div>
              )}
              <div className="map-box" ref={setMapBox}>
                {size.w > 0 && (
                  <MapView
                    model={model}
                    layout={live.layout}
                    shapes={shapes}
                    tilesOnly={tilesOnly}
                    contestId={contest.id}
                    area={area}
                    width={size.w / scale}
                    height={size.h / scale}
                    colour={colour}
                    onPick={area ? undefined : setArea}
                  />
                )}
              </div>
              <Legend mode={colour} candidates={contest.candidates} m={m} />
            </section>
            <aside className="board-side">
              <Progress model={model} contestId={contest.id} area={area} m={m} />
              <Votes model={model} contestId={contest.id} area={area} scale={scale} m={m} />
              <Arrivals model={model} contestId={contest.id} scale={scale} m={m} />
            </aside>
          </div>
          <Ticker items={model.ticker} m={m} />
        </>
      )}
    </div>
  )
}

function MapView(props: {
  model: BoardModel
  layout: BoardLayoutDto
  shapes: { kecamatan?: FeatureCollection; desa?: FeatureCollection }
  tilesOnly: boolean
  contestId: string
  area: string | null
  width: number
  height: number
  colour: ColourMode
  onPick?: (code: string) => void
}) {
  const { model, layout, shapes, tilesOnly, contestId, area, width, height, colour, onPick } = props
  const tallyOf = (code: string) => model.tally(contestId, code)
  const nameOf = (code: string) => model.name(code)
  const candidates = model.contest(contestId)?.candidates ?? []
  const pairLabel = (n: number) => {
    const c = candidates.find((x) => x.number === n)
    return c ? pairTileLabel(c) : String(n)
  }
  const desaShapes = useMemo(() => {
    if (!area || !shapes.desa) return null
    const features = shapes.desa.features.filter((f) =>
      String(f.properties?.code).startsWith(area + '.'),
    )
    return features.length ? ({ type: 'FeatureCollection', features } as FeatureCollection) : null
  }, [area, shapes.desa])
  const common = {
    width,
    height,
    tallyOf,
    nameOf,
    pairLabel,
    mode: colour,
    ...(onPick ? { onPick } : {}),
  }
  if (!area) {
    if (!tilesOnly && shapes.kecamatan) return <GeoMap shapes={shapes.kecamatan} {...common} />
    return <TileMap layout={layout.regency} {...common} />
  }
  if (!tilesOnly && desaShapes) return <GeoMap shapes={desaShapes} {...common} />
  const tiles = layout.kecamatan[area]
  return tiles ? <TileMap layout={tiles} {...common} /> : null
}

const percentFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 })

/**
 * Open conflicts of the kecamatan on show (the model's count is the whole regency's), read from
 * the desk when the kecamatan changes, when the regency's count moves (a new conflict) and when
 * a fresh summary arrives (a decision). null until known.
 */
function useAreaConflicts(
  model: BoardModel,
  area: string | null,
): { open: number; regencyCount: number } | null {
  const [known, setKnown] = useState<{ area: string; open: number; regencyCount: number } | null>(
    null,
  )
  const regencyCount = model.summary.conflictsWaiting
  useEffect(() => {
    if (!area) return
    let stopped = false
    void api<BoardSummaryDto>(`/board/summary?kecamatan=${encodeURIComponent(area)}`).then(
      (s) => !stopped && setKnown({ area, open: s.conflictsWaiting, regencyCount }),
      () => {},
    )
    return () => {
      stopped = true
    }
  }, [model, area, regencyCount])
  return area && known?.area === area ? known : null
}

function Progress({
  model,
  contestId,
  area,
  m,
}: {
  model: BoardModel
  contestId: string
  area: string | null
  m: BoardMessages
}) {
  const contest = model.contest(contestId)!
  const t = model.tally(contestId, area ?? model.summary.regency.code)
  const pct = percentReported(t)
  const areaConflicts = useAreaConflicts(model, area)
  const conflicts = area ? (areaConflicts?.open ?? null) : model.summary.conflictsWaiting
  // The regency's count the figure shown was read at: a kecamatan's figure is current once this
  // equals the regency's count (what tests wait for instead of sleeping).
  const readAt = area ? areaConflicts?.regencyCount : model.summary.conflictsWaiting
  return (
    <section className="side-card progress-card" data-testid="progress">
      <h2>
        {contestShortName(contest.name)} · {area ? model.name(area) : model.summary.regency.name}
      </h2>
      <div className="big-figure" data-testid="progress-percent">
        {pct === null ? '–' : `${percentFormat.format(pct)}%`}
      </div>
      <p className="progress-text">
        <strong>{formatCount(t?.reported ?? 0)}</strong> {m.of} {formatCount(t?.expected ?? 0)}{' '}
        {m.tpsReported}
      </p>
      <p
        className={conflicts !== null && conflicts > 0 ? 'conflicts waiting' : 'conflicts'}
        data-testid="conflicts"
        data-regency-count={readAt}
      >
        {m.conflicts}: <strong>{conflicts === null ? '–' : formatCount(conflicts)}</strong>
      </p>
    </section>
  )
}

function Votes(props: {
  model: BoardModel
  contestId: string
  area: string | null
  scale: number
  m: BoardMessages
}) {
  const { model, contestId, area, scale, m } = props
  const contest = model.contest(contestId)!
  const t = model.tally(contestId, area ?? model.summary.regency.code)
  const votes = t?.votes ?? {}
  const valid = contest.candidates.reduce((a, c) => a + (votes[String(c.number)] ?? 0), 0)
  const key = contest.candidates.map((c) => votes[String(c.number)] ?? 0).join(',')
  // A new array only when the numbers change, so the chart redraws only then.
  const rows: VoteRow[] = useMemo(
    () =>
      contest.candidates.map((candidate) => {
        const v = votes[String(candidate.number)] ?? 0
        return { candidate, votes: v, share: valid > 0 ? (v / valid) * 100 : 0 }
      }),
    // `key` stands for the votes: a new object with the same numbers must not redraw the chart.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- votes is read through key
    [contest, key, valid],
  )
  return (
    <section className="side-card votes-card">
      <h2>
        {m.votesShare} · {formatCount(valid)}
      </h2>
      <VoteChart rows={rows} scale={scale} />
    </section>
  )
}

function Arrivals({
  model,
  contestId,
  scale,
  m,
}: {
  model: BoardModel
  contestId: string
  scale: number
  m: BoardMessages
}) {
  const a = model.summary.arrivals
  const counts = a.counts[contestId] ?? []
  const start = Date.parse(a.start)
  const labels = counts.map((_, i) =>
    formatTimeWib(start + i * a.bucketMinutes * 60_000).replace(' WIB', ''),
  )
  const key = `${a.start}|${counts.join(',')}`
  // `key` stands for the start and the counts (labels follow from them): redraw only when they change.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- counts and labels are read through key
  const data = useMemo(() => ({ labels, counts: [...counts] }), [key])
  return (
    <section className="side-card arrivals-card">
      <h2>{m.arrivals}</h2>
      <ArrivalsChart labels={data.labels} counts={data.counts} scale={scale} />
    </section>
  )
}

function Ticker({ items, m }: { items: TickerItem[]; m: BoardMessages }) {
  return (
    <footer className="board-ticker" data-testid="ticker">
      <span className="ticker-label">{m.latest}</span>
      {items.length === 0 && <span className="ticker-item">{m.noNews}</span>}
      {items.slice(0, 2).map((item) => (
        <span key={item.id} className={`ticker-item ${item.tone}`} data-event={item.id}>
          <b>{formatTimeWib(item.at).replace(' WIB', '')}</b> {item.text}
        </span>
      ))}
    </footer>
  )
}
