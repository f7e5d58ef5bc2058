// Uploaded XLSX tables that do not start at A1 (an empty first row, an empty column A): every
// import's errors must name the row and column Excel shows, not positions in the used range.

import * as XLSX from 'xlsx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readTable } from '../../src/server/tables'
import { startDesk, type TestDesk } from '../helpers/desk'

/** A workbook whose only table starts at B2: row 1 and column A are empty, and the sheet's used range says B2:… */
function xlsxAtB2(rows: (string | number)[][]): Buffer {
  const ws: XLSX.WorkSheet = {}
  XLSX.utils.sheet_add_aoa(ws, rows, { origin: 'B2' })
  const width = Math.max(...rows.map((r) => r.length))
  ws['!ref'] = XLSX.utils.encode_range({ s: { r: 1, c: 1 }, e: { r: rows.length, c: width } })
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, ws, 'Data')
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer
}

const octet = { 'content-type': 'application/octet-stream' }

describe('readTable', () => {
  it("returns a sheet's rows from A1, so index + 1 is the row and index 0 is column A", () => {
    const rows = readTable(
      xlsxAtB2([
        ['kode_desa', 'nomor_tps', 'dpt'],
        ['35.09.01.2001', '1', '250'],
      ]),
    )
    expect(rows[0]!.every((c) => c === '')).toBe(true)
    expect(rows[1]).toEqual(['', 'kode_desa', 'nomor_tps', 'dpt'])
    expect(rows[2]).toEqual(['', '35.09.01.2001', '1', '250'])
  })

  const book = (ws: XLSX.WorkSheet) => {
    const wb = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(wb, ws, 'Data')
    return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer
  }

  it('builds nothing for stray blank cells far away, and refuses a filled one beyond any table', () => {
    const table = () =>
      XLSX.utils.aoa_to_sheet([
        ['kode_desa', 'nomor_tps', 'dpt'],
        ['35.09.01.2001', 1, 250],
      ])
    const expected = [
      ['kode_desa', 'nomor_tps', 'dpt'],
      ['35.09.01.2001', '1', '250'],
    ]
    const wide = table()
    XLSX.utils.sheet_add_aoa(wide, [[' ']], { origin: 'XFD3' })
    expect(readTable(book(wide))).toEqual(expected)
    const long = table()
    XLSX.utils.sheet_add_aoa(long, [[' ']], { origin: 'C150000' })
    expect(readTable(book(long))).toEqual(expected)
    XLSX.utils.sheet_add_aoa(long, [['x']], { origin: 'C150000' })
    expect(() => readTable(book(long))).toThrow(/Sel C150000 terlalu jauh/)
  })

  it('keeps digits Excel shows with leading zeros (a phone number, TPS 003) as shown', () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['hp', 'nomor_tps', 'dpt'],
      [81234567890, 3, 1000],
    ])
    ws['A2']!.z = '000000000000'
    ws['B2']!.z = '000'
    ws['C2']!.z = '#,##0'
    expect(readTable(book(ws))[1]).toEqual(['081234567890', '003', '1000'])
  })
})

describe("imports of a table starting at B2 name the spreadsheet's own cells", () => {
  let desk: TestDesk
  beforeAll(async () => {
    desk = await startDesk()
  }, 30_000)
  afterAll(async () => {
    await desk?.stop()
  })

  it('TPS registry: imports, and a bad DPT in D4 is reported as row 4', async () => {
    const bad = await desk.call(
      'POST',
      '/tps/import',
      xlsxAtB2([
        ['kode_desa', 'nomor_tps', 'dpt'],
        ['35.09.01.2001', 1, 250],
        ['35.09.01.2001', 2, 'banyak'],
      ]),
      undefined,
      octet,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.rows.map((e: any) => [e.row, e.column])).toEqual([[4, 'dpt']])
    const noHeader = await desk.call(
      'POST',
      '/tps/import',
      xlsxAtB2([
        ['desa', 'tps'],
        ['x', 'y'],
      ]),
      undefined,
      octet,
    )
    expect(noHeader.body.error.rows[0]).toMatchObject({ row: 2 })
    const good = await desk.call(
      'POST',
      '/tps/import',
      xlsxAtB2([
        ['kode_desa', 'nomor_tps', 'dpt'],
        ['35.09.01.2001', 1, 250],
        ['35.09.01.2001', 2, 260],
      ]),
      undefined,
      octet,
    )
    expect(good.status).toBe(200)
    expect((await desk.call('GET', '/tps/35.09.01.2001.002')).body.tps).toMatchObject({ dpt: 260 })
  })

  it('users: a row without a name in B3 is reported as row 3; a duplicate names its first row', async () => {
    const r = await desk.call(
      'POST',
      '/users/import',
      xlsxAtB2([
        ['nama', 'hp', 'peran', 'kode_wilayah'],
        ['', '0811', 'pelapor', '35.09.01.2001'],
        ['Rina', '0811', 'pelapor', '35.09.01.2001'],
        ['Rina', '0811', 'pelapor', '35.09.01.2001'],
      ]),
      undefined,
      octet,
    )
    expect(r.status).toBe(400)
    expect(r.body.error.rows.map((e: any) => [e.row, e.column])).toEqual([
      [3, 'nama'],
      [5, 'nama'],
    ])
    expect(r.body.error.rows[1].message).toMatch(/sudah ada di baris 4/)
  })

  it('KPU figures: a bad vote in E3 is reported as row 3, column E', async () => {
    const r = await desk.call(
      'POST',
      '/export/kpu/import?source=uji',
      xlsxAtB2([
        ['kode_tps', 'pemilihan', 'suara_1', 'suara_2', 'suara_3', 'suara_tidak_sah'],
        ['35.09.01.2001.001', 'gubernur', 1, 'dua', 3, 0],
      ]),
      undefined,
      octet,
    )
    expect(r.status).toBe(400)
    const rows = r.body.error.rows ?? r.body.errors
    expect(rows).toEqual([
      {
        row: 3,
        column: 'suara_2',
        message: 'kolom suara_2 (E): "dua" harus bilangan bulat 0 atau lebih',
      },
    ])
  })

  it('KPU figures in the D.Hasil layout: line labels in column B, a bad cell named by its own row and letter', async () => {
    const r = await desk.call(
      'POST',
      '/export/kpu/import?contest=bupati&source=uji',
      xlsxAtB2([
        ['uraian', '35.09.01', '35.09.02'],
        ['suara_1', 5, 6],
        ['suara_2', 7, 'x'],
      ]),
      undefined,
      octet,
    )
    expect(r.status).toBe(400)
    const rows = r.body.error.rows ?? r.body.errors
    expect(rows).toEqual([
      { row: 2, column: 'B', message: 'Baris suara_tidak_sah tidak ada di kolom B' },
    ])
    const cell = await desk.call(
      'POST',
      '/export/kpu/import?contest=bupati&source=uji',
      xlsxAtB2([
        ['uraian', '35.09.01', '35.09.02'],
        ['suara_1', 5, 6],
        ['suara_2', 7, 'x'],
        ['suara_tidak_sah', 0, 1],
      ]),
      undefined,
      octet,
    )
    expect(cell.body.error.rows ?? cell.body.errors).toEqual([
      {
        row: 4,
        column: '35.09.02',
        message: 'kolom 35.09.02 (D): "x" harus bilangan bulat 0 atau lebih',
      },
    ])
  })
})
