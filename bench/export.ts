// bench/export: how fast the staged recap workbook is built.
//  - jember: Kabupaten Jember's real regions, 4,046 TPS (spread over the kecamatan as KPU set them),
//    2 contests, every TPS reported through the desk's own write path into a real SQLite file;
//    timed from the database to the finished .xlsx (the `lengkap` profile, the larger one), and
//    `berjenjang` too. Target ≤ 1 s.
//  - province: East Java's size (38 regencies' worth: 666 kecamatan, 8,494 desa, 60,751 TPS),
//    synthetic rollup input straight into the builder. Target ≤ 10 s, peak RSS ≤ 1.5 GB.
// Each scenario runs in its own process so its peak memory is its own. Baseline, same run and same
// process: SheetJS writing a bare workbook with as many plain number cells as ours has.
// Event-loop stall, same run: the longest delay of a 10 ms timer (cross-checked with
// monitorEventLoopDelay's max) while a workbook is built on the desk's thread as before (inline),
// and in the export worker as now (for Jember through ExportService.workbook, the data collected
// from SQLite included), as a ratio; and the part that still runs on the desk's thread (collecting
// the data and copying it to the worker), which is what the stall is made of when the CPU is free.
//
//   npx tsx bench/export.ts [--scenario jember|province]

import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import * as XLSX from 'xlsx'
import { buildRecapWorkbook } from '../src/export/recap-workbook'
import { SOURCE_FORMAT, type RecapSource, type SourceResult } from '../src/export/source'
import type { Timings } from '../src/export/xlsx-file'
import { openDesk } from '../src/host/desk'
import { createExport } from '../src/server/export-routes'
import type { Principal } from '../src/service/principal'
import { JEMBER_TPS_PER_KECAMATAN } from '../src/sim/jember'
import { WorkbookBuilder } from '../src/service/workbook-builder'
import { fmt, reportRows } from './report'

const { values } = parseArgs({ options: { scenario: { type: 'string' } } })
const root = join(import.meta.dirname, '..')

interface Result {
  scenario: string
  tps: number
  cells: number
  bytes: number
  totalMs: number
  phases: Timings
  baselineMs: number
  peakRssMb: number
  extra?: Record<string, number>
  stall?: Stall
}

/** Longest event-loop stall while a workbook is built: inline (on this thread) vs in the export worker. */
interface Stall {
  rounds: number
  /** Median over the rounds of the longest 10 ms-timer delay beyond its interval. */
  inlineMs: number
  workerMs: number
  /** monitorEventLoopDelay's max (median over the rounds). */
  inlineEldMs: number
  workerEldMs: number
  /** The synchronous part of a build through the worker: collecting the data and copying it over (median). */
  workerSyncMs: number
  /** Wall time of one build, inline and through the worker (median). */
  inlineWallMs: number
  workerWallMs: number
  /** The worker's bytes equal the inline build's for the same data. */
  identical: boolean
}

const sleep = (msv: number) => new Promise((r) => setTimeout(r, msv))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Run `fn` with a 10 ms timer and monitorEventLoopDelay watching the event loop. */
async function watchLoop(
  fn: () => unknown,
): Promise<{ maxMs: number; eldMs: number; syncMs: number; wallMs: number }> {
  const eld = monitorEventLoopDelay({ resolution: 10 })
  let worst = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - 10)
    last = now
  }, 10)
  // Enabled ahead (and never reset): its first sample after enabling or a reset only sets a
  // baseline, and would hide a stall right after it.
  eld.enable()
  await sleep(40)
  const t0 = performance.now()
  const pending = fn()
  const syncMs = ms(t0)
  await pending
  const wallMs = ms(t0)
  // Let the timer fire once more: a synchronous build shows up as the gap before this tick.
  await sleep(25)
  eld.disable()
  clearInterval(timer)
  return { maxMs: worst, eldMs: eld.max / 1e6, syncMs, wallMs }
}

