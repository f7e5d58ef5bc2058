// Sheets → .xlsx bytes, written here rather than by SheetJS: the community edition writes no cell
// styles, no page setup, no print titles and no page header/footer, and a recap the province prints
// needs all of them. The format written is the small part of SpreadsheetML the workbooks use (shared
// strings, numbers, formulas with their values, a fixed table of cell styles). The zip has fixed entry
// times and native deflate, so the bytes depend only on the content: a frozen snapshot rebuilt from its
// data is byte-identical to the file the province received.

import { crc32, deflateRawSync } from 'node:zlib'

export const FMT_COUNT = '#,##0'
export const FMT_PERCENT = '0.00%'
/** The one date format of every workbook (times are WIB). */
export const FMT_DATETIME = 'dd-mm-yyyy hh:mm:ss'

/** How a cell's value is shown. */
export type CellFormat = 'text' | 'count' | 'percent' | 'datetime' | 'plain'

export interface Cell {
  t: 's' | 'n'
  v: string | number
  /** A formula (without '='), whose value `v` is filled in. */
  f?: string
  fmt: CellFormat
  /** Overrides the row's role for this cell (e.g. a bold label in a table row). */
  role?: RowRole
}

/**
 * What a row is, which decides how its cells look: `title` (bold, large), `banner` (bold red),
 * `note` (the disclaimer/time line), `plain` (no borders), `head` (bold, filled, wrapped, bordered),
 * `table` (bordered), `total` (bold, filled, bordered), `warn` (a row that needs attention: filled
 * amber, bordered), `section` (bold, bordered: a heading inside a table), `label` (bold, no border),
 * `wrap` (bordered, wrapped text: long explanations).
 */
export type RowRole =
  | 'title'
  | 'banner'
  | 'note'
  | 'plain'
  | 'head'
  | 'table'
  | 'total'
  | 'warn'
  | 'section'
  | 'label'
  | 'wrap'

const colNames: string[] = []
export function col(c: number): string {
  let name = colNames[c]
  if (name === undefined) {
    name = ''
    for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26))
      name = String.fromCharCode(65 + ((n - 1) % 26)) + name
    colNames[c] = name
  }
  return name
}

/** A1-style address of a 0-based column and 0-based row. */
export function addr(c: number, r: number): string {
  return `${col(c)}${r + 1}`
}

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000
/** An ISO instant as an Excel date-time serial in WIB (1900 date system). */
export function excelWib(iso: string): number {
  return (new Date(iso).getTime() + WIB_OFFSET_MS) / 86_400_000 + 25_569
}

export const text = (v: string, role?: RowRole): Cell =>
  role ? { t: 's', v, fmt: 'text', role } : { t: 's', v, fmt: 'text' }
export const count = (v: number): Cell => ({ t: 'n', v, fmt: 'count' })
/** A plain integer (a TPS number, a row number): no thousands separator. */
export const int = (v: number): Cell => ({ t: 'n', v, fmt: 'plain' })
/** A real Excel date-time, shown in WIB as dd-mm-yyyy hh:mm:ss. */
export const dateTime = (iso: string): Cell => ({ t: 'n', v: excelWib(iso), fmt: 'datetime' })
/** A total as a formula whose value is filled in, so the file reads right before Excel recalculates. */
export const formula = (f: string, v: number, fmt: CellFormat = 'count'): Cell => ({
  t: 'n',
  v,
  f,
  fmt,
})
export const share = (numerator: number, denominator: number): number =>
  denominator === 0 ? 0 : numerator / denominator
/** part/whole as a percentage formula, 0 when the whole is 0. */
export const percent = (partRef: string, wholeRef: string, part: number, whole: number): Cell =>
  formula(`IF(${wholeRef}=0,0,${partRef}/${wholeRef})`, share(part, whole), 'percent')

/** What every printed page of a sheet carries in its header and footer. */
export interface PageText {
  /** Left of the header: the disclaimer. */
  left: string
  /** Centre of the header: the training banner, when it is one. */
  centre?: string
  /** Left of the footer: the data time. */
  footer: string
}

