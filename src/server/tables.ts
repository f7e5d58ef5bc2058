import type * as XLSX from 'xlsx'
import { sheetjs } from './sheetjs'
import { parseCsv, sniffDelimiter } from '../domain/csv'
import { formatCount } from '../shared/format'
import { DeskError } from '../service/errors'

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]) // a zip container

/** An XLSX workbook (a zip container), told by its first bytes; anything else is read as CSV. */
export function isWorkbook(body: Buffer): boolean {
  return body.subarray(0, 4).equals(XLSX_MAGIC)
}

/**
 * An uploaded table (CSV text or an XLSX workbook, told apart by content, not by name or header)
 * as rows of text cells. Only the first sheet of a workbook is read; its rows start at A1 (row 1 is
 * table[0], column A is index 0) even when the table itself starts lower or further right.
 */
export function readTable(body: Buffer | string, limits: TableLimits = TABLE_LIMITS): string[][] {
  if (Buffer.isBuffer(body) && isWorkbook(body)) {
    checkWorkbookSize(body, limits)
    let wb: XLSX.WorkBook
    try {
      // Only the first sheet is parsed (the one every import reads); no styles, formulas or HTML.
      wb = sheetjs().read(body, {
        type: 'buffer',
        cellDates: false,
        sheets: 0,
        cellStyles: false,
        cellFormula: false,
        cellHTML: false,
      })
    } catch {
      throw new DeskError(
        400,
        'bad_file',
        'Berkas XLSX tidak bisa dibaca. Simpan ulang dari Excel sebagai .xlsx atau kirim sebagai CSV.',
      )
    }
    const first = wb.SheetNames[0]
    if (!first) throw new DeskError(400, 'bad_file', 'Berkas XLSX tidak berisi lembar kerja')
    return sheetRows(wb.Sheets[first]!, limits)
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  if (text.includes('\u0000')) {
    throw new DeskError(
      400,
      'bad_file',
      'Berkas bukan CSV atau XLSX. Kirim tabel sebagai .csv (UTF-8) atau .xlsx.',
    )
  }
  const rows = parseCsv(text, sniffDelimiter(text))
  let cells = 0
  for (const row of rows) cells += row.length
  if (cells > limits.cells)
    throw tooBig(`Tabel berisi lebih dari ${formatCount(limits.cells)} sel.`, 'Terlalu banyak sel')
  return rows
}

/** Past these, a cell is not part of any table the desk imports (the largest is one row per TPS). */
const MAX_ROWS = 100_000
const MAX_COLUMNS = 200

/**
 * What an uploaded table may be. East Java's TPS list (60,751 rows of ten columns, about 20 MB of
 * sheet XML) fits well inside; an 18 MB workbook of 5.4 million cells that once stopped the desk
 * for 24 s does not, and is refused from its zip directory before a byte of it is parsed.
 */
export interface TableLimits {
  /** Bytes of the file as sent. */
  bytes: number
  /** Entries in the workbook's zip. */
  entries: number
  /** Worksheets in the workbook. */
  sheets: number
  /** Uncompressed bytes of the first worksheet's XML. */
  sheetBytes: number
  /** Uncompressed bytes of the whole workbook (shared strings included). */
  totalBytes: number
  /** Filled cells read from the first sheet. */
  cells: number
}

export const TABLE_LIMITS: TableLimits = {
  bytes: 20 * 1024 * 1024,
  entries: 1_000,
  sheets: 50,
  sheetBytes: 64 * 1024 * 1024,
  totalBytes: 128 * 1024 * 1024,
  // East Java's TPS list is 607,510 cells; a regency's KPU figures far fewer. Every cell read
  // becomes a string on the desk's thread, so the cap is what real files need, with room.
  cells: 1_000_000,
}

const tooBig = (what: string, field = 'Berkas terlalu besar') =>
  new DeskError(
    413,
    'too_large',
    `${what} Kirim hanya tabel yang diimpor (satu lembar), atau sebagai CSV.`,
    { file: field },
  )

const MB = (n: number) => `${formatCount(Math.ceil(n / 1024 / 1024))} MB`

/**
 * Refuses a workbook that is plainly too big from its zip central directory alone (a few KB read,
 * nothing inflated): too many entries or sheets, or sheet XML past the limits once unpacked.
 */
export function checkWorkbookSize(body: Buffer, limits: TableLimits = TABLE_LIMITS): void {
  if (body.length > limits.bytes)
    throw tooBig(`Berkas ${MB(body.length)}, paling besar ${MB(limits.bytes)}.`)
  // End of central directory: 22 bytes plus a comment of up to 64 KB, at the end of the file.
  const from = Math.max(0, body.length - 22 - 0xffff)
  const eocd = body.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]), body.length - 22)
  if (eocd < from)
    throw new DeskError(
      400,
      'bad_file',
      'Berkas XLSX tidak bisa dibaca (bukan zip yang utuh). Simpan ulang dari Excel sebagai .xlsx atau kirim sebagai CSV.',
    )
  const count = body.readUInt16LE(eocd + 10)
  let at = body.readUInt32LE(eocd + 16)
  if (count > limits.entries)
    throw tooBig(
      `Berkas berisi ${formatCount(count)} bagian, paling banyak ${formatCount(limits.entries)}.`,
    )
  let sheets = 0
  let total = 0
  for (let i = 0; i < count; i++) {
    if (at + 46 > body.length || body.readUInt32LE(at) !== 0x02014b50) {
      throw new DeskError(
        400,
        'bad_file',
        'Berkas XLSX tidak bisa dibaca (direktori zip rusak). Simpan ulang dari Excel sebagai .xlsx.',
      )
    }
    const size = body.readUInt32LE(at + 24)
    const nameLength = body.readUInt16LE(at + 28)
    const name = body.toString('latin1', at + 46, at + 46 + nameLength)
    // 0xFFFFFFFF: a ZIP64 entry of 4 GB or more, which no import table is.
    const unpacked = size === 0xffffffff ? Infinity : size
    total += unpacked
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) {
      sheets++
      if (unpacked > limits.sheetBytes) {
        throw tooBig(
          `Lembar kerja ${name.slice(14)} berisi ${Number.isFinite(unpacked) ? MB(unpacked) : 'lebih dari 4 GB'} data setelah dibuka, paling besar ${MB(limits.sheetBytes)}.`,
          'Lembar kerja terlalu besar',
        )
      }
    }
    at += 46 + nameLength + body.readUInt16LE(at + 30) + body.readUInt16LE(at + 32)
  }
  if (sheets > limits.sheets)
    throw tooBig(
      `Berkas berisi ${formatCount(sheets)} lembar kerja, paling banyak ${formatCount(limits.sheets)}.`,
      'Terlalu banyak lembar kerja',
    )
  if (total > limits.totalBytes)
    throw tooBig(
      `Berkas berisi ${MB(total)} data setelah dibuka, paling besar ${MB(limits.totalBytes)}.`,
    )
}

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
function sheetRows(ws: XLSX.WorkSheet, limits: TableLimits): string[][] {
  const rows: string[][] = []
  let cells = 0
  for (const address of Object.keys(ws)) {
    if (address.startsWith('!')) continue
    if (++cells > limits.cells)
      throw tooBig(
        `Lembar kerja berisi lebih dari ${formatCount(limits.cells)} sel.`,
        'Terlalu banyak sel',
      )
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
