// The generator: from what a desk says about itself (regions, contests, registry) and a seed, a
// complete election night as data — accounts, every request in time order with the answer the
// desk should give, and the recap the desk should end up with. Pure: no I/O, no clock.

import type { ContestDto } from '../shared/api'
import { JEMBER_CODE, JEMBER_DEFAULT_SHARES } from './jember'
import { clamp, Rng } from './prng'
import { syntheticRegistry } from './registry'
import { expectedOutcome } from './expected'
import {
  DEFAULT_RATES,
  type Chain,
  type Expect,
  type FaultRates,
  type PlanCounts,
  type RegionsView,
  type ResultBody,
  type SimAccount,
  type SimPlan,
  type SimSettings,
  type SimTps,
  type Step,
} from './types'

const MINUTE = 60
/** The counting starts when the TPS close at 13:00 WIB; simulated time is seconds after that. */
export const DAY_END = 5 * 60 * MINUTE // 18:00 WIB
const FIRST_ARRIVAL = 30 * MINUTE // 13:30 WIB

export const INCIDENT_CATEGORIES = ['keamanan', 'logistik', 'cuaca', 'protes', 'lainnya'] as const
const INCIDENT_TEXT: Record<(typeof INCIDENT_CATEGORIES)[number], string[]> = {
  keamanan: [
    'Kerumunan warga di depan TPS saat penghitungan; linmas dan polisi sudah di lokasi',
    'Ada orang tak dikenal memotret surat suara; sudah ditegur oleh KPPS',
  ],
  logistik: [
    'Formulir C.Hasil kurang satu lembar, menunggu kiriman dari PPS',
    'Kotak suara tersegel terlambat dijemput PPK',
  ],
  cuaca: [
    'Hujan deras, penghitungan dipindah ke dalam balai desa',
    'Angin kencang merobohkan tenda TPS; penghitungan ditunda sebentar',
  ],
  protes: [
    'Saksi paslon mengajukan keberatan atas surat suara tidak sah; dicatat di formulir kejadian khusus',
    'Warga memprotes nama tidak ada di DPT; diarahkan ke PPS',
  ],
  lainnya: [
    'Listrik padam, penghitungan memakai lampu darurat',
    'Ketua KPPS sakit, digantikan anggota KPPS',
  ],
}

export function resolveRates(partial?: Partial<FaultRates>): FaultRates {
  return { ...DEFAULT_RATES, ...partial }
}

/** Mean shares per contest, normalised: given ones, Jember's defaults, or drawn from the seed. */
export function resolveShares(
  contests: ContestDto[],
  regencyCode: string,
  seed: string,
  given: Record<string, number[]> = {},
): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  for (const c of contests) {
    const n = c.candidates.length
    let raw = given[c.id]
    if (raw && raw.length !== n) {
      throw new Error(
        `Pembagian suara untuk ${c.id} harus ${n} angka (satu per paslon), bukan ${raw.length}`,
      )
    }
    if (!raw && regencyCode === JEMBER_CODE && JEMBER_DEFAULT_SHARES[c.id]?.length === n)
      raw = JEMBER_DEFAULT_SHARES[c.id]
    if (!raw) {
      const rng = new Rng(`${seed}/shares/${c.id}`)
      raw = c.candidates.map(() => Math.exp(rng.normal(0, 0.6)))
    }
    if (raw.some((x) => !(x > 0)))
      throw new Error(`Pembagian suara untuk ${c.id} harus angka positif`)
    const sum = raw.reduce((a, x) => a + x, 0)
    out[c.id] = raw.map((x) => x / sum)
  }
  return out
}

/** Shares perturbed in log space (so none turns negative), normalised. */
function perturb(shares: number[], sd: number, rng: Rng): number[] {
  const w = shares.map((s) => Math.exp(Math.log(s) + rng.normal(0, sd)))
  const sum = w.reduce((a, x) => a + x, 0)
  return w.map((x) => x / sum)
}

