import * as XLSX from 'xlsx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseKpuTable, type KpuTableContext } from '../../src/export/kpu-table'
import { ADMIN_TOKEN } from '../helpers/desk'
import { readWorkbook, seedNight, table, tpsCode, type Night } from './fixture'
import { formulaMismatches } from './formula'

const CANDIDATES3 = [1, 2, 3].map((number) => ({ number, name: `Paslon ${number}` }))
const CANDIDATES2 = [1, 2].map((number) => ({ number, name: `Paslon ${number}` }))

const ctx: KpuTableContext = {
  regencyName: 'Kabupaten Jember',
  kecamatan: new Set(['35.09.01', '35.09.02', '35.09.19']),
  desa: new Set(['35.09.01.2001', '35.09.01.2002', '35.09.02.2001']),
  tps: new Set(['35.09.01.2001.001', '35.09.01.2001.002', '35.09.01.2002.001']),
  contests: [
    { id: 'gubernur', name: 'Gubernur', candidates: CANDIDATES3 },
    { id: 'bupati', name: 'Bupati', candidates: CANDIDATES2 },
  ],
}

const csv = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(','))

describe('reading KPU figures (pure)', () => {
  it('reads a Sirekap-style file per TPS with a pemilihan column, both contests at once', () => {
    const { parsed, errors } = parseKpuTable(
      csv(`
kode_tps,pemilihan,suara_1,suara_2,suara_3,suara_sah,suara_tidak_sah,jumlah_suara
35.09.01.2001.001,gubernur,10,20,30,60,2,62
35.09.01.2001.002,gubernur,"1.234",0,5,1239,0,1239
35.09.01.2001.001,bupati,40,25,,65,1,66
`).map((r) => r.map((c) => c.replace(/"/g, ''))),
      ctx,
    )
    expect(errors).toEqual([])
    expect(parsed).toMatchObject({ format: 'baris', level: 'tps', rows: 3 })
    expect(parsed!.sets).toEqual([
      {
        contest: 'gubernur',
        figures: [
          { region: '35.09.01.2001.001', votes: [10, 20, 30], valid: 60, invalid: 2 },
          { region: '35.09.01.2001.002', votes: [1234, 0, 5], valid: 1239, invalid: 0 },
        ],
      },
      {
        contest: 'bupati',
        figures: [{ region: '35.09.01.2001.001', votes: [40, 25], valid: 65, invalid: 1 }],
      },
    ])
  })

  it('reads desa + TPS number, desa and kecamatan levels, with the contest given by the request', () => {
    const byNumber = parseKpuTable(
      csv('kode_desa,nomor_tps,suara_1,suara_2,suara_tidak_sah\n35.09.01.2002,1,5,6,0'),
      { ...ctx, contest: 'bupati' },
    )
    expect(byNumber.parsed).toMatchObject({
      level: 'tps',
      sets: [{ contest: 'bupati', figures: [{ region: '35.09.01.2002.001' }] }],
    })
    const desa = parseKpuTable(
      csv('kode_desa,nama_desa,suara_1,suara_2,suara_tidak_sah\n35.09.01.2001,Padomasan,5,6,1'),
      { ...ctx, contest: 'bupati' },
    )
    expect(desa.parsed).toMatchObject({ level: 'desa' })
    const kec = parseKpuTable(
      csv('Kode Kecamatan,Suara 1,Suara 2,Suara Tidak Sah\n35.09.19,5,6,1'),
      { ...ctx, contest: 'bupati' },
    )
    expect(kec.errors).toEqual([])
    expect(kec.parsed).toMatchObject({
      level: 'kecamatan',
      sets: [{ figures: [{ region: '35.09.19', votes: [5, 6], invalid: 1 }] }],
    })
  })

  it('names the row and column of every bad cell, and imports nothing', () => {
    const { parsed, errors } = parseKpuTable(
      csv(`
kode_tps,pemilihan,suara_1,suara_2,suara_3,suara_sah,suara_tidak_sah
35.09.01.2001.001,gubernur,10,2O,30,,2
35.09.01.2001.009,gubernur,10,20,30,,2
35.09.01.2001.002,walikota,10,20,30,,2
35.09.01.2002.001,gubernur,10,20,30,61,2
35.09.01.2001.001,bupati,10,20,7,,1
35.09.01.2002.001,gubernur,1,1,1,,-1
35.09.01.2001.002,gubernur,1,1,,,0
35.09.01.2002.001,gubernur,10,20,30,60,2
`),
      ctx,
    )
    expect(parsed).toBeNull()
    const at = (row: number) => errors.filter((e) => e.row === row)
    expect(at(2)).toEqual([
      {
        row: 2,
        column: 'suara_2',
        message: 'kolom suara_2 (D): "2O" harus bilangan bulat 0 atau lebih',
      },
    ])
    expect(at(3)).toEqual([
      {
        row: 3,
        column: 'kode_tps',
        message: 'kolom kode_tps (A): TPS 35.09.01.2001.009 tidak terdaftar di desk',
      },
    ])
    expect(at(4)[0]).toMatchObject({
      column: 'pemilihan',
      message: expect.stringContaining('pemilihan "walikota" tidak dikenal'),
    })
    expect(at(5)[0]).toMatchObject({
      column: 'suara_sah',
      message: 'kolom suara_sah (F): suara sah 61 tidak sama dengan jumlah suara paslon 60',
    })
    expect(at(6)[0]).toMatchObject({
      column: 'suara_3',
      message: expect.stringContaining('paslon 3 tidak ada dalam pemilihan bupati'),
    })
    expect(at(7)[0]).toMatchObject({
      column: 'suara_tidak_sah',
      message: expect.stringContaining('"-1" harus bilangan bulat'),
    })
    expect(at(8)[0]).toMatchObject({ column: 'suara_3', message: 'kolom suara_3 (E) wajib diisi' })
    expect(at(9)[0]).toMatchObject({
      column: 'kode_tps',
      message: expect.stringContaining('ganda: sudah ada di baris 5'),
    })
  })

  it('refuses a file without the columns it needs, saying which', () => {
    expect(parseKpuTable(csv('nama,suara_1\nx,1'), ctx).errors[0]).toMatchObject({
      row: 1,
      message: expect.stringContaining('kode_tps'),
    })
    expect(
      parseKpuTable(csv('kode_kecamatan,suara_1,suara_2\n35.09.01,1,2'), {
        ...ctx,
        contest: 'bupati',
      }).errors,
    ).toEqual([{ row: 1, column: 'suara_tidak_sah', message: 'Kolom suara_tidak_sah tidak ada' }])
    expect(
      parseKpuTable(csv('kode_kecamatan,suara_1,suara_tidak_sah\n35.09.01,1,2'), {
        ...ctx,
        contest: 'bupati',
      }).errors,
    ).toEqual([
      { row: 1, column: 'suara_2', message: 'Kolom suara_2 (paslon 2 pemilihan bupati) tidak ada' },
    ])
    expect(
      parseKpuTable(csv('kode_kecamatan,suara_1,suara_2,suara_tidak_sah\n35.09.01,1,2,0'), ctx)
        .errors[0],
    ).toMatchObject({ row: 1, column: 'pemilihan' })
    expect(
      parseKpuTable(csv('kode_kecamatan,suara_1,suara_2,suara_tidak_sah'), {
        ...ctx,
        contest: 'bupati',
      }).errors[0],
    ).toMatchObject({ row: 2 })
  })

  it('reads the D.Hasil layout (lines down, kecamatan across) and names the cell of a bad figure', () => {
    const good = parseKpuTable(
      csv(`
Uraian,35.09.01 Jombang,35.09.19 Kaliwates,JUMLAH
DPT,1000,2000,3000
suara_1,"1.200",300,1500
suara_2,100,200,300
suara_sah,1300,500,1800
suara_tidak_sah,10,20,30
`).map((r) => r.map((c) => c.replace(/"/g, ''))),
      { ...ctx, contest: 'bupati' },
    )
    expect(good.errors).toEqual([])
    expect(good.parsed).toMatchObject({
      format: 'dhasil',
      level: 'kecamatan',
      sets: [
        {
          contest: 'bupati',
          figures: [
            { region: '35.09.01', votes: [1200, 100] },
            { region: '35.09.19', votes: [300, 200] },
          ],
        },
      ],
    })
    const bad = parseKpuTable(
      csv(`
uraian,35.09.01,35.09.77,35.09.19
suara_1,1,2,x
suara_2,1,2,3
suara_tidak_sah,0,0,0
`),
      { ...ctx, contest: 'bupati' },
    )
    expect(bad.parsed).toBeNull()
    expect(bad.errors).toEqual([
      {
        row: 1,
        column: 'C',
        message:
          'Judul kolom C "35.09.77" harus kode atau nama kecamatan atau desa/kelurahan di Kabupaten Jember (contoh 35.09.01, 350901 atau Jombang), atau JUMLAH',
      },
    ])
    const badCell = parseKpuTable(
      csv('uraian,35.09.01,35.09.19\nsuara_1,1,x\nsuara_2,1,2\nsuara_tidak_sah,0,0'),
      { ...ctx, contest: 'bupati' },
    )
    expect(badCell.errors).toEqual([
      {
        row: 2,
        column: '35.09.19',
        message: 'kolom 35.09.19 (C): "x" harus bilangan bulat 0 atau lebih',
      },
    ])
    const noContest = parseKpuTable(csv('uraian,35.09.01\nsuara_1,1'), ctx)
    expect(noContest.errors[0]).toMatchObject({ row: 1, column: 'pemilihan' })
    const missingLine = parseKpuTable(csv('uraian,35.09.01\nsuara_1,1\nsuara_tidak_sah,0'), {
      ...ctx,
      contest: 'bupati',
    })
    expect(missingLine.errors).toEqual([
      { row: 1, column: 'A', message: 'Baris suara_2 (paslon 2) tidak ada di kolom A' },
    ])
  })

  it("reads KPU's own headers unchanged (pair numbers or names, Jumlah Suara Sah…) and names a header it does not know", () => {
    const named = {
      ...ctx,
      contests: [
        {
          id: 'bupati',
          name: 'Bupati',
          candidates: [
            { number: 1, name: 'H. Hendy Siswanto - KH. M. Balya Firjaun Barlaman' },
            { number: 2, name: 'H. Muhammad Fawait - Djoko Susanto' },
          ],
        },
      ],
    }
    const rows = parseKpuTable(
      csv(
        'No,Kode Kecamatan,Nama Kecamatan,DPT,Suara Paslon 01,Suara Paslon 02,Jumlah Suara Sah,Jumlah Suara Tidak Sah,Jumlah Suara Sah dan Tidak Sah\n1,35.09.01,Jombang,5000,120,80,200,4,204',
      ),
      { ...named, contest: 'bupati' },
    )
    expect(rows.errors).toEqual([])
    expect(rows.parsed!.sets[0]!.figures).toEqual([
      { region: '35.09.01', votes: [120, 80], valid: 200, invalid: 4 },
    ])
    const byName = parseKpuTable(
      csv(
        'Kode Desa,H. Hendy Siswanto - KH. M. Balya Firjaun Barlaman,H. Muhammad Fawait - Djoko Susanto,Suara Tidak Sah\n35.09.01.2001,7,8,1',
      ),
      { ...named, contest: 'bupati' },
    )
    expect(byName.errors).toEqual([])
    expect(byName.parsed!.sets[0]!.figures[0]).toMatchObject({
      region: '35.09.01.2001',
      votes: [7, 8],
      invalid: 1,
    })
    const dhasil = parseKpuTable(
      csv(`
URAIAN,35.09.01 JOMBANG,JUMLAH AKHIR
A. DATA PEMILIH,,
1. Jumlah pemilih dalam DPT,5000,5000
III. PEROLEHAN SUARA,,
1. H. Hendy Siswanto - KH. M. Balya Firjaun Barlaman,120,120
2. H. Muhammad Fawait - Djoko Susanto,80,80
1. Jumlah Suara Sah,200,200
2. Jumlah Suara Tidak Sah,4,4
3. Jumlah Suara Sah dan Tidak Sah,204,204
`),
      { ...named, contest: 'bupati' },
    )
    expect(dhasil.errors).toEqual([])
    expect(dhasil.parsed!.sets[0]!.figures).toEqual([
      { region: '35.09.01', votes: [120, 80], valid: 200, invalid: 4 },
    ])
    // A header the desk cannot read is named, with its column, in the error about what is missing.
    const unknown = parseKpuTable(
      csv('kode_kecamatan,nama_kecamatan,suara_1,suara_2,Suara Tdk Sah\n35.09.01,Jombang,1,2,0'),
      { ...ctx, contest: 'bupati' },
    )
    expect(unknown.errors).toEqual([
      {
        row: 1,
        column: 'suara_tidak_sah',
        message:
          'Kolom suara_tidak_sah tidak ada. Judul kolom yang tidak dikenali: "Suara Tdk Sah" (E)',
      },
    ])
    const unknownLine = parseKpuTable(
      csv('uraian,35.09.01\nsuara_1,1\nsuara_2,2\nSuara Tdk Sah,0'),
      { ...ctx, contest: 'bupati' },
    )
    expect(unknownLine.errors).toEqual([
      {
        row: 1,
        column: 'A',
        message:
          'Baris suara_tidak_sah tidak ada di kolom A. Baris yang tidak dikenali: "Suara Tdk Sah" (baris 4)',
      },
    ])
  })
})

describe("KPU's own files, named places and codes without dots (pure)", () => {
  // Part of Jember as the registry has it; "Sidomulyo" is a desa in two kecamatan, as in the real regency.
  const names = new Map([
    ['35.09.01', 'Jombang'],
    ['35.09.02', 'Kencong'],
    ['35.09.19', 'Kaliwates'],
    ['35.09.01.2001', 'Padomasan'],
    ['35.09.01.2002', 'Keting'],
    ['35.09.01.2003', 'Sidomulyo'],
    ['35.09.02.2001', 'Cakru'],
    ['35.09.02.2002', 'Sidomulyo'],
    ['35.09.19.1001', 'Mangli'],
  ])
  const jember: KpuTableContext = {
    ...ctx,
    names,
    desa: new Set([...names.keys()].filter((k) => k.length === 13)),
    tps: new Set([...ctx.tps, '35.09.02.2002.003']),
    contest: 'bupati',
  }

  it('reads a D.Hasil Kabupaten with kecamatan named across the top under a title, as KPU writes it', () => {
    const { parsed, errors } = parseKpuTable(
      csv(`
MODEL D.HASIL KABUPATEN/KOTA-KWK,,,
KABUPATEN JEMBER,,,
,,,
URAIAN,JOMBANG,Kencong,JUMLAH
A. DATA PEMILIH,,,
1. Jumlah pemilih dalam DPT,5000,4000,9000
B. Suara sah,,,
1. Paslon 01,120,70,190
2. Paslon 02,80,50,130
Jumlah Suara Sah,200,120,320
Jumlah Suara Tidak Sah,4,3,7
`),
      jember,
    )
    expect(errors).toEqual([])
    expect(parsed).toMatchObject({ format: 'dhasil', level: 'kecamatan' })
    expect(parsed!.sets[0]!.figures).toEqual([
      { region: '35.09.01', votes: [120, 80], valid: 200, invalid: 4 },
      { region: '35.09.02', votes: [70, 50], valid: 120, invalid: 3 },
    ])
  })

  it('reads a D.Hasil Kecamatan with desa named across; a desa name shared with another kecamatan is read within this one', () => {
    const { parsed, errors } = parseKpuTable(
      csv(`
MODEL D.HASIL KECAMATAN-KWK,,,,
KECAMATAN,:,JOMBANG,,
Uraian,Padomasan,KETING,Sidomulyo,Jumlah
Paslon 1,10,20,30,60
Paslon 2,1,2,3,6
Suara Tidak Sah,0,1,0,1
`),
      jember,
    )
    expect(errors).toEqual([])
    expect(parsed!.level).toBe('desa')
    expect(parsed!.sets[0]!.figures.map((f) => f.region)).toEqual([
      '35.09.01.2001',
      '35.09.01.2002',
      '35.09.01.2003',
    ])
    // Alone, "Sidomulyo" could be either: the error names both candidates.
    const alone = parseKpuTable(
      csv('Uraian,Sidomulyo\nPaslon 1,1\nPaslon 2,1\nSuara Tidak Sah,0'),
      jember,
    )
    expect(alone.parsed).toBeNull()
    expect(alone.errors).toEqual([
      {
        row: 1,
        column: 'B',
        message:
          'Judul kolom B: nama desa/kelurahan "Sidomulyo" ada di beberapa kecamatan: Sidomulyo (Kec. Jombang, 35.09.01.2003), Sidomulyo (Kec. Kencong, 35.09.02.2002); tulis kodenya (mis. 35.09.01.2003)',
      },
    ])
  })

  it('reads Sirekap codes without dots, in D.Hasil and per-row layouts', () => {
    const dhasil = parseKpuTable(
      csv(
        'Uraian,350901,350902 Kencong\nSuara Paslon 01,5,6\nSuara Paslon 02,7,8\nSuara Tidak Sah,1,2',
      ),
      jember,
    )
    expect(dhasil.errors).toEqual([])
    expect(dhasil.parsed!.sets[0]!.figures.map((f) => f.region)).toEqual(['35.09.01', '35.09.02'])
    const tps = parseKpuTable(
      csv(
        'Kode TPS,Suara Paslon 01,Suara Paslon 02,Suara Tidak Sah\n3509012001001,5,6,0\n3509022002003,1,2,0',
      ),
      jember,
    )
    expect(tps.errors).toEqual([])
    expect(tps.parsed!.sets[0]!.figures.map((f) => f.region)).toEqual([
      '35.09.01.2001.001',
      '35.09.02.2002.003',
    ])
    const desa = parseKpuTable(
      csv('kode_desa,nomor_tps,suara_1,suara_2,suara_tidak_sah\n3509012001,2,5,6,0'),
      jember,
    )
    expect(desa.parsed!.sets[0]!.figures[0]!.region).toBe('35.09.01.2001.002')
    const bad = parseKpuTable(
      csv('kode_kecamatan,suara_1,suara_2,suara_tidak_sah\n35099,5,6,0'),
      jember,
    )
    expect(bad.errors).toEqual([
      {
        row: 2,
        column: 'kode_kecamatan',
        message:
          'kolom kode_kecamatan (A): "35099" bukan kode kecamatan (contoh 35.09.01 atau 350901)',
      },
    ])
  })

  it('reads a header "Kode, Kecamatan, …" and rows naming kecamatan, desa and TPS', () => {
    const kode = parseKpuTable(
      csv(
        'Kode,Kecamatan,Paslon 01,Paslon 02,Suara Tidak Sah\n350901,Jombang,5,6,0\n35.09.19,Kaliwates,1,2,0',
      ),
      jember,
    )
    expect(kode.errors).toEqual([])
    expect(kode.parsed).toMatchObject({ level: 'kecamatan' })
    expect(kode.parsed!.sets[0]!.figures.map((f) => f.region)).toEqual(['35.09.01', '35.09.19'])
    const rows = parseKpuTable(
      csv(`
Kecamatan,Desa/Kelurahan,TPS,Paslon 01,Paslon 02,Suara Tidak Sah
jombang,Sidomulyo,TPS 001,1,2,0
KENCONG,sido mulyo,3,3,4,0
`),
      { ...jember, tps: new Set([...jember.tps, '35.09.01.2003.001']) },
    )
    expect(rows.errors).toEqual([])
    expect(rows.parsed!.sets[0]!.figures.map((f) => f.region)).toEqual([
      '35.09.01.2003.001',
      '35.09.02.2002.003',
    ])
    // Without the kecamatan column the shared name is refused, naming both places.
    const ambiguous = parseKpuTable(
      csv('Desa,Paslon 01,Paslon 02,Suara Tidak Sah\nSidomulyo,1,2,0'),
      jember,
    )
    expect(ambiguous.errors).toEqual([
      {
        row: 2,
        column: 'desa',
        message:
          'kolom desa (A): nama desa/kelurahan "Sidomulyo" ada di beberapa kecamatan: Sidomulyo (Kec. Jombang, 35.09.01.2003), Sidomulyo (Kec. Kencong, 35.09.02.2002); tambahkan kolom kecamatan atau pakai kode_desa',
      },
    ])
    const unknownName = parseKpuTable(
      csv('Kecamatan,Paslon 01,Paslon 02,Suara Tidak Sah\nJombangan,1,2,0'),
      jember,
    )
    expect(unknownName.errors[0]!.message).toBe(
      'kolom kecamatan (A): kecamatan "Jombangan" tidak ada di Kabupaten Jember',
    )
  })

  it('names the headers it could not read when no region column is found', () => {
    const { errors } = parseKpuTable(
      csv('Kd Wil,Nm Wil,Paslon 01,Paslon 02,Suara Tidak Sah\n350901,Jombang,5,6,0'),
      jember,
    )
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toMatch(
      /^Kolom wilayah tidak ada\. .*Judul kolom yang tidak dikenali: "Kd Wil" \(A\), "Nm Wil" \(B\)$/,
    )
  })

  it('a section heading reading like a line ("A. Suara sah") is not a second valid-votes line', () => {
    const { parsed, errors } = parseKpuTable(
      csv(`
Uraian,35.09.01
A. Suara sah,
1. Paslon 01,5
2. Paslon 02,6
Jumlah suara sah,11
B. Suara tidak sah,
Jumlah suara tidak sah,1
`),
      jember,
    )
    expect(errors).toEqual([])
    expect(parsed!.sets[0]!.figures).toEqual([
      { region: '35.09.01', votes: [5, 6], valid: 11, invalid: 1 },
    ])
  })
})

describe('KPU import and the difference report (HTTP)', () => {
  let night: Night
  beforeAll(async () => {
    night = await seedNight()
  }, 60_000)
  afterAll(async () => {
    await night?.desk.stop()
  })

  const upload = (body: string | Buffer, query: string, token = ADMIN_TOKEN) =>
    night.desk.call('POST', `/export/kpu/import?${query}`, body, token, {
      'content-type': 'application/octet-stream',
    })

  it('a bad file gets errors naming row and column, and nothing is imported', async () => {
    const r = await upload(
      'kode_tps,pemilihan,suara_1,suara_2,suara_3,suara_tidak_sah\n35.09.01.2001.001,gubernur,1,2,3,0\n35.09.01.2001.002,gubernur,1,dua,3,0\n',
      'source=rusak',
    )
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('import_invalid')
    expect(r.body.error.message).toContain('Tidak ada yang diimpor')
    expect(r.body.error.rows).toEqual([
      {
        row: 3,
        column: 'suara_2',
        message: 'kolom suara_2 (D): "dua" harus bilangan bulat 0 atau lebih',
      },
    ])
    expect((await night.desk.call('GET', '/export/kpu/imports')).body.imports).toEqual([])
    expect((await night.desk.call('GET', '/export/kpu/report')).body.contests).toEqual([])
    expect((await upload('', 'source=kosong')).status).toBe(400)
  })

  it('compares per region and pair and flags what is above the threshold', async () => {
    const gub = night.contests.find((c) => c.id === 'gubernur')!
    const acc = night.accepted.get('gubernur')!
    const exact = tpsCode('35.09.01.2001', 1)
    const small = tpsCode('35.09.01.2001', 2)
    const big = tpsCode('35.09.19.1001', 1)
    const missing = tpsCode('35.09.01.2002', 2) // the desk never got it
    const line = (tps: string, votes: number[], invalid: number) =>
      `${tps},gubernur,${votes.join(',')},${invalid}`
    const a = acc.get(small)!
    const b = acc.get(big)!
    const body = [
      'kode_tps,pemilihan,' +
        gub.candidates.map((c) => `suara_${c.number}`).join(',') +
        ',suara_tidak_sah',
      line(exact, acc.get(exact)!.votes, acc.get(exact)!.invalid),
      line(small, [a.votes[0]! + 1, a.votes[1]!, a.votes[2]!], a.invalid),
      line(big, [b.votes[0]!, b.votes[1]! + 20, b.votes[2]!], b.invalid),
      line(missing, [50, 60, 70], 3),
    ].join('\n')
    const r = await upload(body, 'source=Sirekap%2021.00')
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({
      id: 1,
      level: 'tps',
      format: 'baris',
      contests: ['gubernur'],
      figures: 4,
      source: 'Sirekap 21.00',
    })

    const report = (await night.desk.call('GET', '/export/kpu/report?threshold=5')).body
    expect(report.thresholdPercent).toBe(5)
    const c = report.contests[0]
    expect(c).toMatchObject({
      contest: 'gubernur',
      level: 'tps',
      regions: 4,
      flaggedRegions: 1,
      incompleteRegions: 1,
      importId: 1,
    })
    const status = (tps: string, line: string) =>
      c.rows.find((x: any) => x.code === tps && x.line === line)
    expect(status(exact, '1').status).toBe('cocok')
    // +1 on a pair of ~20–110 votes: within 5% only when the pair has ≥ 20 votes; the share decides.
    const smallRow = status(small, '1')
    expect(smallRow.diff).toBe(-1)
    expect(smallRow.status).toBe(100 / smallRow.kpu > 5 ? 'selisih' : 'dalam_ambang')
    expect(status(big, '2')).toMatchObject({ diff: -20, status: 'selisih' })
    expect(status(big, 'sah')).toMatchObject({ diff: -20, status: 'selisih' })
    expect(status(big, '1').status).toBe('cocok')
    expect(status(missing, '1')).toMatchObject({
      desk: 0,
      kpu: 50,
      status: 'belum_lengkap',
      tpsReported: 0,
      tpsTotal: 1,
    })
    expect(c.totals.find((t: any) => t.line === '2').diff).toBe(-20 - 60)

    // A stricter threshold flags the small difference too; only=flagged lists just those rows.
    const strict = (await night.desk.call('GET', '/export/kpu/report?threshold=0&only=flagged'))
      .body.contests[0]
    expect(strict.rows.every((x: any) => x.status === 'selisih')).toBe(true)
    expect(strict.rows.some((x: any) => x.code === small && x.line === '1')).toBe(true)
    expect(strict.rowsTotal).toBe(4 * (3 + 3))
    expect((await night.desk.call('GET', '/export/kpu/report?threshold=-1')).status).toBe(400)
  })

  it('reads an XLSX in the D.Hasil layout, per kecamatan, and reports it as a sheet', async () => {
    const bup = night.accepted.get('bupati')!
    // Kencong has every TPS reported (one postponed): KPU agrees. Jombang is incomplete at the desk.
    const cakru = ['35.09.02.2001.001', '35.09.02.2001.002'].map((t) => bup.get(t)!)
    const sum = (i: number) => cakru.reduce((a, r) => a + r.votes[i]!, 0)
    const aoa = [
      // As KPU's file comes: a title above, kecamatan by name across the top.
      ['MODEL D.HASIL KABUPATEN/KOTA-KWK'],
      [],
      ['URAIAN', 'KENCONG', 'Jombang', 'JUMLAH'],
      ['DPT', 1000, 2000, 3000],
      // Lines as KPU's D.Hasil writes them: pairs by number and names, "Jumlah Suara Tidak Sah".
      [`1. ${night.contests.find((c) => c.id === 'bupati')!.candidates[0]!.name}`, sum(0), 5000, 0],
      [`2. ${night.contests.find((c) => c.id === 'bupati')!.candidates[1]!.name}`, sum(1), 4000, 0],
      ['Jumlah Suara Tidak Sah', cakru.reduce((a, r) => a + r.invalid, 0), 100, 0],
    ]
    const wb = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'D.Hasil')
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer
    const r = await upload(bytes, 'contest=bupati&source=D.Hasil%20KPU%20Jember')
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({ level: 'kecamatan', format: 'dhasil', figures: 2 })

    const report = (await night.desk.call('GET', '/export/kpu/report')).body
    const b = report.contests.find((x: any) => x.contest === 'bupati')
    expect(
      b.rows.filter((x: any) => x.code === '35.09.02').every((x: any) => x.status === 'cocok'),
    ).toBe(true)
    expect(b.rows.find((x: any) => x.code === '35.09.01' && x.line === '1').status).toBe(
      'belum_lengkap',
    )
    expect(b.regionsWithoutKpu).toBe(29)

    const res = await fetch(`${night.desk.url}/api/v1/export/kpu/report.xlsx?threshold=5`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(res.status).toBe(200)
    const sheetBook = readWorkbook(Buffer.from(await res.arrayBuffer()))
    expect(sheetBook.SheetNames).toEqual(['Selisih KPU', 'Catatan'])
    expect(formulaMismatches(sheetBook)).toEqual([])
    const t = table(sheetBook.Sheets['Selisih KPU']!, 'Pemilihan')
    const flagged = t.rows.filter((x) => x[t.col('Tanda')] === 'SELISIH')
    expect(flagged.length).toBeGreaterThan(0)
    expect(flagged.every((x) => x[t.col('Pemilihan')] === 'Gubernur')).toBe(true)
    const kencong = t.rows.find(
      (x) => x[t.col('Kode')] === '35.09.02' && x[t.col('Baris')] === 'Paslon 1',
    )!
    expect(kencong[t.col('Selisih')]).toBe(0)
    expect(kencong[t.col('Tanda')]).toBe('cocok')
    // Kecamatan-level figures name their kecamatan in the Kecamatan column too.
    expect(kencong[t.col('Kecamatan')]).toBe('Kencong')
    // A JUMLAH row per contest and line, each a SUMIF over that contest's rows, equal to the report's totals.
    const totals = t.rows.filter(
      (x) => x[t.col('Tingkat')] === 'JUMLAH' && x[t.col('Pemilihan')] === 'Bupati',
    )
    expect(totals.map((x) => x[t.col('Baris')])).toEqual(b.totals.map((x: any) => x.label))
    totals.forEach((x, i) =>
      expect([x[t.col('Desk')], x[t.col('KPU')], x[t.col('Selisih')]]).toEqual([
        b.totals[i].desk,
        b.totals[i].kpu,
        b.totals[i].diff,
      ]),
    )

    // The recap workbook carries the same comparison.
    const recap = await fetch(`${night.desk.url}/api/v1/export/recap.xlsx`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const recapBook = readWorkbook(Buffer.from(await recap.arrayBuffer()))
    expect(recapBook.SheetNames).toContain('Selisih KPU')
    expect(formulaMismatches(recapBook)).toEqual([])

    const imports = (await night.desk.call('GET', '/export/kpu/imports')).body.imports
    expect(imports.map((i: any) => [i.id, i.source, i.level])).toEqual([
      [2, 'D.Hasil KPU Jember', 'kecamatan'],
      [1, 'Sirekap 21.00', 'tps'],
    ])
    expect(imports[0].sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('display accounts (board only) neither read the report nor import; imports are audited', async () => {
    const display = (await night.desk.call('POST', '/users', { name: 'Layar', role: 'display' }))
      .body.accessCode
    expect((await night.desk.call('GET', '/export/kpu/report', undefined, display)).status).toBe(
      403,
    )
    expect(
      (
        await upload(
          'kode_kecamatan,suara_1,suara_2,suara_tidak_sah\n35.09.01,1,2,0',
          'contest=bupati',
          display,
        )
      ).status,
    ).toBe(403)
    const audit = (await night.desk.call('GET', '/audit')).body.entries
    expect(audit.filter((e: any) => e.action === 'kpu.import')).toHaveLength(2)
  })
})
