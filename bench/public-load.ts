// bench/public-load: the public page for a whole regency. Tens of thousands of citizens refresh
// /publik and its summary on the night; behind the recommended nginx (docs/deploy/nginx.conf, its
// 5-second micro-cache) the desk must not feel them. Phones report at a steady pace (far above
// Jember's real rate) straight to the desk while a TLS load generator drives thousands of public
// requests per second through nginx; the phones' latency is compared with the same phones and no
// public load, in the same run, and with the same crowd sent to the desk directly (no proxy).
// Loopback only, bounded by --seconds; nginx (Debian's) and the desk are stopped at the end.
//
//   npx tsx bench/public-load.ts [--seconds 5] [--rounds 3] [--public-clients 48] [--public-rate 3000|0] [--report-rate 200]
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect as netConnect } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { parseArgs } from 'node:util'
import { NGINX, startNginx } from '../tests/helpers/nginx'
import { BENCH_TOKEN, importRegistry, startDeskProcess } from './desk-process'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'public-clients': { type: 'string', default: '48' },
    'report-rate': { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    'public-rate': { type: 'string', default: '3000' },
    // internal: this file run again as the crowd's own process
    'crowd-port': { type: 'string' },
    'crowd-ca': { type: 'string' },
  },
})
const SECONDS = Number(values.seconds)
const PUBLIC_CLIENTS = Number(values['public-clients'])
const REPORT_RATE = Number(values['report-rate'])
const ROUNDS = Number(values.rounds)
// The crowd's pace in requests/s (0: as fast as the connections go). A fixed pace offers the same
// load through nginx and straight to the desk.
const PUBLIC_RATE = Number(values['public-rate'])
if (!existsSync(NGINX)) {
  console.log(
    `bench/public-load: ${NGINX} is not installed (apt-get install -y nginx); nothing measured.`,
  )
  process.exit(0)
}

interface Latency {
  sent: number
  p50: number
  p99: number
  max: number
  errors: number
  /** What the desk itself measured (its request log's `ms`, request in → answer out): its own latency, free of the client's CPU. */
  desk: { p50: number; p99: number }
  why: Record<string, number>
}

let reportNo = 0

// Filled from the desk's request log while a phase runs.
let deskMs: number[] = []
let logTail = ''
function readDeskLog(chunk: string): void {
  const text = logTail + chunk
  const cut = text.lastIndexOf('\n')
  logTail = text.slice(cut + 1)
  for (const m of text
    .slice(0, cut + 1)
    .matchAll(/"path":"([^"]+)","status":(\d+),"ms":([\d.]+)/g)) {
    if (m[1] === '/api/v1/results' && m[2] === '201') deskMs.push(Number(m[3]))
    else if (
      m[1] === '/api/v1/public/summary' ||
      m[1] === '/publik' ||
      m[1] === '/api/v1/config' ||
      m[1]!.startsWith('/assets/')
    )
      publicSeen++
  }
}

