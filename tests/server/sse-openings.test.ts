import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Arrivals, OpeningQueue, TurnPacer } from '../../src/server/sse-pacing'
import { DeskError } from '../../src/service/errors'
import { ADMIN_TOKEN, startDesk, type TestDesk } from '../helpers/desk'
import { connected, openSse } from '../helpers/sse'

type Admit = OpeningQueue['admit']
type Request = Parameters<Admit>[0]
type Response = Parameters<Admit>[1]
type NextFunction = Parameters<Admit>[2]

const desks: TestDesk[] = []
afterEach(async () => {
  while (desks.length) await desks.pop()!.stop()
})

const streamRequest = (code: string, method = 'GET') =>
  `${method} /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${code}\r\n\r\n`

describe('stream openings whose client left (review of issue 13)', () => {
  it('leave no subscriber and do not eat the account cap when the client hangs up during sign-in', async () => {
    const desk = await startDesk({ sseLimits: { perAccount: 3 }, sseHeartbeatMs: 100 })
    desks.push(desk)
    const base = desk.service.bus.size
    // A new code: its first use pays one scrypt check, off the thread, shared by these openings.
    const code = (await desk.call('POST', '/users', { name: 'Papan', role: 'display' })).body
      .accessCode as string
    const sockets = await Promise.all([0, 1, 2].map(() => connected(desk)))
    // Each client hangs up the moment the desk has read its request (the desk runs in this
    // process): the opening is then in the queue or in sign-in when its `close` fires.
    let read = 0
    const onRequest = (req: IncomingMessage & { originalUrl?: string }) => {
      // Express shortens req.url while the request waits in the queue; originalUrl is what came in.
      if (!(req.originalUrl ?? req.url ?? '').startsWith('/api/v1/events')) return
      sockets[read++]?.destroy()
    }
    desk.server.on('request', onRequest)
    for (const s of sockets) s.write(streamRequest(code))
    await expect.poll(() => read, { timeout: 10_000 }).toBe(3)
    desk.server.off('request', onRequest)

    // Boards that stay: as many as the cap allows, all opened; the three that left hold nothing.
    const boards = []
    for (let i = 0; i < 3; i++) {
      const sse = await openSse(`${desk.url}/api/v1/events`, code)
      await sse.until((m) => m.some((x) => x.event === 'ready'))
      boards.push(sse)
    }
    expect(desk.service.bus.size - base).toBe(3)
    // What the console's LAN screen shows as connected.
    const lan = (await desk.call('GET', '/console/lan')).body as {
      connected: { boards: number; byRole: Record<string, number> }
    }
    expect(lan.connected).toMatchObject({ boards: 3, byRole: { display: 3 } })
    for (const b of boards) await b.close()
    await expect.poll(() => desk.service.bus.size - base, { timeout: 10_000 }).toBe(0)
  })

  it('answers HEAD on the stream route with 405, without opening a stream or going around the queue', async () => {
    const desk = await startDesk({ sseLimits: { openingsWaiting: 0 } })
    desks.push(desk)
    const base = desk.service.bus.size
    const socket = await connected(desk)
    const answer = new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1')
        if (text.includes('\r\n\r\n')) resolve(text)
      })
      // A stream opened for HEAD sends no headers at all: fail in seconds, not at the test's timeout.
      setTimeout(() => resolve(text || '(nothing in 5 s)'), 5_000).unref()
    })
    socket.write(streamRequest(ADMIN_TOKEN, 'HEAD'))
    const head = await answer
    expect(head).toMatch(/^HTTP\/1\.1 405 /)
    expect(head).toMatch(/^Allow: GET\r$/im)
    socket.destroy()
    expect(desk.service.bus.size - base).toBe(0)
    // GET still meets the queue (no place to wait here).
    const get = await fetch(`${desk.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(get.status).toBe(503)
    await get.body?.cancel()
  })
})

/** An opening as express hands it to the queue: a GET whose response can close. */
function opening(method = 'GET') {
  const res = Object.assign(new EventEmitter(), {
    writableEnded: false,
    // Its turn on the connection (a pipelined response behind another has none yet).
    socket: {},
    headers: {} as Record<string, string>,
    set(name: string, value: string) {
      this.headers[name] = value
    },
    destroy() {},
  })
  const req = Object.assign(new EventEmitter(), {
    method,
    destroyed: false,
    socket: { destroyed: false },
  })
  const calls: unknown[] = []
  const next = (error?: unknown) => calls.push(error ?? 'next')
  return {
    req: req as unknown as Request,
    res: res as unknown as Response & EventEmitter,
    next: next as NextFunction,
    calls,
  }
}

const turn = () => new Promise((r) => setImmediate(r))

describe('the opening queue', () => {
  it('sets aside an opening pipelined behind another answer until its connection is free, and drops it when its client leaves or the desk closes', async () => {
    const queue = new OpeningQueue(8, 4)
    // Behind a response still going on the connection: node has given their answers no socket.
    const [a, b] = [opening(), opening()]
    for (const o of [a, b]) {
      ;(o.res as unknown as { socket: unknown }).socket = null
      queue.admit(o.req, o.res, o.next)
    }
    expect(queue.size).toBe(2)
    await turn()
    // Not started (they would hold places nothing frees), and not counted as waiting.
    expect([a.calls, b.calls]).toEqual([[], []])
    expect(queue.size).toBe(0)
    // The answer ahead ended: node hands A the connection, and A goes on in a later turn.
    ;(a.res as unknown as { socket: unknown }).socket = {}
    a.res.emit('socket', {})
    expect(queue.size).toBe(1)
    await turn()
    expect(a.calls).toEqual(['next'])
    // B's client hung up (only its request hears of it): it never goes on.
    ;(b.req as unknown as EventEmitter).emit('close')
    ;(b.res as unknown as { socket: unknown }).socket = {}
    b.res.emit('socket', {})
    await turn()
    expect(b.calls).toEqual([])
    expect(queue.size).toBe(0)

    // One set aside when the desk closes: cut off when closing the stream ahead frees its turn.
    const c = opening()
    ;(c.res as unknown as { socket: unknown }).socket = null
    let destroyed = false
    ;(c.res as unknown as { destroy: () => void }).destroy = () => (destroyed = true)
    queue.admit(c.req, c.res, c.next)
    await turn()
    queue.closeAll()
    ;(c.res as unknown as { socket: unknown }).socket = {}
    c.res.emit('socket', {})
    await turn()
    expect(c.calls).toEqual([])
    expect(destroyed).toBe(true)
  })

  it('stops counting an opening whose client left while it waited, and never lets it on', async () => {
    const queue = new OpeningQueue(1, 2)
    const first = opening()
    queue.admit(first.req, first.res, first.next)
    await turn()
    expect(first.calls).toEqual(['next']) // under way (signing in), holding the only place

    const left = [opening(), opening()]
    for (const o of left) queue.admit(o.req, o.res, o.next)
    expect(queue.size).toBe(2)
    // A third would be refused now; once their clients leave, they no longer count.
    for (const o of left) o.res.emit('close')
    expect(queue.size).toBe(0)
    const stay = [opening(), opening()]
    for (const o of stay) queue.admit(o.req, o.res, o.next)
    expect(stay.map((o) => o.calls)).toEqual([[], []])
    expect(queue.size).toBe(2)

    first.res.emit('finish')
    await turn()
    await turn()
    expect(left.map((o) => o.calls)).toEqual([[], []])
    expect(stay[0]!.calls).toEqual(['next'])
  })

  it('does not keep the entries of thousands of clients that left while every place was held', async () => {
    const queue = new OpeningQueue(1, 1_000)
    const first = opening()
    queue.admit(first.req, first.res, first.next)
    await turn()
    for (let i = 0; i < 5_000; i++) {
      const o = opening()
      queue.admit(o.req, o.res, o.next)
      o.res.emit('close')
      expect(o.calls).toEqual([])
    }
    expect(queue.size).toBe(0)
    // Past the waiting bound in total, yet a real opening still gets a place.
    const real = opening()
    queue.admit(real.req, real.res, real.next)
    expect(real.calls).toEqual([])
    expect((queue as unknown as { waiting: unknown[] }).waiting.length).toBeLessThan(200)
    first.res.emit('finish')
    await turn()
    expect(real.calls).toEqual(['next'])
  })

  it('over real sockets: clients that hang up while waiting free their places in the queue', async () => {
    const queue = new OpeningQueue(1, 2)
    const held: ServerResponse[] = []
    // Each opening let on is held unanswered (a sign-in that takes long): later ones wait.
    const server = createServer((req, res) =>
      queue.admit(req as Request, res as Response, (error?: unknown) => {
        if (error) res.writeHead((error as DeskError).status).end()
        else held.push(res)
      }),
    )
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const port = (server.address() as AddressInfo).port
    const ask = async () => {
      const socket = await new Promise<Socket>((ok) => {
        const s = connect(port, '127.0.0.1', () => ok(s))
      })
      const status = new Promise<number>((resolve) => {
        socket.once('data', (c) => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(c.toString())?.[1])))
        socket.once('close', () => resolve(0))
      })
      socket.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      return { socket, status }
    }
    try {
      const first = await ask()
      await expect.poll(() => held.length).toBe(1)
      const leaving = [await ask(), await ask()]
      await expect.poll(() => queue.size).toBe(2)
      for (const o of leaving) o.socket.destroy()
      await expect.poll(() => queue.size).toBe(0)
      // Two places to wait again: neither is refused while the first still holds its place.
      const waiting = [await ask(), await ask()]
      await expect.poll(() => queue.size).toBe(2)
      held[0]!.end()
      await expect.poll(() => held.length).toBe(2)
      held[1]!.end()
      await expect.poll(() => held.length).toBe(3)
      held[2]!.end()
      expect(await Promise.all(waiting.map((o) => o.status))).toEqual([200, 200])
      for (const o of [first, ...waiting]) o.socket.destroy()
    } finally {
      for (const res of held) res.destroy()
      await new Promise((ok) => server.close(ok))
    }
  })

  it('starts one opening per turn while connections arrive, and as many as it may once they stop', async () => {
    const arrivals = new Arrivals()
    const queue = new OpeningQueue(8, 100, arrivals, { calm: 8, arriving: 1 })
    const openings = Array.from({ length: 12 }, () => opening())
    arrivals.accepted()
    expect(arrivals.arriving).toBe(true)
    for (const o of openings) queue.admit(o.req, o.res, o.next)
    const started = () => openings.filter((o) => o.calls.length > 0).length
    await turn()
    expect(started()).toBe(1)
    arrivals.accepted() // another connection in the next turn
    await turn()
    expect(started()).toBe(2)
    // No more connections: a turn or two later the calm share (up to 8 under way) goes at once.
    await turn()
    await turn()
    await turn()
    expect(arrivals.arriving).toBe(false)
    expect(started()).toBe(8)
    // Nothing keeps the loop turning once the connections have stopped.
    expect((arrivals as unknown as { ticking: boolean }).ticking).toBe(false)
  })

  it('lets fewer replay pages go per turn while connections arrive', async () => {
    const arrivals = new Arrivals()
    const pacer = new TurnPacer({ calm: 16, arriving: 2 }, arrivals)
    let done = 0
    const pages = () =>
      Promise.all(Array.from({ length: 20 }, () => pacer.turn().then(() => done++)))
    arrivals.accepted()
    const all = pages()
    await turn()
    expect(done).toBe(2)
    await turn()
    await turn()
    await turn()
    await all
    // 2 in each turn that counted as arriving, then 16 in one calm turn.
    expect(done).toBe(20)
    expect(arrivals.arriving).toBe(false)
  })

  it('refuses HEAD with 405 and Allow: GET before it waits', () => {
    const queue = new OpeningQueue(1, 10)
    const o = opening('HEAD')
    queue.admit(o.req, o.res, o.next)
    expect(o.calls).toHaveLength(1)
    expect(o.calls[0]).toBeInstanceOf(DeskError)
    expect((o.calls[0] as DeskError).status).toBe(405)
    expect((o.res as unknown as { headers: Record<string, string> }).headers).toEqual({
      Allow: 'GET',
    })
    expect(queue.size).toBe(0)
  })
})
