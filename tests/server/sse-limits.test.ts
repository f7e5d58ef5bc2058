import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { openSse } from '../helpers/sse'

/** Appends `n` events of about `bytes` each in one commit (what a busy night leaves in the table). */
async function fillEvents(desk: TestDesk, n: number, bytes = 200): Promise<void> {
  await desk.service.write(() => {
    for (let i = 0; i < n; i++) {
      // An import's counts padded to the size wanted (the stream sends what is stored).
      const data = { imported: 0, updated: i, filler: 'x'.repeat(bytes) }
      desk.store.appendEvent('tps.imported', data)
    }
  })
}

/** An event stream whose client never reads a byte: a raw socket that sends the request and sits. */
function silentStream(
  desk: TestDesk,
  token: string,
  lastEventId = 0,
): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const socket = connect(desk.port, '127.0.0.1', () => {
      socket.write(
        `GET /api/v1/events?lastEventId=${lastEventId} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      )
    })
    socket.once('data', (chunk) => {
      // Read only the status line, then stop reading: the kernel buffers fill and the desk must cope.
      socket.pause()
      resolve({
        status: Number(/^HTTP\/1\.1 (\d+)/.exec(chunk.toString('latin1'))?.[1]),
        close: () => socket.destroy(),
      })
    })
    socket.on('error', reject)
  })
}

describe('event stream limits (issue 13, findings 1 and 6)', () => {
  let desk: TestDesk
  let display: string
  let reporter: string
  /** Bus subscribers that are not streams (the recap's own). */
  let baseline: number

  beforeAll(async () => {
    desk = await startDesk({ sseLimits: { perAccount: 4, total: 6, maxReplay: 1_000 } })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 2, 300))).status).toBe(200)
    display = (await desk.call('POST', '/users', { name: 'Papan', role: 'display' })).body
      .accessCode
    reporter = (
      await desk.call('POST', '/users', { name: 'Pelapor', role: 'reporter', region: DESA_A })
    ).body.accessCode
    baseline = desk.service.bus.size
  })
  afterAll(() => desk.stop())

  it('sends a display only the place, category and urgency of an incident; staff get the text', async () => {
    const board = await openSse(`${desk.url}/api/v1/events`, display)
    const staff = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN)
    await board.until((m) => m.some((x) => x.event === 'ready'))
    await staff.until((m) => m.some((x) => x.event === 'ready'))
    const text = 'Ribut di TPS, hubungi Pak Budi 0812-3456-7890'
    const r = await desk.call(
      'POST',
      '/incidents',
      { tps: `${DESA_A}.001`, category: 'keamanan', urgency: 'tinggi', text },
      reporter,
    )
    expect(r.status).toBe(201)
    await board.until((m) => m.some((x) => x.event === 'incident.created'))
    await staff.until((m) => m.some((x) => x.event === 'incident.created'))
    const shown = JSON.parse(board.messages.find((x) => x.event === 'incident.created')!.data!)
    expect(shown.data).toMatchObject({
      tps: `${DESA_A}.001`,
      category: 'keamanan',
      urgency: 'tinggi',
    })
    expect(JSON.stringify(shown)).not.toContain('0812')
    expect(shown.data).not.toHaveProperty('text')
    expect(
      JSON.parse(staff.messages.find((x) => x.event === 'incident.created')!.data!).data.text,
    ).toBe(text)
    // A replay from the table is filtered the same way.
    const replayed = await openSse(`${desk.url}/api/v1/events`, display, 0)
    await replayed.until((m) => m.some((x) => x.event === 'ready'))
    expect(JSON.stringify(replayed.messages)).not.toContain('0812')
    await Promise.all([board, staff, replayed].map((s) => s.close()))
  })

  it('caps streams per account (429) and in all (503), and frees a place when one closes', async () => {
    const mine = await Promise.all([0, 1, 2, 3].map(() => silentStream(desk, display, 0)))
    expect(mine.map((s) => s.status)).toEqual([200, 200, 200, 200])
    const fifth = await silentStream(desk, display, 0)
    expect(fifth.status).toBe(429)
    fifth.close()
    const others = await Promise.all([0, 1].map(() => silentStream(desk, ADMIN_TOKEN, 0)))
    expect(others.map((s) => s.status)).toEqual([200, 200])
    const over = await desk.call('GET', '/events', undefined, ADMIN_TOKEN)
    expect(over.status).toBe(503)
    expect(over.body.error.code).toBe('too_many_streams')
    mine[0]!.close()
    await expect
      .poll(
        async () => {
          const again = await silentStream(desk, display, 0)
          again.close()
          return again.status
        },
        { timeout: 5_000 },
      )
      .toBe(200)
    for (const s of [...mine, ...others]) s.close()
  })

  it('tells a client too far behind to re-read the summary instead of sending everything', async () => {
    const head = desk.store.lastEventId()
    await fillEvents(desk, 1_500)
    await expect
      .poll(async () => (await desk.call('GET', '/health', undefined, null)).status)
      .toBe(200)
    const behind = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, head)
    await behind.until((m) => m.some((x) => x.event === 'ready'))
    const ready = JSON.parse(behind.messages.find((x) => x.event === 'ready')!.data!)
    expect(ready).toEqual({ lastEventId: head + 1_500, reset: true })
    expect(behind.messages.filter((x) => x.event === 'tps.imported')).toHaveLength(0)
    await behind.close()
    // Within reach, it gets every event it missed, in order.
    const near = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, head + 600)
    await near.until((m) => m.some((x) => x.event === 'ready'), 10_000)
    const ids = near.messages.filter((x) => x.event === 'tps.imported').map((x) => Number(x.id))
    expect(ids).toHaveLength(900)
    expect(ids[0]).toBe(head + 601)
    expect(ids.at(-1)).toBe(head + 1_500)
    await near.close()
  })

  it('replays a page at a time: streams that never read stay small and the desk keeps answering', async () => {
    // Every stream is a place in the caps: wait until the earlier tests' have closed.
    await expect.poll(() => desk.service.bus.size, { timeout: 5_000 }).toBe(baseline)
    await fillEvents(desk, 900, 2_000) // ~1.8 MB that a full replay would push into each socket
    const before = process.memoryUsage().rss
    const silent = await Promise.all(
      [0, 1, 2, 3].map(() => silentStream(desk, display, desk.store.lastEventId() - 999)),
    )
    expect(silent.every((s) => s.status === 200)).toBe(true)
    const started = performance.now()
    expect((await desk.call('GET', '/health', undefined, null)).status).toBe(200)
    expect(performance.now() - started).toBeLessThan(500)
    // Each stream holds at most a socket's worth plus one event, not the 2 MB backlog.
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024)
    for (const s of silent) s.close()
  })
})
