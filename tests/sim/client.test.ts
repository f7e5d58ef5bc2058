import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { AbortedError, DeskClient } from '../../src/sim/client'
import { parseRates, parseShares } from '../../src/sim/command'

/** A fetch that answers from a script, one entry per call. */
function scripted(answers: (() => Response | Promise<Response>)[]) {
  const calls: { url: string; init: RequestInit }[] = []
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    const next = answers.shift()
    if (!next) throw new Error('no more answers')
    return next()
  }) as unknown as typeof fetch
  return { impl, calls }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    })

describe("the simulator's HTTP client", () => {
  it('waits as long as Retry-After says on 429, then sends the same request again', async () => {
    const { impl, calls } = scripted([
      json(429, { error: { code: 'rate_limited' } }, { 'retry-after': '1' }),
      json(201, { status: 'accepted' }),
    ])
    const client = new DeskClient('http://desk.test/', undefined, impl)
    const started = Date.now()
    const answer = await client.request('POST', '/results', { token: 't', body: { a: 1 } })
    expect(answer.status).toBe(201)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(client.stats.rateLimited).toBe(1)
    expect(calls).toHaveLength(2)
    expect(calls[1]!.url).toBe('http://desk.test/api/v1/results')
    expect(calls[1]!.init.body).toBe(calls[0]!.init.body)
    expect((calls[1]!.init.headers as Record<string, string>).authorization).toBe('Bearer t')
  })

  it('does not wait out a locked access code (429 without Retry-After)', async () => {
    const { impl, calls } = scripted([
      json(429, { error: { code: 'locked', message: 'Terlalu banyak percobaan' } }),
    ])
    const answer = await new DeskClient('http://desk.test', undefined, impl).request('GET', '/me', {
      token: 'x',
    })
    expect(answer.status).toBe(429)
    expect(calls).toHaveLength(1)
  })

  it('resends after a dropped connection and says so', async () => {
    const { impl } = scripted([
      () => {
        throw new TypeError('fetch failed')
      },
      json(200, { status: 'duplicate', replayOf: 'accepted' }),
    ])
    const client = new DeskClient('http://desk.test', undefined, impl)
    const answer = await client.request('POST', '/results', { body: {} })
    expect(answer).toMatchObject({ status: 200, resent: true })
    expect(client.stats.networkRetries).toBe(1)
  })

  it('stops when the run is aborted and leaves no listeners on its signal', async () => {
    const controller = new AbortController()
    const ok = Array.from({ length: 50 }, () => json(200, {}))
    const { impl } = scripted([...ok, json(429, {}, { 'retry-after': '30' })])
    const client = new DeskClient('http://desk.test', controller.signal, impl)
    for (let i = 0; i < 50; i++) await client.request('GET', '/health')
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    const waiting = client.request('GET', '/health')
    setTimeout(() => controller.abort(), 20)
    await expect(waiting).rejects.toBeInstanceOf(AbortedError)
  })
})

describe('command-line values', () => {
  it('reads fault rates and vote shares, and names what is wrong', () => {
    expect(parseRates('retry=0.1,postponed=2')).toEqual({ retry: 0.1, postponed: 2 })
    expect(parseRates('none')).toMatchObject({ retry: 0, conflict: 0, postponed: 0 })
    expect(() => parseRates('retry=2')).toThrow(/retry harus angka 0 sampai 1/)
    expect(() => parseRates('postponed=1.5')).toThrow(/bilangan bulat/)
    expect(() => parseRates('typo=0.1')).toThrow(/tidak dikenal/)
    expect(parseShares(['bupati=38,62', 'gubernur=9,58,33;'])).toEqual({
      bupati: [38, 62],
      gubernur: [9, 58, 33],
    })
    expect(() => parseShares(['bupati=38,0'])).toThrow(/lebih dari 0/)
  })
})
