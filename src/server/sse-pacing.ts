import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NextFunction, Request, Response } from 'express'
import { DeskError } from '../service/errors'

/**
 * Whether connections are still arriving: one was accepted in this turn of the event loop or the
 * last. Node (libuv 1.45 and later) accepts one connection per turn, so during a burst a client
 * opening a new connection waits one turn for each connection ahead of it in the kernel's queue;
 * the pacers do less per turn while this says so, and those turns are short.
 * It schedules nothing while no connection comes: after the last one it counts down three turns,
 * then stops (a `setImmediate` that kept itself going would keep the desk's loop from ever sleeping).
 */
export class Arrivals {
  private turnsLeft = 0
  private ticking = false

  /** A connection was accepted (the server's `connection` event). */
  readonly accepted = (): void => {
    // Counted down once per turn from this one; three, so that the turn after this one is seen as
    // arriving whether the count-down runs before or after a pacer in that turn.
    this.turnsLeft = 3
    if (!this.ticking) {
      this.ticking = true
      setImmediate(this.tick)
    }
  }

  /** A connection was accepted in this turn or the one before. */
  get arriving(): boolean {
    return this.turnsLeft > 0
  }

  private readonly tick = (): void => {
    if (--this.turnsLeft > 0) setImmediate(this.tick)
    else this.ticking = false
  }
}

/** How much a pacer lets go per turn: `calm`, or `arriving` while connections still come in. */
export interface PerTurn {
  calm: number
  arriving: number
}

interface Waiting {
  req: IncomingMessage
  res: ServerResponse
  /** Goes on with the opening (into express, or express's next middleware). */
  go: () => void
  /** Its client left while it waited (or its turn came): no longer counted as waiting. */
  left: boolean
  /**
   * Pipelined behind a response still going on its connection: set aside (not counted as waiting)
   * until node gives its answer the connection (`socket` event), then queued again at the back.
   */
  aside: boolean
  onClose: () => void
}

/**
 * Event-stream openings, a few at a time, first come first served.
 *
 * Threat: hundreds of stream requests arriving at once (every board reconnecting after a restart,
 * or one account's flood) were each worked to the end as they were read — sign-in, caps, headers,
 * the first replay page — and those waiting for one new code's sign-in check all went on in the
 * same turn once it was done (80–180 openings in a row), so a `/health` or a phone's report read
 * after them waited for all of them (up to ~445 ms for 300 on two loaded cores). Now a request
 * read in a burst costs the desk only its parsing and a place in this queue; at most `atOnce`
 * openings are under way, each next one starts in a later turn of the event loop, and other
 * requests are answered in between.
 * A place is freed when the stream is open (`opened`), or when the answer is sent (a refusal) or
 * the client is gone. Openings waiting for one sign-in check (scrypt, off the thread) hold their
 * places, so a new code's burst cannot pile up behind the check and be let loose all at once.
 * An opening whose client leaves while it waits stops counting toward `maxWaiting` at once: clients
 * that connect and hang up cannot fill the queue and turn real boards away with 503.
 *
 * Only GET opens a stream. HEAD is answered 405 here: express would run the GET route for it, past
 * this queue, and open a stream that nobody can read.
 *
 * While connections are still being accepted (`Arrivals`), fewer openings start per turn
 * (`perTurn.arriving`), so each turn — and the wait of a client opening a new connection behind
 * the burst, one turn per connection ahead of it — stays short. And a stream request on the
 * desk's own path waits here before express (`early`), so a request read in a burst costs only
 * node's parsing; express's plumbing runs when its turn comes.
 */
export class OpeningQueue {
  private readonly waiting: (Waiting | undefined)[] = []
  private head = 0
  private working = 0
  private scheduled = false
  private readonly places = new WeakMap<ServerResponse, () => void>()
  /** Requests let on from `early`: express's `admit` passes them through. */
  private readonly admitted = new WeakSet<IncomingMessage>()
  private readonly perTurn: PerTurn
  /** `closeAll` ran: openings set aside are cut off when their turn on the connection comes. */
  private closing = false

