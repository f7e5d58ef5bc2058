import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import {
  createServer as createNetServer,
  connect as netConnect,
  type AddressInfo,
  type Server,
} from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lanAddresses } from '../../src/discovery/lan'
import { builtApp } from '../helpers/build-ui'
import { DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { makeCert } from '../helpers/tls'

// HTTPS served by the desk itself (--tls-cert/--tls-key), the redirecting plain port, and one clear
// sentence naming the file when a certificate or key is wrong.

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(
  url: string,
  options: {
    ca?: Buffer | string
    method?: string
    body?: string
    headers?: Record<string, string>
  } = {},
): Promise<Answer> {
  const u = new URL(url)
  const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.ca ? { ca: options.ca } : {}),
  })
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('the desk over HTTPS', () => {
  let desk: TestDesk
  let ca: Buffer
  const tls = makeCert()

  beforeAll(async () => {
    ca = (await import('node:fs')).readFileSync(tls.cert)
    desk = await startDesk({ tlsCert: tls.cert, tlsKey: tls.key, httpRedirectPort: 0 })
  })
  afterAll(() => desk?.stop())

  it('serves the API over HTTPS with its certificate, and a reporter signs in and reports', async () => {
    expect(desk.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const health = await get(`${desk.url}/api/v1/health`, { ca })
    expect(health.status).toBe(200)
    expect(JSON.parse(health.body).status).toBe('ok')
    const admin = { authorization: 'Bearer test-admin-token-0123456789abcdef' }
    expect(
      (
        await get(`${desk.url}/api/v1/tps/import`, {
          ca,
          method: 'POST',
          headers: { ...admin, 'content-type': 'text/csv' },
          body: tpsCsv([DESA_A], 1),
        })
      ).status,
    ).toBe(200)
    const made = await get(`${desk.url}/api/v1/users`, {
      ca,
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Rep', role: 'reporter', region: DESA_A }),
    })
    const code = JSON.parse(made.body).accessCode as string
    expect(
      (
        await get(`${desk.url}/api/v1/auth/login`, {
          ca,
          method: 'POST',
          body: JSON.stringify({ accessCode: code }),
        })
      ).status,
    ).toBe(200)
    const sent = await get(`${desk.url}/api/v1/results`, {
      ca,
      method: 'POST',
      headers: { authorization: `Bearer ${code}` },
      body: JSON.stringify({
        submissionId: sid(),
        tps: `${DESA_A}.001`,
        contest: 'bupati',
        votes: { '1': 10, '2': 20 },
        invalid: 1,
      }),
    })
    expect(sent.status).toBe(201)
    // A client that does not trust the certificate is refused by TLS, not served.
    await expect(get(`${desk.url}/api/v1/health`)).rejects.toThrow(/self[- ]signed|certificate/i)
  })

  it('answers the plain HTTP port only with a redirect to the same path over HTTPS', async () => {
    expect(desk.redirectPort).toBeGreaterThan(0)
    const r = await get(`http://127.0.0.1:${desk.redirectPort}/lapor?from=card`)
    expect(r.status).toBe(308)
    expect(r.headers.location).toBe(`${desk.url}/lapor?from=card`)
    // Named host kept (the name on the certificate), a forged Host header is not echoed.
    expect(
      (await get(`http://127.0.0.1:${desk.redirectPort}/`, { headers: { host: 'localhost:80' } }))
        .headers.location,
    ).toBe(`https://localhost:${desk.port}/`)
    expect(
      (
        await get(`http://127.0.0.1:${desk.redirectPort}/x`, {
          headers: { host: 'evil.example/"><script>' },
        })
      ).headers.location,
    ).toBe(`${desk.url}/x`)
    // The API is not served in clear text on that port.
    const api = await get(`http://127.0.0.1:${desk.redirectPort}/api/v1/health`)
    expect(api.status).toBe(308)
    expect(api.body).not.toContain('"status"')
  })
})

describe('HTTPS behind a forwarded port with a public URL (docs/DEPLOY.md, way 2)', () => {
  const PUBLIC = 'https://desk-pilkada.jemberkab.go.id'
  const admin = { authorization: 'Bearer test-admin-token-0123456789abcdef' }
  let desk: TestDesk
  let ca: Buffer
  // The office router: public TCP 80 → the desk's redirect port (here a loopback port forwarding
  // bytes untouched, as a router's port forward does: the phone's Host header arrives as typed).
  let router: Server
  let routerPort = 0
  const tls = makeCert()

  beforeAll(async () => {
    ca = readFileSync(tls.cert)
    desk = await startDesk({
      tlsCert: tls.cert,
      tlsKey: tls.key,
      httpRedirectPort: 0,
      publicUrl: PUBLIC,
    })
    router = createNetServer((inbound) => {
      const outbound = netConnect(desk.redirectPort!, '127.0.0.1')
      inbound.pipe(outbound).pipe(inbound)
      const drop = () => {
        inbound.destroy()
        outbound.destroy()
      }
      inbound.on('error', drop)
      outbound.on('error', drop)
    })
    await new Promise<void>((ok) => router.listen(0, '127.0.0.1', ok))
    routerPort = (router.address() as AddressInfo).port
  })
  afterAll(async () => {
    await new Promise((ok) => router?.close(ok))
    await desk?.stop()
  })

  it('a phone typing http://<public name> through the forwarded port lands on the public https origin', async () => {
    const r = await get(`http://127.0.0.1:${routerPort}/lapor?from=card`, {
      headers: { host: 'desk-pilkada.jemberkab.go.id' },
    })
    expect(r.status).toBe(308)
    // Public 443 is what the router forwards to the desk's HTTPS port: no desk port in the address.
    expect(r.headers.location).toBe(`${PUBLIC}/lapor?from=card`)
    // A client sending no Host at all also goes to the public URL.
    const bare = await new Promise<string | undefined>((resolve, reject) => {
      const s = netConnect(routerPort, '127.0.0.1', () => s.write('GET /papan HTTP/1.0\r\n\r\n'))
      let text = ''
      s.on('data', (d) => (text += d))
      s.on('end', () => resolve(/^location: (.*)$/im.exec(text)?.[1]?.trim()))
      s.on('error', reject)
    })
    expect(bare).toBe(`${PUBLIC}/papan`)
    // A laptop on the LAN typing the desk's own address keeps it, on the desk's HTTPS port.
    expect(
      (
        await get(`http://127.0.0.1:${desk.redirectPort}/`, {
          headers: { host: `127.0.0.1:${desk.redirectPort}` },
        })
      ).headers.location,
    ).toBe(`${desk.url}/`)
  })

  it('follows the public URL the admin sets at run time', async () => {
    const set = await get(`${desk.url}/api/v1/intake/public-url`, {
      ca,
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ publicUrl: 'https://lapor.jemberkab.go.id:8443' }),
    })
    expect(set.status).toBe(200)
    try {
      const r = await get(`http://127.0.0.1:${routerPort}/lapor`, {
        headers: { host: 'lapor.jemberkab.go.id' },
      })
      expect(r.headers.location).toBe('https://lapor.jemberkab.go.id:8443/lapor')
    } finally {
      await get(`${desk.url}/api/v1/intake/public-url`, { ca, method: 'DELETE', headers: admin })
    }
  })

  it('offers the LAN addresses with https, the scheme the desk serves', async () => {
    // The test desk listens on loopback only; the addresses a desk on every interface would offer
    // are asked for by telling the route so (the scheme stays what createDesk registered).
    expect(desk.lan.scheme).toBe('https')
    const host = desk.lan.host
    desk.lan.host = '0.0.0.0'
    try {
      const r = await get(`${desk.url}/api/v1/intake/addresses`, { ca, headers: admin })
      expect(r.status).toBe(200)
      const urls = (JSON.parse(r.body) as { urls: { url: string; kind: string }[] }).urls
      expect(urls[0]).toEqual({ interface: 'public', url: PUBLIC, kind: 'public' })
      const lan = urls.filter((u) => u.kind === 'lan')
      expect(lan.map((u) => u.url)).toEqual(
        lanAddresses().map((a) => `https://${a.address}:${desk.port}`),
      )
      expect(urls.some((u) => u.url.startsWith('http://'))).toBe(false)
    } finally {
      desk.lan.host = host
    }
  })
})

