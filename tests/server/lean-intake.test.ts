import { Agent, createServer, request, type Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { DeskRequestListener } from '../../src/server/app'
import { DESA_A, DESA_B, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// POST /results in its plain form (application/json, no content coding) is answered before express
// (src/server/lean.ts); any other form goes through express's route. Both ways must answer alike:
// same status, same error code and fields, same security headers, same log line — and the plain
// form must not touch express, or the desk is back to half the intake it can take (bench/intake).
// To compare, the same bytes go to the desk and to its express app alone on a second port.

const SECURITY = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'permissions-policy',
]
const COMPARED = [...SECURITY, 'content-type', 'content-length', 'retry-after']

interface Answer {
  status: number
  headers: Record<string, string | undefined>
  body: any
}

/** One raw HTTP/1.1 exchange (the request exactly as given), the connection closed after it. */
function exchange(port: number, request: string | Buffer, timeoutMs = 5_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('no answer'))
    }, timeoutMs)
    socket.on('data', (c: Buffer) => {
      chunks.push(c)
      const all = Buffer.concat(chunks)
      const head = all.indexOf('\r\n\r\n')
      if (head < 0) return
      const lines = all.toString('latin1', 0, head).split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines.slice(1)) {
        const at = line.indexOf(':')
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim()
      }
      const length = Number(headers['content-length'] ?? 0)
      if (all.length < head + 4 + length) return
      clearTimeout(timer)
      socket.destroy()
      const text = all.toString('utf8', head + 4, head + 4 + length)
      resolve({
        status: Number(lines[0]!.slice(9, 12)),
        headers: Object.fromEntries(COMPARED.map((h) => [h, headers[h]])),
        body: text ? JSON.parse(text) : null,
      })
    })
    socket.on('error', reject)
  })
}

/** A POST /results request as bytes: `headers` as given (CRLF added), then `body`. */
function postBytes(headers: string[], body: string | Buffer = ''): Buffer {
  const head = ['POST /api/v1/results HTTP/1.1', 'Host: desk', 'Connection: close', ...headers]
  return Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), Buffer.from(body)])
}

const json = (token: string | null, body: string | Buffer, extra: string[] = []) =>
  postBytes(
    [
      ...(token ? [`Authorization: Bearer ${token}`] : []),
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...extra,
    ],
    body,
  )

const result = (over: Record<string, unknown> = {}) => ({
  submissionId: sid(),
  tps: `${DESA_A}.001`,
  contest: 'bupati',
  votes: { '1': 100, '2': 50 },
  invalid: 3,
  ...over,
})

