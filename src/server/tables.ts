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
      wb = XLSX.read(body, { type: 'buffer', cellDates: false })
    } catch {
      throw new DeskError(400, 'bad_file', 'Berkas XLSX tidak bisa dibaca. Simpan ulang dari Excel sebagai .xlsx atau kirim sebagai CSV.')
    }
    const first = wb.SheetNames[0]
    if (!first) throw new DeskError(400, 'bad_file', 'Berkas XLSX tidak berisi lembar kerja')
    return sheetRows(wb.Sheets[first]!)
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  if (text.includes('\u0000')) {
    throw new DeskError(400, 'bad_file', 'Berkas bukan CSV atau XLSX. Kirim tabel sebagai .csv (UTF-8) atau .xlsx.')
  }
  return parseCsv(text, sniffDelimiter(text))
}

/**
 * A sheet's cells as text, from A1 (not from the used range: a table that starts at B2, or below an
 * empty first row, keeps its own row numbers and column letters, so import errors name the cell
 * Excel shows). Numbers are read by value, not as displayed: a DPT of 1000 formatted `#,##0` shows
 * as "1,000", a phone number 6281234567890 in a General cell as "6.28123E+12", and neither is what
 * was typed. A date or TRUE/FALSE comes as Excel shows it: in a column an import reads, its check
 * refuses it by row and column ("dpt "27/11/24" harus bilangan bulat"); in a column no import reads
 * (a KPU export's timestamp) it does no harm.
 */
function sheetRows(ws: XLSX.WorkSheet): string[][] {
  if (!ws['!ref']) return []
  const declared = XLSX.utils.decode_range(ws['!ref'])
  // The extent of the cells actually present, within the declared range: a file claiming A1:XFD1048576
  // with three cells in it makes a small table, not billions of empty strings.
  let lastRow = -1
  let lastCol = -1
  const cells: { r: number; c: number; cell: XLSX.CellObject }[] = []
  for (const address of Object.keys(ws)) {
    if (address.startsWith('!')) continue
    const { r, c } = XLSX.utils.decode_cell(address)
    if (r > declared.e.r || c > declared.e.c || r < declared.s.r || c < declared.s.c) continue
    const cell = ws[address] as XLSX.CellObject
    if (cell.t === 'z' || cell.v == null) continue
    cells.push({ r, c, cell })
    if (r > lastRow) lastRow = r
    if (c > lastCol) lastCol = c
  }
  const rows: string[][] = Array.from({ length: lastRow + 1 }, () => new Array<string>(lastCol + 1).fill(''))
  for (const { r, c, cell } of cells) {
    const shown = cell.w ?? String(cell.v)
    if (cell.t === 'n') rows[r]![c] = numberText(cell.v as number, shown)
    else if (cell.t === 'b') rows[r]![c] = cell.v ? 'TRUE' : 'FALSE'
    // Dates and Excel errors (#N/A, #DIV/0!) as Excel shows them.
    else if (cell.t === 'd' || cell.t === 'e') rows[r]![c] = shown
    else rows[r]![c] = String(cell.v)
  }
  return rows
}

/**
 * A number cell's value as the digits that were typed: 1000 → "1000", 6281234567890 → "6281234567890"
 * (never "6.28e+12"), 250.5 → "250.5" (left for the import to refuse as not whole).
 */
function numberText(v: number, shown: string): string {
  if (!Number.isFinite(v)) return shown
  if (Number.isInteger(v)) return BigInt(v).toString()
  return String(v)
}
