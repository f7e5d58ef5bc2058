import { describe, expect, it } from 'vitest'
import { checkResultSheet, type ResultSheet } from '../../src/domain/result-sheet'
import {
  contestShortName,
  followsText,
  issueText,
  newSubmissionId,
  sheetFromBody,
  submissionBody,
} from '../../src/shared/lapor-sheet'
import { resultSubmissionSchema } from '../../src/shared/schemas'
import {
  checkSheet,
  checkSheetFigures,
  emptySheetText,
  firstFault,
  type SheetMode,
  type SheetText,
} from '../../src/shared/sheet-check'

const PAIRS = [
  { number: 1, name: 'A - B' },
  { number: 2, name: 'C - D' },
]

function sheet(over: Partial<SheetText> = {}): SheetText {
  return {
    dpt: '200',
    dptb: '3',
    dpk: '2',
    votersTotal: '205',
    votes: { '1': '100', '2': '95' },
    valid: '195',
    invalid: '10',
    total: '205',
    ...over,
  }
}
const paper = (s: SheetText, dpt = 300) => checkSheet(s, { candidates: PAIRS, dpt }, 'paper')
const call = (s: SheetText, dpt = 300) => checkSheet(s, { candidates: PAIRS, dpt }, 'call')
const text = (c: ReturnType<typeof paper>) => c.errors.map((e) => issueText(e, PAIRS))
/** Only the numbers the desk gets: votes and invalid, the voters section as given. */
const called = (over: Partial<SheetText>) => sheet({ valid: '', total: '', ...over })