async function compareStall(
  rounds: number,
  inline: () => unknown,
  worker: () => Promise<unknown>,
  identical: boolean,
): Promise<Stall> {
  const a: Awaited<ReturnType<typeof watchLoop>>[] = []
  const b: Awaited<ReturnType<typeof watchLoop>>[] = []
  for (let i = 0; i < rounds; i++) {
    a.push(await watchLoop(inline))
    b.push(await watchLoop(worker))
  }
  return {
    rounds,
    inlineMs: median(a.map((x) => x.maxMs)),
    workerMs: median(b.map((x) => x.maxMs)),
    inlineEldMs: median(a.map((x) => x.eldMs)),
    workerEldMs: median(b.map((x) => x.eldMs)),
    workerSyncMs: median(b.map((x) => x.syncMs)),
    inlineWallMs: median(a.map((x) => x.wallMs)),
    workerWallMs: median(b.map((x) => x.wallMs)),
    identical,
  }
}

const ms = (t0: number) => performance.now() - t0
const peakRssMb = () => process.resourceUsage().maxRSS / 1024

function countCells(bytes: Buffer): number {
  const wb = XLSX.read(bytes, {
    type: 'buffer',
    dense: true,
    cellFormula: false,
    cellHTML: false,
    cellText: false,
  })
  let n = 0
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name] as unknown as { [k: string]: unknown }
    const data = (ws['!data'] ?? ws) as unknown[][]
    for (const row of data) if (Array.isArray(row)) for (const c of row) if (c) n++
  }
  return n
}

/** SheetJS writing `cells` plain numbers (20 per row) with the same compression: the floor we build on. */
function baseline(cells: number): number {
  const rows = Math.ceil(cells / 20)
  const aoa: number[][] = []
  for (let r = 0; r < rows; r++) aoa.push(Array.from({ length: 20 }, (_, c) => r * 20 + c))
  const t0 = performance.now()
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet(aoa, { dense: true } as XLSX.AOA2SheetOpts),
    'S',
  )
  XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true })
  return ms(t0)
}

// ---------------------------------------------------------------- Jember, through the real desk

/** TPS per kecamatan at the 2024 Pilkada: the simulator's table (4,046 in all). */
function jemberTpsCounts(): Map<string, number> {
  return new Map(Object.entries(JEMBER_TPS_PER_KECAMATAN))
}