/** A sheet built row by row. */
export class SheetBuilder {
  readonly rows: (Cell | undefined)[][] = []
  readonly roles: RowRole[] = []
  widths: number[] = []
  /** Rows and columns kept in view while scrolling (the header). */
  freeze: { rows: number; cols: number } | null = null
  /** Filter buttons on the header row, over the rows below it (to `lastRow`, so a total row stays put). */
  autofilter: { header: number; from: number; to: number; lastRow?: number } | null = null
  /** Rows (0-based, inclusive) printed again at the top of every page; default: the frozen rows. */
  printTitles: { from: number; to: number } | null = null
  /**
   * Columns whose text wraps at this width (column → width) instead of widening the column: a long
   * label or a typed reason makes its row taller, not the whole sheet smaller on paper.
   */
  wrapAt = new Map<number, number>()
  /** Taller rows (points), e.g. a wrapped header. */
  heights = new Map<number, number>()
  /** Cell ranges merged into one (0-based, inclusive). */
  merges: { c1: number; r1: number; c2: number; r2: number }[] = []
  page: PageText | null = null
  private maxCol = 0

  constructor(readonly name: string) {}

  /** 0-based index of the next row. */
  get next(): number {
    return this.rows.length
  }

  get columns(): number {
    return Math.max(this.maxCol, this.widths.length)
  }

  row(cells: (Cell | null | undefined)[], role: RowRole = 'table'): number {
    const row: (Cell | undefined)[] = new Array(cells.length)
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]
      if (c) row[i] = c
    }
    if (cells.length > this.maxCol) this.maxCol = cells.length
    this.rows.push(row)
    this.roles.push(role)
    return this.rows.length - 1
  }

  /** Put a cell at a given place (used for side-by-side tables). */
  put(r: number, c: number, cell: Cell, role: RowRole = 'table'): void {
    while (this.rows.length <= r) this.row([], 'plain')
    this.rows[r]![c] = cell
    if (role !== this.roles[r]) this.rows[r]![c] = { ...cell, role }
    if (c + 1 > this.maxCol) this.maxCol = c + 1
  }

  blank(): number {
    return this.row([], 'plain')
  }

  setRole(r: number, role: RowRole): void {
    this.roles[r] = role
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

// ---------------------------------------------------------------- styles

const FORMATS: CellFormat[] = ['text', 'count', 'percent', 'datetime', 'plain']
const ROLES: RowRole[] = [
  'title',
  'banner',
  'note',
  'plain',
  'head',
  'table',
  'total',
  'warn',
  'section',
  'label',
  'wrap',
]
const NUMFMT: Record<CellFormat, number> = {
  text: 49,
  count: 164,
  percent: 165,
  datetime: 166,
  plain: 1,
}
/** Fonts: 0 normal, 1 bold, 2 bold large, 3 bold dark red, 4 italic. */
const ROLE_FONT: Record<RowRole, number> = {
  title: 2,
  banner: 3,
  note: 4,
  plain: 0,
  head: 1,
  table: 0,
  total: 1,
  warn: 0,
  section: 1,
  label: 1,
  wrap: 0,
}
/** Fills: 0 none, 1 gray125 (required by the format), 2 header blue, 3 total grey, 4 amber, 5 banner red. */
const ROLE_FILL: Record<RowRole, number> = {
  title: 0,
  banner: 5,
  note: 0,
  plain: 0,
  head: 2,
  table: 0,
  total: 3,
  warn: 4,
  section: 3,
  label: 0,
  wrap: 0,
}
const BORDERED = new Set<RowRole>(['head', 'table', 'total', 'warn', 'section', 'wrap'])
/**
 * Title, banner and note rows wrap too: they are merged across the sheet's width (see layout).
 * Section headings wrap in their own cell: spilling into the next column, they would be cut where a
 * sheet printed two pages wide breaks.
 */
const WRAPPED = new Set<RowRole>(['head', 'wrap', 'warn', 'title', 'banner', 'note', 'section'])

/** The cellXfs index of a role and format (index 0 is the default style). */
function styleIndex(role: RowRole, fmt: CellFormat): number {
  return 1 + ROLES.indexOf(role) * FORMATS.length + FORMATS.indexOf(fmt)
}

/** The same, as ` s="N"` attributes looked up by role and format (this runs once per cell). */
const STYLE_ATTR = Object.fromEntries(
  ROLES.map((role) => [
    role,
    Object.fromEntries(FORMATS.map((fmt) => [fmt, ` s="${styleIndex(role, fmt)}"`])),
  ]),
) as Record<RowRole, Record<CellFormat, string>>

function stylesXml(): string {
  const xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
  for (const role of ROLES) {
    for (const fmt of FORMATS) {
      const wrap = WRAPPED.has(role)
      const align =
        role === 'head'
          ? '<alignment horizontal="center" vertical="center" wrapText="1"/>'
          : wrap
            ? '<alignment vertical="top" wrapText="1"/>'
            : '<alignment vertical="top"/>'
      xfs.push(
        `<xf numFmtId="${NUMFMT[fmt]}" fontId="${ROLE_FONT[role]}" fillId="${ROLE_FILL[role]}" borderId="${BORDERED.has(role) ? 1 : 0}" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">${align}</xf>`,
      )
    }
  }
  const fill = (rgb: string) =>
    `<fill><patternFill patternType="solid"><fgColor rgb="FF${rgb}"/><bgColor indexed="64"/></patternFill></fill>`
  const thin =
    '<left style="thin"><color rgb="FF808080"/></left><right style="thin"><color rgb="FF808080"/></right><top style="thin"><color rgb="FF808080"/></top><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/>'
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<numFmts count="3"><numFmt numFmtId="164" formatCode="${FMT_COUNT}"/><numFmt numFmtId="165" formatCode="${FMT_PERCENT}"/><numFmt numFmtId="166" formatCode="${FMT_DATETIME}"/></numFmts>` +
    '<fonts count="5">' +
    '<font><sz val="10"/><name val="Arial"/><family val="2"/></font>' +
    '<font><b/><sz val="10"/><name val="Arial"/><family val="2"/></font>' +
    '<font><b/><sz val="13"/><name val="Arial"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><color rgb="FF9C0006"/><name val="Arial"/><family val="2"/></font>' +
    '<font><i/><sz val="10"/><color rgb="FF404040"/><name val="Arial"/><family val="2"/></font>' +
    '</fonts>' +
    `<fills count="6"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>${fill('D9E2F3')}${fill('EDEDED')}${fill('FFE699')}${fill('FFC7CE')}</fills>` +
    `<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>${thin}</border></borders>` +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  )
}

// ---------------------------------------------------------------- parts

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
function esc(s: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0: drop them.
  return s
    .replace(/[&<>"]/g, (c) => ESC[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
}

/** Formulas are ours (references, SUM, IF, a quoted label): only &, < and > need escaping, rarely. */
function escFormula(f: string): string {
  return /[&<>]/.test(f) ? f.replace(/[&<>]/g, (c) => ESC[c]!) : f
}

/** Text in a page header/footer: '&' starts a code there, so a literal one is doubled. */
function headerText(s: string): string {
  return s.replace(/&/g, '&&')
}

class SharedStrings {
  private index = new Map<string, number>()
  private list: string[] = []
  refs = 0
  id(s: string): number {
    this.refs++
    let i = this.index.get(s)
    if (i === undefined) {
      i = this.list.length
      this.list.push(s)
      this.index.set(s, i)
    }
    return i
  }
  xml(): string {
    const items = this.list.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')
    return `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.refs}" uniqueCount="${this.list.length}">${items}</sst>`
  }
}