describe('the lean way in for POST /results (issue 13, item 12)', () => {
  let desk: TestDesk
  let expressOnly: Server
  let deskPort: number
  let expressPort: number
  let reporter: string
  let reporterId: string
  let display: string
  let displayId: string
  let appHandled: ReturnType<typeof vi.fn<() => void>>
  const log: Record<string, unknown>[] = []
  const errors: Record<string, unknown>[] = []

  beforeAll(async () => {
    desk = await startDesk({
      logger: {
        info: (msg, fields) => log.push({ msg, ...fields }),
        warn: () => {},
        error: (msg, fields) => errors.push({ msg, ...fields }),
      },
    })
    deskPort = Number(new URL(desk.url).port)
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B], 3, 300))).status).toBe(
      200,
    )
    const mk = async (role: string, region?: string) => {
      const code = (await desk.call('POST', '/users', { name: role, role, region })).body
        .accessCode as string
      return { code, id: (await desk.call('GET', '/me', undefined, code)).body.id as string }
    }
    ;({ code: reporter, id: reporterId } = await mk('reporter', DESA_A))
    ;({ code: display, id: displayId } = await mk('display'))
    // The same app without the lean way in, on a port of its own.
    const listener = desk.server.listeners('request')[0] as DeskRequestListener
    expressOnly = createServer(listener.app)
    await new Promise<void>((r) => expressOnly.listen(0, '127.0.0.1', r))
    expressPort = (expressOnly.address() as AddressInfo).port
    // Count the requests express handles: the plain form must never reach it.
    appHandled = vi.fn<() => void>()
    const app = listener.app as unknown as { handle: (...a: unknown[]) => unknown }
    const handle = app.handle.bind(app)
    app.handle = (...a: unknown[]) => {
      appHandled()
      return handle(...a)
    }
  })
  afterAll(async () => {
    await new Promise((r) => expressOnly.close(r))
    await desk.stop()
  })

  it('takes a report in its plain form without express, answered and logged as express does', async () => {
    appHandled.mockClear()
    const report = JSON.stringify(result())
    const lean = await exchange(deskPort, json(reporter, report))
    expect(appHandled).not.toHaveBeenCalled()
    const viaExpress = await exchange(
      expressPort,
      json(reporter, JSON.stringify(result({ tps: `${DESA_A}.002` }))),
    )
    expect(appHandled).toHaveBeenCalledTimes(1)
    expect([lean.status, viaExpress.status]).toEqual([201, 201])
    const { 'content-length': _a, ...leanHeaders } = lean.headers
    const { 'content-length': _b, ...expressHeaders } = viaExpress.headers
    expect(leanHeaders).toEqual(expressHeaders)
    expect(lean.headers['content-type']).toBe('application/json; charset=utf-8')
    for (const h of SECURITY) expect(lean.headers[h], h).toBeTruthy()
    expect(Object.keys(lean.body).sort()).toEqual(Object.keys(viaExpress.body).sort())
    // In the request log like any other request: who, from where, the answer (never the body).
    const lines = log.filter((l) => l.msg === 'http' && l.path === '/api/v1/results')
    expect(lines).toHaveLength(2)
    for (const l of lines)
      expect(l).toEqual({
        msg: 'http',
        method: 'POST',
        path: '/api/v1/results',
        status: 201,
        ms: expect.any(Number),
        who: reporterId,
        ip: '127.0.0.1',
      })
    // Sent again (the phone's outbox after a lost answer): the same receipt, stored once.
    const again = await exchange(deskPort, json(reporter, report))
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({
      status: 'duplicate',
      replayOf: 'accepted',
      receipt: lean.body.receipt,
    })
    expect(appHandled).toHaveBeenCalledTimes(1)
  })

  it('answers the same bytes alike either way: refusals, edge cases, forms it leaves to express', async () => {
    const deep = `{"submissionId":"x","votes":${'['.repeat(500)}${']'.repeat(500)}}`
    const BOM = Buffer.from([0xef, 0xbb, 0xbf])
    const cases: [string, Buffer][] = [
      ['no token', json(null, JSON.stringify(result()))],
      ['wrong token', json('bukan-token-yang-benar', JSON.stringify(result()))],
      ['display account', json(display, JSON.stringify(result()))],
      [
        'invalid fields',
        json(reporter, JSON.stringify(result({ invalid: -1, votes: { '1': 'x' } }))),
      ],
      ['not JSON', json(reporter, '{"submissionId": ')],
      ['a number, not an object', json(reporter, '42')],
      ['null', json(reporter, 'null')],
      ['empty body, Content-Length 0', json(reporter, '')],
      [
        'no body at all (no length, no chunks)',
        postBytes([`Authorization: Bearer ${reporter}`, 'Content-Type: application/json']),
      ],
      ['too deep', json(reporter, deep)],
      ['junk, then too deep', json(reporter, `x${deep}`)],
      ['lone surrogate', json(reporter, JSON.stringify(result()).replace('"bupati"', '"\\udc00"'))],
      [
        'a BOM before a wrong TPS',
        json(reporter, Buffer.concat([BOM, Buffer.from(JSON.stringify(result({ tps: 'x' })))])),
      ],
      ['not the reporter’s TPS', json(reporter, JSON.stringify(result({ tps: `${DESA_B}.001` })))],
      ['unknown TPS', json(reporter, JSON.stringify(result({ tps: `${DESA_A}.099` })))],
      [
        'charset utf8 (refused by express.json: left to it)',
        postBytes(
          [
            `Authorization: Bearer ${reporter}`,
            'Content-Type: application/json; charset=utf8',
            'Content-Length: 2',
          ],
          '{}',
        ),
      ],
      [
        'text/plain (left to express)',
        postBytes(
          [`Authorization: Bearer ${reporter}`, 'Content-Type: text/plain', 'Content-Length: 2'],
          '{}',
        ),
      ],
      [
        'chunked, invalid',
        postBytes(
          [
            `Authorization: Bearer ${reporter}`,
            'Content-Type: application/json',
            'Transfer-Encoding: chunked',
          ],
          '5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n',
        ),
      ],
    ]
    for (const [name, bytes] of cases) {
      const lean = await exchange(deskPort, bytes)
      const viaExpress = await exchange(expressPort, bytes)
      expect(lean.status, name).toBeGreaterThanOrEqual(400)
      expect(lean, name).toEqual(viaExpress)
    }
  })

  it('logs the account on a refusal after sign-in (403, 429), as express does', async () => {
    log.length = 0
    await exchange(deskPort, json(display, JSON.stringify(result())))
    await exchange(expressPort, json(display, JSON.stringify(result())))
    const refused = log.filter((l) => l.msg === 'http' && l.status === 403)
    expect(refused).toHaveLength(2)
    for (const l of refused) expect(l.who).toBe(displayId)

    const limited = await startDesk({
      limits: { perPrincipal: { rate: 1, burst: 2 }, perAddress: { rate: 100, burst: 100 } },
      logger: {
        info: (msg, fields) => log.push({ msg, ...fields }),
        warn: () => {},
        error: () => {},
      },
    })
    try {
      expect((await limited.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
      const code = (
        await limited.call('POST', '/users', { name: 'P', role: 'reporter', region: DESA_A })
      ).body.accessCode as string
      const port = Number(new URL(limited.url).port)
      log.length = 0
      const answers: Answer[] = []
      for (let i = 1; i <= 4; i++)
        answers.push(
          await exchange(
            port,
            json(code, JSON.stringify(result({ tps: `${DESA_A}.00${(i % 3) + 1}` }))),
          ),
        )
      const tooMany = answers.find((a) => a.status === 429)
      expect(tooMany?.body.error.code).toBe('rate_limited')
      expect(Number(tooMany?.headers['retry-after'])).toBeGreaterThan(0)
      const line = log.find((l) => l.msg === 'http' && l.status === 429)
      expect(line?.who).toEqual(expect.any(String))
      expect(line?.who).not.toBe('admin')
    } finally {
      await limited.stop()
    }
  })

  it('refuses a body declared over 256 KB at once, before a byte of it is sent', async () => {
    const head = postBytes([
      `Authorization: Bearer ${reporter}`,
      'Content-Type: application/json',
      `Content-Length: ${300 * 1024}`,
    ])
    // express.json would wait for the whole body first: only the lean way answers within 5 s here.
    const answer = await exchange(deskPort, head)
    expect(answer.status).toBe(413)
    expect(answer.body.error.code).toBe('too_large')
  })

  it('refuses a chunked body past 256 KB, reads it off, and keeps the connection usable', async () => {
    const big = JSON.stringify(result({ note: 'x'.repeat(300 * 1024) }))
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const send = (body: string, chunked: boolean) =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = request(
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
            res.resume()
            res.on('end', () => resolve({ status: res.statusCode!, socket: req.socket }))
          },
        )
        req.on('error', reject)
        if (chunked)
          for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.slice(i, i + 16 * 1024))
        req.end(chunked ? undefined : body)
      })
    try {
      const over = await send(big, true)
      expect(over.status).toBe(413)
      // The same socket takes the next report.
      const next = await send(JSON.stringify(result({ tps: `${DESA_A}.003` })), false)
      expect(next.status).toBe(201)
      expect(next.socket).toBe(over.socket)
    } finally {
      agent.destroy()
    }
  })

  it('outlives phones that hang up: mid-body nothing is stored, after the body the report is kept', async () => {
    errors.length = 0
    const hangUp = (bytes: Buffer) =>
      new Promise<void>((resolve) => {
        const s = connect(deskPort, '127.0.0.1', () => {
          s.write(bytes)
          setTimeout(() => {
            s.destroy()
            resolve()
          }, 50)
        })
      })
    // Mid-body: the whole report but its last byte.
    const cut = result({
      tps: `${DESA_A}.002`,
      contest: 'gubernur',
      votes: { '1': 9, '2': 8, '3': 7 },
    })
    const cutBytes = json(reporter, JSON.stringify(cut))
    await hangUp(cutBytes.subarray(0, cutBytes.length - 1))
    // After the body, before the answer could be read.
    const whole = result({
      tps: `${DESA_A}.003`,
      contest: 'gubernur',
      votes: { '1': 9, '2': 8, '3': 7 },
    })
    await hangUp(json(reporter, JSON.stringify(whole)))
    // The phone's outbox sends both again: the first is new, the second was kept and is a duplicate.
    const first = await exchange(deskPort, json(reporter, JSON.stringify(cut)))
    const second = await exchange(deskPort, json(reporter, JSON.stringify(whole)))
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    expect(second.status).toBe(200)
    expect(second.body.status).toBe('duplicate')
    // A client that left is not a desk fault: nothing logged as an error.
    expect(errors).toEqual([])
  })
})
