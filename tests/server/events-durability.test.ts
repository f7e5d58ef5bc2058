import { afterEach, describe, expect, it } from 'vitest'
import { Lockout } from '../../src/server/rate-limit'
import { ADMIN_TOKEN, DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { openSse } from '../helpers/sse'

const desks: TestDesk[] = []
afterEach(async () => {
  while (desks.length) await desks.pop()!.stop()
})

async function deskWithRegistry(options: Parameters<typeof startDesk>[0] = {}) {
  const desk = await startDesk(options)
  desks.push(desk)
  await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 20, 300))
  return desk
}

const result = (n: number, contest = 'bupati') => ({
  submissionId: sid(),
  tps: `${DESA_A}.${String(n).padStart(3, '0')}`,
  contest,
  votes: contest === 'bupati' ? { '1': 100 + n, '2': 90 } : { '1': 30, '2': 100 + n, '3': 40 },
  invalid: 3,
})

describe('server-sent events', () => {
  it('delivers committed results live, with monotonic ids', async () => {
    const desk = await deskWithRegistry()
    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN)
    await sse.until((m) => m.some((x) => x.event === 'ready'))
    for (let i = 1; i <= 3; i++)
      expect((await desk.call('POST', '/results', result(i))).status).toBe(201)
    await sse.until((m) => m.filter((x) => x.event === 'result.accepted').length === 3)
    const accepted = sse.messages.filter((x) => x.event === 'result.accepted')
    const ids = accepted.map((x) => Number(x.id))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(new Set(ids).size).toBe(3)
    expect(JSON.parse(accepted[0]!.data!).data).toMatchObject({
      tps: `${DESA_A}.001`,
      contest: 'bupati',
      total: 194,
    })
    await sse.close()
  })

  it('resumes from Last-Event-ID without losing or repeating events', async () => {
    const desk = await deskWithRegistry()
    const first = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN)
    await first.until((m) => m.some((x) => x.event === 'ready'))
    await desk.call('POST', '/results', result(1))
    await first.until((m) => m.some((x) => x.event === 'result.accepted'))
    const lastSeen = Number(first.messages.filter((x) => x.id).at(-1)!.id)
    await first.close()
    // missed while disconnected
    await desk.call('POST', '/results', result(2))
    await desk.call('POST', '/results', result(3))
    const again = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, lastSeen)
    await again.until((m) => m.some((x) => x.event === 'ready'))
    await desk.call('POST', '/results', result(4))
    await again.until((m) => m.filter((x) => x.event === 'result.accepted').length === 3)
    const tps = again.messages
      .filter((x) => x.event === 'result.accepted')
      .map((x) => JSON.parse(x.data!).data.tps)
    expect(tps).toEqual([`${DESA_A}.002`, `${DESA_A}.003`, `${DESA_A}.004`])
    await again.close()
  })

  it('marks the end of the replay with the id to resume from, even before any event was seen', async () => {
    const desk = await deskWithRegistry()
    await desk.call('POST', '/results', result(1))
    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN)
    await sse.until((m) => m.some((x) => x.event === 'ready'))
    const ready = sse.messages.find((x) => x.event === 'ready')!
    // A browser keeps this id as Last-Event-ID: a drop before the next event resumes from here.
    expect(Number(ready.id)).toBeGreaterThan(0)
    expect(JSON.parse(ready.data!)).toEqual({ lastEventId: Number(ready.id), reset: false })
    await sse.close()
    await desk.call('POST', '/results', result(2))
    const again = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, Number(ready.id))
    await again.until((m) => m.some((x) => x.event === 'result.accepted'))
    expect(
      JSON.parse(again.messages.find((x) => x.event === 'result.accepted')!.data!).data.tps,
    ).toBe(`${DESA_A}.002`)
    await again.close()
  })

  it('tells a client that followed another desk (an id past the last event) to start again, then streams', async () => {
    const desk = await deskWithRegistry()
    await desk.call('POST', '/results', result(1))
    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN, 999_999)
    await sse.until((m) => m.some((x) => x.event === 'ready'))
    const ready = JSON.parse(sse.messages.find((x) => x.event === 'ready')!.data!)
    expect(ready.reset).toBe(true)
    expect(ready.lastEventId).toBeLessThan(999_999)
    await desk.call('POST', '/results', result(2))
    await sse.until((m) => m.some((x) => x.event === 'result.accepted'))
    expect(
      JSON.parse(sse.messages.find((x) => x.event === 'result.accepted')!.data!).data.tps,
    ).toBe(`${DESA_A}.002`)
    await sse.close()
  })

  it('pings open streams as a named event, so a page can tell a silent dead link from a quiet desk', async () => {
    const desk = await deskWithRegistry({ sseHeartbeatMs: 100 })
    const sse = await openSse(`${desk.url}/api/v1/events`, ADMIN_TOKEN)
    await sse.until((m) => m.filter((x) => x.event === 'ping').length >= 2, 3000)
    expect(JSON.parse(sse.messages.find((x) => x.event === 'ping')!.data!).t).toBeGreaterThan(0)
    await sse.close()
  })

  it('requires a token', async () => {
    const desk = await deskWithRegistry()
    expect((await fetch(`${desk.url}/api/v1/events`)).status).toBe(401)
  })
})