function numberText(v: number): string {
  // Shortest round-trip form; Excel reads exponents too, but counts never need them.
  return Number.isFinite(v) ? String(v) : '0'
}

/** Characters a number takes shown as #,##0 (1.234.567). */
function countWidth(v: number): number {
  let digits = 1
  for (let a = Math.abs(v); a >= 10; a /= 10) digits++
  return digits + Math.floor((digits - 1) / 3) + (v < 0 ? 1 : 0)
}

const FIXED_WIDTH: Partial<Record<CellFormat, number>> = { percent: 8, datetime: 19 }
/** Text wider than this wraps or spills instead of widening its column. */
const MAX_TEXT_WIDTH = 60
const LINE_HEIGHT = 12.75

function linesIn(value: string, width: number): number {
  const per = Math.max(1, Math.floor(width * 1.1) - 1)
  return value.split('\n').reduce((a, part) => a + Math.max(1, Math.ceil(part.length / per)), 0)
}

/**
 * Make what is written readable in print: columns at least as wide as their numbers (and table text,
 * up to a limit), header and wrapped rows as tall as their lines, and title/note lines merged across
 * the table so they wrap inside the printed width instead of running off it.
 */
function layout(s: SheetBuilder): void {
  const widths = [...s.widths]
  for (const [c, w] of s.wrapAt) widths[c] = w
  for (let r = 0; r < s.rows.length; r++) {
    const role = s.roles[r]!
    const row = s.rows[r]!
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]
      if (!cell) continue
      const cap = s.wrapAt.get(c)
      if (cap !== undefined && cell.t === 's') {
        // A plain table row whose text is longer than its column wraps (same look, text wrapped).
        if (role === 'table' && linesIn(String(cell.v), cap) > 1) s.roles[r] = 'wrap'
        continue
      }
      let need: number
      if (cell.t === 'n') need = FIXED_WIDTH[cell.fmt] ?? countWidth(cell.v as number) + 2
      // A header wraps between words, never inside one.
      else if (role === 'head')
        need = Math.max(...(cell.v as string).split(/\s+/).map((w) => w.length)) + 3
      // Letters are wider than the digits column widths are counted in; bold and capitals wider still.
      else if (role === 'table' || role === 'warn')
        need = Math.min(MAX_TEXT_WIDTH, Math.ceil((cell.v as string).length * 1.05) + 2)
      else if (role === 'total' || role === 'section')
        need = Math.min(MAX_TEXT_WIDTH, Math.ceil((cell.v as string).length * 1.25) + 2)
      else continue
      if (need > (widths[c] ?? 8)) widths[c] = need
    }
  }
  for (let c = 0; c < widths.length; c++) widths[c] ??= 8
  s.widths = widths
  // A sheet printed two pages wide keeps its title lines within the place columns repeated on both
  // pages, so each page shows them whole (merged across the table, the second page had their tail).
  const print = printLayout(s)
  const columns = print.pagesWide > 1 ? print.repeatedCols : s.columns
  const total = widths.slice(0, columns).reduce((a, b) => a + b, 0)
  for (let r = 0; r < s.rows.length; r++) {
    const role = s.roles[r]!
    const row = s.rows[r]!
    if (
      (role === 'title' || role === 'note' || role === 'banner') &&
      row.length === 1 &&
      row[0] &&
      columns > 1
    ) {
      s.merges.push({ c1: 0, r1: r, c2: columns - 1, r2: r })
      const lines = linesIn(String(row[0].v), total * (role === 'title' ? 0.75 : 1))
      if (lines > 1 && !s.heights.has(r))
        s.heights.set(r, lines * (role === 'title' ? 17 : LINE_HEIGHT) + 3)
    } else if (role === 'head' || role === 'wrap' || role === 'warn' || role === 'section') {
      let lines = 1
      for (let c = 0; c < row.length; c++) {
        const cell = row[c]
        // (Bold capitals of a section heading take about a quarter more room.)
        if (cell?.t === 's')
          lines = Math.max(
            lines,
            linesIn(String(cell.v), role === 'section' ? widths[c]! / 1.25 : widths[c]!),
          )
      }
      if (lines > 1 && !s.heights.has(r)) s.heights.set(r, lines * LINE_HEIGHT + 3)
    }
  }
}

