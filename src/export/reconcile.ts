// The desk's quick count against KPU's figures, per region and per line (each pair, valid, invalid,
// valid + invalid), at the level KPU's file came in. A difference is flagged when it is larger than
// the threshold share of KPU's figure, once the desk has every TPS of that region.

import {
  emptyTally,
  indexRegions,
  rollupContest,
  tpsTally,
  type ContestRollup,
  type RegionIndex,
  type Tally,
} from './rollup'
import type { KpuSet, RecapSource, SourceContest } from './source'
import type {
  ReconcileContestDto,
  ReconcileReportDto,
  ReconcileRowDto,
  ReconcileStatusDto,
} from '../shared/export'
import { candidateLabel } from './text'

// One definition of each shape, shared with the screens (src/shared/export.ts).
export type ReconcileStatus = ReconcileStatusDto
export type ReconcileRow = ReconcileRowDto

export const STATUS_LABEL: Record<ReconcileStatus, string> = {
  cocok: 'cocok',
  dalam_ambang: 'dalam ambang',
  selisih: 'SELISIH',
  belum_lengkap: 'desk belum lengkap',
}

/** One contest as the desk computes it: the wire shape without the count of rows left out. */
export type ReconcileContest = Omit<ReconcileContestDto, 'rowsTotal'>

export type ReconcileReport = Pick<ReconcileReportDto, 'thresholdPercent'> & {
  contests: ReconcileContest[]
}

export interface LineDef {
  line: string
  label: string
  desk: (t: Tally) => number
  kpu: (f: { votes: number[]; valid: number; invalid: number }) => number
}

export function lineDefs(contest: SourceContest): LineDef[] {
  return [
    ...contest.candidates.map((c, i): LineDef => ({
      line: String(c.number),
      label: candidateLabel(c),
      desk: (t) => t.votes[i] ?? 0,
      kpu: (f) => f.votes[i] ?? 0,
    })),
    { line: 'sah', label: 'Suara sah', desk: (t) => t.valid, kpu: (f) => f.valid },
    { line: 'tidak_sah', label: 'Suara tidak sah', desk: (t) => t.invalid, kpu: (f) => f.invalid },
    {
      line: 'jumlah',
      label: 'Sah + tidak sah',
      desk: (t) => t.total,
      kpu: (f) => f.valid + f.invalid,
    },
  ]
}

export function classify(
  desk: number,
  kpu: number,
  complete: boolean,
  thresholdPercent: number,
): ReconcileStatus {
  const diff = desk - kpu
  if (diff === 0) return 'cocok'
  if (!complete) return 'belum_lengkap'
  if (kpu === 0) return 'selisih'
  return (Math.abs(diff) / kpu) * 100 > thresholdPercent ? 'selisih' : 'dalam_ambang'
}

function reconcileSet(
  source: RecapSource,
  index: RegionIndex,
  rollup: ContestRollup,
  set: KpuSet,
  thresholdPercent: number,
): ReconcileContest {
  const contest = rollup.contest
  const pairs = contest.candidates.length
  const lines = lineDefs(contest)
  const tpsByCode = new Map(source.tps.map((t) => [t.code, t]))
  const deskAt = (
    code: string,
  ): { tally: Tally; name: string; kecamatan: string | null } | null => {
    if (set.level === 'kecamatan') {
      const k = index.kecamatanByCode.get(code)
      const t = rollup.kecamatan.get(code)
      return k && t ? { tally: t, name: k.name, kecamatan: k.name } : null
    }
    if (set.level === 'desa') {
      const d = index.desaByCode.get(code)
      const t = rollup.desa.get(code)
      return d && t
        ? {
            tally: t,
            name: d.name,
            kecamatan: index.kecamatanByCode.get(d.kecamatan)?.name ?? d.kecamatan,
          }
        : null
    }
    const tps = tpsByCode.get(code)
    if (!tps) return null
    const d = index.desaByCode.get(tps.desa)
    return {
      tally: tpsTally(tps, rollup.results.get(code), pairs),
      name: `${d?.name ?? tps.desa} TPS ${String(tps.number).padStart(3, '0')}`,
      kecamatan: d ? (index.kecamatanByCode.get(d.kecamatan)?.name ?? d.kecamatan) : null,
    }
  }
  const rows: ReconcileRow[] = []
  const totals = lines.map((l) => ({ line: l.line, label: l.label, desk: 0, kpu: 0, diff: 0 }))
  let flaggedRegions = 0
  let incompleteRegions = 0
  const seen = new Set<string>()
  const figures = [...set.figures].sort((a, b) =>
    a.region < b.region ? -1 : a.region > b.region ? 1 : 0,
  )
  for (const f of figures) {
    seen.add(f.region)
    // Codes are checked against the desk's regions at import; one unknown now simply has no desk figures.
    const desk = deskAt(f.region) ?? { tally: emptyTally(pairs), name: f.region, kecamatan: null }
    const t = desk.tally
    const complete = t.tpsReported >= t.tpsTotal
    if (!complete) incompleteRegions++
    let flagged = false
    lines.forEach((l, i) => {
      const d = l.desk(t)
      const k = l.kpu(f)
      const status = classify(d, k, complete, thresholdPercent)
      if (status === 'selisih') flagged = true
      totals[i]!.desk += d
      totals[i]!.kpu += k
      rows.push({
        code: f.region,
        name: desk.name,
        kecamatan: desk.kecamatan,
        tpsTotal: t.tpsTotal,
        tpsReported: t.tpsReported,
        line: l.line,
        label: l.label,
        desk: d,
        kpu: k,
        diff: d - k,
        diffPercent: k === 0 ? null : (Math.abs(d - k) / k) * 100,
        status,
      })
    })
    if (flagged) flaggedRegions++
  }
  for (const t of totals) t.diff = t.desk - t.kpu
  const known =
    set.level === 'kecamatan'
      ? index.kecamatan.map((k) => k.code)
      : set.level === 'desa'
        ? [...index.desaByCode.keys()]
        : source.tps.filter((t) => t.status === 'active').map((t) => t.code)
  return {
    contest: contest.id,
    name: contest.name,
    level: set.level,
    importId: set.importId,
    importedAt: set.importedAt,
    source: set.source,
    regions: figures.length,
    regionsWithoutKpu: known.filter((c) => !seen.has(c)).length,
    flaggedRegions,
    incompleteRegions,
    totals,
    rows,
  }
}

/** The difference report for every contest that has KPU figures. */
export function reconcile(
  source: RecapSource,
  thresholdPercent = source.kpu?.thresholdPercent ?? 1,
  prepared?: { index: RegionIndex; rollups: ContestRollup[] },
): ReconcileReport {
  if (!source.kpu) return { thresholdPercent, contests: [] }
  const index = prepared?.index ?? indexRegions(source)
  const rollups = prepared?.rollups ?? source.contests.map((c) => rollupContest(source, index, c))
  const contests: ReconcileContest[] = []
  for (const rollup of rollups) {
    const set = source.kpu.sets.find((s) => s.contest === rollup.contest.id)
    if (set) contests.push(reconcileSet(source, index, rollup, set, thresholdPercent))
  }
  return { thresholdPercent, contests }
}
