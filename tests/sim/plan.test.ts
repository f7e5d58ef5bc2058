import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/domain/csv'
import { checkResultSheet, sameSheet } from '../../src/domain/result-sheet'
import { validateTpsTable } from '../../src/domain/tps'
import { loadRegency } from '../../src/host/regions-source'
import { buildPlan, DAY_END, resolveScope } from '../../src/sim/plan'
import { registryCsv, syntheticRegistry } from '../../src/sim/registry'
import { Rng } from '../../src/sim/prng'
import type { RegionsView, ResultBody, SimPlan, Step } from '../../src/sim/types'
import type { ContestDto } from '../../src/shared/api'
import jember2024 from '../../resources/election/pilkada-2024-jember.json'

function regionsView(code: string): RegionsView {
  const tree = loadRegency(code)
  return {
    regency: { code: tree.regency.code, name: tree.regency.name },
    kecamatan: tree.kecamatan.map((k) => ({
      code: k.code,
      name: k.name,
      desa: tree.childrenOf(k.code).map((d) => ({ code: d.code, name: d.name })),
    })),
  }
}

const jember = regionsView('35.09')
const contests = jember2024.contests as ContestDto[]
const candidatesOf = (id: string) => contests.find((c) => c.id === id)!.candidates

/** The published table (tests/fixtures/jember), against which the simulator's own copy is checked. */
const referenceCounts = new Map(
  parseCsv(
    readFileSync(
      join(__dirname, '..', 'fixtures', 'jember', 'jember-tps-per-kecamatan.csv'),
      'utf8',
    ),
  )
    .slice(1)
    .filter((r) => r.length >= 4)
    .map((r) => [r[0]!, Number(r[3])]),
)

const results = (plan: SimPlan) =>
  plan.chains
    .flatMap((c) => c.steps)
    .filter((s): s is Extract<Step, { kind: 'result' }> => s.kind === 'result')

describe('synthetic registry', () => {
  const registry = syntheticRegistry(
    jember,
    jember.kecamatan.map((k) => k.code),
    '42',
  )

  it('has the real number of TPS per kecamatan, over every desa, with the prison TPS in Kaliwates', () => {
    expect(registry.length).toBe(4046)
    for (const [kec, n] of referenceCounts)
      expect(registry.filter((t) => t.code.startsWith(kec + '.')).length, kec).toBe(n)
    const desa = new Set(registry.map((t) => t.desa))
    expect(desa.size).toBe(248)
    expect(registry.filter((t) => t.number >= 900).map((t) => t.code)).toEqual([
      '35.09.19.1004.901',
      '35.09.19.1004.902',
    ])
  })

  it("draws DPT between 250 and 600 and passes the desk's own import validation", () => {
    expect(Math.min(...registry.map((t) => t.dpt))).toBeGreaterThanOrEqual(250)
    expect(Math.max(...registry.map((t) => t.dpt))).toBeLessThanOrEqual(600)
    const mean = registry.reduce((a, t) => a + t.dpt, 0) / registry.length
    expect(mean).toBeGreaterThan(420)
    expect(mean).toBeLessThan(540)
    const tree = loadRegency('35.09')
    const { rows, errors } = validateTpsTable(parseCsv(registryCsv(registry)), tree)
    expect(errors).toEqual([])
    expect(rows).toHaveLength(4046)
  })

  it('scales down, keeps a TPS in every desa, and makes a plausible registry for another regency', () => {
    const small = syntheticRegistry(jember, ['35.09.25'], '42', 0.1)
    expect(small.length).toBeGreaterThanOrEqual(6 + 2)
    expect(new Set(small.map((t) => t.desa)).size).toBe(6)
    expect(small.some((t) => t.number === 901)).toBe(true) // prison TPS go to the first kecamatan in scope

    const other = regionsView('35.10') // Kabupaten Banyuwangi
    const reg = syntheticRegistry(
      other,
      other.kecamatan.map((k) => k.code),
      '42',
    )
    const desaCount = other.kecamatan.reduce((a, k) => a + k.desa.length, 0)
    expect(reg.length).toBeGreaterThan(desaCount * 9)
    expect(reg.length).toBeLessThan(desaCount * 21)
    expect(new Set(reg.map((t) => t.desa)).size).toBe(desaCount)
  })
})