/** The smallest font size (pt) a sheet's 10 pt text may shrink to on paper. */
export const MIN_PRINT_PT = 7
const PAPER_PT = { 8: 1190.55, 9: 841.89 } as const // landscape width: A3, A4
const MARGINS_PT = 0.8 * 72

/**
 * How far a sheet printed `pagesWide` pages wide (the first `repeatedCols` columns on every page)
 * scales its text: 1 = as on screen. A column of width w takes about 5.25w + 3.75 pt in Arial 10.
 */
export function printScale(
  widths: number[],
  paper: 8 | 9,
  pagesWide: number,
  repeatedCols: number,
): number {
  const pt = (ws: number[]) => ws.reduce((a, w) => a + w * 5.25 + 3.75, 0)
  const needed = pt(widths) + (pagesWide - 1) * pt(widths.slice(0, repeatedCols))
  return Math.min(1, (pagesWide * (PAPER_PT[paper] - MARGINS_PT)) / needed)
}

function printLayout(s: SheetBuilder): { paper: 8 | 9; pagesWide: number; repeatedCols: number } {
  const paper = s.widths.reduce((a, b) => a + b, 0) > 190 ? 8 : 9
  const repeatedCols = s.freeze?.cols ?? 0
  const pagesWide =
    repeatedCols > 0 && printScale(s.widths, paper, 1, 0) * 10 < MIN_PRINT_PT ? 2 : 1
  return { paper, pagesWide, repeatedCols }
}

