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
export function normalizeContests(contests: Contest[]): {
  contests: Contest[]
  errors: FieldIssue[]
} {
  const errors: FieldIssue[] = []
  const seenIds = new Set<string>()
  if (contests.length === 0) {
    errors.push({
      field: 'contests',
      code: 'required',
      message: 'Minimal satu pemilihan harus ada',
    })
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
      errors.push({
        field: `${base}.id`,
        code: 'duplicate',
        message: `ID pemilihan "${contest.id}" dipakai dua kali`,
      })
    }
    seenIds.add(contest.id)
    if (contest.name.trim() === '') {
      errors.push({
        field: `${base}.name`,
        code: 'required',
        message: 'Nama pemilihan wajib diisi',
      })
    }
    // The empty column is the desk's own row, not a pair: it is accepted back only as a single-pair
    // contest's "Kolom Kosong" (a client saving what GET /config gave it). Anywhere else a 0 is a
    // mistyped pair number, refused rather than dropped so that no pair silently disappears.
    const pairs = contest.candidates.filter((c) => c.number !== EMPTY_COLUMN_NUMBER)
    if (pairs.length === 0) {
      errors.push({
        field: `${base}.candidates`,
        code: 'required',
        message: 'Minimal satu paslon wajib diisi',
      })
    }
    if (pairs.length > MAX_CANDIDATES) {
      errors.push({
        field: `${base}.candidates`,
        code: 'too_many',
        message: `Paling banyak ${MAX_CANDIDATES} paslon per pemilihan`,
      })
    }
    const seenNumbers = new Set<number>()
    // Field paths use the index in the list the client sent, so each error names the entry it is about.
    contest.candidates.forEach((c, i) => {
      const field = `${base}.candidates.${i}`
      if (c.number === EMPTY_COLUMN_NUMBER) {
        const name = c.name.trim().toLowerCase()
        if (pairs.length !== 1) {
          errors.push({
            field: `${field}.number`,
            code: 'format',
            message: `Nomor urut paslon harus bilangan bulat 1 sampai 99 (0 hanya untuk ${EMPTY_COLUMN_NAME} pada pemilihan dengan satu paslon)`,
          })
        } else if (name !== '' && name !== EMPTY_COLUMN_NAME.toLowerCase()) {
          errors.push({
            field: `${field}.number`,
            code: 'format',
            message: `Nomor urut 0 adalah ${EMPTY_COLUMN_NAME}; paslon "${c.name.trim()}" harus bernomor 1 sampai 99`,
          })
        } else if (seenNumbers.has(EMPTY_COLUMN_NUMBER)) {
          errors.push({
            field: `${field}.number`,
            code: 'duplicate',
            message: `${EMPTY_COLUMN_NAME} ditulis dua kali`,
          })
        }
        seenNumbers.add(EMPTY_COLUMN_NUMBER)
        return
      }
      if (!Number.isInteger(c.number) || c.number < 1 || c.number > 99) {
        errors.push({
          field: `${field}.number`,
          code: 'format',
          message: 'Nomor urut paslon harus bilangan bulat 1 sampai 99',
        })
      } else if (seenNumbers.has(c.number)) {
        errors.push({
          field: `${field}.number`,
          code: 'duplicate',
          message: `Nomor urut ${c.number} dipakai dua kali`,
        })
      }
      seenNumbers.add(c.number)
      if (c.name.trim() === '') {
        errors.push({
          field: `${field}.name`,
          code: 'required',
          message: `Nama paslon ${c.number} wajib diisi`,
        })
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
