import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DeskRequestListener } from '../../src/server/app'
import { DESA_A, DESA_B, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// POST /results in its plain form (application/json, no content coding) is answered before express
// (src/server/lean.ts); any other form goes through express's route. Both ways must answer alike:
// same status, same error code and fields, same security headers — and the plain form must not
// touch express, or the desk is back to half the intake it can take (bench/intake).

const TPS = `${DESA_A}.001`
const SECURITY = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'permissions-policy',
]

interface Answer {
  status: number
  body: any
  headers: Record<string, string | undefined>
}

/** POST /results with `text` as typed: plain JSON (lean), or gzipped (express inflates it). */
async function post(
  desk: TestDesk,
  token: string | null,
  text: string,
  form: 'plain' | 'gzip',
  extra: Record<string, string> = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extra }
  if (token) headers.authorization = `Bearer ${token}`
  if (form === 'gzip') headers['content-encoding'] = 'gzip'
  const res = await fetch(`${desk.url}/api/v1/results`, {
    method: 'POST',
    headers,
    body: form === 'gzip' ? gzipSync(text) : text,
  })
  const keep = [...SECURITY, 'content-type', 'retry-after']
  return {
    status: res.status,
    body: await res.json(),
    headers: Object.fromEntries(keep.map((h) => [h, res.headers.get(h) ?? undefined])),
  }
}

const result = (over: Record<string, unknown> = {}) => ({
  submissionId: sid(),
  tps: TPS,
  contest: 'bupati',
  votes: { '1': 100, '2': 50 },
  invalid: 3,
  ...over,
})

