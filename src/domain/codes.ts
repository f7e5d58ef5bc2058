// Kemendagri region codes: 35 (provinsi) → 35.09 (kabupaten/kota) → 35.09.19 (kecamatan)
// → 35.09.19.1001 (kelurahan .1xxx / desa .2xxx). A TPS code is the desa code plus the
// zero-padded TPS number: 35.09.19.1001.003. A parent's code is always a prefix of its child's.

export type RegionLevel = 'provinsi' | 'kabupaten' | 'kecamatan' | 'desa'

const REGION_PATTERNS: Record<RegionLevel, RegExp> = {
  provinsi: /^\d{2}$/,
  kabupaten: /^\d{2}\.\d{2}$/,
  kecamatan: /^\d{2}\.\d{2}\.\d{2}$/,
  desa: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
}

const TPS_PATTERN = /^(\d{2}\.\d{2}\.\d{2}\.\d{4})\.(\d{3})$/

export function regionLevel(code: string): RegionLevel | null {
  for (const level of Object.keys(REGION_PATTERNS) as RegionLevel[]) {
    if (REGION_PATTERNS[level].test(code)) return level
  }
  return null
}

export function parentCode(code: string): string | null {
  const i = code.lastIndexOf('.')
  return i < 0 ? null : code.slice(0, i)
}

/** True when `code` is `ancestor` itself or lies inside it (a TPS inside a desa, a desa inside a kecamatan…). */
export function isWithin(code: string, ancestor: string): boolean {
  return code === ancestor || code.startsWith(ancestor + '.')
}

export const MAX_TPS_NUMBER = 999

export function tpsCode(desaCode: string, number: number): string {
  return `${desaCode}.${String(number).padStart(3, '0')}`
}

export function parseTpsCode(code: string): { desa: string; number: number } | null {
  const m = TPS_PATTERN.exec(code)
  if (!m) return null
  const number = Number(m[2])
  if (number < 1) return null
  return { desa: m[1]!, number }
}

/** The ancestor of `code` at `level` (e.g. the kecamatan of a TPS), or null if `code` is above it. */
// Kemendagri codes have fixed widths, so an ancestor is a prefix of known length (no splitting:
// rollups call this for every TPS).
const ANCESTOR_LENGTH: Record<RegionLevel, number> = {
  provinsi: 2,
  kabupaten: 5,
  kecamatan: 8,
  desa: 13,
}

export function ancestorAt(code: string, level: RegionLevel): string | null {
  const n = ANCESTOR_LENGTH[level]
  if (code.length < n || (code.length > n && code[n] !== '.')) return null
  return code.slice(0, n)
}
