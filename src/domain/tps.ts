import { MAX_TPS_NUMBER, tpsCode } from './codes'
import type { RowError, TpsRecord, TpsStatus } from '../shared/api'
import { TPS_CAPACITY } from '../shared/sheet-check'
import type { RegionTree } from './regions'

// The record and the import's row error are wire shapes too: one definition, in src/shared/api.ts.
export type { RowError, TpsRecord, TpsStatus }

export type TpsImportRow = Pick<
  TpsRecord,
  'code' | 'desa' | 'number' | 'dpt' | 'dptL' | 'dptP' | 'location'
>

/** No TPS holds more voters than it can take ballots (the C.Hasil rules' capacity). */
export const MAX_DPT_PER_TPS = TPS_CAPACITY
const REQUIRED = ['kode_desa', 'nomor_tps', 'dpt'] as const

function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/\s+/g, '_')
}

function wholeNumber(raw: string): number | null {
  const s = raw.trim()
  if (!/^\d+$/.test(s)) return null
  return Number(s)
}

/**
 * Index of a table's header: its first row with any text. Uploaded sheets are read from A1, so a
 * table below an empty row (or to the right of an empty column) keeps the sheet's own row numbers
 * (row = index + 1) and column letters.
 */
export function headerIndex(table: string[][]): number {
  const i = table.findIndex((r) => r.some((c) => c.trim() !== ''))
  return i < 0 ? 0 : i
}

/**
 * Validate a TPS registry table (header row + data rows, cells as text). All or nothing: the
 * caller imports `rows` only when `errors` is empty, so a file with one bad row changes nothing.
 */
export function validateTpsTable(
  table: string[][],
  regions: RegionTree,
): { rows: TpsImportRow[]; errors: RowError[] } {
  const errors: RowError[] = []
  const rows: TpsImportRow[] = []
  const h = headerIndex(table)
  const header = (table[h] ?? []).map(normaliseHeader)
  const col = new Map<string, number>()
  header.forEach((h, i) => {
    if (h !== '' && !col.has(h)) col.set(h, i)
  })
  const missing = REQUIRED.filter((c) => !col.has(c))
  if (table.length === 0 || missing.length > 0) {
    errors.push({
      row: h + 1,
      message: `Kolom wajib tidak ada: ${(missing.length ? missing : REQUIRED).join(', ')}. Baris pertama harus berisi judul kolom kode_desa,nomor_tps,dpt (boleh ditambah dpt_l,dpt_p,lokasi)`,
    })
    return { rows, errors }
  }
  const seen = new Map<string, number>()
  const cell = (r: string[], name: string) => {
    const i = col.get(name)
    return i === undefined ? '' : (r[i] ?? '').trim()
  }
  for (let i = h + 1; i < table.length; i++) {
    const r = table[i]!
    const rowNo = i + 1
    if (r.every((c) => c.trim() === '')) continue
    const rowErrors: RowError[] = []
    const desa = cell(r, 'kode_desa')
    if (desa === '') {
      rowErrors.push({ row: rowNo, column: 'kode_desa', message: 'kode_desa wajib diisi' })
    } else if (!regions.isDesa(desa) || !regions.contains(desa)) {
      rowErrors.push({
        row: rowNo,
        column: 'kode_desa',
        message: `kode_desa ${desa} bukan desa/kelurahan di ${regions.regency.name}`,
      })
    }
    const number = wholeNumber(cell(r, 'nomor_tps'))
    if (number === null || number < 1 || number > MAX_TPS_NUMBER) {
      rowErrors.push({
        row: rowNo,
        column: 'nomor_tps',
        message: `nomor_tps "${cell(r, 'nomor_tps')}" harus bilangan bulat 1 sampai ${MAX_TPS_NUMBER}`,
      })
    }
    const dpt = wholeNumber(cell(r, 'dpt'))
    if (dpt === null || dpt > MAX_DPT_PER_TPS) {
      rowErrors.push({
        row: rowNo,
        column: 'dpt',
        message: `dpt "${cell(r, 'dpt')}" harus bilangan bulat 0 sampai ${MAX_DPT_PER_TPS}`,
      })
    }
    const optionalCount = (name: 'dpt_l' | 'dpt_p'): number | null => {
      const raw = cell(r, name)
      if (raw === '') return null
      const n = wholeNumber(raw)
      if (n === null || n > MAX_DPT_PER_TPS) {
        rowErrors.push({
          row: rowNo,
          column: name,
          message: `${name} "${raw}" harus bilangan bulat 0 sampai ${MAX_DPT_PER_TPS}`,
        })
      }
      return n
    }
    const dptL = optionalCount('dpt_l')
    const dptP = optionalCount('dpt_p')
    if (dpt !== null && dptL !== null && dptP !== null && dptL + dptP !== dpt) {
      rowErrors.push({
        row: rowNo,
        column: 'dpt',
        message: `dpt_l (${dptL}) + dpt_p (${dptP}) tidak sama dengan dpt (${dpt})`,
      })
    }
    const location = cell(r, 'lokasi')
    if (location.length > 200) {
      rowErrors.push({
        row: rowNo,
        column: 'lokasi',
        message: 'lokasi paling panjang 200 karakter',
      })
    }
    if (number !== null && desa !== '') {
      const code = tpsCode(desa, number)
      const first = seen.get(code)
      if (first !== undefined) {
        rowErrors.push({
          row: rowNo,
          column: 'nomor_tps',
          message: `TPS ${code} ganda: sudah ada di baris ${first}`,
        })
      } else {
        seen.set(code, rowNo)
      }
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors)
      continue
    }
    rows.push({
      code: tpsCode(desa, number!),
      desa,
      number: number!,
      dpt: dpt!,
      dptL,
      dptP,
      location: location === '' ? null : location,
    })
  }
  if (rows.length === 0 && errors.length === 0) {
    errors.push({ row: h + 2, message: 'Berkas tidak berisi satu pun TPS' })
  }
  return { rows, errors }
}
