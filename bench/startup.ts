// bench/startup: how long the headless desk takes from `node out/main/cli.js serve` to a healthy
// GET /health, and how much memory it holds once idle — against a bare express server started
// the same way in the same run (Node's own start, module loading and a listen: the floor).
// Two desk cases: a fresh data folder (migrations, a new database), and a restart on a folder
// holding Jember's 4,046 TPS and 8,092 results (the case of a laptop restarted on the night).
// Targets: restart to healthy ≤ 0.8 s (median), idle RSS ≤ 100 MB. Loopback only; stops by itself.
//
//   npx tsx bench/startup.ts [--rounds 5]
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH_TOKEN, benchHeaders, importRegistry, rssMb, startProcess } from './desk-process'
import { fmt, reportRows } from './report'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } })
const ROUNDS = Number(values.rounds)
const IDLE_MS = 3_000
const root = join(import.meta.dirname, '..')
const TARGET_MS = 800
const TARGET_RSS_MB = 100

// The desk runs from its build, as `npm run serve` does: build first when src/ is newer.
const built = spawnSync(process.execPath, [join(root, 'scripts/ensure-build.mjs')], {
  cwd: root,
  stdio: 'inherit',
})
if (built.status !== 0) throw new Error('build failed')

// The baseline: plain JavaScript (no tsx), express, one route, listen.
const bareFile = join(root, 'bench', '.results', 'bare-start.mjs')
mkdirSync(join(root, 'bench', '.results'), { recursive: true })
writeFileSync(
  bareFile,
  `import express from 'express'
const app = express()
app.get('/api/v1/health', (_req, res) => res.json({ status: 'ok' }))
const server = app.listen(0, '127.0.0.1', () => process.stdout.write('siap di http://127.0.0.1:' + server.address().port + '\\n'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
`,
)

interface Start {
  healthyMs: number
  rssMb: number
}

/** Starts a built program (the desk, or the bare baseline) and times it until /health answers. */
async function start(
  args: string[],
  idle = true,
): Promise<Start & { url: string; stop: () => Promise<void> }> {
  const t0 = performance.now()
  const child = await startProcess(args, { DESK_ADMIN_TOKEN: BENCH_TOKEN }, undefined, {
    tsx: false,
  })
  for (;;) {
    const ok = await fetch(`${child.url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    await new Promise((r) => setTimeout(r, 5))
  }
  const healthyMs = performance.now() - t0
  if (idle) await new Promise((r) => setTimeout(r, IDLE_MS))
  return { url: child.url, healthyMs, rssMb: rssMb(child.pid), stop: child.stop }
}

const cli = join(root, 'out', 'main', 'cli.js')
const serve = (dir: string) => [
  cli,
  'serve',
  '--data-dir',
  dir,
  '--port',
  '0',
  '--host',
  '127.0.0.1',
]

// A data folder with Jember's registry and a result for every TPS and contest.
const restartDir = mkdtempSync(join(tmpdir(), 'desk-start-'))
{
  const desk = await start(serve(restartDir), false)
  const codes = (await importRegistry(desk.url)).slice(0, 4046)
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < codes.length * 2) {
        const i = next++
        const contest = i < codes.length ? 'gubernur' : 'bupati'
        const votes =
          contest === 'gubernur' ? { '1': 50, '2': 150, '3': 80 } : { '1': 140, '2': 140 }
        const r = await fetch(`${desk.url}/api/v1/results`, {
          method: 'POST',
          headers: benchHeaders,
          body: JSON.stringify({
            submissionId: `start-${i}`,
            tps: codes[i % codes.length],
            contest,
            votes,
            invalid: 4,
          }),
        })
        if (r.status !== 201) throw new Error(`HTTP ${r.status}: ${await r.text()}`)
      }
    }),
  )
  await desk.stop()
}

const bare: Start[] = []
const fresh: Start[] = []
const restart: Start[] = []
for (let i = 0; i < ROUNDS; i++) {
  const freshDir = mkdtempSync(join(tmpdir(), 'desk-start-fresh-'))
  for (const [list, args] of [
    [bare, [bareFile]],
    [fresh, serve(join(freshDir, 'd'))],
    [restart, serve(restartDir)],
  ] as const) {
    const s = await start([...args])
    await s.stop()
    list.push({ healthyMs: s.healthyMs, rssMb: s.rssMb })
  }
  rmSync(freshDir, { recursive: true, force: true })
}
rmSync(restartDir, { recursive: true, force: true })

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const range = (xs: number[], f: (x: number) => string) =>
  `${f(Math.min(...xs))}–${f(Math.max(...xs))}`
const b = { ms: median(bare.map((s) => s.healthyMs)), rss: median(bare.map((s) => s.rssMb)) }
const line = (name: string, xs: Start[]) => {
  const ms = median(xs.map((s) => s.healthyMs))
  const rss = median(xs.map((s) => s.rssMb))
  return `  ${name.padEnd(36)} start→healthy median ${fmt.ms(ms).padStart(8)} (${range(
    xs.map((s) => s.healthyMs),
    fmt.ms,
  )})  ${fmt.x(ms / b.ms)} bare   idle RSS ${fmt.mb(rss)} (${range(
    xs.map((s) => s.rssMb),
    fmt.mb,
  )})`
}
console.log(
  `bench/startup — ${ROUNDS} rounds each, node ${process.version}, idle ${IDLE_MS / 1000} s before reading RSS`,
)
console.log(line('baseline: bare express', bare))
console.log(line('desk, new data folder', fresh))
console.log(line('desk, restart (4.046 TPS, 8.092 hasil)', restart))
const restartMs = median(restart.map((s) => s.healthyMs))
const restartRss = median(restart.map((s) => s.rssMb))
const freshMs = median(fresh.map((s) => s.healthyMs))
const freshRss = median(fresh.map((s) => s.rssMb))
console.log(
  `  targets: restart→healthy ≤ ${TARGET_MS} ms → ${fmt.ms(restartMs)} ${restartMs <= TARGET_MS ? 'ok' : 'MISSED'}; idle RSS ≤ ${TARGET_RSS_MB} MB → ${fmt.mb(restartRss)} ${restartRss <= TARGET_RSS_MB ? 'ok' : 'MISSED'}`,
)
// Per case: the start time, then the idle memory, each against the bare express server.
const cases = [
  { ms: freshMs, rss: freshRss, start: 'new data folder', idle: 'start, new data folder' },
  {
    ms: restartMs,
    rss: restartRss,
    start: 'restart with 4.046 TPS',
    idle: 'restart with 4.046 TPS',
  },
]
reportRows([
  ...cases.map((c) => ({
    bench: 'startup',
    measure: `start → /health, ${c.start} (median)`,
    value: fmt.ms(c.ms),
    baseline: `bare express ${fmt.ms(b.ms)}`,
    ratio: fmt.x(c.ms / b.ms),
    target: `≤ ${TARGET_MS} ms`,
    ok: c.ms <= TARGET_MS,
  })),
  ...cases.map((c) => ({
    bench: 'startup',
    measure: `idle RSS after ${c.idle}`,
    value: fmt.mb(c.rss),
    baseline: `bare express ${fmt.mb(b.rss)}`,
    ratio: fmt.x(c.rss / b.rss),
    target: `≤ ${TARGET_RSS_MB} MB`,
    ok: c.rss <= TARGET_RSS_MB,
  })),
])