  constructor(
    private readonly atOnce: number,
    private readonly maxWaiting: number,
    private readonly arrivals?: Arrivals,
    perTurn?: PerTurn,
  ) {
    this.perTurn = perTurn ?? { calm: atOnce, arriving: atOnce }
  }

  /** Openings waiting for their turn whose clients are still there. */
  private live = 0

  /** Openings waiting for their turn. */
  get size(): number {
    return this.live
  }

  /**
   * Before express: a plain stream opening (GET, room to wait) waits here and `go` (express) runs
   * when its turn comes; true when it was taken. Anything else (HEAD, a full queue) is left to
   * express and `admit`, which answer it as always.
   */
  early(req: IncomingMessage, res: ServerResponse, go: () => void): boolean {
    if (req.method !== 'GET' || this.size >= this.maxWaiting) return false
    this.wait(req, res, () => {
      this.admitted.add(req)
      go()
    })
    return true
  }

  /** Express middleware in front of the stream route: the request goes on when its turn comes. */
  readonly admit = (req: Request, res: Response, next: NextFunction): void => {
    // Its turn came before express (`early`): its place is held already.
    if (this.admitted.delete(req)) return next()
    if (req.method === 'HEAD') {
      res.set('Allow', 'GET')
      return next(
        new DeskError(
          405,
          'method_not_allowed',
          'Aliran peristiwa hanya dibuka dengan GET (EventSource).',
        ),
      )
    }
    if (req.method !== 'GET') return next()
    if (this.size >= this.maxWaiting) {
      // As the cap in all: the queue is past what the caps could ever let in soon.
      res.set('Retry-After', '30')
      return next(
        new DeskError(
          503,
          'too_many_streams',
          'Desk sedang melayani terlalu banyak aliran peristiwa. Coba lagi sebentar lagi.',
        ),
      )
    }
    this.wait(req, res, () => next())
  }

  private wait(req: IncomingMessage, res: ServerResponse, go: () => void): void {
    const w: Waiting = {
      req,
      res,
      go,
      left: false,
      aside: false,
      onClose: () => this.leave(w, true),
    }
    // The request's 'close' too: a response queued behind another on the same connection
    // (pipelined) hears neither 'close' nor 'finish' when the client goes, only its request does.
    res.once('close', w.onClose)
    req.once('close', w.onClose)
    this.waiting.push(w)
    this.live++
    this.schedule()
  }

  /** The stream is open: its place goes to the next opening (in a later turn). */
  opened(res: ServerResponse): void {
    this.places.get(res)?.()
  }

  /** The desk is closing: openings still waiting are cut off. */
  closeAll(): void {
    this.closing = true
    const cut = this.waiting.slice(this.head)
    this.waiting.length = 0
    this.head = 0
    this.live = 0
    for (const w of cut) {
      if (!w || w.left) continue
      w.left = true
      w.res.off('close', w.onClose)
      w.req.off('close', w.onClose)
      w.res.destroy()
    }
  }

  /**
   * The opening no longer waits: its turn came, or (`gone`) its client left. A client that left is
   * not counted, and its entry is swept out once such entries outnumber the live ones, so clients
   * that connect and hang up while every place is held cannot grow the queue without bound.
   */
  private leave(w: Waiting, gone: boolean): void {
    if (w.left) return
    w.left = true
    if (!w.aside) this.live--
    w.res.off('close', w.onClose)
    w.req.off('close', w.onClose)
    if (gone && this.waiting.length - this.head > 2 * this.live + 64) {
      const kept = this.waiting.slice(this.head).filter((x) => x && !x.left)
      this.waiting.length = 0
      this.waiting.push(...kept)
      this.head = 0
    }
  }

  private schedule(): void {
    if (this.scheduled || this.size === 0 || this.working >= this.atOnce) return
    this.scheduled = true
    setImmediate(this.pump)
  }

