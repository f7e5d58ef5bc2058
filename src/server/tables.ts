import * as XLSX from 'xlsx'
import { parseCsv, sniffDelimiter } from '../domain/csv'
import { DeskError } from '../service/errors'

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]) // a zip container

/**
 * An uploaded table (CSV text or an XLSX workbook, told apart by content, not by name or header)
 * as rows of text cells. Only the first sheet of a workbook is read; its rows start at A1 (row 1 is
 * table[0], column A is index 0) even when the table itself starts lower or further right.
 */
export function readTable(body: Buffer | string): string[][] {
  if (Buffer.isBuffer(body) && body.subarray(0, 4).equals(XLSX_MAGIC)) {
    let wb: XLSX.WorkBook
    try {
      wb = XLSX.read(body, { type: 'buffer', cellDates: false, dense: true })
    } catch {
      throw new DeskError(400, 'bad_file', 'Berkas XLSX tidak bisa dibaca. Simpan ulang dari Excel sebagai .xlsx atau kirim sebagai CSV.')
    }
    const first = wb.SheetNames[0]
    if (!first) throw new DeskError(400, 'bad_file', 'Berkas XLSX tidak berisi lembar kerja')
    const ws = wb.Sheets[first]!
    if (!ws['!ref']) return []
    // From A1, not from the used range: a table that starts at B2 (or below an empty first row)
    // keeps its own row numbers and column letters, so import errors name the cell Excel shows.
    const range = XLSX.utils.decode_range(ws['!ref'])
    range.s.r = 0
    range.s.c = 0
    const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: false, defval: '', blankrows: true, range })
    return rows.map((r) => r.map((c) => (c == null ? '' : String(c))))
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  if (text.includes('\u0000')) {
    throw new DeskError(400, 'bad_file', 'Berkas bukan CSV atau XLSX. Kirim tabel sebagai .csv (UTF-8) atau .xlsx.')
  }
  return parseCsv(text, sniffDelimiter(text))
}
