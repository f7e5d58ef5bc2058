// Rollups: TPS → desa → kecamatan → kabupaten. "Not reported" is a state of a known TPS, so every
// expected TPS is counted whether or not a result exists. Postponed and merged TPS leave the
// denominator (tpsTotal) and their DPT leaves the DPT total used for turnout.

import { ancestorAt, type RegionLevel } from './codes'
import type { Candidate } from './election'
import type { RegionTree } from './regions'
import type { RecapRow, RecapTpsRow } from '../shared/api'
import type { TpsRecord } from './tps'

export type { RecapRow, RecapTpsRow }

export type RecapLevel = 'kabupaten' | 'kecamatan' | 'desa' | 'tps'

export interface ContestResult {
  tps: string
  votes: Record<string, number>
  valid: number
  invalid: number
  total: number
  votersTotal: number | null
}

function emptyRow(code: string, name: string, candidates: Candidate[]): RecapRow {
  const votes: Record<string, number> = {}
  for (const c of candidates) votes[String(c.number)] = 0
  return {
    code,
    name,
    tpsTotal: 0,
    tpsReported: 0,
    tpsExcluded: 0,
    dpt: 0,
    voters: 0,
    votes,
    valid: 0,
    invalid: 0,
    total: 0,
  }
}

function addTps(row: RecapRow, tps: TpsRecord, result: ContestResult | undefined): void {
  if (tps.status !== 'active') {
    row.tpsExcluded++
    return
  }
  row.tpsTotal++
  row.dpt += tps.dpt
  if (!result) return
  row.tpsReported++
  for (const [k, v] of Object.entries(result.votes)) row.votes[k] = (row.votes[k] ?? 0) + v
  row.valid += result.valid
  row.invalid += result.invalid
  row.total += result.total
  row.voters += result.votersTotal ?? result.total
}

export interface RecapInput {
  regions: RegionTree
  tps: TpsRecord[]
  results: Map<string, ContestResult>
  candidates: Candidate[]
}

/**
 * Rows of one level, optionally only those under `parent` (a kecamatan's desa, a desa's TPS).
 * Regions with no TPS in the registry still appear, with zeros, so a missing registry shows.
 */
export function recapRows(input: RecapInput, level: RecapLevel, parent?: string): RecapRow[] {
  const { regions, tps, results, candidates } = input
  const inParent = (code: string) => !parent || code === parent || code.startsWith(parent + '.')
  if (level === 'tps') {
    return tps
      .filter((t) => inParent(t.code))
      .map((t) => {
        const row = emptyRow(
          t.code,
          `TPS ${String(t.number).padStart(3, '0')}`,
          candidates,
        ) as RecapTpsRow
        const result = results.get(t.code)
        addTps(row, t, result)
        row.status = t.status
        row.reported = t.status === 'active' && !!result
        return row
      })
  }
  const regionLevel: RegionLevel = level
  const rows = new Map<string, RecapRow>()
  const listed =
    level === 'kabupaten'
      ? [regions.regency]
      : level === 'kecamatan'
        ? regions.kecamatan
        : regions.desa
  for (const r of listed)
    if (inParent(r.code)) rows.set(r.code, emptyRow(r.code, r.name, candidates))
  for (const t of tps) {
    const key = ancestorAt(t.code, regionLevel)
    const row = key ? rows.get(key) : undefined
    if (row) addTps(row, t, results.get(t.code))
  }
  return [...rows.values()]
}

function addRow(total: RecapRow, r: RecapRow): void {
  total.tpsTotal += r.tpsTotal
  total.tpsReported += r.tpsReported
  total.tpsExcluded += r.tpsExcluded
  total.dpt += r.dpt
  total.voters += r.voters
  for (const k in r.votes) total.votes[k] = (total.votes[k] ?? 0) + r.votes[k]!
  total.valid += r.valid
  total.invalid += r.invalid
  total.total += r.total
}

export function sumRows(
  rows: RecapRow[],
  code: string,
  name: string,
  candidates: Candidate[],
): RecapRow {
  const total = emptyRow(code, name, candidates)
  for (const r of rows) addRow(total, r)
  return total
}

export interface RecapLevels {
  kabupaten: RecapRow[]
  kecamatan: RecapRow[]
  desa: RecapRow[]
  tps: RecapTpsRow[]
}

/**
 * Every level at once: one pass over the TPS, then each desa row is the sum of its TPS rows, each
 * kecamatan of its desa, the regency of its kecamatan — the same figures `recapRows` gives level by
 * level, at a fraction of the work.
 */
export function recapAllLevels(input: RecapInput): RecapLevels {
  const { regions, candidates } = input
  const tps = recapRows(input, 'tps') as RecapTpsRow[]
  const rollUp = (
    children: RecapRow[],
    parents: { code: string; name: string }[],
    width: number,
  ): RecapRow[] => {
    const rows = new Map(parents.map((p) => [p.code, emptyRow(p.code, p.name, candidates)]))
    for (const c of children) {
      const row = rows.get(c.code.slice(0, width))
      if (row) addRow(row, c)
    }
    return [...rows.values()]
  }
  const desa = rollUp(tps, regions.desa, 13)
  const kecamatan = rollUp(desa, regions.kecamatan, 8)
  const kabupaten = rollUp(kecamatan, [regions.regency], 5)
  return { kabupaten, kecamatan, desa, tps }
}