function sheetXml(s: SheetBuilder, index: number, sst: SharedStrings): string {
  layout(s)
  const out: string[] = []
  const lastRow = Math.max(0, s.rows.length - 1)
  const lastCol = Math.max(0, s.columns - 1)
  out.push(XML_HEAD, `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`)
  out.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
  out.push(`<dimension ref="A1:${addr(lastCol, lastRow)}"/>`)
  const selected = index === 0 ? ' tabSelected="1"' : ''
  if (s.freeze && (s.freeze.rows > 0 || s.freeze.cols > 0)) {
    const { rows, cols } = s.freeze
    const pane = rows > 0 && cols > 0 ? 'bottomRight' : rows > 0 ? 'bottomLeft' : 'topRight'
    const at = addr(cols, rows)
    out.push(
      `<sheetViews><sheetView${selected} workbookViewId="0"><pane${cols > 0 ? ` xSplit="${cols}"` : ''}${rows > 0 ? ` ySplit="${rows}"` : ''} topLeftCell="${at}" activePane="${pane}" state="frozen"/><selection pane="${pane}" activeCell="${at}" sqref="${at}"/></sheetView></sheetViews>`,
    )
  } else {
    out.push(`<sheetViews><sheetView${selected} workbookViewId="0"/></sheetViews>`)
  }
  out.push('<sheetFormatPr defaultRowHeight="13.2"/>')
  if (s.widths.length > 0) {
    out.push('<cols>')
    s.widths.forEach((w, i) =>
      out.push(`<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`),
    )
    out.push('</cols>')
  }
  out.push('<sheetData>')
  for (let r = 0; r < s.rows.length; r++) {
    const row = s.rows[r]!
    const role = s.roles[r]!
    const styles = STYLE_ATTR[role]
    const h = s.heights.get(r)
    const rn = String(r + 1)
    // Empty cells of a bordered row still get the border, so a table has no holes.
    const fillEmpty = role !== 'plain' && role !== 'title' && role !== 'note' && role !== 'label'
    let line = h ? `<row r="${rn}" ht="${h}" customHeight="1">` : `<row r="${rn}">`
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]
      if (!cell) {
        if (fillEmpty) line += `<c r="${col(c)}${rn}"${styles.text}/>`
        continue
      }
      const st = cell.role ? STYLE_ATTR[cell.role][cell.fmt] : styles[cell.fmt]
      if (cell.t === 's')
        line += `<c r="${col(c)}${rn}"${st} t="s"><v>${sst.id(cell.v as string)}</v></c>`
      else if (cell.f !== undefined)
        line += `<c r="${col(c)}${rn}"${st}><f>${escFormula(cell.f)}</f><v>${numberText(cell.v as number)}</v></c>`
      else line += `<c r="${col(c)}${rn}"${st}><v>${numberText(cell.v as number)}</v></c>`
    }
    out.push(line + '</row>')
  }
  out.push('</sheetData>')
  if (s.autofilter && s.rows.length > s.autofilter.header + 1) {
    const a = s.autofilter
    out.push(`<autoFilter ref="${addr(a.from, a.header)}:${addr(a.to, a.lastRow ?? lastRow)}"/>`)
  }
  if (s.merges.length > 0) {
    out.push(`<mergeCells count="${s.merges.length}">`)
    for (const m of s.merges) out.push(`<mergeCell ref="${addr(m.c1, m.r1)}:${addr(m.c2, m.r2)}"/>`)
    out.push('</mergeCells>')
  }
  out.push('<printOptions gridLines="0"/>')
  out.push(
    '<pageMargins left="0.4" right="0.4" top="0.75" bottom="0.6" header="0.3" footer="0.3"/>',
  )
  // Landscape, as many pages down as it takes; A3 for the wide tables. One page wide unless that
  // would print the figures below MIN_PRINT_PT: then two pages wide, the place columns repeated.
  const print = printLayout(s)
  // Two pages wide: the halves of a row of the table print one after the other, ready to lay side by side.
  const order = print.pagesWide > 1 ? ' pageOrder="overThenDown"' : ''
  out.push(
    `<pageSetup paperSize="${print.paper}"${order} orientation="landscape" fitToWidth="${print.pagesWide}" fitToHeight="0"/>`,
  )
  if (s.page) {
    const head = `&L&"Arial,Bold"&9${headerText(s.page.left)}${s.page.centre ? `&C&"Arial,Bold"&11${headerText(s.page.centre)}` : ''}&R&9${headerText(s.name)}`
    const foot = `&L&9${headerText(s.page.footer)}&R&9Halaman &P dari &N`
    out.push(
      `<headerFooter><oddHeader>${esc(head)}</oddHeader><oddFooter>${esc(foot)}</oddFooter></headerFooter>`,
    )
  }
  out.push('</worksheet>')
  return out.join('')
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`
}

function workbookXml(sheets: SheetBuilder[]): string {
  const names: string[] = []
  sheets.forEach((s, i) => {
    const q = quoteSheet(s.name)
    if (s.autofilter && s.rows.length > s.autofilter.header + 1) {
      const a = s.autofilter
      const ref = `${q}!$${col(a.from)}$${a.header + 1}:$${col(a.to)}$${(a.lastRow ?? s.rows.length - 1) + 1}`
      names.push(
        `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${esc(ref)}</definedName>`,
      )
    }
    const titles =
      s.printTitles ?? (s.freeze && s.freeze.rows > 0 ? { from: 0, to: s.freeze.rows - 1 } : null)
    // A sheet printed more than one page wide repeats its place columns on every page.
    const print = printLayout(s)
    const cols = print.pagesWide > 1 ? `${q}!$A:$${col(print.repeatedCols - 1)}` : null
    const rows = titles ? `${q}!$${titles.from + 1}:$${titles.to + 1}` : null
    if (cols || rows) {
      names.push(
        `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${esc([cols, rows].filter(Boolean).join(','))}</definedName>`,
      )
    }
  })
  const list = sheets
    .map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('')
  return (
    `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<workbookPr date1904="0"/><bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${list}</sheets>` +
    (names.length > 0 ? `<definedNames>${names.join('')}</definedNames>` : '') +
    '<calcPr calcId="191029"/></workbook>'
  )
}

function workbookRels(n: number): string {
  const rels: string[] = []
  for (let i = 1; i <= n; i++)
    rels.push(
      `<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`,
    )
  rels.push(`<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`)
  rels.push(
    `<Relationship Id="rId${n + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>`,
  )
  return `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`
}