/** Split `valid` votes over shares like a multinomial draw (normal approximation per pair). */
function splitVotes(valid: number, shares: number[], rng: Rng): number[] {
  const out: number[] = []
  let left = valid
  let pLeft = 1
  for (let i = 0; i < shares.length - 1; i++) {
    const p = pLeft > 0 ? clamp(shares[i]! / pLeft, 0, 1) : 0
    const mean = left * p
    const v = clamp(Math.round(rng.normal(mean, Math.sqrt(Math.max(mean * (1 - p), 0)))), 0, left)
    out.push(v)
    left -= v
    pLeft -= shares[i]!
  }
  out.push(left)
  return out
}

interface KecamatanProfile {
  turnout: number
  shares: Record<string, number[]>
  /** Minutes late or early compared to the regency as a whole (distance, signal). */
  shiftMinutes: number
}

function kecamatanProfile(
  seed: string,
  code: string,
  shares: Record<string, number[]>,
  turnout: number,
): KecamatanProfile {
  const rng = new Rng(`${seed}/kec/${code}`)
  const out: KecamatanProfile = {
    turnout: clamp(rng.normal(turnout, 0.04), 0.45, 0.92),
    shares: {},
    shiftMinutes: clamp(rng.normal(0, 10), -25, 25),
  }
  for (const [id, s] of Object.entries(shares)) out.shares[id] = perturb(s, 0.25, rng.fork(id))
  return out
}

/**
 * Arrival of a TPS's first report, in simulated seconds after 13:00: a shifted log-normal (first
 * reports about 13:30, most between 14:00 and 16:30, a tail to 18:00).
 */
export function arrivalTime(rng: Rng, shiftMinutes: number): number {
  for (let i = 0; i < 50; i++) {
    const minutes = 20 + Math.exp(rng.normal(Math.log(95), 0.5)) + shiftMinutes
    const t = Math.round(minutes * MINUTE)
    if (t >= FIRST_ARRIVAL && t <= DAY_END - 10 * MINUTE) return t
  }
  return 150 * MINUTE
}

/** The C.Hasil sheet of one TPS for each contest: consistent, so the desk accepts it. */
export function sheetsFor(
  tps: SimTps,
  contests: ContestDto[],
  profile: KecamatanProfile,
  seed: string,
): Map<string, Omit<ResultBody, 'submissionId'>> {
  const rng = new Rng(`${seed}/tps/${tps.code}/votes`)
  const turnout = clamp(rng.normal(profile.turnout, 0.06), 0.4, 0.95)
  const dptUsed = Math.min(tps.dpt, Math.round(tps.dpt * turnout))
  const dptb = rng.chance(0.4) ? rng.int(1, 4) : 0
  const dpk = rng.chance(0.5) ? rng.int(1, 6) : 0
  const voters = { dpt: dptUsed, dptb, dpk, total: dptUsed + dptb + dpk }
  const out = new Map<string, Omit<ResultBody, 'submissionId'>>()
  for (const c of contests) {
    const crng = rng.fork(c.id)
    const invalid = Math.round(voters.total * clamp(crng.normal(0.025, 0.01), 0.003, 0.07))
    const valid = voters.total - invalid
    const split = splitVotes(valid, perturb(profile.shares[c.id]!, 0.15, crng), crng)
    const votes: Record<string, number> = {}
    c.candidates.forEach((cand, i) => (votes[String(cand.number)] = split[i]!))
    out.set(c.id, { tps: tps.code, contest: c.id, votes, invalid, voters: { ...voters } })
  }
  return out
}

/** A sheet with one mistake the desk must refuse (400): what a tired thumb types. */
function brokenSheet(body: ResultBody, rng: Rng): ResultBody {
  const keys = Object.keys(body.votes)
  const top = keys.reduce((a, k) => (body.votes[k]! > body.votes[a]! ? k : a), keys[0]!)
  const rest = body.voters.total - body.votes[top]!
  const kinds: ('missing' | 'voters_sum' | 'extra_digit')[] = ['missing', 'voters_sum']
  // An extra digit on the largest pair is only a hard error once the sheet exceeds a TPS's capacity.
  if (body.votes[top]! * 10 + rest > 1000) kinds.push('extra_digit')
  const kind = rng.pick(kinds)
  const broken: ResultBody = { ...body, votes: { ...body.votes }, voters: { ...body.voters } }
  if (kind === 'missing') {
    delete broken.votes[rng.pick(keys)]
  } else if (kind === 'voters_sum') {
    broken.voters.total += rng.pick([-10, -1, 1, 10, 100])
    if (broken.voters.total < 0) broken.voters.total = body.voters.total + 1
  } else {
    broken.votes[top] = body.votes[top]! * 10 + rng.int(0, 9)
  }
  return broken
}