async function jember(): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-bench-export-'))
  const { core, service, store, close } = openDesk({ dataDir: dir })
  // Built the way createDesk builds it; shut down below whether or not a build ran.
  const exports = createExport(core).service
  try {
    const regions = service.regions
    const counts = jemberTpsCounts()
    const table: string[][] = [['kode_desa', 'nomor_tps', 'dpt']]
    let seed = 7
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31)
    for (const k of regions.kecamatan) {
      const desa = regions.childrenOf(k.code)
      const n = counts.get(k.code) ?? 0
      for (let i = 0; i < n; i++) {
        const d = desa[i % desa.length]!
        table.push([
          d.code,
          String(Math.floor(i / desa.length) + 1),
          String(350 + Math.floor(rnd() * 250)),
        ])
      }
    }
    const admin: Principal = {
      id: 'admin',
      name: 'Admin',
      role: 'admin',
      region: regions.regency.code,
    }
    const imported = await service.importTps(admin, table)
    if (imported.errors.length) throw new Error(JSON.stringify(imported.errors.slice(0, 3)))
    // One reporter per desa (scrypt-free: the bench needs names and phones, not working codes).
    const reporters = new Map<string, Principal>()
    await service.write(() => {
      for (const d of regions.desa) {
        const id = `bench-${d.code}`
        store.insertUser({
          id,
          name: `Pelapor ${d.name}`,
          phone: `0812${d.code.replace(/\D/g, '').slice(-8)}`,
          role: 'reporter',
          region: d.code,
          codeId: id,
          codeHash: 'x',
          simulated: true,
          createdAt: store.nowIso(),
        })
        reporters.set(d.code, { id, name: `Pelapor ${d.name}`, role: 'reporter', region: d.code })
      }
    })
    const tps = service.listTps()
    const contests = store.listContests()
    const tSeed = performance.now()
    let pending: Promise<unknown>[] = []
    let n = 0
    for (const c of contests) {
      for (const t of tps) {
        const votes: Record<string, number> = {}
        let valid = 0
        for (const k of c.candidates) {
          votes[String(k.number)] = 30 + Math.floor(rnd() * 90)
          valid += votes[String(k.number)]!
        }
        const invalid = Math.floor(rnd() * 8)
        const dptb = Math.floor(rnd() * 3)
        const dpk = Math.floor(rnd() * 3)
        pending.push(
          service.submitResult(
            reporters.get(t.desa)!,
            {
              submissionId: `bench-${c.id}-${t.code}`,
              tps: t.code,
              contest: c.id,
              votes,
              invalid,
              voters: { dpt: valid + invalid - dptb - dpk, dptb, dpk },
            },
            { channel: 'web', address: '127.0.0.1' },
          ),
        )
        n++
        if (pending.length >= 1000) {
          await Promise.all(pending)
          pending = []
        }
      }
    }
    await Promise.all(pending)
    const seedMs = ms(tSeed)

    // Warm-up (JIT, and the export worker started), then the measured cold-cache run from the database to bytes.
    await exports.workbook('berjenjang')
    service.version++
    const phases: Timings = {}
    const t0 = performance.now()
    const source = exports.source()
    phases.collect = ms(t0)
    const built = buildRecapWorkbook(source, { profile: 'lengkap', timings: phases })
    const totalMs = ms(t0)
    const t1 = performance.now()
    const berjenjang = buildRecapWorkbook(source, { profile: 'berjenjang' })
    const berjenjangMs = ms(t1)
    // (Run alone, `--scenario jember` on a clean clone: the folder is not there yet.)
    mkdirSync(join(root, 'bench', '.results'), { recursive: true })
    writeFileSync(join(root, 'bench', '.results', 'export-jember-lengkap.xlsx'), built.bytes)
    const cells = countCells(built.bytes)
    // Before: collect and build on the desk's thread. After: collect here, build in the worker. The
    // cache is defeated each time (as by a result arriving), so every round is a full build.
    const viaWorker = await exports.builder.run({
      kind: 'recap',
      source,
      builds: [{ profile: 'lengkap' }],
    })
    const stall = await compareStall(
      3,
      () => buildRecapWorkbook(exports.source(), { profile: 'lengkap', thresholdPercent: 1 }),
      () => {
        service.version++
        return exports.workbook('lengkap')
      },
      viaWorker.built[0]!.bytes.equals(built.bytes),
    )
    return {
      scenario: 'jember',
      tps: tps.length,
      cells,
      bytes: built.bytes.length,
      totalMs,
      phases,
      baselineMs: baseline(cells),
      peakRssMb: peakRssMb(),
      extra: { results: n, seedMs, berjenjangMs, berjenjangBytes: berjenjang.bytes.length },
      stall,
    }
  } finally {
    await exports.shutdown()
    await close()
    rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------- province scale, synthetic input

function provinceSource(): RecapSource {
  const KEC = 666
  const DESA = 8494
  const TPS = 60751
  let seed = 11
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31)
  const pad = (n: number, w: number) => String(n).padStart(w, '0')
  const kecamatan = Array.from({ length: KEC }, (_, i) => ({
    code: `35.${pad(1 + Math.floor(i / 18), 2)}.${pad((i % 18) + 1, 2)}`,
    name: `Kecamatan ${i + 1}`,
  }))
  const desa = Array.from({ length: DESA }, (_, i) => {
    const k = kecamatan[i % KEC]!
    return {
      code: `${k.code}.${2001 + Math.floor(i / KEC)}`,
      name: `Desa ${i + 1}`,
      kecamatan: k.code,
    }
  })
  const tps = Array.from({ length: TPS }, (_, i) => {
    const d = desa[i % DESA]!
    return {
      code: `${d.code}.${pad(1 + Math.floor(i / DESA), 3)}`,
      desa: d.code,
      number: 1 + Math.floor(i / DESA),
      dpt: 300 + Math.floor(rnd() * 300),
      status: 'active' as const,
      reason: null,
      mergedInto: null,
    }
  })
  const contests = [
    {
      id: 'gubernur',
      name: 'Pemilihan Gubernur dan Wakil Gubernur Jawa Timur',
      candidates: [1, 2, 3].map((n) => ({ number: n, name: `Paslon ${n}` })),
      openConflicts: 12,
    },
    {
      id: 'bupati',
      name: 'Pemilihan Bupati/Wali Kota',
      candidates: [1, 2].map((n) => ({ number: n, name: `Paslon ${n}` })),
      openConflicts: 5,
    },
  ]
  const results: Record<string, SourceResult[]> = {}
  for (const c of contests) {
    results[c.id] = []
    for (const t of tps) {
      if (rnd() < 0.08) continue // not reported yet
      const votes = c.candidates.map(() => 30 + Math.floor(rnd() * 90))
      const valid = votes.reduce((a, b) => a + b, 0)
      const invalid = Math.floor(rnd() * 8)
      results[c.id]!.push({
        tps: t.code,
        votes,
        valid,
        invalid,
        total: valid + invalid,
        voters: [valid + invalid - 2, 1, 1, valid + invalid],
        receivedAt: new Date(
          Date.UTC(2024, 10, 27, 6) + Math.floor(rnd() * 6 * 3600_000),
        ).toISOString(),
        channel: rnd() < 0.9 ? 'web' : 'telepon',
        review: rnd() < 0.02 ? 'flagged' : 'none',
        reporter: {
          name: `Pelapor ${t.desa}`,
          phone: `0812${t.desa.replace(/\D/g, '').slice(-8)}`,
        },
        caller: null,
      })
    }
  }
  return {
    format: SOURCE_FORMAT,
    generatedAt: '2024-11-27T14:00:00.000Z',
    desk: {
      regency: { code: '35', name: 'Provinsi Jawa Timur (sintetis)' },
      election: { name: 'Pemilihan Serentak 2024', date: '2024-11-27' },
      training: false,
    },
    contests,
    kecamatan,
    desa,
    tps,
    results,
    reporters: desa.map((d) => ({
      region: d.code,
      name: `Pelapor ${d.name}`,
      phone: '081200000000',
    })),
    incidents: Array.from({ length: 500 }, (_, i) => ({
      id: i + 1,
      at: '2024-11-27T07:00:00.000Z',
      region: desa[i * 7]!.code,
      tps: null,
      category: 'logistik',
      urgency: 'sedang',
      text: 'Kotak suara terlambat datang',
      photo: false,
      status: 'open',
      simulated: false,
      reporter: null,
    })),
    kpu: null,
  }
}

