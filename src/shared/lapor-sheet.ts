// The C.Hasil sheet on the phone form (/lapor): the words a reporter reads about it, and the body
// it becomes. The checks themselves are the one checker both forms share (./sheet-check, in
// `paper` mode: the reporter copies every box of the form in hand). Pure, so the light /lapor
// bundle and the tests share it.

import { formatCount } from './format'
import {
  INVALID_SHARE_WARN,
  TPS_CAPACITY,
  TPS_TYPICAL_MAX,
  type CheckedSheet,
  type SheetIssue,
  type SheetText,
} from './sheet-check'

export interface Candidate {
  number: number
  name: string
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
    (
      {
        'voters.dpt': 'Pengguna hak pilih DPT',
        'voters.dptb': 'Pengguna hak pilih DPTb',
        'voters.dpk': 'Pengguna hak pilih DPK',
        'voters.total': 'Jumlah pengguna hak pilih',
        valid: 'Jumlah suara sah',
        invalid: 'Suara tidak sah',
        total: 'Jumlah suara sah + tidak sah',
      } as Record<string, string>
    )[field] ?? field
  )
}

/** What the reporter reads about an error or a warning of the check, in Indonesian. */
export function issueText(issue: SheetIssue, candidates: Candidate[]): string {
  const n = formatCount(issue.n ?? 0)
  const ref = formatCount(issue.ref ?? 0)
  switch (issue.code) {
    case 'not_count':
      return `${fieldLabel(issue.field, candidates)} harus angka bulat (tanpa titik, koma atau huruf)`
    case 'voters_sum':
      return `Jumlah pengguna hak pilih (${n}) tidak sama dengan DPT + DPTb + DPK = ${ref}`
    case 'valid_sum':
      return `Jumlah suara sah (${n}) tidak sama dengan jumlah suara semua paslon = ${ref}`
    case 'total_sum': {
      const [valid, invalid] = (issue.parts ?? []).map(formatCount)
      return `Jumlah suara sah + tidak sah (${n}) tidak sama dengan ${valid} + ${invalid} = ${ref}`
    }
    case 'over_capacity':
      return issue.field === 'voters.total'
        ? `Jumlah pengguna hak pilih ${n} melebihi kapasitas satu TPS (${formatCount(TPS_CAPACITY)})`
        : `Jumlah suara ${n} melebihi kapasitas satu TPS (${formatCount(TPS_CAPACITY)})`
    case 'total_mismatch':
      return `Jumlah suara (${n}) tidak sama dengan jumlah pengguna hak pilih (${ref})`
    case 'turnout_over_dpt':
      return issue.field === 'voters.dpt'
        ? `Pengguna hak pilih DPT (${n}) lebih banyak dari DPT TPS ini (${ref})`
        : `Jumlah suara (${n}) lebih banyak dari DPT TPS ini (${ref})`
    case 'over_typical_size':
      return `Jumlah suara ${n} di atas ${formatCount(TPS_TYPICAL_MAX)}, jarang untuk satu TPS`
    case 'zero_total':
      return 'Tidak ada suara sama sekali'
    case 'invalid_high':
      return `Suara tidak sah ${n} dari ${ref} suara: lebih dari ${INVALID_SHARE_WARN * 100}%`
    case 'turnout_low':
      return `Partisipasi sangat rendah: ${n} suara dari DPT ${ref}`
    case 'unanimous': {
      const c = candidates.find((x) => `votes.${x.number}` === issue.field)
      return `Semua ${n} suara sah untuk ${c ? candidateLabel(c).toLowerCase() : issue.field}`
    }
  }
}

/** A line that disagrees only because the line it is built on is broken: not a second error. */
export function followsText(issue: SheetIssue, candidates: Candidate[]): string {
  const cause = issue.cause ? fieldLabel(issue.cause, candidates) : ''
  return `Ikut tidak cocok karena ${cause} salah: perbaiki ${cause} dulu`
}

/** The body of POST /results for a checked sheet. */
export function submissionBody(
  submissionId: string,
  tps: string,
  contest: string,
  sheet: CheckedSheet,
  correctionReason?: string,
): Record<string, unknown> {
  return {
    submissionId,
    tps,
    contest,
    votes: sheet.votes,
    invalid: sheet.invalid,
    ...(sheet.voters ? { voters: sheet.voters } : {}),
    ...(correctionReason ? { correction: { reason: correctionReason } } : {}),
  }
}

/** A sheet typed again from a body that was sent before (to start a correction from it). */
export function sheetFromBody(body: Record<string, unknown>, candidates: Candidate[]): SheetText {
  const votes = (body.votes ?? {}) as Record<string, number>
  const voters = body.voters as
    { dpt: number; dptb: number; dpk: number; total?: number } | undefined
  const s = (n: number | undefined) => (n === undefined ? '' : String(n))
  const valid = candidates.reduce((a, c) => a + (votes[String(c.number)] ?? 0), 0)
  const invalid = body.invalid as number | undefined
  return {
    dpt: s(voters?.dpt),
    dptb: s(voters?.dptb),
    dpk: s(voters?.dpk),
    votersTotal: voters ? s(voters.total ?? voters.dpt + voters.dptb + voters.dpk) : '',
    votes: Object.fromEntries(
      candidates.map((c) => [String(c.number), s(votes[String(c.number)])]),
    ),
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
  for (const word of ['Gubernur', 'Bupati', 'Wali Kota', 'Walikota'])
    if (name.includes(word)) return word
  return name
}
