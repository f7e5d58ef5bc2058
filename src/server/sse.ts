import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import type { DeskEvent } from '../shared/events'
import type { DeskService } from '../service/desk-service'
import { DeskError } from '../service/errors'
import type { Principal } from '../service/principal'
import { eventFor } from './event-views'
import { Arrivals, OpeningQueue, TurnPacer } from './sse-pacing'

export interface SseHub {
  /**
   * Middleware in front of the stream route (before sign-in): openings wait their turn, a few at
   * a time, so a burst of them does not hold up every other request (`sse-pacing.ts`).
   */
  admit(req: Request, res: Response, next: NextFunction): void
  /**
   * Before express, for a request on the stream's path: a stream opening waits its turn here and
   * `go` (express) runs when it comes; false when it is not one for the queue (express answers).
   */
  early(req: IncomingMessage, res: ServerResponse, go: () => void): boolean
  /**
   * The server accepted a connection (its `connection` event): while they keep coming, fewer
   * openings and pages go per turn, so the turns that accept them stay short.
   */
  accepted(): void
  /** Opens a stream, or throws a DeskError (429/503) when a cap is reached. */
  handle(req: Request, res: Response): void
  /** Open streams right now, by the role of who opened them. */
  counts(): Record<string, number>
  closeAll(): void
}

export interface SseLimits {
  /** Open streams one account may hold (a board per screen, a console per window). */
  perAccount: number
  /** Open streams in all. */
  total: number
  /**
   * Events a reconnecting client may be behind and still be sent what it missed; further behind,
   * it starts from now and is told (`ready.reset`) to re-read the summary.
   */
  maxReplay: number
  /** Events read and written per replay step; the next page waits for the socket to drain. */
  pageSize: number
  /** Bytes a stream may hold unsent; past that its client is not reading and the stream is dropped. */
  maxBuffered: number
  /** How long a replay waits for a socket to drain before the stream is dropped. */
  drainTimeoutMs: number
  /** Stream openings under way at once (signing in, checking the caps, sending the headers). */
  openingsAtOnce: number
  /** Openings that may wait for their turn; past that, `503` at once. */
  openingsWaiting: number
  /** Replay pages written per turn of the event loop, over all streams together. */
  pagesPerTurn: number
  /** Openings started per turn while connections are still being accepted (one per turn). */
  openingsPerTurnArriving: number
  /** Replay pages per turn while connections are still being accepted. */
  pagesPerTurnArriving: number
}

export const DEFAULT_SSE_LIMITS: SseLimits = {
  perAccount: 20,
  total: 200,
  maxReplay: 5_000,
  pageSize: 200,
  maxBuffered: 256 * 1024,
  drainTimeoutMs: 30_000,
  openingsAtOnce: 8,
  openingsWaiting: 1_000,
  pagesPerTurn: 16,
  openingsPerTurnArriving: 1,
  pagesPerTurnArriving: 2,
}

interface Stream {
  res: Response
  role: string
  account: string
}

/** The client is gone (its socket closed or destroyed): nothing sent to it will arrive. */
function clientGone(req: Request, res: Response): boolean {
  return res.destroyed || res.writableEnded || req.socket.destroyed || !req.socket.writable
}

/**
 * Server-Sent Events. Every event carries its durable id; a client reconnecting with
 * Last-Event-ID (header, or `lastEventId` in the query for a first connect) first gets what it
 * missed from the store, then live events. Subscribing before replaying, and skipping ids already
 * sent, closes the gap between the two. A stream starts from, and replays up to, the last event
 * the desk has published (`publishedEventId`: its batch synced, its senders answered), never the
 * last committed one: an event is not shown before its sender is told it was kept, and a stream
 * opened while a batch syncs still gets it from the bus.
 *
 * Threat: one signed-in account opening hundreds of streams that never read once froze the desk
 * (the whole events table written synchronously into each socket: 9–18 s stalls, 1.5–2.8 GB).
 * Now the replay goes a page at a time and waits for each socket to drain, streams are capped per
 * account and in all, a client too far behind starts from now and re-reads the summary, and a
 * stream whose unsent bytes pass `maxBuffered` is dropped (its client reconnects with its id).
 */