async function province(): Promise<Result> {
  const t0 = performance.now()
  const source = provinceSource()
  const synthMs = ms(t0)
  // Warm-up on a small slice so the measured run is not the JIT's first look at the code.
  const slice: RecapSource = {
    ...source,
    tps: source.tps.slice(0, 2000),
    results: Object.fromEntries(
      Object.entries(source.results).map(([k, v]) => [k, v.slice(0, 1800)]),
    ),
  }
  buildRecapWorkbook(slice, { profile: 'lengkap' })
  const phases: Timings = {}
  const t1 = performance.now()
  const built = buildRecapWorkbook(source, { profile: 'lengkap', timings: phases })
  const totalMs = ms(t1)
  const rss = peakRssMb()
  const cells = countCells(built.bytes)
  // The stall, once each (a province build is long): the worker's share of this thread is the copy of the data to it.
  const builder = new WorkbookBuilder()
  try {
    await builder.run({ kind: 'recap', source: slice, builds: [{ profile: 'lengkap' }] }) // start and warm the worker
    let identical = false
    const stall = await compareStall(
      1,
      () => buildRecapWorkbook(source, { profile: 'lengkap' }),
      async () => {
        const a = await builder.run({ kind: 'recap', source, builds: [{ profile: 'lengkap' }] })
        identical = a.built[0]!.bytes.equals(built.bytes)
      },
      false,
    )
    stall.identical = identical
    return {
      scenario: 'province',
      tps: source.tps.length,
      cells,
      bytes: built.bytes.length,
      totalMs,
      phases,
      baselineMs: baseline(cells),
      peakRssMb: rss,
      extra: { synthMs },
      stall,
    }
  } finally {
    await builder.close()
  }
}

// ---------------------------------------------------------------- driver