/** Reports at a fixed rate (open loop: a slow desk does not slow the phones down), over keep-alive. */
async function phones(
  url: string,
  codes: string[],
  firstId: number,
  seconds: number,
): Promise<Latency> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const target = new URL(url)
  const lat: number[] = []
  let errors = 0
  const why: Record<string, number> = {}
  const fail = (reason: string) => {
    errors++
    why[reason] = (why[reason] ?? 0) + 1
  }
  deskMs = []
  let i = firstId
  const inFlight: Promise<void>[] = []
  const end = performance.now() + seconds * 1000
  const interval = 1000 / REPORT_RATE
  let next = performance.now()
  while (performance.now() < end) {
    // Every report is a first result (a TPS × contest not reported before): the full write path.
    const n = reportNo++
    i++
    const body = JSON.stringify({
      submissionId: `bench-public-${firstId}-${n}`,
      tps: codes[n % codes.length],
      contest: n < codes.length ? 'gubernur' : 'bupati',
      votes: n < codes.length ? { '1': 50, '2': 150, '3': 80 } : { '1': 140, '2': 140 },
      invalid: 4,
    })
    const t = performance.now()
    inFlight.push(
      new Promise<void>((resolve) => {
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: '/api/v1/results',
            method: 'POST',
            agent,
            headers: {
              authorization: `Bearer ${BENCH_TOKEN}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume()
            res.on('end', () => {
              if (res.statusCode === 201) lat.push(performance.now() - t)
              else fail(`HTTP ${res.statusCode}`)
              resolve()
            })
          },
        )
        req.on('error', (e: NodeJS.ErrnoException) => {
          fail(e.code ?? e.message)
          resolve()
        })
        req.setTimeout(30_000, () => req.destroy())
        req.end(body)
      }),
    )
    next += interval
    const wait = next - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }
  await Promise.all(inFlight)
  agent.destroy()
  // The desk writes its request log to <data>/logs/desk.log: read what it has written so far.
  await new Promise((r) => setTimeout(r, 200))
  desk.flushLog()
  lat.sort((a, b) => a - b)
  const q = (xs: number[], p: number) =>
    xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN
  const own = deskMs.sort((a, b) => a - b)
  return {
    sent: i - firstId,
    p50: q(lat, 0.5),
    p99: q(lat, 0.99),
    max: lat[lat.length - 1] ?? NaN,
    errors,
    desk: { p50: q(own, 0.5), p99: q(own, 0.99) },
    why,
  }
}

/**
 * What one citizen's browser asks for when it opens /publik (tests/deploy/nginx.e2e.test.ts counts
 * them in Chromium): the page, the scripts and styles it names, the desk's configuration, the
 * summary — then the page refreshes the summary every few seconds (here: twice more per load).
 */
async function pageLoad(target: {
  host: string
  port: number
  tls?: { ca: Buffer }
}): Promise<string[]> {
  const html = await new Promise<string>((resolve, reject) => {
    const options = {
      host: target.host,
      port: target.port,
      path: '/publik',
      ...(target.tls ? { ca: target.tls.ca, servername: 'localhost' } : {}),
    }
    const req = (target.tls ? httpsRequest : request)(options, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(body)
          : reject(new Error(`/publik: HTTP ${res.statusCode}`)),
      )
    })
    req.on('error', reject)
    req.end()
  })
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)
  if (assets.length === 0)
    throw new Error('/publik names no /assets/: is the UI built (npx electron-vite build)?')
  return [
    '/publik',
    ...assets,
    '/api/v1/config',
    '/api/v1/public/summary',
    '/api/v1/public/summary',
    '/api/v1/public/summary',
  ]
}

/**
 * A crowd: `clients` keep-alive connections (TLS through nginx, or plain TCP to the desk), each
 * asking for the next public path as soon as the last answer is complete. Returns requests/s and
 * the answers' statuses.
 */
async function crowd(
  target: { host: string; port: number; tls?: { ca: Buffer } },
  clients: number,
  seconds: number,
) {
  const paths = await pageLoad(target)
  const statuses: Record<number, number> = {}
  let done = 0
  const end = Date.now() + seconds * 1000
  const one = (c: number) =>
    new Promise<void>((resolve) => {
      let k = c
      const gap = PUBLIC_RATE > 0 ? (clients / PUBLIC_RATE) * 1000 : 0
      let due = performance.now() + (gap * c) / clients
      // A connection the server closes (nginx ends keep-alive after 1,000 requests) is replaced.
      const open = () => {
        if (Date.now() >= end) return resolve()
        const socket = target.tls
          ? tlsConnect({
              host: target.host,
              port: target.port,
              ca: target.tls.ca,
              servername: 'localhost',
              ...({ localAddress: `127.0.2.${(c % 250) + 1}` } as object),
            })
          : netConnect({
              host: target.host,
              port: target.port,
              localAddress: `127.0.2.${(c % 250) + 1}`,
            })
        let pending: Buffer = Buffer.alloc(0)
        const send = (): void => {
          if (Date.now() >= end) return void socket.end()
          if (gap > 0) {
            const wait = due - performance.now()
            due = Math.max(due + gap, performance.now() - gap)
            if (wait > 1) return void setTimeout(write, wait)
          }
          write()
        }
        const write = () => {
          if (socket.destroyed) return
          socket.write(
            `GET ${paths[k++ % paths.length]} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n`,
          )
        }
        socket.once(target.tls ? 'secureConnect' : 'connect', () => send())
        socket.on('error', () => {})
        socket.on('close', open)
        socket.setTimeout(30_000, () => socket.destroy())
        socket.on('data', (chunk: Buffer) => {
          pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
          for (;;) {
            const head = pending.indexOf('\r\n\r\n')
            if (head < 0) return
            const text = pending.toString('latin1', 0, head)
            const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)
            let endAt: number
            if (length) endAt = head + 4 + Number(length[1])
            else {
              const last = pending.indexOf('\r\n0\r\n\r\n', head)
              if (last < 0) return
              endAt = last + 7
            }
            if (pending.length < endAt) return
            const status = Number(text.slice(9, 12))
            statuses[status] = (statuses[status] ?? 0) + 1
            done++
            pending = pending.subarray(endAt)
            send()
          }
        })
      }
      open()
    })
  await Promise.all(Array.from({ length: clients }, (_, c) => one(c)))
  return { rps: done / seconds, statuses }
}

// The crowd runs in a process of its own: in the phones' process its TLS work would delay the
// phones' own timers and be counted as the desk's latency.
if (values['crowd-port']) {
  const ca = values['crowd-ca'] ? { tls: { ca: readFileSync(values['crowd-ca']) } } : {}
  process.stdout.write('go\n')
  const r = await crowd(
    { host: '127.0.0.1', port: Number(values['crowd-port']), ...ca },
    PUBLIC_CLIENTS,
    SECONDS,
  )
  process.stdout.write(JSON.stringify(r))
  process.exit(0)
}

/** Start the crowd; `started` resolves when it begins, `done` with its figures. */
function crowdProcess(port: number, caFile?: string) {
  const args = [
    '--import',
    'tsx',
    import.meta.filename,
    '--crowd-port',
    String(port),
    '--seconds',
    String(SECONDS),
    '--public-clients',
    String(PUBLIC_CLIENTS),
    '--public-rate',
    String(PUBLIC_RATE),
    ...(caFile ? ['--crowd-ca', caFile] : []),
  ]
  const child = PIN
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  let go: () => void
  const started = new Promise<void>((r) => (go = r))
  child.stdout.on('data', (d) => {
    out += d
    if (out.startsWith('go\n')) go()
  })
  const done = new Promise<{ rps: number; statuses: Record<number, number> }>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.slice(3))) : reject(new Error(`crowd exited ${code}`)),
    ),
  )
  return { started, done }
}

async function withCrowd(port: number, caFile: string | undefined, id: number) {
  const c = crowdProcess(port, caFile)
  await c.started
  return Promise.all([phones(desk.url, codes, id, SECONDS), c.done])
}

// The proxy and the crowd are other machines on the night: here the desk gets CPU 1 and everything
// else (phones, nginx, the crowd) CPU 0, so what the phones see is the desk's own load, not the
// TLS work of a proxy that would run elsewhere. DESK_BENCH_PIN=0 turns this off.
const PIN = process.env.DESK_BENCH_PIN !== '0' && spawnSync('taskset', ['-V']).status === 0
if (PIN) {
  process.env.DESK_BENCH_SERVER_CPU ??= '1'
  execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' })
}

// The desk, in its own process, believing nginx (on 127.0.0.1) for the clients' addresses.
let publicSeen = 0
const desk = await startDeskProcess({}, ['--trust-proxy', '127.0.0.1'], readDeskLog)
const progress = (m: string) => process.stderr.write(`  … ${m}\n`)
progress('desk started; importing the registry')
const codes = await importRegistry(desk.url, 60)
progress('registry imported')
const certDir = mkdtempSync(join(tmpdir(), 'desk-bench-tls-'))
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(certDir, 'k.pem'),
    '-out',
    join(certDir, 'c.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ],
  { stdio: 'ignore' },
)
const ca: Buffer = readFileSync(join(certDir, 'c.pem'))
const deskPort = Number(new URL(desk.url).port)
const nginx = await startNginx({
  deskPort,
  cert: join(certDir, 'c.pem'),
  key: join(certDir, 'k.pem'),
  workers: 1,
  ...(PIN ? { cpu: '0' } : {}),
})

try {
  // Warm up (JIT, connections, the cache's first fill), not counted.
  await phones(desk.url, codes, 0, 5)
  progress('phones warmed up')
  await crowd({ host: '127.0.0.1', port: nginx.httpsPort, tls: { ca } }, 8, 1)
  const caFile = join(certDir, 'c.pem')
  progress('warmed up')
  // Rounds of the three conditions, interleaved: a machine shared with other work drifts, and a
  // drift then hits every condition alike. Medians over the rounds.
  let id = 10_000
  const alone: Latency[] = []
  const proxied: Latency[] = []
  const direct: Latency[] = []
  const viaNginx: { rps: number; statuses: Record<number, number>; seen: number }[] = []
  const straight: { rps: number; statuses: Record<number, number>; seen: number }[] = []
  for (let round = 0; round < ROUNDS; round++) {
    alone.push(await phones(desk.url, codes, (id += 100_000), SECONDS))
    let before = publicSeen
    const [p, c] = await withCrowd(nginx.httpsPort, caFile, (id += 100_000))
    proxied.push(p)
    viaNginx.push({ ...c, seen: publicSeen - before })
    before = publicSeen
    const [d, c2] = await withCrowd(deskPort, undefined, (id += 100_000))
    direct.push(d)
    straight.push({ ...c2, seen: publicSeen - before })
    progress(`round ${round + 1} of ${ROUNDS}`)
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const summary = (ls: Latency[]): Latency => {
    const why: Record<string, number> = {}
    for (const l of ls) for (const [k, n] of Object.entries(l.why)) why[k] = (why[k] ?? 0) + n
    return {
      sent: ls.reduce((a, l) => a + l.sent, 0),
      p50: med(ls.map((l) => l.p50)),
      p99: med(ls.map((l) => l.p99)),
      max: Math.max(...ls.map((l) => l.max)),
      errors: ls.reduce((a, l) => a + l.errors, 0),
      desk: { p50: med(ls.map((l) => l.desk.p50)), p99: med(ls.map((l) => l.desk.p99)) },
      why,
    }
  }
  const [a, p, d] = [summary(alone), summary(proxied), summary(direct)]
  const ms = (x: number) => `${x.toFixed(1).padStart(6)} ms`
  const row = (name: string, l: Latency) =>
    `  ${name.padEnd(44)} ${String(l.sent).padStart(6)} reports   in the desk p50 ${ms(l.desk.p50)} p99 ${ms(l.desk.p99)}   at the phones p50 ${ms(l.p50)} p99 ${ms(l.p99)}` +
    (l.errors
      ? `   ${l.errors} not accepted (${Object.entries(l.why)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ')})`
      : '')
  const crowdLine = (name: string, cs: typeof viaNginx) => {
    const statuses: Record<string, number> = {}
    for (const c of cs)
      for (const [k, n] of Object.entries(c.statuses)) statuses[k] = (statuses[k] ?? 0) + n
    const seen = cs.reduce((x, c) => x + c.seen, 0)
    const total = Object.values(statuses).reduce((x, n) => x + n, 0)
    return `  ${name}: ${med(cs.map((c) => c.rps)).toFixed(0)} req/s (HTTP ${Object.entries(
      statuses,
    )
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')}); the desk saw ${seen} of ${total} (${(seen / (SECONDS * ROUNDS)).toFixed(1)}/s)`
  }
  console.log(
    `${PIN ? `desk on CPU ${process.env.DESK_BENCH_SERVER_CPU}, phones + nginx + crowd on CPU 0` : 'not pinned'}; load average ${loadavg()[0]!.toFixed(1)}`,
  )
  console.log(
    `bench/public-load — phones ${REPORT_RATE} reports/s straight to the desk; ${ROUNDS} rounds × 3 conditions × ${SECONDS} s (medians of the rounds); crowd: ${PUBLIC_CLIENTS} keep-alive connections${PUBLIC_RATE > 0 ? ` paced at ${PUBLIC_RATE} req/s` : ' as fast as they go'}; 127.0.0.1`,
  )
  console.log(row('phones alone', a))
  console.log(row('phones + crowd through nginx (micro-cache)', p))
  console.log(row('phones + the same crowd straight to the desk', d))
  console.log(crowdLine('crowd through nginx', viaNginx))
  console.log(crowdLine('crowd straight to the desk', straight))
  const ratio = (x: Latency) =>
    `in the desk p50 ${(x.desk.p50 / a.desk.p50).toFixed(2)}×, p99 ${(x.desk.p99 / a.desk.p99).toFixed(2)}×; at the phones p50 ${(x.p50 / a.p50).toFixed(2)}×, p99 ${(x.p99 / a.p99).toFixed(2)}×`
  console.log(`  intake latency, crowd through nginx / alone: ${ratio(p)}`)
  console.log(`  intake latency, crowd straight at the desk / alone: ${ratio(d)}`)
} finally {
  await nginx.stop()
  await desk.stop()
  rmSync(certDir, { recursive: true, force: true })
}
