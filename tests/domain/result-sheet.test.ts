import { describe, expect, it } from 'vitest'
import type { Candidate } from '../../src/domain/election'
import { checkResultSheet, sameSheet, type ResultSheet } from '../../src/domain/result-sheet'

const pairs: Candidate[] = [
  { number: 1, name: 'A' },
  { number: 2, name: 'B' },
]
const ctx = { candidates: pairs, dpt: 400 }
const base: ResultSheet = {
  votes: { '1': 150, '2': 120 },
  invalid: 10,
  voters: { dpt: 270, dptb: 5, dpk: 5 },
}
const codes = (issues: { code: string }[]) => issues.map((i) => i.code)

describe('C.Hasil hard errors (refused)', () => {
  it('accepts a sheet that adds up, and computes valid and total', () => {
    const r = checkResultSheet(base, ctx)
    expect(r.errors).toEqual([])
    expect(r.warnings).toEqual([])
    expect(r.valid).toBe(270)
    expect(r.total).toBe(280)
  })

  it('refuses negative votes and names the pair', () => {
    const r = checkResultSheet({ ...base, votes: { '1': -1, '2': 120 } }, ctx)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatchObject({ field: 'votes.1', code: 'not_count' })
    expect(r.errors[0]!.message).toContain('paslon 1')
  })

  it('refuses fractional numbers anywhere on the sheet', () => {
    expect(codes(checkResultSheet({ ...base, votes: { '1': 1.5, '2': 1 } }, ctx).errors)).toEqual([
      'not_count',
    ])
    expect(checkResultSheet({ ...base, invalid: 0.5 }, ctx).errors[0]!.field).toBe('invalid')
    expect(
      checkResultSheet({ ...base, voters: { dpt: 1.2, dptb: 0, dpk: 0 } }, ctx).errors[0]!.field,
    ).toBe('voters.dpt')
  })

  it('refuses a sheet missing a pair, with the message naming it', () => {
    const r = checkResultSheet({ ...base, votes: { '1': 150 } }, ctx)
    expect(r.errors[0]).toMatchObject({
      field: 'votes.2',
      code: 'required',
      message: 'Suara paslon 2 wajib diisi',
    })
  })

  it('refuses votes for an unknown pair number', () => {
    const r = checkResultSheet({ ...base, votes: { '1': 150, '2': 120, '3': 4 } }, ctx)
    expect(r.errors[0]).toMatchObject({ field: 'votes.3', code: 'unknown_candidate' })
  })

  it('refuses non-numeric values', () => {
    const r = checkResultSheet(
      { ...base, votes: { '1': '150' as unknown as number, '2': 120 } },
      ctx,
    )
    expect(r.errors[0]).toMatchObject({ field: 'votes.1', code: 'not_count' })
  })

  it('refuses valid + invalid above what one TPS can hold', () => {
    const r = checkResultSheet(
      { votes: { '1': 900, '2': 100 }, invalid: 1 },
      { candidates: pairs, dpt: 1000 },
    )
    expect(r.errors[0]).toMatchObject({ code: 'over_capacity' })
  })

  it('refuses a voters breakdown whose total does not add up', () => {
    const r = checkResultSheet({ ...base, voters: { dpt: 270, dptb: 5, dpk: 5, total: 290 } }, ctx)
    expect(r.errors[0]).toMatchObject({ field: 'voters.total', code: 'voters_sum' })
    expect(r.errors[0]!.message).toContain('290')
  })

  it('accepts a voters breakdown whose stated total adds up', () => {
    expect(
      checkResultSheet({ ...base, voters: { dpt: 270, dptb: 5, dpk: 5, total: 280 } }, ctx).errors,
    ).toEqual([])
  })
})

describe('C.Hasil soft warnings (stored, flagged)', () => {
  it('flags valid + invalid different from the voters total', () => {
    const r = checkResultSheet({ ...base, invalid: 12 }, ctx)
    expect(r.errors).toEqual([])
    expect(codes(r.warnings)).toEqual(['total_mismatch'])
  })

  it('flags turnout above 100% of DPT', () => {
    const r = checkResultSheet(
      { votes: { '1': 250, '2': 200 }, invalid: 0, voters: { dpt: 450, dptb: 0, dpk: 0 } },
      ctx,
    )
    expect(codes(r.warnings)).toContain('turnout_over_dpt')
  })

  it('flags turnout above DPT even without the voters section', () => {
    const r = checkResultSheet({ votes: { '1': 250, '2': 200 }, invalid: 0 }, ctx)
    expect(codes(r.warnings)).toContain('turnout_over_dpt')
  })

  it('flags a TPS above the typical 600 voters', () => {
    const r = checkResultSheet(
      { votes: { '1': 400, '2': 250 }, invalid: 0 },
      { candidates: pairs, dpt: 800 },
    )
    expect(codes(r.warnings)).toEqual(['over_typical_size'])
  })

  it('flags a sheet with no votes at all', () => {
    expect(
      codes(checkResultSheet({ votes: { '1': 0, '2': 0 }, invalid: 0 }, ctx).warnings),
    ).toContain('zero_total')
  })

  it('flags a high share of invalid ballots', () => {
    const r = checkResultSheet({ votes: { '1': 100, '2': 100 }, invalid: 40 }, ctx)
    expect(codes(r.warnings)).toEqual(['invalid_high'])
  })

  it('flags very low turnout', () => {
    expect(
      codes(checkResultSheet({ votes: { '1': 30, '2': 30 }, invalid: 0 }, ctx).warnings),
    ).toEqual(['turnout_low'])
  })

  it('flags every valid vote going to one pair', () => {
    expect(
      codes(checkResultSheet({ votes: { '1': 200, '2': 0 }, invalid: 1 }, ctx).warnings),
    ).toEqual(['unanimous'])
  })

  it('does not warn when hard errors already refuse the sheet', () => {
    const r = checkResultSheet({ votes: { '1': -5, '2': 0 }, invalid: 0 }, ctx)
    expect(r.errors.length).toBeGreaterThan(0)
    expect(r.warnings).toEqual([])
  })
})

describe('kolom kosong', () => {
  it('treats the empty column (number 0) as a choice that must be filled', () => {
    const single: Candidate[] = [
      { number: 1, name: 'A' },
      { number: 0, name: 'Kolom Kosong' },
    ]
    const r = checkResultSheet(
      { votes: { '1': 200 }, invalid: 0 },
      { candidates: single, dpt: 400 },
    )
    expect(r.errors[0]).toMatchObject({
      field: 'votes.0',
      message: 'Suara kolom kosong wajib diisi',
    })
  })
})

describe('sameSheet', () => {
  it('sees identical numbers as the same report and any difference as another', () => {
    expect(sameSheet(base, { ...base, votes: { '2': 120, '1': 150 } })).toBe(true)
    expect(sameSheet(base, { ...base, invalid: 11 })).toBe(false)
    expect(sameSheet(base, { ...base, voters: { dpt: 271, dptb: 4, dpk: 5 } })).toBe(false)
    expect(sameSheet(base, { votes: base.votes, invalid: base.invalid })).toBe(true)
  })
})