if (values.scenario) {
  const r = values.scenario === 'jember' ? await jember() : await province()
  process.stdout.write(`@@RESULT ${JSON.stringify(r)}\n`)
} else {
  mkdirSync(join(root, 'bench', '.results'), { recursive: true })
  const results: Result[] = []
  for (const scenario of ['jember', 'province']) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, '--scenario', scenario],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      },
    )
    const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@RESULT '))
    if (!line) {
      process.stderr.write(`${scenario} failed:\n${child.stdout}\n${child.stderr}\n`)
      process.exit(1)
    }
    results.push(JSON.parse(line.slice(9)) as Result)
  }
  const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 })
  const s = (msv: number) => `${(msv / 1000).toFixed(2)} s`
  console.log('bench/export — staged recap workbook (xlsx), Node', process.version)
  for (const r of results) {
    const target = r.scenario === 'jember' ? 1000 : 10000
    const p = r.phases
    console.log(
      `\n  ${r.scenario}: ${f(r.tps)} TPS × 2 contests, ${f(r.cells)} cells, ${(r.bytes / 1024 / 1024).toFixed(1)} MB`,
    )
    console.log(
      `    total ${s(r.totalMs)}  (target ≤ ${s(target)}: ${r.totalMs <= target ? 'OK' : 'OVER'})   peak RSS ${f(r.peakRssMb)} MB${r.scenario === 'province' ? ` (target ≤ 1,536 MB: ${r.peakRssMb <= 1536 ? 'OK' : 'OVER'})` : ''}`,
    )
    console.log(
      `    phases: ${p.collect !== undefined ? `collect from SQLite ${s(p.collect)}, ` : ''}rollup+rows ${s(p.rows ?? 0)}, SpreadsheetML (styles, page setup) ${s(p.xml ?? 0)}, zip ${s(p.zip ?? 0)}, SHA-256 ${s(p.hash ?? 0)}`,
    )
    console.log(
      `    rows / XML write: ${((p.rows ?? 0) / (p.xml ?? 1)).toFixed(2)}×   whole workbook / bare SheetJS of the same cell count, unstyled (${s(r.baselineMs)}): ${(r.totalMs / r.baselineMs).toFixed(2)}×`,
    )
    if (r.scenario === 'jember' && r.extra) {
      console.log(
        `    (seeded ${f(r.extra.results!)} results through the write path in ${s(r.extra.seedMs!)}; berjenjang profile ${s(r.extra.berjenjangMs!)}, ${(r.extra.berjenjangBytes! / 1024 / 1024).toFixed(1)} MB)`,
      )
    }
    if (r.stall) {
      const st = r.stall
      const m = (v: number) => `${v.toFixed(0)} ms`
      console.log(
        `    event-loop stall during a build (longest 10 ms-timer delay, median of ${st.rounds}): inline ${m(st.inlineMs)} → worker ${m(st.workerMs)} (${(st.inlineMs / Math.max(st.workerMs, 1)).toFixed(1)}× shorter)\n` +
          `      monitorEventLoopDelay max ${m(st.inlineEldMs)} → ${m(st.workerEldMs)}; left on the desk's thread: ${m(st.workerSyncMs)} (${r.scenario === 'jember' ? 'collect from SQLite + ' : ''}copy to the worker); ` +
          `build wall time ${s(st.inlineWallMs)} → ${s(st.workerWallMs)}; worker bytes identical to inline: ${st.identical ? 'yes' : 'NO'}`,
      )
    }
  }
  writeFileSync(join(root, 'bench', '.results', 'export.json'), JSON.stringify(results, null, 2))
  reportRows(
    results.flatMap((r) => {
      const target = r.scenario === 'jember' ? 3000 : 30000
      const name = r.scenario === 'jember' ? 'Jember' : 'East Java scale'
      return [
        {
          bench: 'export',
          measure: `recap workbook, ${name} (${fmt.n(r.tps)} TPS × 2)`,
          value: fmt.s(r.totalMs),
          baseline: `bare SheetJS ${fmt.s(r.baselineMs)}`,
          ratio: fmt.x(r.totalMs / r.baselineMs),
          target: `≤ ${fmt.s(target)}`,
          ok: r.totalMs <= target,
        },
        {
          bench: 'export',
          measure: `peak RSS, ${name}`,
          value: fmt.mb(r.peakRssMb),
          baseline: '',
          ratio: '',
          target: r.scenario === 'province' ? '≤ 1.536 MB' : '',
          ok: r.scenario === 'province' ? r.peakRssMb <= 1536 : null,
        },
        ...(r.stall
          ? [
              {
                bench: 'export',
                measure: `longest event-loop stall during a build, ${name}`,
                value: fmt.ms(r.stall.workerMs),
                baseline: `inline ${fmt.ms(r.stall.inlineMs)}`,
                ratio: fmt.x(r.stall.workerMs / Math.max(r.stall.inlineMs, 1)),
                target: '',
                ok: r.stall.identical,
              },
            ]
          : []),
      ]
    }),
  )
  const over = results.some(
    (r) =>
      r.totalMs > (r.scenario === 'jember' ? 3000 : 30000) ||
      (r.scenario === 'province' && r.peakRssMb > 1536) ||
      r.stall?.identical === false,
  )
  process.exitCode = over ? 1 : 0
}
