// Form C.Hasil, per TPS per contest: voters who used their right (from DPT, DPTb, DPK and their
// total), votes per pair, valid (= sum of pairs), invalid, valid + invalid. Hard errors make a
// sheet impossible and it is refused; warnings make it doubtful and it is stored, flagged for review.

import type { Candidate } from './election'
import { formatNumber, type FieldIssue } from './issues'
import {
  checkSheetFigures,
  type CheckedSheet,
  INVALID_SHARE_WARN,
  LOW_TURNOUT_WARN,
  TPS_CAPACITY,
  TPS_TYPICAL_MAX,
  UNANIMOUS_MIN_VOTES,
  type DeskSheetErrorCode,
  type SheetIssue,
  type SheetWarningCode,
} from '../shared/sheet-check'

/** A sheet as the desk takes it: one shape with the screens' (src/shared/sheet-check.ts). */
export type ResultSheet = CheckedSheet
export type VotersUsed = NonNullable<CheckedSheet['voters']>

export interface SheetContext {
  candidates: Candidate[]
  /** Registered voters (DPT) of the TPS. */
  dpt: number
}

export interface SheetCheck {
  errors: FieldIssue[]
  warnings: FieldIssue[]
  valid: number
  /** valid + invalid */
  total: number
}

// The rules themselves are written once, in src/shared/sheet-check.ts (the screens check with them
// while a sheet is typed); the desk words what they find for its answers.
export { INVALID_SHARE_WARN, LOW_TURNOUT_WARN, TPS_CAPACITY, TPS_TYPICAL_MAX, UNANIMOUS_MIN_VOTES }

function candidateLabel(key: string): string {
  return key === '0' ? 'kolom kosong' : `paslon ${key}`
}

/** The desk's Indonesian sentence for one issue the rules found. */
function deskMessage(issue: SheetIssue<DeskSheetErrorCode | SheetWarningCode>): string {
  const n = formatNumber(issue.n ?? 0)
  const ref = formatNumber(issue.ref ?? 0)
  const key = issue.field.startsWith('votes.') ? issue.field.slice('votes.'.length) : ''
  switch (issue.code) {
    case 'required':
      return `Suara ${candidateLabel(key)} wajib diisi`
    case 'unknown_candidate':
      return `Paslon nomor ${key} tidak ada dalam pemilihan ini`
    case 'not_count':
      if (key) return `Suara ${candidateLabel(key)} harus bilangan bulat 0 atau lebih`
      if (issue.field === 'invalid') return 'Suara tidak sah harus bilangan bulat 0 atau lebih'
      if (issue.field === 'voters.total')
        return 'Jumlah pengguna hak pilih harus bilangan bulat 0 atau lebih'
      return `Pengguna hak pilih ${issue.field.slice('voters.'.length).toUpperCase()} harus bilangan bulat 0 atau lebih`
    case 'voters_sum':
      return `Jumlah pengguna hak pilih (${n}) tidak sama dengan DPT + DPTb + DPK (${ref})`
    case 'over_capacity':
      return issue.field === 'voters.total'
        ? `Jumlah pengguna hak pilih (${n}) melebihi kapasitas satu TPS (${ref})`
        : `Suara sah + tidak sah (${n}) melebihi kapasitas satu TPS (${ref})`
    case 'total_mismatch':
      return `Suara sah + tidak sah (${n}) tidak sama dengan jumlah pengguna hak pilih (${ref})`
    case 'turnout_over_dpt':
      return `Partisipasi di atas 100%: ${n} pemilih dari DPT ${ref}`
    case 'over_typical_size':
      return `Suara sah + tidak sah (${n}) melebihi ${ref}, ukuran wajar satu TPS`
    case 'zero_total':
      return 'Tidak ada suara sama sekali; pastikan TPS ini sudah dihitung'
    case 'invalid_high':
      return `Suara tidak sah ${n} (lebih dari ${INVALID_SHARE_WARN * 100}% dari semua suara)`
    case 'turnout_low':
      return `Partisipasi sangat rendah: ${n} suara dari DPT ${ref}`
    case 'unanimous':
      return `Semua ${n} suara sah untuk ${candidateLabel(key)}`
  }
}

const worded = (issue: SheetIssue<DeskSheetErrorCode | SheetWarningCode>): FieldIssue => ({
  field: issue.field,
  code: issue.code,
  message: deskMessage(issue),
})

export function checkResultSheet(sheet: ResultSheet, ctx: SheetContext): SheetCheck {
  const found = checkSheetFigures(sheet, ctx)
  return {
    errors: found.errors.map(worded),
    warnings: found.warnings.map(worded),
    valid: found.valid,
    total: found.total,
  }
}

/** Two sheets say the same thing (a confirmation, not a conflict). */
export function sameSheet(a: ResultSheet, b: ResultSheet): boolean {
  const keys = new Set([...Object.keys(a.votes), ...Object.keys(b.votes)])
  for (const k of keys) if (a.votes[k] !== b.votes[k]) return false
  if (a.invalid !== b.invalid) return false
  const va = a.voters
  const vb = b.voters
  if (!va || !vb) return true // a sheet without the voters section does not contradict one with it
  return va.dpt === vb.dpt && va.dptb === vb.dptb && va.dpk === vb.dpk
}
