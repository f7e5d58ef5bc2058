import type { FieldIssue } from './issues'

export interface Candidate {
  /** Nomor urut; 0 is the empty column (kolom kosong) of a single-pair contest. */
  number: number
  name: string
}

export interface Contest {
  id: string
  name: string
  candidates: Candidate[]
}

export interface ElectionConfig {
  name: string
  date: string
  regency: string
  contests: Contest[]
}

export const EMPTY_COLUMN_NUMBER = 0
export const EMPTY_COLUMN_NAME = 'Kolom Kosong'
export const MAX_CANDIDATES = 12

const CONTEST_ID = /^[a-z][a-z0-9-]{0,31}$/

/**
 * Check a list of contests an admin wants to use and return it normalised: candidates sorted
 * by number, and a single-pair contest given its empty column (kolom kosong, number 0), which
 * voters may choose instead of the only pair.
 */
export function normalizeContests(contests: Contest[]): { contests: Contest[]; errors: FieldIssue[] } {
  const errors: FieldIssue[] = []
  const seenIds = new Set<string>()
  if (contests.length === 0) {
    errors.push({ field: 'contests', code: 'required', message: 'Minimal satu pemilihan harus ada' })
  }
  const out = contests.map((contest, ci) => {
    const base = `contests.${ci}`
    if (!CONTEST_ID.test(contest.id)) {
      errors.push({
        field: `${base}.id`,
        code: 'format',
        message: `ID pemilihan "${contest.id}" hanya boleh huruf kecil, angka dan tanda minus, diawali huruf`,
      })
    } else if (seenIds.has(contest.id)) {
      errors.push({ field: `${base}.id`, code: 'duplicate', message: `ID pemilihan "${contest.id}" dipakai dua kali` })
    }
    seenIds.add(contest.id)
    if (contest.name.trim() === '') {
      errors.push({ field: `${base}.name`, code: 'required', message: 'Nama pemilihan wajib diisi' })
    }
    const pairs = contest.candidates.filter((c) => c.number !== EMPTY_COLUMN_NUMBER)
    if (pairs.length === 0) {
      errors.push({ field: `${base}.candidates`, code: 'required', message: 'Minimal satu paslon wajib diisi' })
    }
    if (pairs.length > MAX_CANDIDATES) {
      errors.push({
        field: `${base}.candidates`,
        code: 'too_many',
        message: `Paling banyak ${MAX_CANDIDATES} paslon per pemilihan`,
      })
    }
    const seenNumbers = new Set<number>()
    pairs.forEach((c, i) => {
      if (!Number.isInteger(c.number) || c.number < 1 || c.number > 99) {
        errors.push({
          field: `${base}.candidates.${i}.number`,
          code: 'format',
          message: 'Nomor urut paslon harus bilangan bulat 1 sampai 99',
        })
      } else if (seenNumbers.has(c.number)) {
        errors.push({
          field: `${base}.candidates.${i}.number`,
          code: 'duplicate',
          message: `Nomor urut ${c.number} dipakai dua kali`,
        })
      }
      seenNumbers.add(c.number)
      if (c.name.trim() === '') {
        errors.push({ field: `${base}.candidates.${i}.name`, code: 'required', message: `Nama paslon ${c.number} wajib diisi` })
      }
    })
    const sorted = [...pairs]
      .map((c) => ({ number: c.number, name: c.name.trim() }))
      .sort((a, b) => a.number - b.number)
    if (sorted.length === 1) sorted.push({ number: EMPTY_COLUMN_NUMBER, name: EMPTY_COLUMN_NAME })
    return { id: contest.id, name: contest.name.trim(), candidates: sorted }
  })
  return { contests: out, errors }
}