function contentTypes(n: number): string {
  const sheets: string[] = []
  for (let i = 1; i <= n; i++) {
    sheets.push(
      `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
  }
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets.join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    '</Types>'
  )
}

const ROOT_RELS =
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  `<Relationship Id="rId3" Type="${NS_REL}/extended-properties" Target="docProps/app.xml"/>` +
  '</Relationships>'

function coreXml(props: WorkbookProps): string {
  const at = new Date(props.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${esc(props.title)}</dc:title><dc:subject>${esc(props.subject)}</dc:subject><dc:creator>Desk Pilkada</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  )
}

const APP_XML = `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Desk Pilkada</Application><Company>Desk Pilkada</Company></Properties>`

// ---------------------------------------------------------------- zip

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
export function writeWorkbook(
  sheets: SheetBuilder[],
  props: WorkbookProps,
  timings?: Timings,
): Buffer {
  const entries = timed(timings, 'xml', () => {
    const sst = new SharedStrings()
    const sheetParts = sheets.map((s, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      content: Buffer.from(sheetXml(s, i, sst), 'utf8'),
    }))
    // [Content_Types].xml first, as Office writes it: some tools sniff the type from the first entry.
    return [
      { name: '[Content_Types].xml', content: Buffer.from(contentTypes(sheets.length), 'utf8') },
      { name: '_rels/.rels', content: Buffer.from(ROOT_RELS, 'utf8') },
      { name: 'docProps/core.xml', content: Buffer.from(coreXml(props), 'utf8') },
      { name: 'docProps/app.xml', content: Buffer.from(APP_XML, 'utf8') },
      { name: 'xl/workbook.xml', content: Buffer.from(workbookXml(sheets), 'utf8') },
      {
        name: 'xl/_rels/workbook.xml.rels',
        content: Buffer.from(workbookRels(sheets.length), 'utf8'),
      },
      { name: 'xl/styles.xml', content: Buffer.from(stylesXml(), 'utf8') },
      ...sheetParts,
      { name: 'xl/sharedStrings.xml', content: Buffer.from(sst.xml(), 'utf8') },
    ]
  })
  return timed(timings, 'zip', () => writeZip(entries))
}
