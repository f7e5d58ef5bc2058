// Sheets → .xlsx bytes. SheetJS (community edition 0.18.5) writes the workbook parts; two things it
// cannot do are done here on its output: frozen header panes (it never writes <pane>), and a zip
// whose bytes depend only on the content (fixed entry times, native deflate), so a frozen snapshot
// rebuilt from its data is byte-identical to the file the province received.

import { crc32, deflateRawSync } from 'node:zlib'
import type * as SheetJSTypes from 'xlsx'
import { sheetjs } from './sheetjs'

export const FMT_COUNT = '#,##0'
export const FMT_PERCENT = '0.00%'

export type Cell = SheetJSTypes.CellObject

const colNames: string[] = []
export function col(c: number): string {
  return (colNames[c] ??= sheetjs().utils.encode_col(c))
}

/** A1-style address of a 0-based column and 0-based row. */
export function addr(c: number, r: number): string {
  return `${col(c)}${r + 1}`
}

export const text = (v: string): Cell => ({ t: 's', v })
export const count = (v: number): Cell => ({ t: 'n', v, z: FMT_COUNT })
/** A total as a formula whose value is filled in, so the file reads right before Excel recalculates. */
export const formula = (f: string, v: number, z: string = FMT_COUNT): Cell => ({ t: 'n', v, f, z })
export const share = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator)
/** part/whole as a percentage formula, 0 when the whole is 0. */
export const percent = (partRef: string, wholeRef: string, part: number, whole: number): Cell =>
  formula(`IF(${wholeRef}=0,0,${partRef}/${wholeRef})`, share(part, whole), FMT_PERCENT)

/** A sheet built row by row (dense: an array of rows, which SheetJS writes fastest). */
export class SheetBuilder {
  readonly rows: (Cell | undefined)[][] = []
  widths: number[] = []
  /** Rows and columns kept in view while scrolling (the header). */
  freeze: { rows: number; cols: number } | null = null
  /** Filter buttons on the header row, over the rows below it (to `lastRow`, so a total row stays put). */
  autofilter: { header: number; from: number; to: number; lastRow?: number } | null = null
  private maxCol = 0

  constructor(readonly name: string) {}

  /** 0-based index of the next row. */
  get next(): number {
    return this.rows.length
  }

  row(cells: (Cell | null | undefined)[]): number {
    const row: (Cell | undefined)[] = new Array(cells.length)
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]
      if (c) row[i] = c
    }
    if (cells.length > this.maxCol) this.maxCol = cells.length
    this.rows.push(row)
    return this.rows.length - 1
  }

  /** Put a cell at a given place (used for side-by-side tables). */
  put(r: number, c: number, cell: Cell): void {
    while (this.rows.length <= r) this.rows.push([])
    this.rows[r]![c] = cell
    if (c + 1 > this.maxCol) this.maxCol = c + 1
  }

  blank(): number {
    return this.row([])
  }

  toWorksheet(): SheetJSTypes.WorkSheet {
    const ws = this.rows as unknown as SheetJSTypes.WorkSheet
    const lastRow = Math.max(0, this.rows.length - 1)
    const lastCol = Math.max(0, this.maxCol - 1, this.widths.length - 1)
    ws['!ref'] = `A1:${addr(lastCol, lastRow)}`
    if (this.widths.length > 0) ws['!cols'] = this.widths.map((wch) => ({ wch }))
    if (this.autofilter && this.rows.length > this.autofilter.header + 1) {
      const a = this.autofilter
      ws['!autofilter'] = { ref: `${addr(a.from, a.header)}:${addr(a.to, a.lastRow ?? lastRow)}` }
    }
    return ws
  }
}

export interface WorkbookProps {
  title: string
  subject: string
  /** Written as the creation and modification time: the only time in the file. */
  createdAt: string
}

/** Milliseconds per phase, filled in when a caller (the benchmark) asks. */
export type Timings = Record<string, number>

export function timed<T>(timings: Timings | undefined, phase: string, fn: () => T): T {
  if (!timings) return fn()
  const t0 = performance.now()
  try {
    return fn()
  } finally {
    timings[phase] = (timings[phase] ?? 0) + performance.now() - t0
  }
}

const SHEET_VIEW = Buffer.from('<sheetView workbookViewId="0"/>')