  private readonly pump = (): void => {
    this.scheduled = false
    // Counted too: an opening that ends within this loop must not make room for more this turn.
    let started = 0
    const most = this.arrivals?.arriving ? this.perTurn.arriving : this.perTurn.calm
    while (started < most && this.working < this.atOnce && this.head < this.waiting.length) {
      const w = this.waiting[this.head]!
      this.waiting[this.head++] = undefined
      if (w.left) continue
      if (!w.res.socket) {
        this.setAside(w)
        continue
      }
      this.leave(w, false)
      // Its client gave up while it waited: nothing to open.
      if (w.req.destroyed || w.res.writableEnded || w.req.socket.destroyed) continue
      started++
      this.start(w)
    }
    if (this.head === this.waiting.length) {
      this.waiting.length = 0
      this.head = 0
    } else if (this.head >= 1024) {
      this.waiting.splice(0, this.head)
      this.head = 0
    }
    // This turn's share is used up but places are free: the rest go on in later turns.
    this.schedule()
  }

  /**
   * Pipelined behind a response still going on the same connection (say, a stream): node hands its
   * answer no socket and tells it nothing — no 'finish', no 'close' — until that one ends, which a
   * stream never does. Started, it would hold a place for good (eight such requests stalled every
   * opening); let through without a place, hundreds pipelined on one socket would all sign in in
   * one turn. So it waits aside, not counted (the desk closes a connection with more than a few
   * requests unanswered: app.ts), and joins the back of the queue when its connection is its own.
   * Its client leaving (the request's 'close') drops it.
   */
  private setAside(w: Waiting): void {
    w.aside = true
    this.live--
    w.res.once('socket', () => {
      if (w.left) return
      // The desk closed meanwhile (closing the stream ahead of it gave it the connection).
      if (this.closing) {
        this.leave(w, true)
        w.res.destroy()
        return
      }
      w.aside = false
      this.live++
      this.waiting.push(w)
      this.schedule()
    })
  }

  private start({ res, go }: Waiting): void {
    this.working++
    let held = true
    const free = () => {
      if (!held) return
      held = false
      this.working--
      this.places.delete(res)
      res.off('finish', free)
      res.off('close', free)
      this.schedule()
    }
    this.places.set(res, free)
    res.once('finish', free)
    res.once('close', free)
    go()
  }
}

/**
 * Turns of the event loop shared by every replay: each turn lets at most `perTurn` waiting pages
 * go, in the order they asked. Without it, 200 streams replaying at once wrote 200 pages in one
 * turn, and every other request waited for all of them. While connections are still being
 * accepted (`Arrivals`), fewer go per turn: a page is one write of ~50 KB into a socket, the
 * largest piece of a turn in a burst, and every connection still queued waits one turn.
 */
export class TurnPacer {
  private readonly waiting: ((() => void) | undefined)[] = []
  private head = 0
  private scheduled = false
  private readonly perTurn: PerTurn

  constructor(
    perTurn: number | PerTurn,
    private readonly arrivals?: Arrivals,
  ) {
    this.perTurn = typeof perTurn === 'number' ? { calm: perTurn, arriving: perTurn } : perTurn
  }

  /** Resolves in a later turn of the event loop, when this caller's turn has come. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(this.pump)
      }
    })
  }

  private readonly pump = (): void => {
    this.scheduled = false
    const share = this.arrivals?.arriving ? this.perTurn.arriving : this.perTurn.calm
    const end = Math.min(this.waiting.length, this.head + share)
    // Resolved here, continued right after this callback: those pages are this turn's work.
    while (this.head < end) {
      const resolve = this.waiting[this.head]!
      this.waiting[this.head++] = undefined
      resolve()
    }
    if (this.head === this.waiting.length) {
      this.waiting.length = 0
      this.head = 0
    } else {
      if (this.head >= 1024) {
        this.waiting.splice(0, this.head)
        this.head = 0
      }
      this.scheduled = true
      setImmediate(this.pump)
    }
  }
}
