// The C.Hasil sheet as a reporter types it on the phone form (/lapor), checked while they type.
// The desk checks again on arrival (and is the authority); these checks exist so a wrong sum is
// caught on the phone, in the field, while the paper form is still in hand. Totals are typed as
// written on the form and compared with the sums: that is how a misread digit shows up. Pure, so
// the light /lapor bundle and the tests share it.

import { formatCount } from './format'

export interface Candidate {
  number: number
  name: string
}

/** What the reporter typed, as text (empty = not filled in yet). */
export interface SheetInput {
  dpt: string
  dptb: string
  dpk: string
  votersTotal: string
  votes: Record<string, string>
  valid: string
  invalid: string
  total: string
}

export interface SheetIssue {
  field: string
  message: string
}

export interface SheetValues {
  dpt: number
  dptb: number
  dpk: number
  votersTotal: number
  votes: Record<string, number>
  valid: number
  invalid: number
  total: number
}

export interface SheetCheck {
  /** Hard errors: the sheet cannot be sent. */
  errors: SheetIssue[]
  /** Doubtful but possible: the reporter confirms they match the paper. */
  warnings: SheetIssue[]
  /** Fields still empty. */
  missing: string[]
  values: SheetValues | null
}

export const TPS_CAPACITY = 1000
export const TPS_TYPICAL_MAX = 600

export function emptySheet(candidates: Candidate[]): SheetInput {
  return {
    dpt: '',
    dptb: '',
    dpk: '',
    votersTotal: '',
    votes: Object.fromEntries(candidates.map((c) => [String(c.number), ''])),
    valid: '',
    invalid: '',
    total: '',
  }
}

export function candidateLabel(c: Candidate): string {
  return c.number === 0 ? 'Kolom kosong' : `Paslon ${c.number}`
}

/** Field labels as on the paper form, for messages and the review step. */
export function fieldLabel(field: string, candidates: Candidate[]): string {
  if (field.startsWith('votes.')) {
    const c = candidates.find((x) => String(x.number) === field.slice(6))
    return c ? `Suara ${candidateLabel(c).toLowerCase()}` : field
  }
  return (
    {
      dpt: 'Pengguna hak pilih DPT',
      dptb: 'Pengguna hak pilih DPTb',
      dpk: 'Pengguna hak pilih DPK',
      votersTotal: 'Jumlah pengguna hak pilih',
      valid: 'Jumlah suara sah',
      invalid: 'Suara tidak sah',
      total: 'Jumlah suara sah + tidak sah',
    } as Record<string, string>
  )[field] ?? field
}

function parseCount(raw: string): number | 'bad' | null {
  const s = raw.trim()
  if (s === '') return null
  if (!/^\d{1,7}$/.test(s)) return 'bad'
  return Number(s)
}