describe('the plan of a night', () => {
  const settings = { seed: 42 }
  const plan = buildPlan({ regions: jember, contests, registry: [], settings })

  it('is the same for the same seed and differs for another', () => {
    const again = buildPlan({ regions: jember, contests, registry: [], settings: { seed: 42 } })
    expect(again).toEqual(plan)
    const other = buildPlan({ regions: jember, contests, registry: [], settings: { seed: 43 } })
    expect(other.expected).not.toEqual(plan.expected)
  })

  it('creates one reporter per desa/kelurahan and per kecamatan, and one operator', () => {
    expect(plan.accounts.filter((a) => a.key.startsWith('desa:'))).toHaveLength(248)
    expect(plan.accounts.filter((a) => a.key.startsWith('kec:'))).toHaveLength(31)
    expect(plan.accounts.filter((a) => a.role === 'operator')).toHaveLength(1)
    expect(plan.accounts.every((a) => a.name.includes('simulasi'))).toBe(true)
  })

  it('sends sheets that pass the C.Hasil checks, and faulty ones the desk must refuse', () => {
    const dpt = new Map(plan.syntheticRegistry!.map((t) => [t.code, t.dpt]))
    let warned = 0
    for (const s of results(plan)) {
      const check = checkResultSheet(s.body, {
        candidates: candidatesOf(s.body.contest),
        dpt: dpt.get(s.body.tps)!,
      })
      if (s.expect === 'rejected') {
        expect(check.errors.length, s.body.submissionId).toBeGreaterThan(0)
      } else {
        expect(check.errors, s.body.submissionId).toEqual([])
        expect(s.body.voters.total).toBe(s.body.voters.dpt + s.body.voters.dptb + s.body.voters.dpk)
        expect(check.total).toBe(s.body.voters.total)
        if (check.warnings.length > 0) warned++
      }
    }
    // Realistic sheets rarely need a second look.
    expect(warned / results(plan).length).toBeLessThan(0.02)
  })

  it('orders each TPS so a conflict, a retry or a confirmation follows the report it concerns', () => {
    for (const chain of plan.chains) {
      const accepted = new Map<string, ResultBody>()
      for (const s of chain.steps) {
        if (s.kind !== 'result') continue
        const key = s.body.contest
        if (s.expect === 'accepted') accepted.set(key, s.body)
        if (s.fault === 'retry') expect(accepted.get(key)).toBe(s.body) // the very same submission
        if (s.fault === 'confirm') expect(sameSheet(s.body, accepted.get(key)!)).toBe(true)
        if (s.fault === 'conflict') {
          expect(accepted.has(key)).toBe(true)
          expect(sameSheet(s.body, accepted.get(key)!)).toBe(false)
          expect(s.account.startsWith('kec:')).toBe(true)
        }
      }
    }
  })

  it('adds up: the expected regency totals are the sum of the kecamatan and of the accepted sheets', () => {
    for (const e of plan.expected.recap) {
      const accepted = results(plan).filter(
        (s) => s.expect === 'accepted' && s.body.contest === e.contest,
      )
      expect(e.kabupaten.tpsReported).toBe(accepted.length)
      expect(e.kabupaten.tpsTotal + e.kabupaten.tpsExcluded).toBe(4046)
      expect(e.kabupaten.tpsExcluded).toBe(1) // the postponed TPS
      for (const k of Object.keys(e.kabupaten.votes)) {
        expect(e.kecamatan.reduce((a, r) => a + r.votes[k]!, 0)).toBe(e.kabupaten.votes[k])
        expect(accepted.reduce((a, s) => a + s.body.votes[k]!, 0)).toBe(e.kabupaten.votes[k])
      }
      expect(e.kabupaten.valid + e.kabupaten.invalid).toBe(e.kabupaten.total)
      expect(accepted.reduce((a, s) => a + s.body.invalid, 0)).toBe(e.kabupaten.invalid)
      const progress = plan.expected.progress.find((p) => p.contest === e.contest)!
      expect(progress.reported).toBe(e.kabupaten.tpsReported)
      expect(progress.expected).toBe(e.kabupaten.tpsTotal)
    }
    expect(plan.counts.expect.accepted).toBe(plan.counts.results)
    expect(plan.counts.requests).toBe(results(plan).length)
  })

  it('lands vote shares near the configured means, and varies them by kecamatan', () => {
    const bupati = plan.expected.recap.find((e) => e.contest === 'bupati')!
    const share2 = bupati.kabupaten.votes['2']! / bupati.kabupaten.valid
    expect(share2).toBeGreaterThan(0.55)
    expect(share2).toBeLessThan(0.69)
    const perKec = bupati.kecamatan.map((k) => k.votes['2']! / k.valid)
    expect(Math.max(...perKec) - Math.min(...perKec)).toBeGreaterThan(0.08)

    const custom = buildPlan({
      regions: jember,
      contests,
      registry: [],
      settings: { seed: 42, kecamatan: ['35.09.19'], shares: { bupati: [70, 30] } },
    })
    const b = custom.expected.recap.find((e) => e.contest === 'bupati')!.kabupaten
    expect(b.votes['1']! / b.valid).toBeGreaterThan(0.6)
  })

  it('follows the arrival curve: first reports about 13:30, most 14:00–16:30, none after 18:00', () => {
    const firsts = plan.chains
      .filter((c) => c.steps.some((s) => s.kind === 'result'))
      .map((c) => c.steps.find((s) => s.kind === 'result')!.at / 60)
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(30)
    expect(Math.min(...firsts)).toBeLessThan(45)
    const main = firsts.filter((m) => m >= 60 && m <= 210).length / firsts.length
    expect(main).toBeGreaterThan(0.75)
    expect(Math.max(...firsts)).toBeLessThanOrEqual(DAY_END / 60)
    expect(firsts.filter((m) => m > 240).length).toBeGreaterThan(0) // a tail after 17:00
  })

  it('respects the fault rates within tolerance', () => {
    const rates = {
      neverReport: 0.05,
      phone: 0.1,
      retry: 0.08,
      invalid: 0.06,
      conflict: 0.04,
      confirm: 0.05,
      incident: 0.02,
      postponed: 3,
    }
    const p = buildPlan({ regions: jember, contests, registry: [], settings: { seed: 7, rates } })
    const tps = 4046
    const within = (got: number, n: number, rate: number) => {
      const sd = Math.sqrt(n * rate * (1 - rate))
      expect(Math.abs(got - n * rate), `${got} of ${n} at ${rate}`).toBeLessThan(4 * sd + 1)
    }
    expect(p.counts.postponed).toBe(3)
    within(p.counts.neverReport, tps - 3, rates.neverReport)
    const reporting = p.counts.reportingTps
    expect(reporting).toBe(tps - 3 - p.counts.neverReport)
    within(p.counts.phone, reporting, rates.phone)
    const submissions = reporting * contests.length
    within(p.counts.retries, submissions, rates.retry)
    within(p.counts.invalid, submissions, rates.invalid)
    within(p.counts.conflicts, submissions, rates.conflict)
    within(p.counts.confirmations, submissions, rates.confirm * (1 - rates.conflict))
    expect(p.counts.expect.rejected).toBe(p.counts.invalid)
    expect(p.counts.expect.conflict).toBe(p.counts.conflicts)
    expect(p.counts.expect.duplicate).toBe(p.counts.retries + p.counts.confirmations)
    const phoned = results(p).filter((s) => s.channel === 'telepon')
    expect(phoned.every((s) => s.account === 'operator' && !!s.body.caller)).toBe(true)
    expect(new Set(phoned.map((s) => s.body.tps)).size).toBe(p.counts.phone)

    const none = buildPlan({
      regions: jember,
      contests,
      registry: [],
      settings: {
        seed: 7,
        rates: {
          neverReport: 0,
          phone: 0,
          retry: 0,
          invalid: 0,
          conflict: 0,
          confirm: 0,
          incident: 0,
          postponed: 0,
        },
      },
    })
    expect(none.counts.requests).toBe(4046 * 2)
    expect(none.counts.expect.accepted).toBe(4046 * 2)
  })

  it("keeps a TPS's numbers when the scope narrows, and plays a registry the desk already has", () => {
    const narrow = buildPlan({
      regions: jember,
      contests,
      registry: [],
      settings: { seed: 42, kecamatan: ['35.09.25'], rates: { postponed: 0 } },
    })
    const wide = new Map(
      results(plan)
        .filter((s) => s.expect === 'accepted')
        .map((s) => [`${s.body.tps}/${s.body.contest}`, s.body.votes]),
    )
    const mine = results(narrow).filter(
      (s) => s.expect === 'accepted' && s.body.tps.startsWith('35.09.25.'),
    )
    expect(mine.length).toBeGreaterThan(0)
    for (const s of mine) {
      const other = wide.get(`${s.body.tps}/${s.body.contest}`)
      if (other) expect(s.body.votes).toEqual(other)
    }

    const existing = plan
      .syntheticRegistry!.filter((t) => t.code.startsWith('35.09.25.'))
      .map((t) => ({ ...t, status: t.code.endsWith('.001') ? ('merged' as const) : t.status }))
    const onDesk = buildPlan({
      regions: jember,
      contests,
      registry: existing,
      settings: { seed: 42, rates: { postponed: 0 } },
    })
    expect(onDesk.syntheticRegistry).toBeNull()
    expect(onDesk.counts.tps).toBe(existing.length)
    const merged = existing.filter((t) => t.status === 'merged').map((t) => t.code)
    expect(results(onDesk).some((s) => merged.includes(s.body.tps))).toBe(false)
    expect(onDesk.expected.recap[0]!.kabupaten.tpsExcluded).toBe(merged.length)
  })
})

describe('scope and randomness', () => {
  it('reads --kecamatan as a count, codes, short numbers or names', () => {
    expect(resolveScope(jember)).toHaveLength(31)
    expect(resolveScope(jember, '3')).toEqual(['35.09.01', '35.09.02', '35.09.03'])
    expect(resolveScope(jember, 'Jelbuk,15,35.09.19')).toEqual(['35.09.15', '35.09.19', '35.09.25'])
    expect(() => resolveScope(jember, 'Atlantis')).toThrow(/tidak dikenal/)
  })

  it('forks independent, reproducible streams', () => {
    const a = new Rng('x')
    const b = new Rng('x')
    const seq = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seq)
    expect(new Rng('x').fork('y').next()).toBe(new Rng('x/y').next())
    expect(new Rng('y').next()).not.toBe(seq[0])
    const draws = Array.from({ length: 10_000 }, () => a.next())
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length
    expect(mean).toBeGreaterThan(0.48)
    expect(mean).toBeLessThan(0.52)
  })
})
