import * as XLSX from 'xlsx'
import { parseCsv, sniffDelimiter } from '../domain/csv'
import { DeskError } from '../service/errors'

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]) // a zip container

/**
 * An uploaded table (CSV text or an XLSX workbook, told apart by content, not by name or header)
 * as rows of text cells. Only the first sheet of a workbook is read.
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
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[first]!, { header: 1, raw: false, defval: '', blankrows: true })
    return rows.map((r) => r.map((c) => (c == null ? '' : String(c))))
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  if (text.includes('\u0000')) {
    throw new DeskError(400, 'bad_file', 'Berkas bukan CSV atau XLSX. Kirim tabel sebagai .csv (UTF-8) atau .xlsx.')
  }
  return parseCsv(text, sniffDelimiter(text))
}
