// bench/soak: a bounded election night against a desk in its own process — 279 simulated phones
// (every desa/kelurahan reporter and kecamatan officer of Jember, plus the phone operator) playing
// the simulator's whole night (13:00–18:00 WIB: arrivals, retries, conflicts, corrections,
// postponements, incidents), compressed into --minutes real minutes, while 10 wall boards hold
// event streams open and re-read the board summary as results arrive, and backups run every
// minute. Every 5 s it records the desk's memory (RSS) and latencies, and at the end prints them
// per tenth of the run: flat memory and latency are the pass mark. Loopback only; stops by itself.
//
//   npx tsx bench/soak.ts             # 30 minutes (the night at 10× its real pace)
//   npx tsx bench/soak.ts --short     # 2 minutes: a quick check that the soak works
//   npx tsx bench/soak.ts --minutes 10 --boards 10 --json bench/.results/soak.json
import { setMaxListeners } from 'node:events'
import { request, type IncomingMessage } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { runSimulation, verificationPassed } from '../src/sim/driver'
import { DAY_END } from '../src/sim/plan'
import { spawnSync } from 'node:child_process'
import { BENCH_TOKEN, rssMb, startProcess } from './desk-process'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    short: { type: 'boolean', default: false },
    boards: { type: 'string', default: '10' },
    json: { type: 'string' },
  },
})
const MINUTES = Number(values.minutes ?? (values.short ? 2 : 30))
const BOARDS = Number(values.boards)
if (!(MINUTES > 0 && MINUTES <= 240)) throw new Error('--minutes: 0 < N ≤ 240')
if (!(BOARDS >= 0 && BOARDS <= 100)) throw new Error('--boards: 0 … 100')
const SPEED = DAY_END / (MINUTES * 60)
const SAMPLE_MS = 5_000
const headers = { authorization: `Bearer ${BENCH_TOKEN}` }

interface Sample {
  t: number // seconds since start
  rssMb: number
  health: number[]
  results: number[]
  boards: number[]
  delivery: number[]
  accepted: number
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!
}

/** One wall board: an event stream, and a summary re-read at most every 2 s while results arrive. */
function board(
  url: string,
  onDelay: (ms: number) => void,
  onRead: (ms: number) => void,
): { close(): void } {
  let dirty = false
  let closed = false
  const readOnce = async () => {
    if (!dirty || closed) return
    dirty = false
    const t = performance.now()
    const r = await fetch(`${url}/api/v1/board/summary`, { headers }).catch(() => null)
    await r?.arrayBuffer()
    if (r?.ok) onRead(performance.now() - t)
  }
  const reread = setInterval(() => void readOnce(), 2_000)
  const req = request(
    `${url}/api/v1/events?token=${encodeURIComponent(BENCH_TOKEN)}`,
    { headers: { accept: 'text/event-stream' } },
    (res: IncomingMessage) => {
      res.setEncoding('utf8')
      let buffer = ''
      res.on('data', (chunk: string) => {
        const now = Date.now()
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (!message.includes('event: result.')) continue
          dirty = true
          const at = /"at":"([^"]+)"/.exec(message)
          if (at && message.includes('event: result.accepted')) onDelay(now - Date.parse(at[1]!))
        }
      })
    },
  )
  req.on('error', () => {})
  req.end()
  return {
    close() {
      closed = true
      clearInterval(reread)
      req.destroy()
    },
  }
}

