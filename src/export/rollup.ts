// Staged rollup TPS → desa → kecamatan → kabupaten over a RecapSource, by the same rules as the
// desk's live recap: every expected TPS counts whether or not it reported; postponed and merged
// TPS leave the denominator and their DPT leaves the DPT total.

import type { RecapSource, SourceContest, SourceResult, SourceTps } from './source'

export interface Tally {
  /** Active TPS: the denominator of progress. */
  tpsTotal: number
  tpsReported: number
  /** Postponed or merged TPS, outside the denominator. */
  tpsExcluded: number
  /** DPT of the active TPS. */
  dpt: number
  /** DPT of every TPS, postponed and merged ones too: the regency's DPT as KPU states it. */
  dptAll: number
  /** DPT by sex over every TPS whose registry row has it; `dptSexMissing` TPS lack it. */
  dptL: number
  dptP: number
  dptSexMissing: number
  /** Active TPS with a differing report or a held correction waiting for a supervisor. */
  disputed: number
  /**
   * DPT of the TPS that reported: the denominator of turnout. A merged TPS's voters vote (and are
   * counted) at the TPS that received them, so its DPT counts here with that TPS's.
   */
  dptReported: number
  /** Voters from DPT, DPTb, DPK (where the form's voters section was sent). */
  votersDpt: number
  votersDptb: number
  votersDpk: number
  /** Total voters; for a result without the voters section, valid + invalid stands in. */
  votersTotal: number
  /** Reported TPS whose result came without the voters section. */
  votersMissing: number
  /** Voters of those TPS: their valid + invalid, which stands in for the missing breakdown. */
  votersUnbroken: number
  votes: number[]
  valid: number
  invalid: number
  total: number
}

export function emptyTally(pairs: number): Tally {
  return {
    tpsTotal: 0,
    tpsReported: 0,
    tpsExcluded: 0,
    dpt: 0,
    dptAll: 0,
    dptL: 0,
    dptP: 0,
    dptSexMissing: 0,
    disputed: 0,
    dptReported: 0,
    votersDpt: 0,
    votersDptb: 0,
    votersDpk: 0,
    votersTotal: 0,
    votersMissing: 0,
    votersUnbroken: 0,
    votes: new Array<number>(pairs).fill(0),
    valid: 0,
    invalid: 0,
    total: 0,
  }
}

/** `mergedDpt`: the DPT of the TPS merged into this one, whose voters this TPS's result counts. */
export function addTps(
  t: Tally,
  tps: SourceTps,
  result: SourceResult | undefined,
  disputed = false,
  mergedDpt = 0,
): void {
  t.dptAll += tps.dpt
  if (typeof tps.dptL === 'number' && typeof tps.dptP === 'number') {
    t.dptL += tps.dptL
    t.dptP += tps.dptP
  } else {
    t.dptSexMissing++
  }
  if (tps.status !== 'active') {
    t.tpsExcluded++
    return
  }
  t.tpsTotal++
  t.dpt += tps.dpt
  if (disputed) t.disputed++
  if (!result) return
  t.tpsReported++
  t.dptReported += tps.dpt + mergedDpt
  for (let i = 0; i < t.votes.length; i++) t.votes[i]! += result.votes[i] ?? 0
  t.valid += result.valid
  t.invalid += result.invalid
  t.total += result.total
  if (result.voters) {
    t.votersDpt += result.voters[0]
    t.votersDptb += result.voters[1]
    t.votersDpk += result.voters[2]
    t.votersTotal += result.voters[3]
  } else {
    t.votersMissing++
    t.votersTotal += result.total
    t.votersUnbroken += result.total
  }
}

export function addTally(into: Tally, t: Tally): void {
  into.tpsTotal += t.tpsTotal
  into.tpsReported += t.tpsReported
  into.tpsExcluded += t.tpsExcluded
  into.dpt += t.dpt
  into.dptAll += t.dptAll
  into.dptL += t.dptL
  into.dptP += t.dptP
  into.dptSexMissing += t.dptSexMissing
  into.disputed += t.disputed
  into.dptReported += t.dptReported
  into.votersDpt += t.votersDpt
  into.votersDptb += t.votersDptb
  into.votersDpk += t.votersDpk
  into.votersTotal += t.votersTotal
  into.votersMissing += t.votersMissing
  into.votersUnbroken += t.votersUnbroken
  for (let i = 0; i < into.votes.length; i++) into.votes[i]! += t.votes[i] ?? 0
  into.valid += t.valid
  into.invalid += t.invalid
  into.total += t.total
}

