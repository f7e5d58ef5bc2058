// proof:fuzz — hostile requests over every API route; the desk must answer each one below 500
// and never crash. Routes are read from the routers themselves (src/server/route-list.ts), so a
// new route is fuzzed without editing this file. Each request mixes: a principal (none, a wrong
// token, a reporter, operator, supervisor, display, admin), a method (mostly the route's own),
// path parameters (long, traversal, percent-encoded, NUL, unicode, prototype names), query
// strings, content types and encodings (JSON, text, binary, gzip that is not gzip, a charset no
// one knows), and bodies (deep nesting, lone surrogates, huge strings, wrong types, `__proto__`
// keys, broken JSON, truncated zips). Some go over raw sockets (broken request lines, bad
// percent-encoding, oversized headers). Loopback only, a fixed count, a fixed seed; the desk is
// stopped at the end. Prints answers by status; exits 1 on any 5xx (a 503 with Retry-After, the
// desk saying "busy, ask again", is counted apart and allowed) or if the desk process died.
//
//   npm run proof:fuzz -- [--requests 21000] [--concurrency 16] [--seed 13]
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { createDesk } from '../src/host/desk'
import { silentLogger } from '../src/server/logger'
import { listRoutes, type RouteEntry } from '../src/server/route-list'
import { Rng } from '../src/sim/prng'
import { BENCH_TOKEN, benchHeaders, startDeskProcess } from './desk-process'

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '21000' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string', default: '13' },
  },
})
const REQUESTS = Number(values.requests)
const CONCURRENCY = Number(values.concurrency)
const rng = new Rng(`proof-fuzz-${values.seed}`)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!
const chance = (p: number) => rng.next() < p

/** The routes, from a throwaway desk's own routers. */
async function routes(): Promise<RouteEntry[]> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-fuzz-routes-'))
  const desk = await createDesk({
    dataDir: dir,
    port: 0,
    host: '127.0.0.1',
    adminToken: BENCH_TOKEN,
    logger: silentLogger,
    staticDir: null,
    discovery: false,
  })
  try {
    return listRoutes(desk.server.listeners('request')[0] as never)
  } finally {
    await desk.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const HOSTILE_SEGMENTS = [
  '35.09.01.2001.001',
  '35.09.01.2001',
  '1',
  '0',
  '-1',
  '999999999999999999999',
  '__proto__',
  'constructor',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%00',
  '%C0%AF',
  '%F0%9F%98%80',
  '%ED%B3%80', // an encoded lone surrogate
  'a'.repeat(5000),
  'kecamatan',
  'desa',
  "'; DROP TABLE results; --",
  '<script>',
  'null',
  'true',
  '%',
  'recap.xlsx',
]
const QUERIES = [
  '',
  '?contest=bupati&level=kecamatan',
  '?contest=__proto__&level=tps&parent=35.09.01',
  '?level[]=x&level[]=y',
  '?limit=-1',
  '?limit=1e309',
  '?region=35.09.01',
  '?token=AAAA-BBBB-CCCC',
  '?lastEventId=99999999999',
  '?simulated=1',
  `?x=${'%ZZ'.repeat(10)}`,
  `?q=${'a'.repeat(8000)}`,
  '?kecamatan=%00',
  '?property=name&name=x',
]

function deep(n: number): string {
  return '['.repeat(n) + ']'.repeat(n)
}

function randomJson(depth = 0): unknown {
  const r = rng.next()
  if (depth > 4 || r < 0.3) {
    return pick([
      0,
      -1,
      1.5,
      1e308,
      'x',
      '',
      '\udc00',
      'a'.repeat(3000),
      null,
      true,
      '12',
      ' 7 ',
      '35.09.01.2001.001',
      'bupati',
    ])
  }
  if (r < 0.6)
    return Array.from({ length: Math.floor(rng.next() * 5) }, () => randomJson(depth + 1))
  const o: Record<string, unknown> = {}
  const keys = [
    'submissionId',
    'tps',
    'contest',
    'votes',
    'invalid',
    'voters',
    'note',
    'name',
    'role',
    'region',
    'status',
    'reason',
    'accessCode',
    'category',
    'urgency',
    'text',
    'photo',
    'contests',
    'keep',
    'action',
    'outcome',
    'opensAt',
    'closesAt',
    '1',
    '2',
    '__proto__',
    'constructor',
  ]
  for (let i = 0; i < 1 + rng.next() * 6; i++) o[pick(keys)] = randomJson(depth + 1)
  return o
}

function body(): { data: string | Buffer; type?: string; encoding?: string } | null {
  const r = rng.next()
  if (r < 0.12) return null
  if (r < 0.45) return { data: JSON.stringify(randomJson()), type: 'application/json' }
  if (r < 0.55) {
    const good = {
      submissionId: `fz-${Math.floor(rng.next() * 1e9)}`,
      tps: '35.09.01.2001.001',
      contest: pick(['bupati', 'gubernur', 'x']),
      votes: { '1': pick([1, '2', -5, 1.5, 'x', null]), '2': 3 },
      invalid: pick([0, '1', []]),
    }
    return { data: JSON.stringify(good), type: 'application/json' }
  }
  const raw = pick<() => { data: string | Buffer; type?: string; encoding?: string }>([
    () => ({
      data: `{"votes":{"1":${deep(pick([401, 5000, 50_000]))}}}`,
      type: 'application/json',
    }),
    () => ({ data: '{"tps":"\\udc00","contest":"\\ud800x"}', type: 'application/json' }),
    () => ({ data: '{"a":', type: 'application/json' }),
    () => ({
      data: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}',
      type: 'application/json',
    }),
    () => ({ data: JSON.stringify({ note: 'n'.repeat(300_000) }), type: 'application/json' }),
    () => ({
      data: 'kode_desa,nomor_tps,dpt\n35.09.01.2001,1,300\n\u0000\u0001',
      type: 'text/csv',
    }),
    () => ({
      data: Buffer.from([
        0x50,
        0x4b,
        0x03,
        0x04,
        ...Array.from({ length: 200 }, () => Math.floor(rng.next() * 256)),
      ]),
      type: 'application/octet-stream',
    }),
    () => ({ data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), type: 'image/jpeg' }),
    () => ({ data: 'not gzip at all', type: 'application/json', encoding: 'gzip' }),
    () => ({
      data: gzipSync(JSON.stringify({ tps: 'x' })),
      type: 'application/json',
      encoding: 'gzip',
    }),
    () => ({ data: '{"a":1}', type: 'application/json; charset=klingon' }),
    () => ({ data: '{"a":1}', type: 'text/plain' }),
    () => ({
      data: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
      type: 'multipart/form-data; boundary=x',
    }),
    () => ({
      data: Buffer.from(Array.from({ length: 2048 }, () => Math.floor(rng.next() * 256))),
      type: pick(['application/json', 'application/geo+json', 'text/csv']),
    }),
    () => ({
      data: '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]}}]}',
      type: 'application/geo+json',
    }),
  ])
  return raw()
}

