// bench/intake: POST /results through the real HTTP path into the durable store (WAL; a report is
// answered once the fsync of its commit is done), against a bare express JSON endpoint measured in
// the same run, and against the desk with group commit turned off (one commit, one fsync inside
// COMMIT, per report). 64 concurrent keep-alive clients. Targets: ≥ 0.6× the bare endpoint's
// requests/s, p99 ≤ 30 ms. Also prints the server's CPU per request (from /proc).
// Targets 127.0.0.1 only; stops by itself.
//
//   npx tsx bench/intake.ts [--seconds 5] [--clients 64] [--client raw|fetch|wrk]
//   DESK_BENCH_SERVER_CPU=1 taskset -c 0 npx tsx bench/intake.ts   (server and client on their own cores)
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { rawLoad, type Figures } from './http-load'
import {
  BENCH_TOKEN,
  benchHeaders as headers,
  importRegistry,
  startDeskProcess,
  startProcess,
} from './desk-process'
import { fmt, reportRows } from './report'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '64' },
    client: { type: 'string', default: 'raw' },
  },
})
const SECONDS = Number(values.seconds)
const CLIENTS = Number(values.clients)

/** `CLIENTS` loops for `SECONDS`, each waiting for its answer before the next request. */
async function load(make: (i: number) => Promise<Response>): Promise<Figures> {
  // The first second warms up (connections, JIT) and is not counted.
  const start = Date.now() + 1000
  const end = start + SECONDS * 1000
  let next = 0
  const lat: number[] = []
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const t = performance.now()
        const counted = Date.now() >= start
        const res = await make(next++)
        await res.arrayBuffer()
        if (res.status >= 400) throw new Error(`HTTP ${res.status}`)
        if (counted) lat.push(performance.now() - t)
      }
    }),
  )
  lat.sort((a, b) => a - b)
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0
  return { rps: lat.length / SECONDS, p50: q(0.5), p99: q(0.99) }
}

const body = (codes: string[], i: number) =>
  JSON.stringify({
    submissionId: `bench-result-${i}`,
    tps: codes[i % codes.length],
    contest: i < codes.length ? 'gubernur' : 'bupati',
    votes: i < codes.length ? { '1': 50, '2': 150, '3': 80 } : { '1': 140, '2': 140 },
    invalid: 4,
  })

// The load comes from a lean socket client in this process (bench/http-load.ts, the default), from
// Node's fetch (--client fetch), or from wrk (--client wrk, Debian's package). On a 2-core machine
// every client shares the CPU with the server, which inflates the tail of every target alike: read
// p99 next to the bare endpoint's own p99 from the same run. fetch spends more CPU per request than
// the endpoint it measures, so with it the tail is mostly the client's own queue.
const CLIENT =
  values.client === 'wrk' && spawnSync('wrk', ['--version']).error !== undefined
    ? 'raw'
    : values.client
if (!['raw', 'fetch', 'wrk'].includes(CLIENT!))
  throw new Error(`--client raw|fetch|wrk, not ${CLIENT}`)

/** The same request mix as `body()`, written as a wrk script: unique ids per thread and request. */
function wrkScript(path: string, codes: string[]): string {
  return `
local codes = {${codes.map((c) => `"${c}"`).join(',')}}
local threads, n = 0, 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) n = 0 end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer ${BENCH_TOKEN}"
function request()
  n = n + 1
  local k = n * 4 + tid
  local c = codes[(k % #codes) + 1]
  local contest, votes = "gubernur", '{"1":50,"2":150,"3":80}'
  if k > #codes then contest, votes = "bupati", '{"1":140,"2":140}' end
  return wrk.format(nil, "${path}", nil,
    string.format('{"submissionId":"wrk-%d-%d","tps":"%s","contest":"%s","votes":%s,"invalid":4}', tid, n, c, contest, votes))
end
`
}

function wrkLoad(url: string, path: string, codes: string[]): Figures {
  const dir = mkdtempSync(join(tmpdir(), 'desk-wrk-'))
  const script = join(dir, 'post.lua')
  writeFileSync(script, wrkScript(path, codes))
  const out = execFileSync(
    'wrk',
    ['-t2', `-c${CLIENTS}`, `-d${SECONDS}s`, '--latency', '-s', script, url],
    { encoding: 'utf8' },
  )
  rmSync(dir, { recursive: true, force: true })
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out)
    if (!m) return NaN
    const v = Number(m[1])
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
  }
  if (/Non-2xx/.test(out)) throw new Error(`errors under load:\n${out}`)
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]), p50: ms('50'), p99: ms('99') }
}