async function main(): Promise<void> {
  // The desk as it runs on the night: built (`npm run serve` runs out/main/cli.js), not through tsx.
  const root = join(import.meta.dirname, '..')
  if (
    spawnSync(process.execPath, [join(root, 'scripts/ensure-build.mjs')], {
      cwd: root,
      stdio: 'inherit',
    }).status !== 0
  )
    throw new Error('build failed')
  const backupDir = mkdtempSync(join(tmpdir(), 'desk-soak-backup-'))
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-soak-'))
  const desk = await startProcess(
    [
      join(root, 'out/main/cli.js'),
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--training',
      '--backup-dir',
      backupDir,
      '--backup-interval',
      '60',
    ],
    { DESK_ADMIN_TOKEN: BENCH_TOKEN },
    () => rmSync(dataDir, { recursive: true, force: true }),
    { tsx: false },
  )
  const started = Date.now()
  const hardStop = new AbortController()
  setMaxListeners(0, hardStop.signal) // the simulator waits on it from every chain at once
  // Bounded whatever happens: the night plus half again, plus a minute for setup.
  const deadline = setTimeout(() => hardStop.abort(), (MINUTES * 1.5 + 1) * 60_000)
  const samples: Sample[] = []
  let current: Sample = {
    t: 0,
    rssMb: rssMb(desk.pid),
    health: [],
    results: [],
    boards: [],
    delivery: [],
    accepted: 0,
  }
  const boards = Array.from({ length: BOARDS }, () =>
    board(
      desk.url,
      (ms) => current.delivery.push(ms),
      (ms) => current.boards.push(ms),
    ),
  )
  const probeOnce = async () => {
    const t = performance.now()
    const r = await fetch(`${desk.url}/api/v1/health`).catch(() => null)
    await r?.arrayBuffer()
    if (r?.ok) current.health.push(performance.now() - t)
  }
  const probe = setInterval(() => void probeOnce(), 1_000)
  const sampler = setInterval(() => {
    current.rssMb = rssMb(desk.pid)
    current.t = Math.round((Date.now() - started) / 1000)
    samples.push(current)
    current = { t: 0, rssMb: NaN, health: [], results: [], boards: [], delivery: [], accepted: 0 }
  }, SAMPLE_MS)
  // The phones' own view: how long each POST /results took to be answered (after its commit).
  const timedFetch: typeof fetch = async (input, init) => {
    const t = performance.now()
    const res = await fetch(input, init)
    if (init?.method === 'POST' && String(input).endsWith('/api/v1/results')) {
      const body = await res.clone().text()
      current.results.push(performance.now() - t)
      if (res.status === 201 && body.includes('accepted')) current.accepted++
    }
    return res
  }
  let summary
  try {
    process.stdout.write(
      `Soak: ${MINUTES} menit, malam simulasi ${SPEED.toFixed(1)}× lebih cepat, ${BOARDS} papan, cadangan tiap 60 detik\n`,
    )
    summary = await runSimulation({
      url: desk.url,
      token: BENCH_TOKEN,
      seed: 'soak',
      speed: SPEED,
      concurrency: 64,
      verify: true,
      signal: hardStop.signal,
      fetch: timedFetch,
      progressEvery: Math.max(10_000, MINUTES * 6_000),
      log: (line) => process.stdout.write(line + '\n'),
    })
  } finally {
    clearTimeout(deadline)
    clearInterval(probe)
    clearInterval(sampler)
    for (const b of boards) b.close()
  }
  const backups = (await (await fetch(`${desk.url}/api/v1/backup`, { headers })).json()) as {
    state: string
    kept: number
    lastGood: { bytes: number; durationMs: number | null } | null
  }
  await desk.stop()
  rmSync(backupDir, { recursive: true, force: true })

  // Tenths of the run: the first and last are compared.
  const tenths = 10
  const per = Math.max(1, Math.ceil(samples.length / tenths))
  const windows = Array.from({ length: Math.ceil(samples.length / per) }, (_, i) =>
    samples.slice(i * per, (i + 1) * per),
  )
  const rows = windows.map((w) => {
    const all = (k: 'health' | 'results' | 'boards' | 'delivery') => w.flatMap((s) => s[k])
    const results = all('results')
    return {
      minute: `${(w[0]!.t - SAMPLE_MS / 1000) / 60 < 0 ? 0 : ((w[0]!.t - SAMPLE_MS / 1000) / 60).toFixed(1)}–${(w.at(-1)!.t / 60).toFixed(1)}`,
      rssMb: Math.round(Math.max(...w.map((s) => s.rssMb))),
      results: results.length,
      resultsP50: pct(results, 0.5),
      resultsP99: pct(results, 0.99),
      healthP99: pct(all('health'), 0.99),
      boardP95: pct(all('boards'), 0.95),
      deliveryP95: pct(all('delivery'), 0.95),
    }
  })
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–')
  const out = [
    '',
    'menit      RSS MB  hasil   POST p50/p99 ms  /health p99  papan p95  kirim-SSE p95',
    ...rows.map(
      (r) =>
        `${r.minute.padEnd(10)} ${String(r.rssMb).padStart(6)}  ${String(r.results).padStart(5)}   ${`${ms(r.resultsP50)}/${ms(r.resultsP99)}`.padStart(14)}  ${ms(r.healthP99).padStart(11)}  ${ms(r.boardP95).padStart(9)}  ${ms(r.deliveryP95).padStart(13)}`,
    ),
  ]
  const first = rows[0]
  const last = rows.at(-1)
  const rssAll = samples.map((s) => s.rssMb).filter(Number.isFinite)
  out.push(
    '',
    `Kiriman hasil: ${summary.counts.sent} (diterima ${summary.counts.accepted}, duplikat ${summary.counts.duplicate}, konflik ${summary.counts.conflict}, ditolak ${summary.counts.rejected}, galat ${summary.counts.errors}); verifikasi rekap: ${verificationPassed(summary) ? 'cocok' : 'TIDAK cocok'}`,
    `RSS desk: awal ${first?.rssMb} MB, puncak ${Math.round(Math.max(...rssAll))} MB, akhir ${last?.rssMb} MB`,
    `Cadangan: ${backups.state}, ${backups.kept} berkas disimpan, terakhir ${backups.lastGood ? `${(backups.lastGood.bytes / 1e6).toFixed(1)} MB dalam ${backups.lastGood.durationMs} ms` : '–'}`,
  )
  process.stdout.write(out.join('\n') + '\n')
  if (values.json) {
    mkdirSync(dirname(values.json), { recursive: true })
    writeFileSync(
      values.json,
      JSON.stringify(
        {
          minutes: MINUTES,
          speed: SPEED,
          boards: BOARDS,
          rows,
          counts: summary.counts,
          verify: verificationPassed(summary),
          backups,
          samples: samples.map((s) => ({ t: s.t, rssMb: s.rssMb })),
        },
        null,
        2,
      ),
    )
  }
  if (!verificationPassed(summary) || summary.run.aborted) process.exitCode = 1
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