/** The kecamatan officer's copy with different numbers: still a valid sheet, so the desk holds a conflict. */
function conflictingSheet(body: ResultBody, rng: Rng): ResultBody {
  const keys = Object.keys(body.votes)
  const k = rng.pick(keys)
  let delta = rng.pick([-1, 1]) * rng.int(1, 15)
  if (body.votes[k]! + delta < 0) delta = Math.abs(delta)
  const out: ResultBody = { ...body, votes: { ...body.votes }, voters: { ...body.voters } }
  out.votes[k] = body.votes[k]! + delta
  // Keep valid + invalid = voters: move the difference into invalid, or into DPT voters.
  if (body.invalid - delta >= 0) out.invalid = body.invalid - delta
  else {
    out.voters.dpt += delta
    out.voters.total += delta
  }
  return out
}

function phoneNumber(rng: Rng): string {
  return `08${rng.pick(['12', '13', '21', '52', '57', '77', '81', '95'])}${String(rng.int(1000000, 99999999)).padStart(8, '0')}`
}

/**
 * Which kecamatan `spec` names: one whole number N is the first N by code; otherwise a list of
 * codes (35.09.15), short numbers (15) or names (Sukorambi).
 */
export function resolveScope(regions: RegionsView, spec?: string[] | string): string[] {
  const all = regions.kecamatan.map((k) => k.code)
  const items = (spec === undefined ? [] : Array.isArray(spec) ? spec : [spec])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length === 0) return all
  if (items.length === 1 && /^\d+$/.test(items[0]!)) {
    const n = Number(items[0])
    if (n < 1) throw new Error('--kecamatan N harus 1 atau lebih')
    return all.slice(0, n)
  }
  const out: string[] = []
  for (const item of items) {
    const lower = item.toLowerCase()
    const found = regions.kecamatan.find(
      (k) =>
        k.code === item ||
        k.code === `${regions.regency.code}.${item.padStart(2, '0')}` ||
        k.name.toLowerCase() === lower,
    )
    if (!found) throw new Error(`Kecamatan "${item}" tidak dikenal di ${regions.regency.name}`)
    if (!out.includes(found.code)) out.push(found.code)
  }
  return out.sort()
}

export interface PlanInput {
  regions: RegionsView
  contests: ContestDto[]
  /** The desk's registry (GET /tps); empty when it has none, and the simulator makes one. */
  registry: SimTps[]
  settings: SimSettings
}