describe('the C.Hasil check on the phone form and the console', () => {
  it('accepts a consistent sheet and gives what to send', () => {
    for (const mode of ['paper', 'call'] as SheetMode[]) {
      const c = checkSheet(sheet(), { candidates: PAIRS, dpt: 300 }, mode)
      expect(c.errors).toEqual([])
      expect(c.warnings).toEqual([])
      expect(c.missing).toEqual([])
      expect(c.sheet).toEqual({
        votes: { '1': 100, '2': 95 },
        invalid: 10,
        voters: { dpt: 200, dptb: 3, dpk: 2, total: 205 },
      })
      expect([c.valid, c.total, c.votersSum]).toEqual([195, 205, 205])
    }
  })

  it('names each wrong sum in Indonesian, on the box that does not add up', () => {
    const c = paper(sheet({ valid: '159', total: '169', votersTotal: '204' }))
    expect(c.sheet).toBeNull()
    // The total agrees with the valid figure as written: only the valid box is wrong.
    expect(c.errors.map((e) => e.field)).toEqual(['voters.total', 'valid'])
    expect(text(c)).toEqual([
      'Jumlah pengguna hak pilih (204) tidak sama dengan DPT + DPTb + DPK = 205',
      'Jumlah suara sah (159) tidak sama dengan jumlah suara semua paslon = 195',
    ])
    expect(text(paper(sheet({ total: '1.205' })))).toEqual([
      'Jumlah suara sah + tidak sah harus angka bulat (tanpa titik, koma atau huruf)',
    ])
    expect(text(paper(sheet({ total: '206' })))).toEqual([
      'Jumlah suara sah + tidak sah (206) tidak sama dengan 195 + 10 = 205',
    ])
  })

  it('one typo, one error: a wrong valid figure does not turn the right total red', () => {
    for (const mode of ['paper', 'call'] as SheetMode[]) {
      // The pairs add up to 195 and the total 205 is right: only "Jumlah suara sah" is wrong.
      const c = checkSheet(sheet({ valid: '159' }), { candidates: PAIRS, dpt: 300 }, mode)
      expect(c.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['valid:valid_sum'])
      expect(c.follows).toEqual([])
      expect(c.sheet).toBeNull()
      expect(firstFault(c, PAIRS)).toBe('valid')
    }
    // A total that agrees with neither follows from the broken valid line: shown, not counted.
    const c = paper(sheet({ valid: '159', total: '300' }))
    expect(c.errors.map((e) => e.field)).toEqual(['valid'])
    expect(c.follows).toMatchObject([{ field: 'total', code: 'total_sum', cause: 'valid' }])
    expect(followsText(c.follows[0]!, PAIRS)).toBe(
      'Ikut tidak cocok karena Jumlah suara sah salah: perbaiki Jumlah suara sah dulu',
    )
    // With the valid line right, a wrong total is its own error.
    expect(paper(sheet({ total: '300' })).errors.map((e) => e.field)).toEqual(['total'])
    // The cursor goes to the first box at fault in form order, empty boxes included.
    expect(firstFault(paper(sheet({ votes: { '1': '', '2': '95' }, valid: '159' })), PAIRS)).toBe(
      'votes.1',
    )
  })

  it('waits for empty boxes without calling them errors, and refuses more than a TPS holds', () => {
    const partial = paper({ ...emptySheetText(PAIRS), dpt: '10' })
    expect(partial.errors).toEqual([])
    expect(partial.missing).toContain('votes.2')
    expect(partial.sheet).toBeNull()
    const huge = paper(sheet({ dpt: '1200', votersTotal: '1205' }))
    expect(text(huge)[0]).toMatch(/melebihi kapasitas satu TPS \(1\.000\)/)
  })

  it('asks for a second look when voters and ballots differ or turnout passes the DPT', () => {
    const c = paper(sheet({ invalid: '9', total: '204' }), 150)
    expect(c.errors).toEqual([])
    expect(c.sheet).not.toBeNull()
    expect(c.warnings.map((w) => w.code)).toEqual(['total_mismatch', 'turnout_over_dpt'])
    expect(c.warnings.map((w) => issueText(w, PAIRS))).toEqual([
      'Jumlah suara (204) tidak sama dengan jumlah pengguna hak pilih (205)',
      'Pengguna hak pilih DPT (200) lebih banyak dari DPT TPS ini (150)',
    ])
  })

  it('builds a body the desk accepts, and a correction can start from it', () => {
    const c = paper(sheet())
    const id = newSubmissionId()
    expect(id).toMatch(/^web-[0-9a-z]+-[0-9a-f]{18}$/)
    const body = submissionBody(id, '35.09.01.2001.001', 'bupati', c.sheet!, 'Salah tulis paslon 2')
    expect(resultSubmissionSchema.safeParse(body).success).toBe(true)
    expect(body).toMatchObject({
      votes: { '1': 100, '2': 95 },
      invalid: 10,
      voters: { dpt: 200, dptb: 3, dpk: 2, total: 205 },
      correction: { reason: 'Salah tulis paslon 2' },
    })
    expect(sheetFromBody(body, PAIRS)).toEqual(sheet())
    // A body sent without the voters section gives that section back empty, not as zeros.
    const bare = submissionBody(
      id,
      '35.09.01.2001.001',
      'bupati',
      call(called({ dpt: '', dptb: '', dpk: '', votersTotal: '' })).sheet!,
    )
    expect(bare).not.toHaveProperty('voters')
    expect(sheetFromBody(bare, PAIRS)).toMatchObject({
      dpt: '',
      dptb: '',
      dpk: '',
      votersTotal: '',
    })
    expect(contestShortName('Pemilihan Gubernur dan Wakil Gubernur Jawa Timur 2024')).toBe(
      'Gubernur',
    )
    expect(contestShortName('Pemilihan Bupati dan Wakil Bupati Jember 2024')).toBe('Bupati')
  })
})