describe('a wrong certificate or key stops the desk with one sentence naming the file', () => {
  const a = makeCert(undefined, 'a')
  const b = makeCert(undefined, 'b')
  const junk = join(a.dir, 'junk.pem')
  writeFileSync(junk, 'this is not PEM\n')

  it.each([
    [
      'a missing certificate',
      { tlsCert: join(a.dir, 'missing.crt'), tlsKey: a.key },
      `Berkas sertifikat TLS ${join(a.dir, 'missing.crt')} tidak ditemukan.`,
    ],
    [
      'a missing key',
      { tlsCert: a.cert, tlsKey: join(a.dir, 'missing.key') },
      `Berkas kunci TLS ${join(a.dir, 'missing.key')} tidak ditemukan.`,
    ],
    [
      'a certificate that is not PEM',
      { tlsCert: junk, tlsKey: a.key },
      `Berkas sertifikat TLS ${junk} bukan sertifikat PEM yang sah`,
    ],
    [
      'a key that is not PEM',
      { tlsCert: a.cert, tlsKey: junk },
      `Berkas kunci TLS ${junk} bukan kunci privat PEM yang sah`,
    ],
    [
      'a key of another certificate',
      { tlsCert: a.cert, tlsKey: b.key },
      `Kunci TLS ${b.key} tidak cocok dengan sertifikat ${a.cert}.`,
    ],
    [
      'a certificate without its key',
      { tlsCert: a.cert },
      'Sertifikat TLS perlu kuncinya juga: tambahkan --tls-key BERKAS.',
    ],
    [
      'a folder as certificate',
      { tlsCert: a.dir, tlsKey: a.key },
      `Berkas sertifikat TLS ${a.dir} adalah folder`,
    ],
  ])('%s', async (_name, options, message) => {
    await expect(startDesk(options)).rejects.toThrow(message)
  })

  // root reads every file whatever its mode: there the case cannot be made
  it.skipIf(process.getuid?.() === 0)('an unreadable key', async () => {
    const { chmodSync } = await import('node:fs')
    chmodSync(a.key, 0o000)
    try {
      await expect(startDesk({ tlsCert: a.cert, tlsKey: a.key })).rejects.toThrow(
        `Berkas kunci TLS ${a.key} tidak bisa dibaca: desk tidak punya izin membacanya.`,
      )
    } finally {
      chmodSync(a.key, 0o600)
    }
  })

  it('from `serve`: the sentence on stderr, exit code 1, no stack trace', async () => {
    const cli = join(builtApp(), 'main', 'cli.js')
    const child = spawn(
      process.execPath,
      [
        cli,
        'serve',
        '--data-dir',
        join(a.dir, 'data'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--tls-cert',
        a.cert,
        '--tls-key',
        b.key,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code).toBe(1)
    expect(err.trim()).toBe(`Kunci TLS ${b.key} tidak cocok dengan sertifikat ${a.cert}.`)
  }, 60_000)

  it('from `serve` on 0.0.0.0 with TLS: prints every address with https and the redirect port', async () => {
    const cli = join(builtApp(), 'main', 'cli.js')
    const child = spawn(
      process.execPath,
      [
        cli,
        'serve',
        '--data-dir',
        join(b.dir, 'data'),
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--tls-cert',
        b.cert,
        '--tls-key',
        b.key,
        '--http-redirect-port',
        '0',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, DESK_ADMIN_TOKEN: 'test-admin-token-0123456789abcdef' },
      },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start lines:\n${out}`)), 60_000)
      child.stdout.on('data', () => {
        if (/Sertifikat TLS berlaku/.test(out)) {
          clearTimeout(t)
          resolve()
        }
      })
      child.on('exit', () => reject(new Error(`exited:\n${out}`)))
    })
    const { networkInterfaces } = await import('node:os')
    const lan = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address)
    const port = /siap di https:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]
    expect(out).toContain('Bisa dibuka di:')
    for (const address of lan) expect(out).toContain(`https://${address}:${port}`)
    expect(out).toContain(`https://127.0.0.1:${port}  (komputer ini saja)`)
    expect(out).toMatch(/Port HTTP \d+ hanya mengalihkan ke HTTPS\./)
    expect(out).not.toContain('http://')
    child.kill('SIGTERM')
    expect(await new Promise((r) => child.on('exit', r))).toBe(0)
  }, 90_000)
})
