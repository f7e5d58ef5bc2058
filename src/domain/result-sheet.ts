// Form C.Hasil, per TPS per contest: voters who used their right (from DPT, DPTb, DPK and their
// total), votes per pair, valid (= sum of pairs), invalid, valid + invalid. Hard errors make a
// sheet impossible and it is refused; warnings make it doubtful and it is stored, flagged for review.

import type { Candidate } from './election'
import { formatNumber, type FieldIssue } from './issues'

export interface VotersUsed {
  dpt: number
  dptb: number
  dpk: number
  /** As written on the form; when given it must equal dpt + dptb + dpk. */
  total?: number
}

export interface ResultSheet {
  votes: Record<string, number>
  invalid: number
  voters?: VotersUsed
}

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

/** No TPS can physically hold more ballots than this; the registry caps DPT per TPS at the same. */
export const TPS_CAPACITY = 1000
/** KPU sizes a Pilkada TPS for at most about 600 voters. */
export const TPS_TYPICAL_MAX = 600
export const INVALID_SHARE_WARN = 0.1
export const LOW_TURNOUT_WARN = 0.25
export const UNANIMOUS_MIN_VOTES = 50

function candidateLabel(key: string): string {
  return key === '0' ? 'kolom kosong' : `paslon ${key}`
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0
}

export function checkResultSheet(sheet: ResultSheet, ctx: SheetContext): SheetCheck {
  const errors: FieldIssue[] = []
  const warnings: FieldIssue[] = []
  const known = new Set(ctx.candidates.map((c) => String(c.number)))

  let valid = 0
  for (const c of ctx.candidates) {
    const key = String(c.number)
    const v = sheet.votes[key]
    if (v === undefined || v === null) {
      errors.push({ field: `votes.${key}`, code: 'required', message: `Suara ${candidateLabel(key)} wajib diisi` })
    } else if (!isCount(v)) {
      errors.push({
        field: `votes.${key}`,
        code: 'not_count',
        message: `Suara ${candidateLabel(key)} harus bilangan bulat 0 atau lebih`,
      })
    } else {
      valid += v
    }
  }
  for (const key of Object.keys(sheet.votes)) {
    if (!known.has(key)) {
      errors.push({
        field: `votes.${key}`,
        code: 'unknown_candidate',
        message: `Paslon nomor ${key} tidak ada dalam pemilihan ini`,
      })
    }
  }
  if (!isCount(sheet.invalid)) {
    errors.push({ field: 'invalid', code: 'not_count', message: 'Suara tidak sah harus bilangan bulat 0 atau lebih' })
  }

  const voters = sheet.voters
  let votersTotal: number | null = null
  if (voters) {
    let ok = true
    for (const part of ['dpt', 'dptb', 'dpk'] as const) {
      if (!isCount(voters[part])) {
        ok = false
        errors.push({
          field: `voters.${part}`,
          code: 'not_count',
          message: `Pengguna hak pilih ${part.toUpperCase()} harus bilangan bulat 0 atau lebih`,
        })
      }
    }
    if (voters.total !== undefined && !isCount(voters.total)) {
      ok = false
      errors.push({
        field: 'voters.total',
        code: 'not_count',
        message: 'Jumlah pengguna hak pilih harus bilangan bulat 0 atau lebih',
      })
    }
    if (ok) {
      const sum = voters.dpt + voters.dptb + voters.dpk
      if (voters.total !== undefined && voters.total !== sum) {
        errors.push({
          field: 'voters.total',
          code: 'voters_sum',
          message: `Jumlah pengguna hak pilih (${formatNumber(voters.total)}) tidak sama dengan DPT + DPTb + DPK (${formatNumber(sum)})`,
        })
      }
      votersTotal = sum
      if (sum > TPS_CAPACITY) {
        errors.push({
          field: 'voters.total',
          code: 'over_capacity',
          message: `Jumlah pengguna hak pilih (${formatNumber(sum)}) melebihi kapasitas satu TPS (${formatNumber(TPS_CAPACITY)})`,
        })
      }
    }
  }

  const total = valid + (isCount(sheet.invalid) ? sheet.invalid : 0)
  if (errors.length === 0 && total > TPS_CAPACITY) {
    errors.push({
      field: 'invalid',
      code: 'over_capacity',
      message: `Suara sah + tidak sah (${formatNumber(total)}) melebihi kapasitas satu TPS (${formatNumber(TPS_CAPACITY)})`,
    })
  }
  if (errors.length > 0) return { errors, warnings, valid, total }

  // Soft checks: possible, but worth a second look by a supervisor.
  if (votersTotal !== null && total !== votersTotal) {
    warnings.push({
      field: 'voters.total',
      code: 'total_mismatch',
      message: `Suara sah + tidak sah (${formatNumber(total)}) tidak sama dengan jumlah pengguna hak pilih (${formatNumber(votersTotal)})`,
    })
  }
  const fromDpt = voters ? voters.dpt : total
  if (fromDpt > ctx.dpt) {
    warnings.push({
      field: voters ? 'voters.dpt' : 'invalid',
      code: 'turnout_over_dpt',
      message: `Partisipasi di atas 100%: ${formatNumber(fromDpt)} pemilih dari DPT ${formatNumber(ctx.dpt)}`,
    })
  }
  if (total > TPS_TYPICAL_MAX) {
    warnings.push({
      field: 'invalid',
      code: 'over_typical_size',
      message: `Suara sah + tidak sah (${formatNumber(total)}) melebihi ${formatNumber(TPS_TYPICAL_MAX)}, ukuran wajar satu TPS`,
    })
  }
  if (total === 0) {
    warnings.push({ field: 'invalid', code: 'zero_total', message: 'Tidak ada suara sama sekali; pastikan TPS ini sudah dihitung' })
  } else {
    if (sheet.invalid > total * INVALID_SHARE_WARN) {
      warnings.push({
        field: 'invalid',
        code: 'invalid_high',
        message: `Suara tidak sah ${formatNumber(sheet.invalid)} (lebih dari ${INVALID_SHARE_WARN * 100}% dari semua suara)`,
      })
    }
    if (ctx.dpt > 0 && total < ctx.dpt * LOW_TURNOUT_WARN) {
      warnings.push({
        field: 'invalid',
        code: 'turnout_low',
        message: `Partisipasi sangat rendah: ${formatNumber(total)} suara dari DPT ${formatNumber(ctx.dpt)}`,
      })
    }
    const pairs = ctx.candidates.filter((c) => sheet.votes[String(c.number)] === valid)
    if (valid >= UNANIMOUS_MIN_VOTES && ctx.candidates.length > 1 && pairs.length === 1) {
      warnings.push({
        field: `votes.${pairs[0]!.number}`,
        code: 'unanimous',
        message: `Semua ${formatNumber(valid)} suara sah untuk ${candidateLabel(String(pairs[0]!.number))}`,
      })
    }
  }
  return { errors, warnings, valid, total }
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
