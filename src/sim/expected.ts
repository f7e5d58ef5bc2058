// What the desk's recap and progress must show once the plan has run: the accepted sheet of each
// reporting TPS, rolled up per kecamatan and for the regency. Postponed and merged TPS leave the
// denominator, as the desk's own rollup does.

import type { ContestDto } from '../shared/api'
import type {
  Expected,
  ExpectedContest,
  ExpectedRow,
  RegionsView,
  ResultBody,
  SimTps,
} from './types'

function emptyRow(code: string, name: string, contest: ContestDto): ExpectedRow {
  const votes: Record<string, number> = {}
  for (const c of contest.candidates) votes[String(c.number)] = 0
  return {
    code,
    name,
    tpsTotal: 0,
    tpsReported: 0,
    tpsExcluded: 0,
    votes,
    valid: 0,
    invalid: 0,
    total: 0,
    voters: 0,
  }
}

function add(row: ExpectedRow, sheet: ResultBody | undefined, active: boolean): void {
  if (!active) {
    row.tpsExcluded++
    return
  }
  row.tpsTotal++
  if (!sheet) return
  row.tpsReported++
  let valid = 0
  for (const [k, v] of Object.entries(sheet.votes)) {
    row.votes[k] = (row.votes[k] ?? 0) + v
    valid += v
  }
  row.valid += valid
  row.invalid += sheet.invalid
  row.total += valid + sheet.invalid
  row.voters += sheet.voters.dpt + sheet.voters.dptb + sheet.voters.dpk
}

export function expectedOutcome(
  regions: RegionsView,
  contests: ContestDto[],
  registry: SimTps[],
  status: Map<string, string>,
  sheets: Map<string, Map<string, ResultBody>>,
): Expected {
  const recap: ExpectedContest[] = contests.map((contest) => {
    const kabupaten = emptyRow(regions.regency.code, regions.regency.name, contest)
    const rows = new Map(regions.kecamatan.map((k) => [k.code, emptyRow(k.code, k.name, contest)]))
    for (const t of registry) {
      const row = rows.get(t.code.slice(0, 8))
      if (!row) continue
      const active = (status.get(t.code) ?? t.status) === 'active'
      const sheet = sheets.get(t.code)?.get(contest.id)
      add(row, sheet, active)
      add(kabupaten, sheet, active)
    }
    return { contest: contest.id, kabupaten, kecamatan: [...rows.values()] }
  })
  const progress = recap.map((c) => ({
    contest: c.contest,
    expected: c.kabupaten.tpsTotal,
    reported: c.kabupaten.tpsReported,
    kecamatan: c.kecamatan.map((k) => ({
      code: k.code,
      expected: k.tpsTotal,
      reported: k.tpsReported,
    })),
  }))
  return { recap, progress }
}