/** Check the sheet as typed so far. `dpt` is the TPS's registered voters. */
export function checkSheet(input: SheetInput, candidates: Candidate[], dpt: number): SheetCheck {
  const errors: SheetIssue[] = []
  const warnings: SheetIssue[] = []
  const missing: string[] = []
  const n: Record<string, number | null> = {}
  const fields: [string, string][] = [
    ['dpt', input.dpt],
    ['dptb', input.dptb],
    ['dpk', input.dpk],
    ['votersTotal', input.votersTotal],
    ...candidates.map((c): [string, string] => [`votes.${c.number}`, input.votes[String(c.number)] ?? '']),
    ['valid', input.valid],
    ['invalid', input.invalid],
    ['total', input.total],
  ]
  for (const [field, raw] of fields) {
    const v = parseCount(raw)
    if (v === 'bad') {
      errors.push({ field, message: `${fieldLabel(field, candidates)} harus angka bulat (tanpa titik, koma atau huruf)` })
      n[field] = null
    } else {
      if (v === null) missing.push(field)
      n[field] = v
    }
  }
  const has = (...f: string[]) => f.every((x) => n[x] !== null && n[x] !== undefined)
  const val = (f: string) => n[f]!

  if (has('dpt', 'dptb', 'dpk', 'votersTotal')) {
    const sum = val('dpt') + val('dptb') + val('dpk')
    if (sum !== val('votersTotal')) {
      errors.push({
        field: 'votersTotal',
        message: `Jumlah pengguna hak pilih (${formatCount(val('votersTotal'))}) tidak sama dengan DPT + DPTb + DPK = ${formatCount(sum)}`,
      })
    } else if (sum > TPS_CAPACITY) {
      errors.push({ field: 'votersTotal', message: `Jumlah pengguna hak pilih ${formatCount(sum)} melebihi kapasitas satu TPS (${formatCount(TPS_CAPACITY)})` })
    }
  }
  const voteFields = candidates.map((c) => `votes.${c.number}`)
  if (has(...voteFields, 'valid')) {
    const sum = voteFields.reduce((a, f) => a + val(f), 0)
    if (sum !== val('valid')) {
      errors.push({
        field: 'valid',
        message: `Jumlah suara sah (${formatCount(val('valid'))}) tidak sama dengan jumlah suara semua paslon = ${formatCount(sum)}`,
      })
    }
  }
  if (has('valid', 'invalid', 'total')) {
    const sum = val('valid') + val('invalid')
    if (sum !== val('total')) {
      errors.push({
        field: 'total',
        message: `Jumlah suara sah + tidak sah (${formatCount(val('total'))}) tidak sama dengan ${formatCount(val('valid'))} + ${formatCount(val('invalid'))} = ${formatCount(sum)}`,
      })
    } else if (sum > TPS_CAPACITY) {
      errors.push({ field: 'total', message: `Jumlah suara ${formatCount(sum)} melebihi kapasitas satu TPS (${formatCount(TPS_CAPACITY)})` })
    }
  }

  if (errors.length === 0 && missing.length === 0) {
    if (val('total') !== val('votersTotal')) {
      warnings.push({
        field: 'total',
        message: `Jumlah suara (${formatCount(val('total'))}) tidak sama dengan jumlah pengguna hak pilih (${formatCount(val('votersTotal'))})`,
      })
    }
    if (val('dpt') > dpt) {
      warnings.push({ field: 'dpt', message: `Pengguna hak pilih DPT (${formatCount(val('dpt'))}) lebih banyak dari DPT TPS ini (${formatCount(dpt)})` })
    }
    if (val('total') > TPS_TYPICAL_MAX) {
      warnings.push({ field: 'total', message: `Jumlah suara ${formatCount(val('total'))} di atas ${formatCount(TPS_TYPICAL_MAX)}, jarang untuk satu TPS` })
    }
    if (val('total') === 0) warnings.push({ field: 'total', message: 'Tidak ada suara sama sekali' })
  }

  const values: SheetValues | null =
    errors.length === 0 && missing.length === 0
      ? {
          dpt: val('dpt'),
          dptb: val('dptb'),
          dpk: val('dpk'),
          votersTotal: val('votersTotal'),
          votes: Object.fromEntries(candidates.map((c) => [String(c.number), val(`votes.${c.number}`)])),
          valid: val('valid'),
          invalid: val('invalid'),
          total: val('total'),
        }
      : null
  return { errors, warnings, missing, values }
}

/** The body of POST /results for a checked sheet. */
export function submissionBody(
  submissionId: string,
  tps: string,
  contest: string,
  v: SheetValues,
  correctionReason?: string,
): Record<string, unknown> {
  return {
    submissionId,
    tps,
    contest,
    votes: v.votes,
    invalid: v.invalid,
    voters: { dpt: v.dpt, dptb: v.dptb, dpk: v.dpk, total: v.votersTotal },
    ...(correctionReason ? { correction: { reason: correctionReason } } : {}),
  }
}

/** A sheet typed again from a body that was sent before (to start a correction from it). */
export function sheetFromBody(body: Record<string, unknown>, candidates: Candidate[]): SheetInput {
  const votes = (body.votes ?? {}) as Record<string, number>
  const voters = (body.voters ?? {}) as { dpt?: number; dptb?: number; dpk?: number; total?: number }
  const s = (n: number | undefined) => (n === undefined ? '' : String(n))
  const valid = candidates.reduce((a, c) => a + (votes[String(c.number)] ?? 0), 0)
  const invalid = body.invalid as number | undefined
  return {
    dpt: s(voters.dpt),
    dptb: s(voters.dptb),
    dpk: s(voters.dpk),
    votersTotal: s(voters.total ?? (voters.dpt ?? 0) + (voters.dptb ?? 0) + (voters.dpk ?? 0)),
    votes: Object.fromEntries(candidates.map((c) => [String(c.number), s(votes[String(c.number)])])),
    valid: String(valid),
    invalid: s(invalid),
    total: invalid === undefined ? '' : String(valid + invalid),
  }
}

/** Ids the desk uses to recognise a resend: random, and from getRandomValues (works on plain http too). */
export function newSubmissionId(prefix = 'web'): string {
  const bytes = new Uint8Array(9)
  crypto.getRandomValues(bytes)
  return `${prefix}-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** "Pemilihan Gubernur dan Wakil Gubernur Jawa Timur 2024" → "Gubernur". */
export function contestShortName(name: string): string {
  for (const word of ['Gubernur', 'Bupati', 'Wali Kota', 'Walikota']) if (name.includes(word)) return word
  return name
}