export function createSseHub(
  service: DeskService,
  heartbeatMs: number = 15_000,
  limits: SseLimits = DEFAULT_SSE_LIMITS,
): SseHub {
  const open = new Set<Stream>()
  const perAccount = new Map<string, number>()
  const arrivals = new Arrivals()
  const openings = new OpeningQueue(limits.openingsAtOnce, limits.openingsWaiting, arrivals, {
    calm: limits.openingsAtOnce,
    arriving: limits.openingsPerTurnArriving,
  })
  const pageTurns = new TurnPacer(
    { calm: limits.pagesPerTurn, arriving: limits.pagesPerTurnArriving },
    arrivals,
  )
  // Streams replaying from the same point read the same pages and send the same text: a full page
  // after a given id never changes (events are append-only), so pages and their text are shared.
  const pages = new Map<number, DeskEvent[]>()
  const PAGE_CACHE = 64
  const pageAfter = (id: number): DeskEvent[] => {
    const cached = pages.get(id)
    if (cached) return cached
    // Never past the last published event: later ones are committed but their batch is still
    // syncing, their senders not answered yet; they come from the bus once it is out.
    const page = service.eventsAfter(id, limits.pageSize, service.publishedEventId())
    // A full page is the same whatever was published later, so it can be shared.
    if (page.length === limits.pageSize) {
      if (pages.size >= PAGE_CACHE) pages.delete(pages.keys().next().value!)
      pages.set(id, page)
    }
    return page
  }
  const texts = {
    display: new WeakMap<DeskEvent, string | null>(),
    full: new WeakMap<DeskEvent, string | null>(),
  }
  const textOf = (role: string, e: DeskEvent): string | null => {
    const cache = role === 'display' ? texts.display : texts.full
    let text = cache.get(e)
    if (text === undefined) {
      const shown = eventFor(role, e)
      text = shown ? `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(shown)}\n\n` : null
      cache.set(e, text)
    }
    return text
  }
  // A whole page as one Buffer per audience, made once: 200 streams replaying the same page
  // share it (no per-stream joining, measuring and encoding of 50 KB strings, which was most of
  // the CPU a replay burst cost), and a socket that cannot take it yet holds a reference, not a copy.
  const pageTexts = new WeakMap<DeskEvent[], { display?: Buffer; full?: Buffer }>()
  const pageText = (role: string, page: DeskEvent[]): Buffer => {
    const kind = role === 'display' ? 'display' : 'full'
    let made = pageTexts.get(page)
    if (!made) pageTexts.set(page, (made = {}))
    let text = made[kind]
    if (!text) {
      let joined = ''
      for (const e of page) joined += textOf(role, e) ?? ''
      made[kind] = text = Buffer.from(joined)
    }
    return text
  }

  function handle(req: Request, res: Response): void {
    // The client left while this opening waited its turn or signed in: `close` has fired already,
    // so the listeners below would never run and a stream nobody reads would stay counted (and
    // hold a place of its account's cap) until the desk restarts.
    if (clientGone(req, res)) return void res.destroy()
    const principal = res.locals.principal as Principal | undefined
    const role = principal?.role ?? 'public'
    const account = principal?.id ?? 'public'
    if ((perAccount.get(account) ?? 0) >= limits.perAccount) {
      res.set('Retry-After', '30')
      throw new DeskError(
        429,
        'too_many_streams',
        `Akun ini sudah membuka ${limits.perAccount} aliran peristiwa. Tutup layar yang tidak dipakai lalu coba lagi.`,
      )
    }
    if (open.size >= limits.total) {
      res.set('Retry-After', '30')
      throw new DeskError(
        503,
        'too_many_streams',
        'Desk sedang melayani terlalu banyak aliran peristiwa. Coba lagi sebentar lagi.',
      )
    }
    const header =
      req.get('Last-Event-ID') ??
      (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined)
    // From the last PUBLISHED event, not the last committed one: a batch committed but still
    // syncing is published a moment later, and a stream that started after it would skip it
    // for good (events at or below where it starts are never sent).
    const head = service.publishedEventId()
    let lastSent = header && /^\d+$/.test(header) ? Number(header) : head
    // An id past the desk's last event: this client followed another desk (a restart on a new or
    // restored data folder). Skipping "up to" it would freeze the client silently; instead it
    // starts from now and is told, in `ready`, to read its state again. The same for a client so
    // far behind that sending everything it missed would cost more than re-reading the summary.
    // (An id between the published and the committed one is this desk's: a summary read while a
    // batch syncs already shows that batch. Nothing is replayed for it; later events come live.)
    const reset = lastSent > service.lastEventId() || head - lastSent > limits.maxReplay
    if (reset) lastSent = head

    const stream: Stream = { res, role, account }
    open.add(stream)
    perAccount.set(account, (perAccount.get(account) ?? 0) + 1)
    let closed = false
    let heartbeat: ReturnType<typeof setInterval> | undefined
    let unsubscribe = () => {}
    const cleanup = () => {
      if (closed) return
      closed = true
      if (heartbeat) clearInterval(heartbeat)
      unsubscribe()
      open.delete(stream)
      const n = (perAccount.get(account) ?? 1) - 1
      if (n > 0) perAccount.set(account, n)
      else perAccount.delete(account)
    }
    /** A client that does not read: drop it (and what it holds) rather than buffer for it. */
    const drop = () => {
      cleanup()
      res.destroy()
    }
    req.on('close', cleanup)
    res.on('close', cleanup)
    res.on('error', cleanup)

    res.status(200)
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    // The headers go out with the first bytes, in one write (flushHeaders first cost a second one).
    res.write(`retry: 2000\n\n`)

    /** Writes; false when the socket's buffer is full (the caller waits or drops). */
    const write = (text: string | Buffer): boolean => {
      if (closed) return false
      // Writing to a destroyed socket raises nothing: without this a heartbeat would go on forever.
      if (clientGone(req, res)) {
        cleanup()
        return false
      }
      if (res.writableLength > limits.maxBuffered) {
        drop()
        return false
      }
      return res.write(text)
    }
    const send = (e: DeskEvent): boolean => {
      if (e.id <= lastSent) return true
      lastSent = e.id
      const text = textOf(role, e)
      return text === null ? true : write(text)
    }
    const buffered: DeskEvent[] = []
    let replaying = true
    unsubscribe = service.bus.subscribe((e) => {
      if (!replaying) return void send(e)
      // Live events during a replay wait in memory, bounded: past a page's worth the client is
      // told to start over from the summary instead.
      if (buffered.length < limits.maxReplay) buffered.push(e)
      else drop()
    })

    const drained = () =>
      new Promise<boolean>((resolve) => {
        if (closed) return resolve(false)
        const timer = setTimeout(() => finish(false), limits.drainTimeoutMs)
        const finish = (ok: boolean) => {
          clearTimeout(timer)
          res.off('drain', onDrain)
          res.off('close', onClose)
          resolve(ok)
        }
        const onDrain = () => finish(true)
        const onClose = () => finish(false)
        res.on('drain', onDrain)
        res.on('close', onClose)
      })

    const replay = async () => {
      for (;;) {
        // A few pages per turn of the event loop, over all streams, the first page too (an
        // opening itself is only its headers): other requests are answered between them.
        await pageTurns.turn()
        if (closed) return
        const page = pageAfter(lastSent)
        // One write per page, not per event: a socket write is a system call. Every event of the
        // page comes after lastSent (that is how the page was read).
        const batch = pageText(role, page)
        if (page.length) lastSent = page.at(-1)!.id
        // A full socket buffer: wait for the client to read before writing more.
        if (batch.length && !write(batch) && !(await drained())) return drop()
        if (closed) return
        if (page.length < limits.pageSize) break
      }
      replaying = false
      for (const e of buffered.splice(0)) send(e)
      if (closed) return
      // With its id, so a client that has seen no event yet still resumes from here after a drop.
      write(
        `id: ${lastSent}\nevent: ready\ndata: ${JSON.stringify({ lastEventId: lastSent, reset })}\n\n`,
      )
      // A named event, not a comment: pages never see comments, and a board must notice silence.
      heartbeat = setInterval(
        () => write(`event: ping\ndata: {"t":${Date.now()}}\n\n`),
        heartbeatMs,
      )
    }
    replay().catch(() => drop())
    openings.opened(res)
  }

  return {
    admit: openings.admit,
    early: (req, res, go) => openings.early(req, res, go),
    accepted: arrivals.accepted,
    handle,
    counts() {
      const c: Record<string, number> = {}
      for (const { role } of open) c[role] = (c[role] ?? 0) + 1
      return c
    },
    closeAll() {
      openings.closeAll()
      for (const { res } of [...open]) res.end()
      open.clear()
      perAccount.clear()
    },
  }
}
