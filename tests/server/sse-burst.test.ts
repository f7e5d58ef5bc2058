import type { IncomingMessage, ServerResponse } from 'node:http'
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { MAX_UNANSWERED_PER_CONNECTION, type DeskRequestListener } from '../../src/server/app'
import { startDesk, type TestDesk } from '../helpers/desk'
import { connected } from '../helpers/sse'

/** The status of the first answer on `socket`; then it stops reading (a client that never reads). */
function statusOf(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    socket.once('data', (chunk) => {
      socket.pause()
      resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(chunk.toString('latin1'))?.[1]))
    })
    socket.once('close', () => resolve(0))
  })
}

/**
 * The most a count grew within one turn of the event loop: sampled once per turn (setImmediate),
 * so a jump between two samples is work the desk did without answering anything else between.
 */
function perTurn(sample: () => number) {
  let last = sample()
  let most = 0
  let running = true
  const tick = () => {
    const now = sample()
    most = Math.max(most, now - last)
    last = now
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  return () => {
    running = false
    return most
  }
}

/**
 * Counts read once per turn of the event loop (setImmediate), kept as what each grew by in that
 * turn (from zero before the first). `turns` fills until `stop()`.
 */
function turnByTurn<K extends string>(read: () => Record<K, number>) {
  const turns: Record<K, number>[] = []
  let last: Record<K, number> | null = null
  let running = true
  const tick = () => {
    const now = read()
    const grew = {} as Record<K, number>
    for (const k of Object.keys(now) as K[]) grew[k] = now[k] - (last?.[k] ?? 0)
    turns.push(grew)
    last = now
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  return {
    turns,
    stop: () => {
      running = false
    },
  }
}

/** Turns that accepted a connection, or follow one that did: more may wait in the kernel's queue. */
const arrivingTurns = <T extends { accepted: number }>(turns: T[]) =>
  turns.filter((t, i) => t.accepted > 0 || (turns[i - 1]?.accepted ?? 0) > 0)

/** `n` display accounts, each signed in once (their scrypt check is not part of what is measured). */
async function signedInDisplays(desk: TestDesk, n: number): Promise<string[]> {
  const codes: string[] = []
  for (let i = 0; i < n; i++) {
    const code = (await desk.call('POST', '/users', { name: `Papan ${i}`, role: 'display' })).body
      .accessCode as string
    expect((await desk.call('GET', '/me', undefined, code)).status).toBe(200)
    codes.push(code)
  }
  return codes
}

const originalUrl = (req: IncomingMessage) =>
  // Express's routers shorten req.url while they run; originalUrl is what came in.
  (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? ''

/** Each stream request's answer as the desk's server sees it, and the replay pages (writes of 10 KB or more) written to them. */
function watchStreams(desk: TestDesk) {
  const seen = {
    answers: [] as ServerResponse[],
    pageWrites: 0,
    stop: () => desk.server.off('request', watch),
  }
  const watch = (req: IncomingMessage, res: ServerResponse) => {
    if (!originalUrl(req).startsWith('/api/v1/events')) return
    seen.answers.push(res)
    const write = res.write.bind(res) as (...args: unknown[]) => boolean
    res.write = ((...args: unknown[]) => {
      if ((args[0] as { length: number }).length >= 10_000) seen.pageWrites++
      return write(...args)
    }) as typeof res.write
  }
  desk.server.on('request', watch)
  return seen
}

describe('a burst of event-stream openings (issue 13, finding 1)', () => {
  let desk: TestDesk
  /** Bus subscribers that are not streams (the recap's own). */
  let baseline: number

  beforeAll(async () => {
    // The desk's real caps and pacing (20 streams per account, 200 in all); only the request-rate
    // limits are the test's.
    desk = await startDesk()
    baseline = desk.service.bus.size
  })
  afterAll(() => desk.stop())

  /** `n` new display accounts (codes never used: the first stream of each pays scrypt). */
  async function displays(n: number): Promise<string[]> {
    const codes: string[] = []
    for (let i = 0; i < n; i++) {
      const r = await desk.call('POST', '/users', { name: `Papan ${i}`, role: 'display' })
      codes.push(r.body.accessCode as string)
    }
    return codes
  }

  /**
   * One stream request per token, all written at once (every request is in the desk's sockets
   * before it reads any). Counts, turn by turn, the stream requests the desk answered.
   */
  async function burst(tokens: string[], lastEventId = 0) {
    // Every connection accepted before any request is sent (Node accepts one per turn): then the
    // requests are all read in one turn, as when boards that were connected all ask again.
    let accepted = 0
    const count = () => accepted++
    desk.server.on('connection', count)
    const streams = await Promise.all(tokens.map(() => connected(desk)))
    await expect.poll(() => accepted, { timeout: 10_000 }).toBe(tokens.length)
    desk.server.off('connection', count)
    const streamsSeen = watchStreams(desk)
    const { answers } = streamsSeen
    const pageWrites = () => streamsSeen.pageWrites
    onTestFinished(async () => {
      streamsSeen.stop()
      for (const s of streams) s.destroy()
      await expect.poll(() => desk.service.bus.size, { timeout: 10_000 }).toBe(baseline)
    })
    const answeredPerTurn = perTurn(() => answers.filter((r) => r.headersSent).length)
    const pagesPerTurn = perTurn(pageWrites)
    onTestFinished(() => void pagesPerTurn())
    const statuses = streams.map((s) => statusOf(s))
    streams.forEach((s, i) =>
      s.write(
        `GET /api/v1/events?lastEventId=${lastEventId} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${tokens[i]}\r\n\r\n`,
      ),
    )
    const counts: Record<number, number> = {}
    for (const status of await Promise.all(statuses)) counts[status] = (counts[status] ?? 0) + 1
    const open = desk.service.bus.size - baseline
    return {
      counts,
      open,
      answeredAtMost: answeredPerTurn(),
      /** Waits until the replays have written everything that fits, then the most pages in a turn. */
      async pagesAtMost(expected: number) {
        await expect.poll(pageWrites, { timeout: 20_000 }).toBe(expected)
        return pagesPerTurn()
      },
    }
  }

  it('answers 300 openings by 15 new accounts a few per turn, with the caps as before (200 open, 100 × 503)', async () => {
    const codes = await displays(15)
    const r = await burst(Array.from({ length: 300 }, (_, i) => codes[i % codes.length]!))
    // The caps are what they were: 200 streams in all, the rest told to come back.
    expect(r.counts).toEqual({ 200: 200, 503: 100 })
    expect(r.open).toBe(200)
    // Before, every request waiting for its account's first sign-in check went on in the same
    // turn once the check was done: 80–180 answered while nothing else was (on this machine).
    expect(r.answeredAtMost).toBeGreaterThan(0)
    expect(r.answeredAtMost).toBeLessThanOrEqual(16)
  })

  it('the same with one new account: 20 open, 280 × 429, a few per turn', async () => {
    const [code] = await displays(1)
    const r = await burst(Array.from({ length: 300 }, () => code!))
    expect(r.counts).toEqual({ 200: 20, 429: 280 })
    expect(r.open).toBe(20)
    // Before: 20 in one turn.
    expect(r.answeredAtMost).toBeLessThanOrEqual(16)
  })

  it('writes at most 16 replay pages per turn over all streams', async () => {
    // 1,000 events of ~250 bytes: 5 pages of 200 for each stream, 50 KB a page.
    const from = desk.store.lastEventId()
    await desk.service.write(() => {
      for (let i = 0; i < 1_000; i++) {
        // An import's counts padded to the size wanted (the stream sends what is stored).
        const data = { imported: 0, updated: i, filler: 'x'.repeat(200) }
        desk.store.appendEvent('tps.imported', data)
      }
    })
    const codes = await displays(5)
    // Signed in already: the openings are quick, the pages are the work.
    for (const c of codes) expect((await desk.call('GET', '/me', undefined, c)).status).toBe(200)
    const r = await burst(
      Array.from({ length: 60 }, (_, i) => codes[i % codes.length]!),
      from,
    )
    expect(r.counts).toEqual({ 200: 60 })
    // 250 KB per stream fits in an unread loopback socket: every page is written without waiting
    // for the client. Before, every stream wrote its next page in the same turn: 60 in one turn.
    expect(await r.pagesAtMost(300)).toBeLessThanOrEqual(16)
  })
})

describe('a burst whose connections are still being accepted (issue 13, finding 1)', () => {
  let desk: TestDesk
  afterAll(() => desk?.stop())

  it('does little per turn while connections keep arriving: one opening, 2 pages, express only for the opening let on', async () => {
    desk = await startDesk()
    const baseline = desk.service.bus.size
    // 2,000 events of ~140 bytes: 10 pages of ~28 KB for each stream.
    const from = desk.store.lastEventId()
    await desk.service.write(() => {
      for (let i = 0; i < 2_000; i++) {
        // An import's counts padded to the size wanted (the stream sends what is stored).
        const data = { imported: 0, updated: i, filler: 'x'.repeat(60) }
        desk.store.appendEvent('tps.imported', data)
      }
    })
    // Signed in already: the openings are quick, the pages are the work.
    const codes = await signedInDisplays(desk, 5)

    let accepted = 0
    const onConnection = () => accepted++
    desk.server.on('connection', onConnection)
    const streamsSeen = watchStreams(desk)
    const { answers } = streamsSeen
    // The turn in which express first sees each stream request, and the one it is answered in.
    const listener = desk.server.listeners('request')[0] as DeskRequestListener
    const app = listener.app as unknown as { handle: (...a: unknown[]) => unknown }
    const handle = app.handle.bind(app)
    const inExpress = new Map<IncomingMessage, number>()
    const answeredIn = new Map<ServerResponse, number>()
    app.handle = (...a: unknown[]) => {
      const req = a[0] as IncomingMessage
      if (originalUrl(req).startsWith('/api/v1/events')) inExpress.set(req, turns.length)
      return handle(...a)
    }
    onTestFinished(() => {
      app.handle = handle
    })
    /** Per turn of the event loop: connections accepted, replay pages written, streams answered. */
    const sampled = turnByTurn(() => {
      for (const r of answers)
        if (r.headersSent && !answeredIn.has(r)) answeredIn.set(r, sampled.turns.length)
      return { accepted, pages: streamsSeen.pageWrites, answered: answeredIn.size }
    })
    const { turns } = sampled

    // 100 boards (20 per account, the cap) connect at once and ask as soon as they are connected:
    // the desk accepts one connection per turn while the first streams already replay.
    const sockets: Socket[] = []
    const statuses = Array.from({ length: 100 }, (_, i) => {
      const socket = connect(desk.port, '127.0.0.1', () =>
        socket.write(
          `GET /api/v1/events?lastEventId=${from} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${codes[i % 5]}\r\n\r\n`,
        ),
      )
      sockets.push(socket)
      return statusOf(socket)
    })
    onTestFinished(async () => {
      sampled.stop()
      desk.server.off('connection', onConnection)
      streamsSeen.stop()
      for (const s of sockets) s.destroy()
      await expect.poll(() => desk.service.bus.size, { timeout: 10_000 }).toBe(baseline)
    })
    const counts: Record<number, number> = {}
    for (const status of await Promise.all(statuses)) counts[status] = (counts[status] ?? 0) + 1
    expect(counts).toEqual({ 200: 100 })
    // Every stream is sent all it missed (10 pages each), however the turns were shared.
    await expect.poll(() => streamsSeen.pageWrites, { timeout: 20_000 }).toBe(1_000)
    sampled.stop()

    // A turn that accepted a connection, or follows one that did: more may be waiting in the
    // kernel's queue, each for a turn of its own, so such turns must be short. Before, they
    // started up to 8 openings and wrote up to 16 pages (~450 KB of socket writes).
    const arriving = arrivingTurns(turns)
    expect(turns.reduce((n, t) => n + t.accepted, 0)).toBe(100)
    // Node accepts one connection per turn (libuv 1.45 and later): the premise of this test.
    expect(Math.max(...turns.map((t) => t.accepted))).toBe(1)
    expect(Math.max(...arriving.map((t) => t.pages))).toBeLessThanOrEqual(2)
    expect(Math.max(...arriving.map((t) => t.answered))).toBeLessThanOrEqual(1)
    // A request waits for its turn before express (node's parsing only): express sees it in the
    // turn it is opened. Before, express's plumbing ran for every request as it was read.
    expect(inExpress.size).toBe(100)
    for (const [req, turn] of inExpress)
      expect(answeredIn.get((req as IncomingMessage & { res: ServerResponse }).res)).toBe(turn)
    // Once they stop coming, the replays go at the calm pace again (16 pages a turn).
    expect(Math.max(...turns.map((t) => t.pages))).toBeGreaterThan(2)
  })
})

describe('a backlog of openings while connections still arrive (issue 13, finding 1)', () => {
  let desk: TestDesk
  afterAll(() => desk?.stop())

  it('starts one opening per turn while connections keep coming, the rest once they stop', async () => {
    desk = await startDesk()
    const codes = await signedInDisplays(desk, 5)
    // 60 boards already connected, then all asking at once (read in a turn or two: a backlog),
    // while 60 other clients keep connecting.
    let accepted = 0
    const onConnection = () => accepted++
    desk.server.on('connection', onConnection)
    const boards = await Promise.all(Array.from({ length: 60 }, () => connected(desk)))
    const newcomers: Socket[] = []
    onTestFinished(() => {
      for (const s of [...boards, ...newcomers]) s.destroy()
    })
    await expect.poll(() => accepted, { timeout: 10_000 }).toBe(60)
    // Calm again before they ask: only the newcomers below arrive.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    accepted = 0
    const streamsSeen = watchStreams(desk)
    onTestFinished(() => {
      desk.server.off('connection', onConnection)
      streamsSeen.stop()
    })
    const sampled = turnByTurn(() => ({
      accepted,
      answered: streamsSeen.answers.filter((r) => r.headersSent).length,
    }))
    const statuses = boards.map((socket, i) => {
      socket.write(
        `GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${codes[i % 5]}\r\n\r\n`,
      )
      return statusOf(socket)
    })
    for (let i = 0; i < 60; i++) newcomers.push(connect(desk.port, '127.0.0.1'))
    expect(await Promise.all(statuses)).toEqual(boards.map(() => 200))
    await expect.poll(() => accepted, { timeout: 10_000 }).toBe(60)
    sampled.stop()

    // A turn that accepted a connection, or follows one that did, starts at most one opening
    // (default `openingsPerTurnArriving`); calm turns start up to eight.
    const arriving = arrivingTurns(sampled.turns)
    expect(arriving.length).toBeGreaterThan(20)
    expect(Math.max(...arriving.map((t) => t.answered))).toBeLessThanOrEqual(1)
  })
})

describe('openings waiting for their turn are bounded', () => {
  let desk: TestDesk
  afterAll(() => desk?.stop())

  it('answers 503 at once past the waiting bound, and opens the ones that waited', async () => {
    desk = await startDesk({ sseLimits: { openingsWaiting: 2 } })
    const code = (await desk.call('POST', '/users', { name: 'Papan', role: 'display' })).body
      .accessCode as string
    let accepted = 0
    const count = () => accepted++
    desk.server.on('connection', count)
    const sockets = await Promise.all([0, 1, 2, 3, 4].map(() => connected(desk)))
    await expect.poll(() => accepted, { timeout: 10_000 }).toBe(5)
    desk.server.off('connection', count)
    const answers = sockets.map(
      (s) =>
        new Promise<string>((resolve) => {
          s.once('data', (chunk) => resolve(chunk.toString('latin1')))
        }),
    )
    // All five read in one turn, before the queue lets any of them on: two wait, three are refused.
    for (const s of sockets)
      s.write(
        `GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${code}\r\n\r\n`,
      )
    const texts = await Promise.all(answers)
    const status = (t: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(t)?.[1])
    expect(texts.map(status).sort()).toEqual([200, 200, 503, 503, 503])
    const refused = texts.find((t) => status(t) === 503)!
    expect(refused).toMatch(/^Retry-After: 30\r$/im)
    expect(refused).toContain('"code":"too_many_streams"')
    for (const s of sockets) s.destroy()
  })
})

describe('requests pipelined on one connection (issue 13, finding 1)', () => {
  let desk: TestDesk
  let code: string
  /** Subscribers of a desk with no stream open. */
  let idle: number
  beforeAll(async () => {
    desk = await startDesk()
    code = (await desk.call('POST', '/users', { name: 'Papan', role: 'display' })).body.accessCode
    idle = desk.service.bus.size
  })
  afterAll(() => desk?.stop())

  const ask = (token?: string) =>
    `GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}\r\n`

  /** A stream, then `behind` more stream requests on the same socket (not answerable while it runs). */
  async function pipelined(behind: number, token?: string): Promise<Socket> {
    const socket = await connected(desk)
    socket.write(ask(code) + Array.from({ length: behind }, () => ask(token)).join(''))
    expect(await statusOf(socket)).toBe(200)
    return socket
  }

  async function board(): Promise<number> {
    const socket = await connected(desk)
    onTestFinished(() => {
      socket.destroy()
    })
    socket.write(ask(code))
    return statusOf(socket)
  }

  it('behind a stream hold no place in the opening queue: a board opens its stream meanwhile', async () => {
    // As many as a connection may have unanswered (8 with the stream): node gives their answers
    // no socket and tells them nothing while the stream runs. Before, they held all 8 places.
    const held = await pipelined(MAX_UNANSWERED_PER_CONNECTION - 1)
    onTestFinished(() => {
      held.destroy()
    })
    expect(await board()).toBe(200)
  })

  it('behind a stream are not opened as streams that count against the account', async () => {
    const held = await pipelined(MAX_UNANSWERED_PER_CONNECTION - 1, code)
    onTestFinished(() => {
      held.destroy()
    })
    // 20 streams per account: this one and 19 more, however many wait behind it.
    const statuses: number[] = []
    for (let i = 0; i < 19; i++) statuses.push(await board())
    expect(statuses).toEqual(Array.from({ length: 19 }, () => 200))
    expect(await board()).toBe(429)
  })

  it('give their places back when the client hangs up', async () => {
    await expect.poll(() => desk.service.bus.size, { timeout: 5_000 }).toBe(idle)
    const gone = await pipelined(MAX_UNANSWERED_PER_CONNECTION - 1, code)
    gone.destroy()
    // The stream and the seven waiting behind it are all gone: nothing left subscribed.
    await expect.poll(() => desk.service.bus.size, { timeout: 5_000 }).toBe(idle)
    expect(await board()).toBe(200)
  })

  it('close a connection with more unanswered, and leave the rest of its packet unanswered', async () => {
    const listener = desk.server.listeners('request')[0] as DeskRequestListener
    const app = listener.app as unknown as { handle: (...a: unknown[]) => unknown }
    const handle = app.handle.bind(app)
    let handled = 0
    app.handle = (...a: unknown[]) => {
      handled++
      return handle(...a)
    }
    onTestFinished(() => {
      app.handle = handle
    })
    // 500 requests in one write: node parses them all in one turn.
    const flood = await connected(desk)
    const closed = new Promise<void>((r) => flood.once('close', () => r()))
    flood.on('data', () => {})
    flood.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(500))
    await closed
    expect(handled).toBeLessThanOrEqual(MAX_UNANSWERED_PER_CONNECTION)
    app.handle = handle
    expect((await desk.call('GET', '/health', undefined, null)).status).toBe(200)
  })
})

describe('the request log and the event stream', () => {
  it('logs a refused stream request, not an open stream', async () => {
    const lines: Record<string, unknown>[] = []
    const desk = await startDesk({
      logger: { info: (msg, f) => lines.push({ msg, ...f }), warn: () => {}, error: () => {} },
    })
    onTestFinished(() => desk.stop())
    const code = (await desk.call('POST', '/users', { name: 'Papan', role: 'display' })).body
      .accessCode as string
    const baseline = desk.service.bus.size
    const refused = await connected(desk)
    refused.write('GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    expect(await statusOf(refused)).toBe(401)
    const open = await connected(desk)
    open.write(
      `GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${code}\r\n\r\n`,
    )
    expect(await statusOf(open)).toBe(200)
    open.destroy()
    refused.destroy()
    await expect.poll(() => desk.service.bus.size, { timeout: 5_000 }).toBe(baseline)
    const logged = lines.filter((l) => l.msg === 'http' && l.path === '/api/v1/events')
    expect(logged.map((l) => l.status)).toEqual([401])
  })
})