function frozenView(freeze: { rows: number; cols: number }, selected: boolean): Buffer {
  const { rows, cols } = freeze
  const pane =
    rows > 0 && cols > 0 ? 'bottomRight' : rows > 0 ? 'bottomLeft' : 'topRight'
  const attrs = [
    cols > 0 ? ` xSplit="${cols}"` : '',
    rows > 0 ? ` ySplit="${rows}"` : '',
    ` topLeftCell="${addr(cols, rows)}"`,
    ` activePane="${pane}" state="frozen"`,
  ].join('')
  return Buffer.from(
    `<sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0"><pane${attrs}/><selection pane="${pane}" activeCell="${addr(cols, rows)}" sqref="${addr(cols, rows)}"/></sheetView>`,
  )
}

/** Replace the first plain sheet view (near the top of a sheet's XML) with a frozen one. */
function freezeSheetXml(xml: Buffer, freeze: { rows: number; cols: number }, selected: boolean): Buffer {
  const at = xml.indexOf(SHEET_VIEW)
  if (at < 0 || at > 4096) return xml
  return Buffer.concat([xml.subarray(0, at), frozenView(freeze, selected), xml.subarray(at + SHEET_VIEW.length)])
}

interface ZipEntry {
  name: string
  content: Buffer
}

/** A zip with fixed entry times (1980-01-01 00:00) and deflate: identical content → identical bytes. */
function writeZip(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  const DOS_TIME = 0
  const DOS_DATE = (0 << 9) | (1 << 5) | 1
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const data = deflateRawSync(e.content)
    const crc = crc32(e.content)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6) // names are UTF-8
    local.writeUInt16LE(8, 8)
    local.writeUInt16LE(DOS_TIME, 10)
    local.writeUInt16LE(DOS_DATE, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(e.content.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const cd = Buffer.alloc(46)
    cd.writeUInt32LE(0x02014b50, 0)
    cd.writeUInt16LE(20, 4)
    cd.writeUInt16LE(20, 6)
    cd.writeUInt16LE(0x0800, 8)
    cd.writeUInt16LE(8, 10)
    cd.writeUInt16LE(DOS_TIME, 12)
    cd.writeUInt16LE(DOS_DATE, 14)
    cd.writeUInt32LE(crc, 16)
    cd.writeUInt32LE(data.length, 20)
    cd.writeUInt32LE(e.content.length, 24)
    cd.writeUInt16LE(name.length, 28)
    cd.writeUInt32LE(offset, 42)
    parts.push(local, name, data)
    central.push(cd, name)
    offset += local.length + name.length + data.length
  }
  const cdSize = central.reduce((a, b) => a + b.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cdSize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, ...central, end])
}

/** Write the sheets as one .xlsx file. Pure: the same sheets and props give the same bytes. */
export function writeWorkbook(sheets: SheetBuilder[], props: WorkbookProps, timings?: Timings): Buffer {
  const created = new Date(props.createdAt)
  const wb: SheetJSTypes.WorkBook = {
    SheetNames: sheets.map((s) => s.name),
    Sheets: Object.fromEntries(sheets.map((s) => [s.name, s.toWorksheet()])),
    Props: {
      Title: props.title,
      Subject: props.subject,
      Author: 'Desk Pilkada',
      Company: 'Desk Pilkada',
      CreatedDate: created,
      ModifiedDate: created,
    },
  }
  const plain = timed(timings, 'sheetjs', () => sheetjs().write(wb, { type: 'buffer', bookType: 'xlsx', bookSST: true, compression: false }) as Buffer)
  return timed(timings, 'zip', () => repack(plain, sheets))
}

/** SheetJS's uncompressed package → frozen panes patched in, deflated with fixed entry times. */
function repack(plain: Buffer, sheets: SheetBuilder[]): Buffer {
  const cfb = sheetjs().CFB.read(plain, { type: 'buffer' })
  const root = cfb.FullPaths[0] ?? ''
  const entries: ZipEntry[] = []
  for (let i = 1; i < cfb.FullPaths.length; i++) {
    const file = cfb.FileIndex[i]!
    const name = cfb.FullPaths[i]!.slice(root.length)
    if (file.type !== 2 || !file.content || name.startsWith('\u0001')) continue
    entries.push({ name, content: Buffer.from(file.content as Uint8Array) })
  }
  sheets.forEach((s, i) => {
    if (!s.freeze) return
    const entry = entries.find((e) => e.name === `xl/worksheets/sheet${i + 1}.xml`)
    if (entry) entry.content = freezeSheetXml(entry.content, s.freeze, i === 0)
  })
  // [Content_Types].xml first, as Office writes it: some tools sniff the type from the first entry.
  entries.sort((a, b) => (a.name === '[Content_Types].xml' ? -1 : b.name === '[Content_Types].xml' ? 1 : 0))
  return writeZip(entries)
}
