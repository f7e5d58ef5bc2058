import { describe, expect, it } from 'vitest'
import { checkSheet, contestShortName, emptySheet, newSubmissionId, sheetFromBody, submissionBody, type SheetInput } from '../../src/shared/lapor-sheet'
import { resultSubmissionSchema } from '../../src/shared/schemas'

const PAIRS = [
  { number: 1, name: 'A - B' },
  { number: 2, name: 'C - D' },
]

function sheet(over: Partial<SheetInput> = {}): SheetInput {
  return { dpt: '200', dptb: '3', dpk: '2', votersTotal: '205', votes: { '1': '100', '2': '95' }, valid: '195', invalid: '10', total: '205', ...over }
}

describe('the phone-side C.Hasil check', () => {
  it('accepts a consistent sheet and gives its numbers', () => {
    const c = checkSheet(sheet(), PAIRS, 300)
    expect(c.errors).toEqual([])
    expect(c.warnings).toEqual([])
    expect(c.values).toEqual({ dpt: 200, dptb: 3, dpk: 2, votersTotal: 205, votes: { '1': 100, '2': 95 }, valid: 195, invalid: 10, total: 205 })
  })

  it('names each wrong sum in Indonesian, on the total that does not add up', () => {
    const c = checkSheet(sheet({ valid: '159', total: '169', votersTotal: '204' }), PAIRS, 300)
    expect(c.values).toBeNull()
    expect(c.errors.map((e) => e.field)).toEqual(['votersTotal', 'valid'])
    expect(c.errors[0]!.message).toBe('Jumlah pengguna hak pilih (204) tidak sama dengan DPT + DPTb + DPK = 205')
    expect(c.errors[1]!.message).toBe('Jumlah suara sah (159) tidak sama dengan jumlah suara semua paslon = 195')
    const total = checkSheet(sheet({ total: '1.205' }), PAIRS, 300)
    expect(total.errors).toEqual([{ field: 'total', message: 'Jumlah suara sah + tidak sah harus angka bulat (tanpa titik, koma atau huruf)' }])
    const sum = checkSheet(sheet({ total: '206' }), PAIRS, 300)
    expect(sum.errors[0]!.message).toBe('Jumlah suara sah + tidak sah (206) tidak sama dengan 195 + 10 = 205')
  })

  it('waits for empty fields without calling them errors, and refuses more than a TPS holds', () => {
    const partial = checkSheet({ ...emptySheet(PAIRS), dpt: '10' }, PAIRS, 300)
    expect(partial.errors).toEqual([])
    expect(partial.missing).toContain('votes.2')
    expect(partial.values).toBeNull()
    const huge = checkSheet(sheet({ dpt: '1200', votersTotal: '1205' }), PAIRS, 300)
    expect(huge.errors[0]!.message).toMatch(/melebihi kapasitas satu TPS \(1\.000\)/)
  })

  it('asks for a second look when voters and ballots differ or turnout passes the DPT', () => {
    const c = checkSheet(sheet({ invalid: '9', total: '204' }), PAIRS, 150)
    expect(c.errors).toEqual([])
    expect(c.values).not.toBeNull()
    expect(c.warnings.map((w) => w.field)).toEqual(['total', 'dpt'])
  })

  it('builds a body the desk accepts, and a correction can start from it', () => {
    const c = checkSheet(sheet(), PAIRS, 300)
    const id = newSubmissionId()
    expect(id).toMatch(/^web-[0-9a-z]+-[0-9a-f]{18}$/)
    const body = submissionBody(id, '35.09.01.2001.001', 'bupati', c.values!, 'Salah tulis paslon 2')
    expect(resultSubmissionSchema.safeParse(body).success).toBe(true)
    expect(body).toMatchObject({ votes: { '1': 100, '2': 95 }, invalid: 10, voters: { dpt: 200, dptb: 3, dpk: 2, total: 205 }, correction: { reason: 'Salah tulis paslon 2' } })
    expect(sheetFromBody(body, PAIRS)).toEqual(sheet())
    expect(contestShortName('Pemilihan Gubernur dan Wakil Gubernur Jawa Timur 2024')).toBe('Gubernur')
    expect(contestShortName('Pemilihan Bupati dan Wakil Bupati Jember 2024')).toBe('Bupati')
  })
})
