// The wall board's live state, the client side of GET /board/summary + /events: a summary read
// once, then events applied on top. Results carry everything a tally needs, so a board follows
// 200 results a second without asking the desk for anything; events that change the past (a
// decided conflict, a postponed TPS, a new registry) ask for a fresh summary instead. Pure (no
// DOM): the UI uses it and Node tests it.

import type { DeskEventType, StreamEvent } from './events'
import {
  tickerItem,
  type AreaTally,
  type BoardContestDto,
  type BoardSummaryDto,
  type TickerItem,
  type TickerLookup,
} from './board'

/** Events after which the summary is read again: they rewrite tallies an event cannot patch. */
export const REFRESH_EVENTS: DeskEventType[] = [
  'result.updated',
  'conflict.resolved',
  'result.reviewed',
  'tps.status',
  'tps.imported',
  'config.changed',
  'boundaries.imported',
  'simulation.purged',
]
export const LIVE_EVENTS: DeskEventType[] = [
  'result.accepted',
  'result.conflict',
  'incident.created',
]

export const TICKER_MAX = 30
/** A day of 15-minute buckets: the arrivals chart never grows past it. */
export const ARRIVAL_BUCKETS_MAX = 96

export type ApplyOutcome = 'applied' | 'ignored' | 'refresh'

export class BoardModel {
  readonly summary: BoardSummaryDto
  readonly lookup: TickerLookup
  ticker: TickerItem[]
  lastEventId: number
  /** When the data last changed (the latest event applied, or the summary's time). */
  lastUpdate: string
  /**
   * The desk's clock minus this screen's. The board keeps the desk's time: a training desk runs
   * simulated time (a demo plays 13:00–18:00 in minutes, its clock jumping ahead with each step),
   * and a wall PC's own clock may be off. Set from the summary's time, then moved forward by every
   * event's time (see syncClock), so a desk clock that runs faster than this screen's is followed
   * rather than drifting away at real pace.
   */
  clockOffsetMs: number
  private readonly contests = new Map<string, BoardContestDto>()
  private readonly names = new Map<string, string>()

  constructor(summary: BoardSummaryDto, localNowMs: number = Date.now()) {
    const deskNow = Date.parse(summary.asOf)
    this.clockOffsetMs = Number.isFinite(deskNow) ? deskNow - localNowMs : 0
    // The summary is ours from here on: tallies are patched in place.
    this.summary = summary
    for (const c of summary.contests) this.contests.set(c.id, c)
    for (const a of summary.areas) this.names.set(a.code, a.name)
    this.names.set(summary.regency.code, summary.regency.name)
    this.lookup = {
      regionName: (code) => this.names.get(code),
      contestName: (id) => this.contests.get(id)?.name,
    }
    this.ticker = summary.recent.slice(0, TICKER_MAX)
    this.lastEventId = summary.lastEventId
    this.lastUpdate = summary.recent[0]?.at ?? summary.asOf
  }

  /** Now on the desk's clock (see clockOffsetMs). */
  deskNow(localNowMs: number = Date.now()): number {
    return localNowMs + this.clockOffsetMs
  }

  name(code: string): string {
    return this.names.get(code) ?? code
  }

  contest(id: string): BoardContestDto | undefined {
    return this.contests.get(id)
  }

  tally(contestId: string, code: string): AreaTally | undefined {
    const c = this.contests.get(contestId)
    if (!c) return undefined
    return code === this.summary.regency.code ? c.total : c.areas[code]
  }

  /**
   * An event's time is the desk's time when it happened: the desk's clock is at least that now.
   * Only ever forward: an event replayed after a reconnect carries its old time, and the few
   * milliseconds an event spends on its way must not pull the clock back a step at a time. (A
   * fresh summary, read after anything that rewrites the past, sets the offset anew.) Returns
   * whether the clock moved.
   */
  syncClock(deskTimeIso: string, localNowMs: number = Date.now()): boolean {
    const desk = Date.parse(deskTimeIso)
    if (!Number.isFinite(desk)) return false
    const offset = desk - localNowMs
    if (offset <= this.clockOffsetMs) return false
    this.clockOffsetMs = offset
    return true
  }

  apply(e: StreamEvent, localNowMs: number = Date.now()): ApplyOutcome {
    if (e.id <= this.lastEventId) return 'ignored'
    this.lastEventId = e.id
    // The chart gains its empty buckets as the desk's clock moves, not only on a result.
    if (this.syncClock(e.at, localNowMs)) this.extendArrivals(this.deskNow(localNowMs))
    if (REFRESH_EVENTS.includes(e.type)) return 'refresh'
    if (e.type === 'result.accepted') {
      const d = e.data
      const contest = this.contests.get(d.contest)
      if (!contest) return 'refresh'
      const parts = d.tps.split('.')
      const targets = [
        contest.total,
        contest.areas[parts.slice(0, 3).join('.')],
        contest.areas[parts.slice(0, 4).join('.')],
      ]
      for (const t of targets) {
        if (!t) continue
        t.reported++
        for (const [k, v] of Object.entries(d.votes)) t.votes[k] = (t.votes[k] ?? 0) + v
      }
      this.countArrival(d.contest, e.at)
    } else if (e.type === 'result.conflict') {
      this.summary.conflictsWaiting++
    } else if (!LIVE_EVENTS.includes(e.type)) {
      return 'ignored'
    }
    const item = tickerItem(e, this.lookup)
    if (item) {
      this.ticker.unshift(item)
      if (this.ticker.length > TICKER_MAX) this.ticker.length = TICKER_MAX
    }
    this.lastUpdate = e.at
    return 'applied'
  }

  private countArrival(contest: string, at: string): void {
    const a = this.summary.arrivals
    if (!a.counts[contest]) return
    const t = Date.parse(at)
    this.extendArrivals(t) // may move the start forward
    const i = Math.floor((t - Date.parse(a.start)) / (a.bucketMinutes * 60_000))
    const list = a.counts[contest]!
    if (i >= 0 && i < list.length) list[i]!++
  }

  /** Add empty buckets up to `nowMs`, dropping the oldest beyond a day. */
  extendArrivals(nowMs: number): void {
    const a = this.summary.arrivals
    const bucketMs = a.bucketMinutes * 60_000
    const start = Date.parse(a.start)
    const needed = Math.floor((nowMs - start) / bucketMs) + 1
    const lists = Object.values(a.counts)
    const have = lists[0]?.length ?? 0
    if (needed > have) for (const l of lists) for (let i = have; i < needed; i++) l.push(0)
    const length = lists[0]?.length ?? 0
    if (length > ARRIVAL_BUCKETS_MAX) {
      const drop = length - ARRIVAL_BUCKETS_MAX
      for (const l of lists) l.splice(0, drop)
      a.start = new Date(start + drop * bucketMs).toISOString()
    }
  }
}

/** Share of reported TPS, floored so that 100% means every TPS (never 99.6% shown as 100%). */
export function percentReported(t: AreaTally | undefined): number | null {
  if (!t || t.expected <= 0) return null
  return Math.floor((t.reported / t.expected) * 100)
}
