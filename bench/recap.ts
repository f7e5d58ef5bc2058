// bench/recap: the full recap of Jember's 4,046 TPS × 2 contests at every level (kabupaten,
// kecamatan, desa, TPS), as GET /recap computes it. "After a result" is right after a new result
// is committed (the desk brings its figures up to date from the committed events and recomputes
// the levels); "warm" is a repeat. Baselines in the same run: reading the result rows of both
// contests from SQLite alone, and a full rebuild from those rows. Target: ≤ 20 ms. In-process.
//
//   npx tsx bench/recap.ts [--rounds 30]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { recapAllLevels } from '../src/domain/recap'
import { openDesk } from '../src/host/desk'
import type { Principal } from '../src/service/principal'
import { fmt, reportRows } from './report'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } })
const ROUNDS = Number(values.rounds)
const TPS_TOTAL = 4046
const admin: Principal = { id: 'admin', name: 'Admin', role: 'admin', region: '35.09' }

const dir = mkdtempSync(join(tmpdir(), 'desk-bench-recap-'))
const { service, store, close } = openDesk({ dataDir: dir })
const desa = service.regions.desa.map((d) => d.code)
const table = [['kode_desa', 'nomor_tps', 'dpt']]
for (let i = 0; i < TPS_TOTAL; i++)
  table.push([desa[i % desa.length]!, String(Math.floor(i / desa.length) + 1), '400'])
const imported = await service.importTps(admin, table)
if (imported.errors.length) throw new Error(JSON.stringify(imported.errors[0]))

const allCodes = service.listTps().map((t) => t.code)
// Kept back: each round commits one new result for one of these.
const spare = allCodes.slice(-ROUNDS)
const codes = allCodes.slice(0, -ROUNDS)
for (const [contest, votes] of [
  ['gubernur', { '1': 60, '2': 170, '3': 90 }],
  ['bupati', { '1': 150, '2': 160 }],
] as const) {
  for (let i = 0; i < codes.length; i += 500) {
    await Promise.all(
      codes
        .slice(i, i + 500)
        .map((tps, j) =>
          service.submitResult(
            admin,
            { submissionId: `${contest}-${i + j}`, tps, contest, votes: { ...votes }, invalid: 5 },
            { channel: 'api', address: 'bench' },
          ),
        ),
    )
  }
}

const contests = ['gubernur', 'bupati']
const levels = ['kabupaten', 'kecamatan', 'desa', 'tps'] as const
function fullRecap(): number {
  let rows = 0
  for (const c of contests) for (const l of levels) rows += service.recap(c, l).rows.length
  return rows
}
const readRows = store.db.prepare('SELECT * FROM results WHERE contest = ?')

const time = (fn: () => unknown) => {
  const t = performance.now()
  fn()
  return performance.now() - t
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!

fullRecap() // warm the JIT
const cold: number[] = []
const warm: number[] = []
const base: number[] = []
const rebuild: number[] = []
for (let r = 0; r < ROUNDS; r++) {
  await service.submitResult(
    admin,
    {
      submissionId: `spare-${r}`,
      tps: spare[r]!,
      contest: 'bupati',
      votes: { '1': 99, '2': 101 },
      invalid: 2,
    },
    { channel: 'api', address: 'bench' },
  )
  base.push(time(() => contests.forEach((c) => readRows.all(c))))
  rebuild.push(
    time(() =>
      contests.forEach((c) =>
        recapAllLevels({
          regions: service.regions,
          tps: service.listTps(),
          results: store.recapResults(c),
          candidates: service.contest(c)!.candidates,
        }),
      ),
    ),
  )
  cold.push(time(fullRecap))
  warm.push(time(fullRecap))
}
const rows = fullRecap()
const line = (name: string, xs: number[]) =>
  `  ${name.padEnd(38)} median ${median(xs).toFixed(2).padStart(6)} ms   p95 ${p95(xs).toFixed(2).padStart(6)} ms   ${(median(xs) / median(base)).toFixed(2)}× reading the rows`
console.log(
  `bench/recap — ${allCodes.length} TPS × ${contests.length} contests, all 4 levels (${rows} rows), ${ROUNDS} rounds`,
)
console.log(line('baseline: read the result rows', base))
console.log(line('baseline: full rebuild from the rows', rebuild))
console.log(line('full recap after a new result', cold))
console.log(line('full recap again (warm)', warm))
console.log(`  target ≤ 20 ms → ${p95(cold) <= 20 ? 'ok' : 'MISSED'} (p95 after a new result)`)
reportRows([
  {
    bench: 'recap',
    measure: `full recap after a new result, p95 (${rows} rows)`,
    value: fmt.ms(p95(cold)),
    baseline: `reading the rows ${fmt.ms(median(base))}`,
    ratio: fmt.x(median(cold) / median(base)),
    target: '≤ 20 ms',
    ok: p95(cold) <= 20,
  },
])

// The writer's sync thread too, or the bench would not end.
await close()
rmSync(dir, { recursive: true, force: true })
