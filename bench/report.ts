// One row per figure a bench measured, for `npm run bench` (bench/all.ts), which collects them
// from every bench into one table. A bench run on its own prints its own lines as before.
import { appendFileSync } from 'node:fs'

export interface BenchRow {
  /** The bench, e.g. `intake`. */
  bench: string
  /** What was measured, e.g. `POST /results req/s (64 clients)`. */
  measure: string
  value: string
  /** The baseline measured in the same run, and what the value is against it. */
  baseline: string
  ratio: string
  /** The target, and whether this run met it (null: no target). */
  target: string
  ok: boolean | null
}

export function reportRows(rows: BenchRow[]): void {
  const file = process.env.DESK_BENCH_REPORT
  if (!file) return
  appendFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
}

export const fmt = {
  ms: (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('id-ID')} ms`,
  s: (x: number) => `${(x / 1000).toLocaleString('id-ID', { maximumFractionDigits: 2 })} s`,
  n: (x: number) => Math.round(x).toLocaleString('id-ID'),
  x: (x: number) =>
    `${x.toLocaleString('id-ID', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}×`,
  mb: (x: number) => `${Math.round(x).toLocaleString('id-ID')} MB`,
}