export interface DesaNode {
  code: string
  name: string
  kecamatan: string
  tps: SourceTps[]
}

export interface KecamatanNode {
  code: string
  name: string
  desa: DesaNode[]
}

/** The region tree of a source, in code order. A TPS of a desa the region list lacks still appears. */
export interface RegionIndex {
  kecamatan: KecamatanNode[]
  kecamatanByCode: Map<string, KecamatanNode>
  desaByCode: Map<string, DesaNode>
}

const byCode = (a: { code: string }, b: { code: string }) =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : 0

export function indexRegions(source: RecapSource): RegionIndex {
  const kecamatanByCode = new Map<string, KecamatanNode>()
  const desaByCode = new Map<string, DesaNode>()
  const kecamatanOf = (code: string, name = code) => {
    let k = kecamatanByCode.get(code)
    if (!k) {
      k = { code, name, desa: [] }
      kecamatanByCode.set(code, k)
    }
    return k
  }
  const desaOf = (code: string, kecamatan: string, name = code) => {
    let d = desaByCode.get(code)
    if (!d) {
      d = { code, name, kecamatan, tps: [] }
      desaByCode.set(code, d)
      kecamatanOf(kecamatan).desa.push(d)
    }
    return d
  }
  for (const k of source.kecamatan) kecamatanOf(k.code, k.name)
  for (const d of source.desa) desaOf(d.code, d.kecamatan, d.name)
  for (const t of source.tps) desaOf(t.desa, t.desa.slice(0, t.desa.lastIndexOf('.'))).tps.push(t)
  const kecamatan = [...kecamatanByCode.values()].sort(byCode)
  for (const k of kecamatan) {
    k.desa.sort(byCode)
    for (const d of k.desa) d.tps.sort(byCode)
  }
  return { kecamatan, kecamatanByCode, desaByCode }
}

export interface ContestRollup {
  contest: SourceContest
  results: Map<string, SourceResult>
  /** TPS code → what is waiting for a supervisor there. */
  disputes: Map<string, Set<'conflict' | 'correction'>>
  desa: Map<string, Tally>
  kecamatan: Map<string, Tally>
  total: Tally
}

export function rollupContest(
  source: RecapSource,
  index: RegionIndex,
  contest: SourceContest,
): ContestRollup {
  const pairs = contest.candidates.length
  const results = new Map<string, SourceResult>()
  for (const r of source.results[contest.id] ?? []) results.set(r.tps, r)
  const disputes = new Map<string, Set<'conflict' | 'correction'>>()
  for (const d of contest.disputes ?? []) {
    const kinds = disputes.get(d.tps) ?? new Set()
    kinds.add(d.kind)
    disputes.set(d.tps, kinds)
  }
  // Receiving TPS → DPT of the TPS merged into it.
  const mergedInto = new Map<string, number>()
  for (const t of source.tps)
    if (t.status === 'merged' && t.mergedInto)
      mergedInto.set(t.mergedInto, (mergedInto.get(t.mergedInto) ?? 0) + t.dpt)
  const desa = new Map<string, Tally>()
  const kecamatan = new Map<string, Tally>()
  const total = emptyTally(pairs)
  for (const k of index.kecamatan) {
    const kt = emptyTally(pairs)
    for (const d of k.desa) {
      const dt = emptyTally(pairs)
      for (const t of d.tps)
        addTps(dt, t, results.get(t.code), disputes.has(t.code), mergedInto.get(t.code))
      desa.set(d.code, dt)
      addTally(kt, dt)
    }
    kecamatan.set(k.code, kt)
    addTally(total, kt)
  }
  return { contest, results, disputes, desa, kecamatan, total }
}

/** A single TPS as a tally, for comparisons at TPS level. */
export function tpsTally(tps: SourceTps, result: SourceResult | undefined, pairs: number): Tally {
  const t = emptyTally(pairs)
  addTps(t, tps, result)
  return t
}