describe('the voters section (DPT, DPTb, DPK, their total): the desk’s rules', () => {
  const none = { dpt: '', dptb: '', dpk: '', votersTotal: '' }

  it('may stay empty as a whole on a call: the sheet goes without it', () => {
    const c = call(called(none))
    expect(c.errors).toEqual([])
    expect(c.missing).toEqual([])
    expect(c.sheet).toEqual({ votes: { '1': 100, '2': 95 }, invalid: 10 })
    expect(c.votersSum).toBeNull()
  })

  it('once begun, needs all of DPT, DPTb and DPK — typing only the total counts as begun', () => {
    expect(call(called({ ...none, dpt: '200' })).missing).toEqual(['voters.dptb', 'voters.dpk'])
    expect(call(called({ ...none, votersTotal: '205' })).missing).toEqual([
      'voters.dpt',
      'voters.dptb',
      'voters.dpk',
    ])
    expect(call(called({ ...none, dpt: '200' })).sheet).toBeNull()
  })

  it('takes the three parts without their total, and sends no total then', () => {
    const c = call(called({ votersTotal: '' }))
    expect(c.errors).toEqual([])
    expect(c.sheet?.voters).toEqual({ dpt: 200, dptb: 3, dpk: 2 })
    expect(c.votersSum).toBe(205)
  })

  it('refuses a total that is not DPT + DPTb + DPK, and more voters than a TPS holds', () => {
    expect(call(called({ votersTotal: '204' })).errors).toEqual([
      { field: 'voters.total', code: 'voters_sum', n: 204, ref: 205, parts: [200, 3, 2] },
    ])
    const over = call(called({ dpt: '996', votersTotal: '' }))
    expect(over.errors).toEqual([
      { field: 'voters.total', code: 'over_capacity', n: 1001, ref: 1000 },
    ])
  })

  it('is required in full on the phone form, where the paper is in hand', () => {
    const c = paper(sheet(none))
    expect(c.errors).toEqual([])
    expect(c.missing).toEqual(['voters.dpt', 'voters.dptb', 'voters.dpk', 'voters.total'])
    expect(c.sheet).toBeNull()
  })

  it('holds turnout against the DPT by the voters from DPT when given, else by the ballots', () => {
    expect(
      call(called({ dpt: '160', dptb: '30', dpk: '15', votersTotal: '' }), 180).warnings.map(
        (w) => w.code,
      ),
    ).toEqual([])
    expect(call(called(none), 180).warnings).toEqual([
      { field: 'invalid', code: 'turnout_over_dpt', n: 205, ref: 180 },
    ])
    expect(call(called({}), 180).warnings).toEqual([
      { field: 'voters.dpt', code: 'turnout_over_dpt', n: 200, ref: 180 },
    ])
  })
})

describe('the client check gives the desk’s verdict on every sheet the desk would get', () => {
  // Sheets around every rule: voters given or not, with or without their total, sums that do or
  // do not match, over capacity, zero, low or high turnout, many invalid, one pair taking all.
  const votes = [
    ['100', '95'],
    ['0', '0'],
    ['60', '0'],
    ['500', '400'],
    ['700', '250'],
  ]
  const invalids = ['0', '10', '40', '120']
  const votersSections: Partial<SheetText>[] = [
    { dpt: '', dptb: '', dpk: '', votersTotal: '' },
    { dpt: '200', dptb: '3', dpk: '2', votersTotal: '' },
    { dpt: '200', dptb: '3', dpk: '2', votersTotal: '205' },
    { dpt: '200', dptb: '3', dpk: '2', votersTotal: '210' },
    { dpt: '990', dptb: '10', dpk: '5', votersTotal: '' },
    { dpt: '0', dptb: '0', dpk: '0', votersTotal: '0' },
  ]
  const dpts = [0, 150, 300, 900]

  it('same errors and warnings, field by field, as src/domain/result-sheet.ts', () => {
    let compared = 0
    for (const [v1, v2] of votes)
      for (const invalid of invalids)
        for (const voters of votersSections)
          for (const dpt of dpts) {
            const typed = called({ votes: { '1': v1!, '2': v2! }, invalid, ...voters })
            const client = call(typed, dpt)
            const n = (s: string) => Number(s)
            const desk: ResultSheet = {
              votes: { '1': n(v1!), '2': n(v2!) },
              invalid: n(invalid),
              ...(voters.dpt
                ? {
                    voters: {
                      dpt: n(voters.dpt),
                      dptb: n(voters.dptb!),
                      dpk: n(voters.dpk!),
                      ...(voters.votersTotal ? { total: n(voters.votersTotal) } : {}),
                    },
                  }
                : {}),
            }
            const server = checkResultSheet(desk, { candidates: PAIRS, dpt })
            const pick = (issues: { field: string; code: string }[]) =>
              issues.map((i) => `${i.field}:${i.code}`)
            const where = JSON.stringify({ desk, dpt })
            // The desk names ballots over capacity on `invalid`; the form on its total box.
            expect(
              pick(client.errors).map((e) =>
                e === 'total:over_capacity' ? 'invalid:over_capacity' : e,
              ),
              where,
            ).toEqual(pick(server.errors))
            expect(pick(client.warnings), where).toEqual(pick(server.warnings))
            // One set of rules: the desk's own check finds the same warnings with the same figures.
            expect(client.warnings, where).toEqual(
              checkSheetFigures(desk, { candidates: PAIRS, dpt }).warnings,
            )
            expect(client.sheet === null, where).toBe(server.errors.length > 0)
            if (client.sheet) expect(client.sheet, where).toEqual(desk)
            compared++
          }
    expect(compared).toBe(votes.length * invalids.length * votersSections.length * dpts.length)
  })
})