describe('durability and the single writer', () => {
  it('batches concurrent submissions into one commit and answers each after it', async () => {
    const desk = await deskWithRegistry()
    const service = desk.service
    const admin = { id: 'admin', name: 'Admin', role: 'admin' as const, region: '35.09' }
    const before = service.writeBatches
    const committed: number[] = []
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        service
          .submitResult(admin, result(i + 1, 'gubernur'), { channel: 'api', address: 'test' })
          .then((o) => {
            // by the time any caller hears back, the whole batch is committed, not just its own row
            committed.push(
              desk.store.db.prepare('SELECT count(*) AS n FROM results').pluck().get() as number,
            )
            return o.httpStatus
          }),
      ),
    )
    expect(outcomes).toEqual(Array(20).fill(201))
    expect(service.writeBatches - before).toBe(1)
    expect(Math.min(...committed)).toBe(20)
    const p = (await desk.call('GET', '/progress')).body
    expect(p.contests.find((c: any) => c.contest === 'gubernur').reported).toBe(20)
  })

  it('has everything after a restart on the same data dir, and event ids keep growing', async () => {
    const desk = await startDesk()
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 5, 300))
    const body = result(1)
    const first = await desk.call('POST', '/results', body)
    const lastId = desk.store.lastEventId()
    const dataDir = desk.dataDir
    await desk.close()
    const again = await startDesk({ dataDir })
    desks.push(again)
    const replay = await again.call('POST', '/results', body)
    expect(replay.status).toBe(200)
    expect(replay.body.receipt).toBe(first.body.receipt)
    expect((await again.call('GET', '/tps')).body.tps).toHaveLength(5)
    await again.call('POST', '/results', result(2))
    expect(again.store.lastEventId()).toBeGreaterThan(lastId)
  })

  it('refuses a second desk on the same data dir', async () => {
    const desk = await deskWithRegistry()
    await expect(startDesk({ dataDir: desk.dataDir })).rejects.toThrow(/sedang memakai folder data/)
  })

  it('keeps a training data dir apart from a real one', async () => {
    const desk = await startDesk({ training: true })
    const dataDir = desk.dataDir
    expect((await desk.call('GET', '/config', undefined, null)).body.training).toBe(true)
    await desk.close()
    await expect(startDesk({ dataDir })).rejects.toThrow(/LATIHAN/)
  })
})