export function buildPlan(input: PlanInput): SimPlan {
  const { regions, contests, settings } = input
  const seed = String(settings.seed)
  const rates = resolveRates(settings.rates)
  const scope =
    settings.kecamatan && settings.kecamatan.length > 0
      ? [...settings.kecamatan].sort()
      : regions.kecamatan.map((k) => k.code)
  const shares = resolveShares(contests, regions.regency.code, seed, settings.shares)
  const synthetic =
    input.registry.length === 0
      ? syntheticRegistry(regions, scope, seed, settings.scale ?? 1)
      : null
  const registry: SimTps[] = (synthetic ?? input.registry).map((t) => ({
    code: t.code,
    desa: t.desa,
    number: t.number,
    dpt: t.dpt,
    status: t.status,
  }))
  registry.sort((a, b) => a.code.localeCompare(b.code))
  const inScope = (code: string) => scope.some((k) => code.startsWith(k + '.'))
  const scoped = registry.filter((t) => inScope(t.code))

  // Accounts: one reporter per desa/kelurahan and one per kecamatan in scope, and one operator.
  const accounts: SimAccount[] = []
  const accountRng = new Rng(`${seed}/accounts`)
  for (const k of regions.kecamatan) {
    if (!scope.includes(k.code)) continue
    accounts.push({
      key: `kec:${k.code}`,
      name: `Petugas Kec. ${k.name} (simulasi)`,
      phone: phoneNumber(accountRng.fork(k.code)),
      role: 'reporter',
      region: k.code,
    })
    for (const d of k.desa) {
      accounts.push({
        key: `desa:${d.code}`,
        name: `Pelapor ${d.name} (simulasi)`,
        phone: phoneNumber(accountRng.fork(d.code)),
        role: 'reporter',
        region: d.code,
      })
    }
  }
  accounts.push({
    key: 'operator',
    name: 'Operator telepon (simulasi)',
    phone: phoneNumber(accountRng.fork('operator')),
    role: 'operator',
    region: regions.regency.code,
  })
  const accountByKey = new Map(accounts.map((a) => [a.key, a]))

  // Postponed TPS: a fixed number, drawn from the scope (never a prison TPS), already-inactive ones count too.
  const postponed = new Set<string>()
  const candidates = scoped.filter((t) => t.number < 900)
  const pRng = new Rng(`${seed}/postponed`)
  const wanted = Math.min(Math.max(0, Math.round(rates.postponed)), candidates.length)
  while (postponed.size < wanted) postponed.add(pRng.pick(candidates).code)

  const profiles = new Map(
    scope.map((k) => [k, kecamatanProfile(seed, k, shares, settings.turnout ?? 0.72)]),
  )
  const chains: Chain[] = []
  const counts: PlanCounts = {
    tps: scoped.length,
    reportingTps: 0,
    neverReport: 0,
    postponed: 0,
    phone: 0,
    results: 0,
    retries: 0,
    invalid: 0,
    conflicts: 0,
    confirmations: 0,
    incidents: 0,
    requests: 0,
    expect: { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 },
  }
  const finalSheets = new Map<string, Map<string, ResultBody>>()
  const sid = (tps: string, contest: string, tag: string) =>
    `sim${seed.replace(/[^A-Za-z0-9]/g, '')}-${tps}-${contest}-${tag}`

  for (const tps of scoped) {
    const kec = tps.code.slice(0, 8)
    const profile = profiles.get(kec)!
    const faults = new Rng(`${seed}/tps/${tps.code}/faults`)
    const time = new Rng(`${seed}/tps/${tps.code}/time`)
    // Draw every fault decision whatever the rates, so changing one rate leaves the others' picks alone.
    const never = faults.chance(rates.neverReport)
    const phoned = faults.chance(rates.phone)
    const incident = faults.chance(rates.incident)
    const perContest = contests.map(() => ({
      invalid: faults.chance(rates.invalid),
      retry: faults.chance(rates.retry),
      conflict: faults.chance(rates.conflict),
      confirm: faults.chance(rates.confirm),
    }))
    let arrival = arrivalTime(time, profile.shiftMinutes)
    if (tps.number >= 900) arrival = Math.min(DAY_END - 5 * MINUTE, arrival + 30 * MINUTE) // counting inside a prison starts later
    const steps: Step[] = []
    const desaKey = `desa:${tps.desa}`
    const reporter = accountByKey.get(desaKey)

    if (postponed.has(tps.code)) {
      counts.postponed++
      steps.push({
        kind: 'postpone',
        at: Math.round(time.uniform(5, 40) * MINUTE),
        tps: tps.code,
        reason: 'Banjir merendam lokasi TPS; pemungutan suara susulan (simulasi)',
      })
    } else if (tps.status !== 'active') {
      // Already postponed or merged on the desk: nothing to report.
    } else if (never || !reporter) {
      counts.neverReport++
    } else {
      counts.reportingTps++
      if (phoned) counts.phone++
      const sender = phoned ? 'operator' : desaKey
      const channel = phoned ? 'telepon' : 'simulasi'
      const sheets = sheetsFor(tps, contests, profile, seed)
      const finals = new Map<string, ResultBody>()
      let at = arrival
      contests.forEach((c, i) => {
        const f = perContest[i]!
        const fr = faults.fork(c.id)
        const body: ResultBody = { submissionId: sid(tps.code, c.id, 'a'), ...sheets.get(c.id)! }
        if (phoned) body.caller = { name: reporter.name, phone: reporter.phone }
        if (f.invalid) {
          const broken = { ...brokenSheet(body, fr), submissionId: sid(tps.code, c.id, 'x') }
          steps.push({
            kind: 'result',
            at,
            account: sender,
            channel,
            body: broken,
            expect: 'rejected',
            fault: 'invalid',
          })
          counts.invalid++
          at += Math.round(fr.uniform(1, 5) * MINUTE)
          steps.push({
            kind: 'result',
            at,
            account: sender,
            channel,
            body,
            expect: 'accepted',
            fault: 'corrected',
          })
        } else {
          steps.push({ kind: 'result', at, account: sender, channel, body, expect: 'accepted' })
        }
        counts.results++
        finals.set(c.id, body)
        if (f.retry) {
          counts.retries++
          steps.push({
            kind: 'result',
            at: at + fr.int(10, 90),
            account: sender,
            channel,
            body,
            expect: 'duplicate',
            fault: 'retry',
          })
        }
        const officer = `kec:${kec}`
        const later = Math.min(DAY_END + 30 * MINUTE, at + Math.round(fr.uniform(10, 70) * MINUTE))
        if (f.conflict) {
          counts.conflicts++
          const other = {
            ...conflictingSheet(body, fr),
            submissionId: sid(tps.code, c.id, 'k'),
            note: 'Dari salinan C.Hasil yang difoto saksi (simulasi)',
          }
          delete other.caller
          steps.push({
            kind: 'result',
            at: later,
            account: officer,
            channel: 'simulasi',
            body: other,
            expect: 'conflict',
            fault: 'conflict',
          })
        } else if (f.confirm) {
          counts.confirmations++
          const same = { ...body, submissionId: sid(tps.code, c.id, 'k') }
          delete same.caller
          steps.push({
            kind: 'result',
            at: later,
            account: officer,
            channel: 'simulasi',
            body: same,
            expect: 'duplicate',
            fault: 'confirm',
          })
        }
        at += Math.round(time.uniform(2, 8) * MINUTE)
      })
      finalSheets.set(tps.code, finals)
    }

    if (reporter && (incident || (never && faults.chance(0.3)))) {
      const irng = new Rng(`${seed}/tps/${tps.code}/incident`)
      const category = never
        ? irng.pick(['logistik', 'keamanan'] as const)
        : irng.pick(INCIDENT_CATEGORIES)
      const urgency = irng.next() < 0.5 ? 'rendah' : irng.next() < 0.7 ? 'sedang' : 'tinggi'
      counts.incidents++
      chains.push({
        key: `incident:${tps.code}`,
        steps: [
          {
            kind: 'incident',
            at: clamp(arrival - Math.round(irng.uniform(10, 60) * MINUTE), 5 * MINUTE, DAY_END),
            account: desaKey,
            body: {
              submissionId: sid(tps.code, 'incident', 'a'),
              tps: tps.code,
              category,
              urgency: never ? 'tinggi' : urgency,
              text: `${irng.pick(INCIDENT_TEXT[category])} (simulasi)`,
            },
          },
        ],
      })
    }
    if (steps.length > 0) {
      // Stable sort: a step never overtakes one it depends on (they were pushed in order, later or equal).
      steps.sort((a, b) => a.at - b.at)
      chains.push({ key: tps.code, steps })
    }
  }

  for (const chain of chains) {
    for (const s of chain.steps) {
      if (s.kind !== 'result') continue
      counts.requests++
      counts.expect[s.expect as Expect]++
    }
  }
  chains.sort((a, b) => a.steps[0]!.at - b.steps[0]!.at || a.key.localeCompare(b.key))
  const finalStatus = new Map(
    registry.map((t) => [t.code, postponed.has(t.code) ? 'postponed' : t.status]),
  )
  return {
    seed,
    regency: regions.regency,
    contests,
    scope,
    syntheticRegistry: synthetic,
    accounts,
    chains,
    counts,
    expected: expectedOutcome(regions, contests, registry, finalStatus, finalSheets),
  }
}
