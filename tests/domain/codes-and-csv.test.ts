import { describe, expect, it } from 'vitest'
import {
  ancestorAt,
  isWithin,
  parentCode,
  parseTpsCode,
  regionLevel,
  tpsCode,
} from '../../src/domain/codes'
import { parseCsv, sniffDelimiter } from '../../src/domain/csv'
import { normalizeContests } from '../../src/domain/election'

describe('Kemendagri codes', () => {
  it('knows the level of a code and its parent by prefix', () => {
    expect(regionLevel('35')).toBe('provinsi')
    expect(regionLevel('35.09')).toBe('kabupaten')
    expect(regionLevel('35.09.19')).toBe('kecamatan')
    expect(regionLevel('35.09.19.1001')).toBe('desa')
    expect(regionLevel('35.09.19.1001.003')).toBeNull()
    expect(parentCode('35.09.19.1001')).toBe('35.09.19')
  })

  it('builds and parses TPS codes, including prison TPS 901', () => {
    expect(tpsCode('35.09.19.1001', 3)).toBe('35.09.19.1001.003')
    expect(parseTpsCode('35.09.19.1001.901')).toEqual({ desa: '35.09.19.1001', number: 901 })
    expect(parseTpsCode('35.09.19.1001.000')).toBeNull()
    expect(parseTpsCode('35.09.19.1001')).toBeNull()
  })

  it('tells containment by whole segments, not by string prefix alone', () => {
    expect(isWithin('35.09.19.1001.003', '35.09.19')).toBe(true)
    expect(isWithin('35.09.19', '35.09.19')).toBe(true)
    expect(isWithin('35.09.190', '35.09.19')).toBe(false)
    expect(ancestorAt('35.09.19.1001.003', 'kecamatan')).toBe('35.09.19')
  })
})

describe('CSV', () => {
  it('parses quotes, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ])
  })

  it('recognises semicolon CSV written by Indonesian Excel', () => {
    const text = 'kode_desa;nomor_tps;dpt\n35.09.01.2001;1;300\n'
    expect(sniffDelimiter(text)).toBe(';')
    expect(parseCsv(text, ';')[1]).toEqual(['35.09.01.2001', '1', '300'])
  })
})

describe('contest configuration', () => {
  it('adds the empty column to a single-pair contest', () => {
    const { contests, errors } = normalizeContests([
      { id: 'bupati', name: 'Bupati', candidates: [{ number: 1, name: 'A' }] },
    ])
    expect(errors).toEqual([])
    expect(contests[0]!.candidates).toEqual([
      { number: 1, name: 'A' },
      { number: 0, name: 'Kolom Kosong' },
    ])
  })

  it('rejects duplicate ids, duplicate numbers and empty names', () => {
    const { errors } = normalizeContests([
      {
        id: 'a',
        name: 'A',
        candidates: [
          { number: 1, name: 'X' },
          { number: 1, name: '' },
        ],
      },
      { id: 'a', name: '', candidates: [] },
    ])
    expect(errors.map((e) => e.field).sort()).toEqual(
      [
        'contests.0.candidates.1.name',
        'contests.0.candidates.1.number',
        'contests.1.candidates',
        'contests.1.id',
        'contests.1.name',
      ].sort(),
    )
  })

  it('refuses a pair numbered 0 beside other pairs instead of dropping it', () => {
    const { errors } = normalizeContests([
      {
        id: 'bupati',
        name: 'Bupati',
        candidates: [
          { number: 0, name: 'A' },
          { number: 2, name: 'B' },
        ],
      },
    ])
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'contests.0.candidates.0.number',
        message: expect.stringMatching(/1 sampai 99/),
      }),
    ])
  })

  it('names each candidate by its index in the list sent, even after a bad first entry', () => {
    const { errors } = normalizeContests([
      {
        id: 'bupati',
        name: 'Bupati',
        candidates: [
          { number: 0, name: 'A' },
          { number: 2, name: 'B' },
          { number: 2, name: '' },
          { number: 100, name: 'C' },
        ],
      },
    ])
    expect(errors.map((e) => e.field)).toEqual([
      'contests.0.candidates.0.number',
      'contests.0.candidates.2.number',
      'contests.0.candidates.2.name',
      'contests.0.candidates.3.number',
    ])
  })

  it('takes back the empty column of a single-pair contest as GET /config lists it, but not a pair numbered 0', () => {
    const roundTrip = normalizeContests([
      {
        id: 'bupati',
        name: 'Bupati',
        candidates: [
          { number: 0, name: 'Kolom Kosong' },
          { number: 1, name: 'A' },
        ],
      },
    ])
    expect(roundTrip.errors).toEqual([])
    expect(roundTrip.contests[0]!.candidates).toEqual([
      { number: 1, name: 'A' },
      { number: 0, name: 'Kolom Kosong' },
    ])
    const named = normalizeContests([
      {
        id: 'bupati',
        name: 'Bupati',
        candidates: [
          { number: 1, name: 'A' },
          { number: 0, name: 'B' },
        ],
      },
    ])
    expect(named.errors.map((e) => [e.field, e.message])).toEqual([
      ['contests.0.candidates.1.number', expect.stringContaining('"B" harus bernomor 1 sampai 99')],
    ])
    const twice = normalizeContests([
      {
        id: 'bupati',
        name: 'Bupati',
        candidates: [
          { number: 1, name: 'A' },
          { number: 0, name: 'Kolom Kosong' },
          { number: 0, name: '' },
        ],
      },
    ])
    expect(twice.errors.map((e) => e.field)).toEqual(['contests.0.candidates.2.number'])
  })
})