describe('limits', () => {
  it('answers 429 with Retry-After past the per-person rate', async () => {
    const desk = await deskWithRegistry({
      limits: { perPrincipal: { rate: 1, burst: 3 }, perAddress: { rate: 100, burst: 100 } },
    })
    const op = (await desk.call('POST', '/users', { name: 'Op', role: 'operator' })).body.accessCode
    const codes = []
    for (let i = 0; i < 5; i++)
      codes.push((await desk.call('GET', '/progress', undefined, op)).status)
    expect(codes.slice(0, 3)).toEqual([200, 200, 200])
    expect(codes).toContain(429)
    const limited = await desk.call('GET', '/progress', undefined, op)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(limited.body.error.code).toBe('rate_limited')
    // the admin token is not limited
    expect((await desk.call('GET', '/progress')).status).toBe(200)
  })

  it('locks a code after 5 wrong tries, even when the right code follows', async () => {
    const desk = await deskWithRegistry({ lockout: new Lockout(5, 60_000, 600_000) })
    const code = (
      await desk.call('POST', '/users', { name: 'Rep', role: 'reporter', region: DESA_A })
    ).body.accessCode as string
    const [id] = code.split('-')
    const wrong = `${id}-2222-2222`
    for (let i = 0; i < 5; i++)
      expect((await desk.call('GET', '/me', undefined, wrong)).status).toBe(401)
    const locked = await desk.call('GET', '/me', undefined, code)
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('locked')
    expect(locked.body.error.message).toContain('menit')
  })

  it('answers 429 on /results too once a reporter floods it', async () => {
    const desk = await deskWithRegistry({
      limits: { perPrincipal: { rate: 1, burst: 2 }, perAddress: { rate: 100, burst: 100 } },
    })
    const rep = (
      await desk.call('POST', '/users', { name: 'Rep', role: 'reporter', region: DESA_A })
    ).body.accessCode
    const statuses = []
    for (let i = 1; i <= 4; i++)
      statuses.push((await desk.call('POST', '/results', result(i), rep)).status)
    expect(statuses.slice(0, 2)).toEqual([201, 201])
    expect(statuses).toContain(429)
    // nothing refused by the limit was stored
    const p = (await desk.call('GET', '/progress')).body
    expect(p.contests.find((c: any) => c.contest === 'bupati').reported).toBe(
      statuses.filter((s) => s === 201).length,
    )
  })

  it('locks an address after 5 wrong codes for new sign-ins, while phones already signed in there go on', async () => {
    const desk = await deskWithRegistry({ lockout: new Lockout(5, 60_000, 600_000) })
    const signedIn = (
      await desk.call('POST', '/users', { name: 'A', role: 'reporter', region: DESA_A })
    ).body.accessCode
    const fresh = (
      await desk.call('POST', '/users', { name: 'B', role: 'reporter', region: DESA_A })
    ).body.accessCode
    expect((await desk.call('GET', '/me', undefined, signedIn)).status).toBe(200)
    // five different guessed codes (different handles), all from this address
    for (const guess of [
      '2222-2222-2222',
      '3333-3333-3333',
      '4444-4444-4444',
      '5555-5555-5555',
      '6666-6666-6666',
    ]) {
      expect((await desk.call('GET', '/me', undefined, guess)).status).toBe(401)
    }
    const blocked = await desk.call('GET', '/me', undefined, fresh)
    expect(blocked.status).toBe(429)
    expect(blocked.body.error.code).toBe('locked')
    expect((await desk.call('GET', '/me', undefined, signedIn)).status).toBe(200)
  })

  it('keeps the database readable by the desk user only', async () => {
    const desk = await deskWithRegistry()
    const { statSync } = await import('node:fs')
    const { join } = await import('node:path')
    expect(statSync(join(desk.dataDir, 'desk.sqlite')).mode & 0o777).toBe(0o600)
  })

  it('refuses oversized JSON with 413', async () => {
    const desk = await deskWithRegistry()
    const r = await desk.call('POST', '/results', { ...result(1), note: 'x'.repeat(300_000) })
    expect(r.status).toBe(413)
  })
})