async function post(url: string, path: string, codes: string[], pid: number): Promise<Figures> {
  if (CLIENT === 'wrk') return wrkLoad(url, path, codes)
  if (CLIENT === 'fetch')
    return load((i) => fetch(`${url}${path}`, { method: 'POST', headers, body: body(codes, i) }))
  return rawLoad({
    url,
    path,
    headers,
    body: (i) => body(codes, i),
    clients: CLIENTS,
    seconds: SECONDS,
    pid,
  })
}
const results = (p: { url: string; pid: number }, codes: string[]) =>
  post(p.url, '/api/v1/results', codes, p.pid)
const bareLoad = (p: { url: string; pid: number }, codes: string[]) =>
  post(p.url, '/echo', codes, p.pid)

const bare = await startProcess([join(import.meta.dirname, 'bare-server.ts')])
const grouped = await startDeskProcess()
// 240 TPS per desa (59,520 TPS × 2 contests = 119,040 results, more than 6 s at 19,000/s): every
// counted request is a new result, the full write path — never a cheaper duplicate.
const PER_DESA = 240
const codes = await importRegistry(grouped.url, PER_DESA)
const baseline = await bareLoad(bare, codes)
await bare.stop()
const withGroup = await results(grouped, codes)
await grouped.stop()

const single = await startDeskProcess({ DESK_WRITER_MAX_BATCH: '1' })
await importRegistry(single.url, PER_DESA)
const perReport = await results(single, codes)
await single.stop()

const row = (name: string, f: Figures) =>
  `  ${name.padEnd(34)} ${f.rps.toFixed(0).padStart(6)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   ${(f.rps / baseline.rps).toFixed(2)}× bare` +
  (f.cpuUs ? `   server CPU ${f.cpuUs.toFixed(0)} µs/req` : '') +
  (f.statuses
    ? `   (HTTP ${Object.entries(f.statuses)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ')})`
    : '')
const pinned = process.env.DESK_BENCH_SERVER_CPU
  ? `, server pinned to CPU ${process.env.DESK_BENCH_SERVER_CPU}`
  : ''
console.log(
  `bench/intake — ${CLIENTS} keep-alive clients (${CLIENT} client), ${SECONDS} s each, 127.0.0.1${pinned}`,
)
console.log(row('bare express JSON endpoint', baseline))
console.log(row('POST /results, group commit', withGroup))
console.log(row('POST /results, a commit per report', perReport))
console.log(`  group commit / a commit per report: ${(withGroup.rps / perReport.rps).toFixed(2)}×`)
const TARGET_RATIO = 0.6
const TARGET_P99_MS = 30
const ratio = withGroup.rps / baseline.rps
console.log(
  `  targets: ≥ ${TARGET_RATIO}× bare → ${ratio.toFixed(2)}× ${ratio >= TARGET_RATIO ? 'ok' : 'MISSED'}; ` +
    `p99 ≤ ${TARGET_P99_MS} ms → ${withGroup.p99.toFixed(1)} ms ${withGroup.p99 <= TARGET_P99_MS ? 'ok' : 'MISSED'}`,
)
reportRows([
  {
    bench: 'intake',
    measure: `POST /results req/s, ${CLIENTS} clients, group commit`,
    value: `${fmt.n(withGroup.rps)}/s`,
    baseline: `bare express ${fmt.n(baseline.rps)}/s`,
    ratio: fmt.x(ratio),
    target: `≥ ${TARGET_RATIO}×`,
    ok: ratio >= TARGET_RATIO,
  },
  {
    bench: 'intake',
    measure: `POST /results p99, ${CLIENTS} clients`,
    value: fmt.ms(withGroup.p99),
    baseline: `bare express ${fmt.ms(baseline.p99)}`,
    ratio: fmt.x(withGroup.p99 / baseline.p99),
    target: `≤ ${TARGET_P99_MS} ms`,
    ok: withGroup.p99 <= TARGET_P99_MS,
  },
  ...(withGroup.cpuUs && baseline.cpuUs
    ? [
        {
          bench: 'intake',
          measure: 'server CPU per POST /results, group commit',
          value: `${fmt.n(withGroup.cpuUs)} µs`,
          baseline: `bare express ${fmt.n(baseline.cpuUs)} µs`,
          ratio: fmt.x(withGroup.cpuUs / baseline.cpuUs),
          target: '',
          ok: null,
        },
      ]
    : []),
  {
    bench: 'intake',
    measure: 'group commit vs a commit per report',
    value: `${fmt.n(withGroup.rps)}/s`,
    baseline: `${fmt.n(perReport.rps)}/s`,
    ratio: fmt.x(withGroup.rps / perReport.rps),
    target: '',
    ok: null,
  },
])
