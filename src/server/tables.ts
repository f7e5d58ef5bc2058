import type * as XLSX from 'xlsx'
import { sheetjs } from '../export/sheetjs'
import { parseCsv, sniffDelimiter } from '../domain/csv'
import { formatCount } from '../shared/format'
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
      wb = sheetjs().read(body, { type: 'buffer', cellDates: false })
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

/** Past these, a cell is not part of any table the desk imports (the largest is one row per TPS). */
const MAX_ROWS = 100_000
const MAX_COLUMNS = 200

/**
 * A sheet's cells as text, from A1 (not from the used range: a table that starts at B2, or below an
 * empty first row, keeps its own row numbers and column letters, so import errors name the cell
 * Excel shows). Numbers are read by value, not as formatted: a DPT of 1000 formatted `#,##0` shows
 * as "1,000", a phone number 6281234567890 in a General cell as "6.28123E+12", and neither is what
 * was typed — except digits Excel shows with leading zeros (`000000000000` shows 081234567890;
 * TPS `003`), which are kept as shown. TRUE/FALSE comes as `TRUE`/`FALSE` and a date as its value
 * (Excel's day number): in a column an import reads, its check refuses them by row and column; in
 * a column no import reads (a KPU export's timestamp) they do no harm. Each row is as long as its
 * own last non-blank cell: a stray blank cell far away builds nothing.
 */
function sheetRows(ws: XLSX.WorkSheet): string[][] {
  const rows: string[][] = []
  for (const address of Object.keys(ws)) {
    if (address.startsWith('!')) continue
    const cell = ws[address] as XLSX.CellObject
    if (cell.t === 'z' || cell.v == null) continue
    const text = cellText(cell)
    if (text.trim() === '') continue
    const { r, c } = sheetjs().utils.decode_cell(address)
    if (r >= MAX_ROWS || c >= MAX_COLUMNS) {
      throw new DeskError(
        400,
        'bad_file',
        `Sel ${address} terlalu jauh (paling jauh baris ${formatCount(MAX_ROWS)}, kolom ${sheetjs().utils.encode_col(MAX_COLUMNS - 1)}). Hapus isinya, atau salin tabel saja ke lembar baru, lalu impor ulang.`,
        { file: `Sel ${address} di luar tabel` },
      )
    }
    const row = (rows[r] ??= [])
    row[c] = text
  }
  // Holes (empty rows, empty cells before a filled one) become '' as in a CSV.
  return Array.from(rows, (row) => Array.from(row ?? [], (v) => v ?? ''))
}

function cellText(cell: XLSX.CellObject): string {
  const shown = cell.w ?? String(cell.v)
  if (cell.t === 'n') return numberText(cell.v as number, shown)
  if (cell.t === 'b') return cell.v ? 'TRUE' : 'FALSE'
  // Excel errors (#N/A, #DIV/0!) as Excel shows them.
  if (cell.t === 'e') return shown
  return String(cell.v)
}

/**
 * A number cell's value as the digits that were typed: 1000 → "1000", 6281234567890 → "6281234567890"
 * (never "6.28e+12"), 250.5 → "250.5" (left for the import to refuse as not whole). Digits shown with
 * leading zeros (a format like `000`) keep them: they are what the person typed and reads.
 */
function numberText(v: number, shown: string): string {
  if (!Number.isFinite(v)) return shown
  if (/^0\d+$/.test(shown) && Number(shown) === v) return shown
  if (Number.isInteger(v)) return BigInt(v).toString()
  return String(v)
}
