// npm run bench: every bench in bench/, one after the other (never two at once: they would measure
// each other), and one table of what each measured against its own baseline from the same run.
// `--write-readme` puts that table into README.md's performance section (between its markers), so
// the README quotes the last full run rather than figures typed by hand.
//
//   npm run bench [-- --only intake,sse] [--quick] [--write-readme]
import { spawn } from 'node:child_process'
import { cpus, loadavg, tmpdir } from 'node:os'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { BenchRow } from './report'

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'write-readme': { type: 'boolean', default: false },
  },
})
const root = join(import.meta.dirname, '..')
const results = join(root, 'bench', '.results')

/** In the order they run; `quick` shortens the long ones for a check that the runner works. */
const BENCHES: { name: string; file: string; args: string[]; quick: string[] }[] = [
  { name: 'lapor', file: 'lapor-size.ts', args: [], quick: [] },
  { name: 'recap', file: 'recap.ts', args: [], quick: [] },
  { name: 'backup', file: 'backup.ts', args: [], quick: ['--rounds', '2'] },
  { name: 'startup', file: 'startup.ts', args: ['--rounds', '7'], quick: ['--rounds', '2'] },
  { name: 'intake', file: 'intake.ts', args: ['--seconds', '5'], quick: ['--seconds', '2'] },
  { name: 'sse', file: 'sse.ts', args: [], quick: ['--seconds', '3'] },
  { name: 'export', file: 'export.ts', args: [], quick: [] },
]
const only = values.only?.split(',').map((s) => s.trim())
const chosen = BENCHES.filter((b) => !only || only.includes(b.name))
if (chosen.length === 0)
  throw new Error(`--only: one or more of ${BENCHES.map((b) => b.name).join(', ')}`)

mkdirSync(results, { recursive: true })
const dir = mkdtempSync(join(tmpdir(), 'desk-bench-all-'))
const report = join(dir, 'rows.jsonl')
const load = loadavg()[0]!
const started = new Date()
const failures: { bench: string; code: number | null; tail: string }[] = []

for (const b of chosen) {
  const t0 = Date.now()
  process.stdout.write(`bench/${b.file} … `)
  const log = join(results, `${b.name}.log`)
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('bench', b.file), ...(values.quick ? b.quick : b.args)],
      {
        cwd: root,
        env: { ...process.env, DESK_BENCH_REPORT: report },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    // Bounded: no bench may run longer than 15 minutes.
    const guard = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000)
    child.on('exit', (c) => {
      clearTimeout(guard)
      writeFileSync(log, out)
      if (c !== 0)
        failures.push({
          bench: b.name,
          code: c,
          tail: out.trim().split('\n').slice(-3).join(' / ').slice(0, 300),
        })
      resolve(c)
    })
  })
  process.stdout.write(
    `${code === 0 ? 'selesai' : `GAGAL (kode ${code})`} dalam ${((Date.now() - t0) / 1000).toFixed(0)} s — keluaran lengkap: bench/.results/${b.name}.log\n`,
  )
}

const rows: BenchRow[] = existsSync(report)
  ? readFileSync(report, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as BenchRow)
  : []
rmSync(dir, { recursive: true, force: true })

const mark = (ok: boolean | null) => (ok === null ? '' : ok ? 'ya' : '**TIDAK**')
const table = [
  '| bench | what | this run | baseline (same run) | ratio | target | met |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.bench} | ${r.measure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${mark(r.ok)} |`,
  ),
  ...failures
    .filter((f) => !rows.some((r) => r.bench === f.bench))
    .map(
      (f) =>
        `| ${f.bench} | did not run to the end (exit ${f.code}): ${f.tail.replace(/\|/g, '/')} | | | | | **TIDAK** |`,
    ),
].join('\n')
const context = `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${cpus().length} cores · load average ${load.toFixed(1)} at start${values.quick ? ' · QUICK run (shortened)' : ''}`
process.stdout.write(`\n${context}\n\n${table}\n`)
writeFileSync(join(results, 'bench.md'), `${context}\n\n${table}\n`)

if (values['write-readme']) {
  const readme = join(root, 'README.md')
  const text = readFileSync(readme, 'utf8')
  const begin = '<!-- bench:begin -->'
  const end = '<!-- bench:end -->'
  const a = text.indexOf(begin)
  const z = text.indexOf(end)
  if (a < 0 || z < a) throw new Error(`README.md has no ${begin} … ${end} section`)
  writeFileSync(
    readme,
    `${text.slice(0, a + begin.length)}\n_Last \`npm run bench\`: ${context}._\n\n${table}\n${text.slice(z)}`,
  )
  process.stdout.write('\nREADME.md: performance table replaced.\n')
}
if (failures.length > 0 || rows.some((r) => r.ok === false)) process.exitCode = 1