function fillPath(pattern: string): string {
  return pattern.replace(/:(\w+)/g, () =>
    chance(0.25) ? pick(HOSTILE_SEGMENTS) : encodeURIComponent(pick(HOSTILE_SEGMENTS)),
  )
}

/** A few malformed HTTP requests over a raw socket: the answer's status, or 0 when the socket just closed. */
function rawRequest(port: number): Promise<number> {
  const lines = pick([
    `GET /api/v1/tps/%E0%A4%A HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${BENCH_TOKEN}\r\n\r\n`,
    `GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    `POST /api/v1/results HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\nContent-Type: application/json\r\nAuthorization: Bearer ${BENCH_TOKEN}\r\n\r\n{"a":`,
    `POST /api/v1/results HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nAuthorization: Bearer ${BENCH_TOKEN}\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`,
    `GARBAGE\r\n\r\n`,
    `GET /api/v1/health HTTP/9.9\r\n\r\n`,
    `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0000\u0001\r\n\r\n`,
  ])
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(lines, 'latin1'))
    let got = ''
    const done = (status: number) => {
      clearTimeout(timer)
      s.destroy()
      resolve(status)
    }
    const timer = setTimeout(() => done(0), 3_000)
    s.on('data', (d) => {
      got += d.toString('latin1')
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got)
      if (m) done(Number(m[1]))
    })
    s.on('close', () => done(0))
    s.on('error', () => done(0))
  })
}

async function main() {
  const list = await routes()
  const desk = await startDeskProcess()
  const url = desk.url
  const port = Number(new URL(url).port)
  try {
    // A small registry and one account per role, so tokens pass and handlers run.
    const csv = [
      'kode_desa,nomor_tps,dpt',
      '35.09.01.2001,1,300',
      '35.09.01.2001,2,300',
      '35.09.01.2002,1,300',
    ].join('\n')
    await fetch(`${url}/api/v1/tps/import`, {
      method: 'POST',
      headers: { ...benchHeaders, 'content-type': 'text/csv' },
      body: csv,
    })
    const tokens: (string | null)[] = [null, 'XXXX-XXXX-XXXX', 'nonsense']
    for (const [role, region] of [
      ['reporter', '35.09.01.2001'],
      ['reporter', '35.09.01'],
      ['operator'],
      ['supervisor'],
      ['display'],
    ] as const) {
      const r = await fetch(`${url}/api/v1/users`, {
        method: 'POST',
        headers: benchHeaders,
        body: JSON.stringify({ name: `Fuzz ${role}`, role, region }),
      })
      tokens.push(((await r.json()) as { accessCode: string }).accessCode)
    }

    const byStatus = new Map<number, number>()
    const serverErrors: string[] = []
    const networkErrors: string[] = []
    let busy = 0
    let sent = 0
    const count = (s: number) => byStatus.set(s, (byStatus.get(s) ?? 0) + 1)
    const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']
    const started = Date.now()

    const one = async () => {
      if (chance(0.02)) {
        count(await rawRequest(port))
        return
      }
      const route = pick(list)
      // Heavy workbook builds are fuzzed, but rarely: each is a second of the worker's CPU.
      if (/xlsx|snapshots/.test(route.path) && chance(0.8)) return one()
      const method = chance(0.85) ? route.method : pick(METHODS)
      const path = fillPath(route.path) + (chance(0.4) ? pick(QUERIES) : '')
      // Half as admin (not rate limited, so most requests reach a handler), half as anyone else.
      const token = chance(0.5) ? BENCH_TOKEN : pick(tokens)
      // fetch sends no body with GET/HEAD (the raw-socket requests cover that case).
      const b = method === 'GET' || method === 'HEAD' ? null : body()
      const headers: Record<string, string> = {}
      if (token) headers.authorization = chance(0.05) ? `Basic ${token}` : `Bearer ${token}`
      if (b?.type) headers['content-type'] = b.type
      if (b?.encoding) headers['content-encoding'] = b.encoding
      if (chance(0.1)) headers['last-event-id'] = pick(['0', '-1', 'abc', '99999999999999999999'])
      if (chance(0.1)) headers['x-desk-channel'] = pick(['telepon', 'simulasi', 'web', '\u00ff'])
      if (chance(0.05)) headers['accept-encoding'] = 'gzip'
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), 15_000)
      try {
        const res = await fetch(url + path, {
          method,
          headers,
          body: b ? (b.data as never) : null,
          signal: controller.signal,
        })
        // An event stream answers 200 and stays open: read its first bytes and close it.
        if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
          controller.abort()
        } else {
          await res.arrayBuffer()
        }
        count(res.status)
        if (res.status >= 500) {
          if (res.status === 503 && res.headers.get('retry-after')) busy++
          else serverErrors.push(`${method} ${path.slice(0, 120)} → ${res.status}`)
        }
      } catch (e) {
        if (!controller.signal.aborted) {
          count(-1)
          networkErrors.push(
            `${method} ${path.slice(0, 80)}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`,
          )
        }
      } finally {
        clearTimeout(timer)
      }
    }

    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < REQUESTS) {
          sent++
          await one()
        }
      }),
    )
    const alive = await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    )
    const seconds = (Date.now() - started) / 1000
    console.log(
      `proof:fuzz — ${sent.toLocaleString('id-ID')} permintaan bermusuhan atas ${list.length} rute dalam ${seconds.toFixed(0)} s (${CONCURRENCY} sekaligus)`,
    )
    const statuses = [...byStatus.entries()].sort((a, b) => a[0] - b[0])
    console.log(
      `  jawaban menurut status: ${statuses.map(([s, n]) => `${s === -1 ? 'gagal-jaringan' : s === 0 ? 'soket-ditutup' : s}: ${n}`).join(', ')}`,
    )
    console.log(
      `  5xx: ${serverErrors.length}${busy ? ` (ditambah ${busy} × 503 sibuk dengan Retry-After)` : ''} · desk hidup setelahnya: ${alive ? 'ya' : 'TIDAK'}`,
    )
    for (const e of serverErrors.slice(0, 10)) console.log(`    ${e}`)
    for (const e of networkErrors.slice(0, 10)) console.log(`    jaringan: ${e}`)
    const ok = serverErrors.length === 0 && alive && (byStatus.get(-1) ?? 0) === 0
    console.log(ok ? 'LULUS' : 'GAGAL')
    process.exitCode = ok ? 0 : 1
  } finally {
    await desk.stop()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