describe('the lean way in for POST /results (issue 13, item 12)', () => {
  let desk: TestDesk
  let reporter: string
  let display: string
  let reporterId: string
  let appHandled: ReturnType<typeof vi.fn>
  const log: Record<string, unknown>[] = []

  beforeAll(async () => {
    desk = await startDesk({
      logger: {
        info: (msg, fields) => log.push({ msg, ...fields }),
        warn: () => {},
        error: () => {},
      },
    })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B], 3, 300))).status).toBe(
      200,
    )
    const mk = async (role: string, region?: string) =>
      (await desk.call('POST', '/users', { name: role, role, region })).body.accessCode as string
    reporter = await mk('reporter', DESA_A)
    reporterId = (await desk.call('GET', '/me', undefined, reporter)).body.id as string
    display = await mk('display')
    // Count the requests express handles: the plain form must never reach it.
    const listener = desk.server.listeners('request')[0] as DeskRequestListener
    appHandled = vi.fn()
    const app = listener.app as unknown as { handle: (...a: unknown[]) => unknown }
    const handle = app.handle.bind(app)
    app.handle = (...a: unknown[]) => {
      appHandled()
      return handle(...a)
    }
  })
  afterAll(() => desk.stop())

  it('takes a report in its plain form without express, and answers it like express does', async () => {
    appHandled.mockClear()
    const report = JSON.stringify(result())
    const plain = await post(desk, reporter, report, 'plain')
    expect(appHandled).not.toHaveBeenCalled()
    const viaExpress = await post(
      desk,
      reporter,
      JSON.stringify(result({ tps: `${DESA_A}.002` })),
      'gzip',
    )
    expect(appHandled).toHaveBeenCalledTimes(1)
    expect(plain.status).toBe(201)
    // In the request log like any other request: who, from where, the answer (never the body).
    const lines = log.filter((l) => l.msg === 'http' && l.path === '/api/v1/results')
    expect(lines).toHaveLength(2)
    for (const l of lines)
      expect(l).toMatchObject({ method: 'POST', status: 201, who: reporterId, ip: '127.0.0.1' })
    expect(viaExpress.status).toBe(201)
    expect(plain.headers).toEqual(viaExpress.headers)
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8')
    for (const h of SECURITY) expect(plain.headers[h], h).toBeTruthy()
    expect(Object.keys(plain.body).sort()).toEqual(Object.keys(viaExpress.body).sort())
    // Sent again (the phone's outbox after a lost answer): the same receipt, stored once.
    const again = await post(desk, reporter, report, 'plain')
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({
      status: 'duplicate',
      replayOf: 'accepted',
      receipt: plain.body.receipt,
    })
    expect(appHandled).toHaveBeenCalledTimes(1)
  })

  it('answers every refusal with the same status, code, fields and headers either way', async () => {
    const deep = `{"submissionId":"x","votes":${'['.repeat(500)}${']'.repeat(500)}}`
    const cases: {
      name: string
      token: string | null
      text: string
      extra?: Record<string, string>
    }[] = [
      { name: 'no token', token: null, text: JSON.stringify(result()) },
      { name: 'wrong token', token: 'bukan-token-yang-benar', text: JSON.stringify(result()) },
      { name: 'display account', token: display, text: JSON.stringify(result()) },
      {
        name: 'invalid fields',
        token: reporter,
        text: JSON.stringify(result({ invalid: -1, votes: { '1': 'x' } })),
      },
      { name: 'not JSON', token: reporter, text: '{"submissionId": ' },
      { name: 'a number, not an object', token: reporter, text: '42' },
      { name: 'empty body', token: reporter, text: '' },
      { name: 'too deep', token: reporter, text: deep },
      {
        name: 'lone surrogate',
        token: reporter,
        text: JSON.stringify(result()).replace('"bupati"', '"\\udc00"'),
      },
      {
        name: 'not the reporter’s TPS',
        token: reporter,
        text: JSON.stringify(result({ tps: `${DESA_B}.001` })),
      },
      {
        name: 'unknown TPS',
        token: reporter,
        text: JSON.stringify(result({ tps: `${DESA_A}.099` })),
      },
    ]
    for (const c of cases) {
      const plain = await post(desk, c.token, c.text, 'plain', c.extra)
      const viaExpress = await post(desk, c.token, c.text, 'gzip', c.extra)
      expect(plain.status, c.name).toBeGreaterThanOrEqual(400)
      expect(plain, c.name).toEqual(viaExpress)
    }
  })

  it('refuses a body over 256 KB with 413 and keeps the connection usable', async () => {
    const big = JSON.stringify(result({ note: 'x'.repeat(300 * 1024) }))
    const declared = await post(desk, reporter, big, 'plain')
    expect(declared.status).toBe(413)
    expect(declared.body.error.code).toBe('too_large')
    expect(declared).toEqual(await post(desk, reporter, big, 'gzip'))

    // Chunked (no Content-Length): read off to the end, refused, then the same socket goes on.
    const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 })
    const send = (body: string, chunked: boolean) =>
      new Promise<{ status: number; text: string; socket: unknown }>((resolve, reject) => {
        const req = httpRequest(
          `${desk.url}/api/v1/results`,
          {
            method: 'POST',
            agent,
            headers: {
              authorization: `Bearer ${reporter}`,
              'content-type': 'application/json',
              ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }),
            },
          },
          (res) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (d) => (text += d))
            res.on('end', () => resolve({ status: res.statusCode!, text, socket: req.socket }))
          },
        )
        req.on('error', reject)
        if (chunked)
          for (let i = 0; i < big.length; i += 16 * 1024) req.write(big.slice(i, i + 16 * 1024))
        req.end(chunked ? undefined : body)
      })
    const over = await send(big, true)
    expect(over.status).toBe(413)
    const next = await send(JSON.stringify(result({ tps: `${DESA_A}.003` })), false)
    expect(next.status).toBe(201)
    expect(next.socket).toBe(over.socket)
    agent.destroy()
  })

  it('outlives a phone that hangs up halfway through its report: nothing stored, the desk goes on', async () => {
    const id = sid()
    const text = JSON.stringify(
      result({ submissionId: id, tps: `${DESA_A}.003`, contest: 'gubernur' }),
    )
    const port = Number(new URL(desk.url).port)
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write(
          `POST /api/v1/results HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${reporter}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${text.length}\r\n\r\n${text.slice(0, 20)}`,
        )
        setTimeout(() => {
          s.destroy()
          resolve()
        }, 50)
      })
    })
    const health = await desk.call('GET', '/health')
    expect(health.status).toBe(200)
    const tps = await desk.call('GET', `/tps/${DESA_A}.003`)
    expect(tps.status).toBe(200)
    expect(JSON.stringify(tps.body)).not.toContain(id)
    expect(JSON.stringify(tps.body.results ?? tps.body)).not.toContain('gubernur')
  })

  it('limits a signed-in account the same way: 429 with Retry-After', async () => {
    const limited = await startDesk({
      limits: { perPrincipal: { rate: 1, burst: 2 }, perAddress: { rate: 100, burst: 100 } },
    })
    try {
      expect((await limited.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
      const code = (
        await limited.call('POST', '/users', { name: 'P', role: 'reporter', region: DESA_A })
      ).body.accessCode as string
      const answers: Answer[] = []
      for (let i = 0; i < 4; i++)
        answers.push(
          await post(
            limited,
            code,
            JSON.stringify(result({ tps: `${DESA_A}.00${(i % 3) + 1}` })),
            'plain',
          ),
        )
      const refused = answers.find((a) => a.status === 429)
      expect(refused?.body.error.code).toBe('rate_limited')
      expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0)
    } finally {
      await limited.stop()
    }
  })
})
