// A synthetic TPS registry for a desk that has none: the real number of TPS per kecamatan for
// Jember, a plausible number elsewhere, spread over each kecamatan's desa/kelurahan, DPT per TPS
// between 250 and 600, plus the two prison TPS (901, 902).

import { JEMBER_CODE, JEMBER_PRISON_DESA, JEMBER_TPS_PER_KECAMATAN } from './jember'
import { clamp, Rng } from './prng'
import type { RegionsView, SyntheticTps } from './types'

export const DPT_MIN = 250
export const DPT_MAX = 600
export const PRISON_NUMBERS = [901, 902] as const

const isKelurahan = (desaCode: string) => /\.1\d{3}$/.test(desaCode)

function pad3(n: number): string {
  return String(n).padStart(3, '0')
}

/** TPS count of a kecamatan: the real one for Jember, else drawn from its number of desa. */
export function tpsCountFor(regions: RegionsView, kecamatanCode: string, rng: Rng): number {
  const kec = regions.kecamatan.find((k) => k.code === kecamatanCode)
  if (!kec) throw new Error(`Kecamatan ${kecamatanCode} tidak ada di ${regions.regency.name}`)
  const known =
    regions.regency.code === JEMBER_CODE ? JEMBER_TPS_PER_KECAMATAN[kecamatanCode] : undefined
  if (known !== undefined) return known
  // Jember averages 16 TPS per desa; towns hold more voters per kelurahan than villages.
  const city = regions.regency.name.startsWith('Kota')
  const perDesa = city ? rng.uniform(16, 26) : rng.uniform(10, 20)
  return Math.max(kec.desa.length, Math.round(kec.desa.length * perDesa))
}

/** Where the prison TPS go: Jember's Lapas in Kaliwates, else the first kelurahan (or desa) of the first kecamatan in scope. */
export function prisonDesa(regions: RegionsView, scope: string[]): string | null {
  if (scope.length === 0) return null
  if (regions.regency.code === JEMBER_CODE && scope.includes(JEMBER_PRISON_DESA.slice(0, 8)))
    return JEMBER_PRISON_DESA
  const kec = regions.kecamatan.find((k) => k.code === scope[0])
  if (!kec || kec.desa.length === 0) return null
  return (kec.desa.find((d) => isKelurahan(d.code)) ?? kec.desa[0]!).code
}

/** Split `total` over weights: everyone gets at least one, the rest by largest remainder. */
export function apportion(total: number, weights: number[]): number[] {
  const n = weights.length
  if (n === 0) return []
  const counts = weights.map(() => 1)
  const rest = total - n
  if (rest <= 0) return counts
  const sum = weights.reduce((a, w) => a + w, 0)
  const exact = weights.map((w) => (rest * w) / sum)
  exact.forEach((x, i) => (counts[i]! += Math.floor(x)))
  let left = rest - exact.reduce((a, x) => a + Math.floor(x), 0)
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    counts[i]!++
    left--
  }
  return counts
}

function dptOf(rng: Rng): { dpt: number; dptL: number; dptP: number } {
  const dpt = clamp(Math.round(rng.normal(480, 75)), DPT_MIN, DPT_MAX)
  const dptL = Math.round(dpt * clamp(rng.normal(0.495, 0.015), 0.44, 0.55))
  return { dpt, dptL, dptP: dpt - dptL }
}

export function syntheticRegistry(
  regions: RegionsView,
  scope: string[],
  seed: string,
  scale = 1,
): SyntheticTps[] {
  const root = new Rng(`${seed}/registry`)
  const prison = prisonDesa(regions, scope)
  const out: SyntheticTps[] = []
  for (const kecCode of scope) {
    const kec = regions.kecamatan.find((k) => k.code === kecCode)
    if (!kec || kec.desa.length === 0) continue
    const rng = root.fork(`kec/${kecCode}`)
    const real = tpsCountFor(regions, kecCode, rng)
    const hasPrison = !!prison && prison.startsWith(kecCode + '.')
    const total = Math.max(
      kec.desa.length + (hasPrison ? PRISON_NUMBERS.length : 0),
      Math.round(real * scale),
    )
    const regular = total - (hasPrison ? PRISON_NUMBERS.length : 0)
    const weights = kec.desa.map(
      (d) => Math.exp(rng.normal(0, 0.35)) * (isKelurahan(d.code) ? 1.25 : 1),
    )
    const perDesa = apportion(regular, weights)
    kec.desa.forEach((d, i) => {
      const numbers: number[] = []
      for (let n = 1; n <= perDesa[i]!; n++) numbers.push(n)
      if (hasPrison && d.code === prison) numbers.push(...PRISON_NUMBERS)
      for (const n of numbers) {
        const code = `${d.code}.${pad3(n)}`
        const prisonTps = n >= 900
        out.push({
          code,
          desa: d.code,
          number: n,
          ...dptOf(root.fork(`tps/${code}`)),
          location: prisonTps
            ? `Lapas ${regions.regency.name.replace(/^(Kabupaten|Kota) /, '')}`
            : `TPS ${pad3(n)} ${d.name}`,
          status: 'active',
        })
      }
    })
  }
  return out
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The registry as the CSV that POST /tps/import takes. */
export function registryCsv(rows: SyntheticTps[]): string {
  const lines = ['kode_desa,nomor_tps,dpt,dpt_l,dpt_p,lokasi']
  for (const r of rows)
    lines.push(
      [
        r.desa,
        String(r.number),
        String(r.dpt),
        String(r.dptL),
        String(r.dptP),
        csvCell(r.location),
      ].join(','),
    )
  return lines.join('\n') + '\n'
}
