// bench/backup: one online backup of a night's database (Jember: 4,046 TPS, a result for every TPS
// and contest, plus a second and a third submission for a tenth of them: 8,092 results, ~9,700
// submissions and their events) while the desk's event loop keeps running: how long a backup takes,
// and how long the longest stall of the event loop is during it (a 5 ms timer's worst lateness) —
// against copying the same database file with fs.copyFile in the same run, and against the same
// timer on an idle loop. Target: the longest stall during a backup ≤ 100 ms (requests keep being
// answered). In-process, temp folders only; stops by itself.
//
//   npx tsx bench/backup.ts [--rounds 5]
import { copyFile } from 'node:fs/promises'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openDesk } from '../src/host/desk'
import { createBackup } from '../src/server/backup-routes'
import type { Principal } from '../src/service/principal'
import { fmt, reportRows } from './report'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } })
const ROUNDS = Number(values.rounds)
const TARGET_STALL_MS = 100
const admin: Principal = { id: 'admin', name: 'Admin', role: 'admin', region: '35.09' }

const dir = mkdtempSync(join(tmpdir(), 'desk-bench-backup-'))
const backupDir = mkdtempSync(join(tmpdir(), 'desk-bench-backup-to-'))
const { core, service, close } = openDesk({ dataDir: dir })
const desa = service.regions.desa.map((d) => d.code)
const table = [['kode_desa', 'nomor_tps', 'dpt']]
for (let i = 0; i < 4046; i++)
  table.push([desa[i % desa.length]!, String(Math.floor(i / desa.length) + 1), '400'])
await service.importTps(admin, table)
const codes = service.listTps().map((t) => t.code)
for (const [contest, votes] of [
  ['gubernur', { '1': 60, '2': 170, '3': 90 }],
  ['bupati', { '1': 150, '2': 160 }],
] as const) {
  for (let i = 0; i < codes.length; i += 500) {
    await Promise.all(
      codes.slice(i, i + 500).map(async (tps, j) => {
        const body = {
          submissionId: `${contest}-${i + j}`,
          tps,
          contest,
          votes: { ...votes },
          invalid: 5,
        }
        await service.submitResult(admin, body, { channel: 'api', address: 'bench' })
        // A tenth get a confirmation and a differing report (a conflict), as on the night.
        if ((i + j) % 10 === 0) {
          await service.submitResult(
            admin,
            { ...body, submissionId: `${body.submissionId}-c` },
            { channel: 'api', address: 'bench' },
          )
          await service.submitResult(
            admin,
            { ...body, submissionId: `${body.submissionId}-k`, invalid: 6 },
            { channel: 'api', address: 'bench' },
          )
        }
      }),
    )
  }
}
await service.drainWrites()
const dbBytes =
  statSync(join(dir, 'desk.sqlite')).size + statSync(join(dir, 'desk.sqlite-wal')).size

/** Run `fn` while a 5 ms timer measures how late the event loop gets to it. */
async function withStall(fn: () => Promise<unknown>): Promise<{ ms: number; stallMs: number }> {
  let worst = 0
  let expected = performance.now() + 5
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - expected)
    expected = now + 5
  }, 5)
  const t = performance.now()
  await fn()
  const ms = performance.now() - t
  await new Promise((r) => setTimeout(r, 20))
  clearInterval(timer)
  return { ms, stallMs: worst }
}

let clock = Date.parse('2024-11-27T12:00:00Z')
const backups = createBackup(core, {
  dir: backupDir,
  intervalSeconds: 3600,
  now: () => new Date((clock += 60_000)),
}).service!
const idle: number[] = []
const copy: { ms: number; stallMs: number }[] = []
const backup: { ms: number; stallMs: number }[] = []
for (let r = 0; r < ROUNDS; r++) {
  idle.push((await withStall(() => new Promise((res) => setTimeout(res, 300)))).stallMs)
  copy.push(
    await withStall(() => copyFile(join(dir, 'desk.sqlite'), join(backupDir, 'plain-copy.sqlite'))),
  )
  backup.push(
    await withStall(async () => {
      if (!(await backups.trigger())) throw new Error(backups.status().lastError?.message)
    }),
  )
}
const status = backups.status()
await backups.stop()
// The writer's sync thread too, or the bench would not end.
await close()
rmSync(dir, { recursive: true, force: true })
rmSync(backupDir, { recursive: true, force: true })

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const b = {
  ms: median(backup.map((x) => x.ms)),
  stall: median(backup.map((x) => x.stallMs)),
  worst: Math.max(...backup.map((x) => x.stallMs)),
}
const c = { ms: median(copy.map((x) => x.ms)), stall: median(copy.map((x) => x.stallMs)) }
console.log(
  `bench/backup — database ${fmt.mb(dbBytes / 1048576)} (with WAL), backup file ${fmt.mb((status.lastGood?.bytes ?? 0) / 1048576)}, ${ROUNDS} rounds`,
)
console.log(`  baseline: idle event loop, worst timer lateness      median ${fmt.ms(median(idle))}`)
console.log(
  `  baseline: fs.copyFile of the database                median ${fmt.ms(c.ms)}, stall ${fmt.ms(c.stall)}`,
)
console.log(
  `  online backup (backup API + integrity_check + fsync) median ${fmt.ms(b.ms)} (${fmt.x(b.ms / c.ms)} the plain copy), stall median ${fmt.ms(b.stall)}, worst ${fmt.ms(b.worst)}`,
)
console.log(
  `  target: longest stall ≤ ${TARGET_STALL_MS} ms → ${b.worst <= TARGET_STALL_MS ? 'ok' : 'MISSED'}`,
)
reportRows([
  {
    bench: 'backup',
    measure: 'one online backup of a night (4.046 TPS, 8.092 results)',
    value: fmt.ms(b.ms),
    baseline: `fs.copyFile ${fmt.ms(c.ms)}`,
    ratio: fmt.x(b.ms / c.ms),
    target: '',
    ok: null,
  },
  {
    bench: 'backup',
    measure: 'longest event-loop stall during a backup',
    value: fmt.ms(b.worst),
    baseline: `idle loop ${fmt.ms(median(idle))}`,
    ratio: '',
    target: `≤ ${TARGET_STALL_MS} ms`,
    ok: b.worst <= TARGET_STALL_MS,
  },
])
if (b.worst > TARGET_STALL_MS) process.exitCode = 1
