import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/domain/csv'
import { recapAllLevels, recapRows, sumRows, type ContestResult } from '../../src/domain/recap'
import { RegionTree } from '../../src/domain/regions'
import { validateTpsTable, type TpsRecord } from '../../src/domain/tps'

const regions = new RegionTree({
  regency: { code: '35.09', name: 'Kabupaten Jember', level: 'kabupaten', parent: '35' },
  kecamatan: [
    { code: '35.09.01', name: 'Jombang', level: 'kecamatan', parent: '35.09' },
    { code: '35.09.02', name: 'Kencong', level: 'kecamatan', parent: '35.09' },
  ],
  desa: [
    { code: '35.09.01.2001', name: 'Padomasan', level: 'desa', parent: '35.09.01' },
    { code: '35.09.01.2002', name: 'Keting', level: 'desa', parent: '35.09.01' },
    { code: '35.09.02.2001', name: 'Cakru', level: 'desa', parent: '35.09.02' },
  ],
})

describe('TPS registry validation', () => {
  it('reads a good table, prison TPS numbers included', () => {
    const t = parseCsv(
      'kode_desa,nomor_tps,dpt,dpt_l,dpt_p,lokasi\n35.09.01.2001,1,300,150,150,Balai desa\n35.09.01.2001,901,250,,,Lapas\n',
    )
    const { rows, errors } = validateTpsTable(t, regions)
    expect(errors).toEqual([])
    expect(rows.map((r) => r.code)).toEqual(['35.09.01.2001.001', '35.09.01.2001.901'])
    expect(rows[0]).toMatchObject({ dpt: 300, dptL: 150, dptP: 150, location: 'Balai desa' })
  })

  it('lists every bad row with its row number and column', () => {
    const t = parseCsv(
      [
        'kode_desa,nomor_tps,dpt',
        '35.09.01.2001,1,300', // row 2 ok
        '35.09.99.9999,2,300', // row 3 unknown desa
        '35.09.01.2001,1,250', // row 4 duplicate of row 2
        '35.09.01.2002,3,1001', // row 5 dpt too big
        '35.09.01.2002,4,12.5', // row 6 fractional
        '35.09.01.2002,0,100', // row 7 tps number 0
        '35.09.01,5,100', // row 8 kecamatan, not desa
      ].join('\n'),
    )
    const { errors } = validateTpsTable(t, regions)
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'kode_desa'],
      [4, 'nomor_tps'],
      [5, 'dpt'],
      [6, 'dpt'],
      [7, 'nomor_tps'],
      [8, 'kode_desa'],
    ])
    expect(errors[1]!.message).toContain('baris 2')
  })

  it('refuses a file without the required columns', () => {
    const { errors } = validateTpsTable(parseCsv('desa,tps\n35.09.01.2001,1\n'), regions)
    expect(errors).toHaveLength(1)
    expect(errors[0]!.row).toBe(1)
    expect(errors[0]!.message).toContain('dpt')
  })

  it('checks dpt_l + dpt_p against dpt', () => {
    const { errors } = validateTpsTable(
      parseCsv('kode_desa,nomor_tps,dpt,dpt_l,dpt_p\n35.09.01.2001,1,300,100,150\n'),
      regions,
    )
    expect(errors[0]).toMatchObject({ row: 2, column: 'dpt' })
  })
})

function tps(code: string, dpt: number, status: TpsRecord['status'] = 'active'): TpsRecord {
  const parts = code.split('.')
  return {
    code,
    desa: parts.slice(0, 4).join('.'),
    number: Number(parts[4]),
    dpt,
    dptL: null,
    dptP: null,
    location: null,
    status,
    statusReason: null,
    mergedInto: null,
    simulated: false,
  }
}

describe('recap rollups', () => {
  const list = [
    tps('35.09.01.2001.001', 300),
    tps('35.09.01.2001.002', 200),
    tps('35.09.01.2002.001', 250, 'postponed'),
    tps('35.09.02.2001.001', 400),
  ]
  const res = (t: string, a: number, b: number, invalid: number): [string, ContestResult] => [
    t,
    {
      tps: t,
      votes: { '1': a, '2': b },
      valid: a + b,
      invalid,
      total: a + b + invalid,
      votersTotal: null,
    },
  ]
  const results = new Map([
    res('35.09.01.2001.001', 100, 50, 5),
    res('35.09.02.2001.001', 10, 200, 3),
  ])
  const input = {
    regions,
    tps: list,
    results,
    candidates: [
      { number: 1, name: 'A' },
      { number: 2, name: 'B' },
    ],
  }

  it('counts expected TPS without postponed ones and sums reported votes per kecamatan', () => {
    const rows = recapRows(input, 'kecamatan')
    expect(
      rows.map((r) => [
        r.code,
        r.tpsTotal,
        r.tpsReported,
        r.tpsExcluded,
        r.dpt,
        r.votes['1'],
        r.votes['2'],
      ]),
    ).toEqual([
      ['35.09.01', 2, 1, 1, 500, 100, 50],
      ['35.09.02', 1, 1, 0, 400, 10, 200],
    ])
  })

  it('shows regions with nothing reported as explicit zero rows', () => {
    const rows = recapRows(input, 'desa', '35.09.01')
    expect(rows.map((r) => [r.code, r.tpsTotal, r.tpsReported])).toEqual([
      ['35.09.01.2001', 2, 1],
      ['35.09.01.2002', 0, 0],
    ])
  })

  it('lists every TPS at TPS level, reported or not', () => {
    const rows = recapRows(input, 'tps', '35.09.01.2001')
    expect(rows.map((r) => [r.code, r.tpsReported])).toEqual([
      ['35.09.01.2001.001', 1],
      ['35.09.01.2001.002', 0],
    ])
  })

  it('computes all levels at once exactly as level by level', () => {
    const all = recapAllLevels(input)
    for (const level of ['kabupaten', 'kecamatan', 'desa', 'tps'] as const)
      expect(all[level]).toEqual(recapRows(input, level))
  })

  it('sums the same at every level', () => {
    const kab = recapRows(input, 'kabupaten')[0]!
    for (const level of ['kecamatan', 'desa', 'tps'] as const) {
      const s = sumRows(recapRows(input, level), '35.09', 'x', input.candidates)
      expect([
        s.tpsTotal,
        s.tpsReported,
        s.valid,
        s.invalid,
        s.total,
        s.votes['1'],
        s.votes['2'],
      ]).toEqual([
        kab.tpsTotal,
        kab.tpsReported,
        kab.valid,
        kab.invalid,
        kab.total,
        kab.votes['1'],
        kab.votes['2'],
      ])
    }
    expect(kab.voters).toBe(155 + 213)
  })
})
