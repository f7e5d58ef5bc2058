// KPU's figures from a table (CSV or the first sheet of an XLSX, as rows of text): all or nothing.
// Two layouts are read:
//  - "baris" (one row per region, like a Sirekap export): a region column (kode_tps, or kode_desa +
//    nomor_tps, or kode_desa, or kode_kecamatan), optional pemilihan, suara_1…suara_N (suara_0 or
//    suara_kolom_kosong for the empty column), suara_tidak_sah, optional suara_sah and jumlah_suara.
//  - "dhasil" (like form D.Hasil): the header's first filled cell is `uraian`, the other header cells are
//    kecamatan or desa codes (a name may follow the code; a JUMLAH column is skipped), and the rows
//    are the lines suara_1…suara_N, suara_tidak_sah, optional suara_sah and jumlah_suara; other
//    lines (DPT, pengguna hak pilih…) are skipped. The contest comes with the request.
// Every error names the spreadsheet's own row and column: the table is read from A1 and its header
// is the first row with text, so in a table starting at B2 a bad D3 is reported as row 3, column D.

import { regionLevel, tpsCode } from '../domain/codes'
import { headerIndex, type RowError } from '../domain/tps'
import type { KpuFigure, KpuLevel, SourceCandidate } from './source'
import { col } from './xlsx-file'

export interface KpuTableContext {
  regencyName: string
  kecamatan: ReadonlySet<string>
  desa: ReadonlySet<string>
  /** TPS codes of the registry. */
  tps: ReadonlySet<string>
  contests: { id: string; name: string; candidates: SourceCandidate[] }[]
  /** The contest of a file without a `pemilihan` column (required for the D.Hasil layout). */
  contest?: string
}

export interface KpuParsed {
  format: 'baris' | 'dhasil'
  level: KpuLevel
  sets: { contest: string; figures: KpuFigure[] }[]
  /** Data rows read. */
  rows: number
}

export const KPU_MAX_FIGURE = 50_000_000

const normalise = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_')

/** "1234", "1.234", "1,234" → 1234; "" → 'blank'; anything else → null. */
export function parseCount(raw: string): number | 'blank' | null {
  const s = raw.replace(/\s+/g, '')
  if (s === '') return 'blank'
  let digits: string
  if (/^\d+$/.test(s)) digits = s
  else if (/^\d{1,3}([.,]\d{3})+$/.test(s)) digits = s.replace(/[.,]/g, '')
  else return null
  const n = Number(digits)
  return n <= KPU_MAX_FIGURE ? n : null
}

/** suara_3, paslon_3, suara_paslon_3, 3 → 3; suara_kolom_kosong, kolom_kosong, suara_0 → 0. */
function pairNumber(key: string): number | null {
  if (key === 'suara_kolom_kosong' || key === 'kolom_kosong') return 0
  const m = /^(?:suara_)?(?:paslon_)?(\d{1,2})$/.exec(key)
  return m ? Number(m[1]) : null
}

const VALID_KEYS = new Set(['suara_sah', 'jumlah_suara_sah'])
const INVALID_KEYS = new Set(['suara_tidak_sah', 'jumlah_suara_tidak_sah'])
const TOTAL_KEYS = new Set(['jumlah_suara', 'suara_sah_dan_tidak_sah', 'jumlah_suara_sah_dan_tidak_sah'])

/** Lowercase words joined by '_', without punctuation: "Jumlah Suara Sah (A+B)" → "jumlah_suara_sah_a_b". */
const words = (h: string) =>
  h
    .toLowerCase()
    .replace(/&/g, ' dan ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, '_')

/**
 * A header or line label as KPU's own D.Hasil exports write it, in the desk's terms: "Jumlah Suara
 * Sah", "Jumlah Seluruh Suara Tidak Sah", "Suara Paslon 01", "Perolehan Suara Pasangan Calon Nomor
 * Urut 2", "1. Jumlah suara sah" (the form's line number in front), or a pair by its names
 * ("2. Khofifah Indar Parawansa - Emil Elestianto Dardak", or the first name alone).
 */
export function kpuKey(raw: string, candidates: SourceCandidate[] = []): string {
  const plain = normalise(raw)
  if (pairNumber(plain) !== null || VALID_KEYS.has(plain) || INVALID_KEYS.has(plain) || TOTAL_KEYS.has(plain)) return plain
  const full = words(raw)
  let w = full
  // A form's line number or letter in front ("1.", "a.", "III.") when text follows it.
  const numbered = /^(\d{1,2}|[a-h]|[ivx]{1,4})_(?=\p{L})/u.exec(w)
  const lead = numbered ? numbered[1]! : null
  if (numbered) w = w.slice(numbered[0].length)
  w = w.replace(/^(?:jumlah_seluruh|jumlah|total|perolehan)_/, '')
  if (/^(?:suara_)?sah$/.test(w)) return 'suara_sah'
  if (/^(?:suara_)?tidak_sah$/.test(w)) return 'suara_tidak_sah'
  if (/^(?:suara_)?sah_dan_(?:suara_)?tidak_sah$/.test(w)) return 'jumlah_suara'
  if (/^(?:suara_)?kolom_kosong$/.test(w)) return 'suara_kolom_kosong'
  const pair = /^(?:suara_)?(?:pasangan_calon|paslon|calon)?_?(?:nomor_urut_|no_urut_|nomor_|no_)?0?(\d{1,2})$/.exec(w)
  if (pair) return `suara_${Number(pair[1])}`
  // By the pair's names (all of them, or the first person's), the line number in front being the pair's.
  const names = (c: SourceCandidate) => [words(c.name), words(c.name.split(/\s+-\s+|\s*\/\s*|\s+dan\s+/i)[0] ?? '')]
  // ("H. Hendy …" starts with a letter that may look like a line letter: try the label whole too.)
  const whole = candidates.find((c) => c.number > 0 && names(c).includes(full))
  if (whole) return `suara_${whole.number}`
  const named = candidates.find((c) => c.number > 0 && names(c).includes(w))
  if (named && (lead === null || lead === String(named.number))) return `suara_${named.number}`
  return plain
}

/** Header cells the desk does not read from a KPU file but recognises (names, DPT and the like). */
const INFORMATIVE = /^(?:no|nomor|kecamatan|nama_kecamatan|desa|kelurahan|desa_kelurahan|nama_desa|nama_kelurahan|nama_desa_kelurahan|nama_tps|tps|wilayah|nama_wilayah|kabupaten|kota|provinsi|dpt|.*pemilih.*|.*pengguna.*|.*surat_suara.*|keterangan|catatan)$/

/** 'Judul kolom yang tidak dikenali: "Suara Tdk Sah" (F), …' for a missing-column error, or ''. */
function unrecognised(header: string[], used: Set<number>, from = 0): string {
  const list: string[] = []
  header.forEach((raw, i) => {
    if (i < from || used.has(i) || raw.trim() === '' || INFORMATIVE.test(words(raw))) return
    list.push(`"${raw.trim()}" (${col(i)})`)
  })
  return list.length ? `. Judul kolom yang tidak dikenali: ${list.join(', ')}` : ''
}

/** One cell: its text, the column name to report, its 0-based column index, and its spreadsheet row. */
interface CellRef {
  raw: string
  column: string
  index: number
  row: number
}

interface Collector {
  errors: RowError[]
  sets: Map<string, KpuFigure[]>
  seen: Map<string, number>
}

function where(column: string, index: number): string {
  return `kolom ${column} (${col(index)})`
}

/** Check one region's figures and keep them; errors name the row and each column at fault. */
function addFigure(
  c: Collector,
  rowNo: number,
  contest: { id: string; candidates: SourceCandidate[] },
  region: string,
  read: { votes: Map<number, CellRef>; invalid: CellRef | null; valid: CellRef | null; total: CellRef | null },
  regionColumn: string,
): void {
  const errs: RowError[] = []
  const value = (cell: CellRef, required: boolean): number | null => {
    const n = parseCount(cell.raw)
    if (n === 'blank') {
      if (required) errs.push({ row: cell.row, column: cell.column, message: `${where(cell.column, cell.index)} wajib diisi` })
      return null
    }
    if (n === null) {
      errs.push({
        row: cell.row,
        column: cell.column,
        message: `${where(cell.column, cell.index)}: "${cell.raw.trim()}" harus bilangan bulat 0 atau lebih`,
      })
      return null
    }
    return n
  }
  const votes: number[] = []
  for (const cand of contest.candidates) {
    const cell = read.votes.get(cand.number)
    const v = cell ? value(cell, true) : null
    votes.push(v ?? 0)
  }
  for (const [number, cell] of read.votes) {
    if (contest.candidates.some((k) => k.number === number)) continue
    const v = value(cell, false)
    if (v !== null && v !== 0) {
      errs.push({
        row: cell.row,
        column: cell.column,
        message: `${where(cell.column, cell.index)}: paslon ${number} tidak ada dalam pemilihan ${contest.id}; kosongkan kolom ini`,
      })
    }
  }
  const invalid = read.invalid ? value(read.invalid, true) : null
  const sum = votes.reduce((a, b) => a + b, 0)
  if (read.valid) {
    const v = value(read.valid, false)
    if (v !== null && errs.length === 0 && v !== sum) {
      errs.push({
        row: read.valid.row,
        column: read.valid.column,
        message: `${where(read.valid.column, read.valid.index)}: suara sah ${v} tidak sama dengan jumlah suara paslon ${sum}`,
      })
    }
  }
  if (read.total && invalid !== null) {
    const v = value(read.total, false)
    if (v !== null && errs.length === 0 && v !== sum + invalid) {
      errs.push({
        row: read.total.row,
        column: read.total.column,
        message: `${where(read.total.column, read.total.index)}: ${v} tidak sama dengan suara sah + tidak sah (${sum + invalid})`,
      })
    }
  }
  const key = `${contest.id}|${region}`
  const first = c.seen.get(key)
  if (first !== undefined) {
    errs.push({ row: rowNo, column: regionColumn, message: `${region} untuk pemilihan ${contest.id} ganda: sudah ada di baris ${first}` })
  } else {
    c.seen.set(key, rowNo)
  }
  if (errs.length > 0) {
    c.errors.push(...errs)
    return
  }
  const list = c.sets.get(contest.id) ?? []
  list.push({ region, votes, valid: sum, invalid: invalid ?? 0 })
  c.sets.set(contest.id, list)
}

function finish(
  c: Collector,
  format: KpuParsed['format'],
  level: KpuLevel,
  rows: number,
  headerRow: number,
): { parsed: KpuParsed | null; errors: RowError[] } {
  if (c.errors.length === 0 && c.sets.size === 0) c.errors.push({ row: headerRow + 1, message: 'Berkas tidak berisi satu pun baris data KPU' })
  if (c.errors.length > 0) return { parsed: null, errors: c.errors }
  return { parsed: { format, level, rows, sets: [...c.sets].map(([contest, figures]) => ({ contest, figures })) }, errors: [] }
}

function findContest(ctx: KpuTableContext, id: string) {
  return ctx.contests.find((c) => c.id === id)
}

function parseRows(table: string[][], ctx: KpuTableContext, h: number): { parsed: KpuParsed | null; errors: RowError[] } {
  const headerRow = h + 1
  const rawHeader = table[h] ?? []
  // Pair names resolve against the chosen contest, or against every contest when the file has many.
  const candidates = ctx.contest ? (findContest(ctx, ctx.contest)?.candidates ?? []) : ctx.contests.flatMap((k) => k.candidates)
  const header = rawHeader.map((v) => kpuKey(v, candidates))
  const colOf = new Map<string, number>()
  header.forEach((h, i) => {
    if (h !== '' && !colOf.has(h)) colOf.set(h, i)
  })
  const first = (keys: Set<string>) => header.findIndex((h) => keys.has(h))
  const c: Collector = { errors: [], sets: new Map(), seen: new Map() }
  let level: KpuLevel
  let regionColumn: string
  if (colOf.has('kode_tps')) {
    level = 'tps'
    regionColumn = 'kode_tps'
  } else if (colOf.has('kode_desa') && colOf.has('nomor_tps')) {
    level = 'tps'
    regionColumn = 'kode_desa'
  } else if (colOf.has('kode_desa')) {
    level = 'desa'
    regionColumn = 'kode_desa'
  } else if (colOf.has('kode_kecamatan')) {
    level = 'kecamatan'
    regionColumn = 'kode_kecamatan'
  } else {
    c.errors.push({
      row: headerRow,
      message:
        'Kolom wilayah tidak ada. Baris pertama harus berisi judul kolom: kode_tps (atau kode_desa + nomor_tps) untuk data per TPS, kode_desa untuk per desa, atau kode_kecamatan untuk per kecamatan; lalu suara_1, suara_2, …, suara_tidak_sah',
    })
    return { parsed: null, errors: c.errors }
  }
  const voteCols = new Map<number, number>()
  header.forEach((h, i) => {
    const n = pairNumber(h)
    if (n !== null && !voteCols.has(n)) voteCols.set(n, i)
  })
  const invalidCol = first(INVALID_KEYS)
  const validCol = first(VALID_KEYS)
  const totalCol = first(TOTAL_KEYS)
  const contestCol = colOf.get('pemilihan')
  const used = new Set<number>([...voteCols.values(), invalidCol, validCol, totalCol, contestCol ?? -1, colOf.get(regionColumn)!, colOf.get('nomor_tps') ?? -1])
  const unknown = unrecognised(rawHeader, used)
  if (invalidCol < 0) c.errors.push({ row: headerRow, column: 'suara_tidak_sah', message: `Kolom suara_tidak_sah tidak ada${unknown}` })
  if (contestCol === undefined) {
    if (!ctx.contest) {
      c.errors.push({
        row: headerRow,
        column: 'pemilihan',
        message: `Kolom pemilihan tidak ada: tambahkan kolom pemilihan (${ctx.contests.map((k) => k.id).join(', ')}) atau pilih pemilihan saat mengimpor`,
      })
    } else if (!findContest(ctx, ctx.contest)) {
      c.errors.push({ row: headerRow, column: 'pemilihan', message: `Pemilihan "${ctx.contest}" tidak dikenal` })
    }
  }
  const missingPairsReported = new Set<string>()
  const checkPairs = (contest: { id: string; candidates: SourceCandidate[] }) => {
    if (missingPairsReported.has(contest.id)) return
    missingPairsReported.add(contest.id)
    for (const cand of contest.candidates) {
      if (!voteCols.has(cand.number)) {
        const name = cand.number === 0 ? 'suara_kolom_kosong' : `suara_${cand.number}`
        c.errors.push({ row: headerRow, column: name, message: `Kolom ${name} (${cand.number === 0 ? 'kolom kosong' : `paslon ${cand.number}`} pemilihan ${contest.id}) tidak ada${unknown}` })
      }
    }
  }
  if (contestCol === undefined && ctx.contest) {
    const k = findContest(ctx, ctx.contest)
    if (k) checkPairs(k)
  }
  if (c.errors.length > 0) return { parsed: null, errors: c.errors }

  const cell = (r: string[], i: number | undefined) => (i === undefined || i < 0 ? '' : (r[i] ?? '').trim())
  const ref = (r: string[], i: number, row: number): CellRef | null => (i < 0 ? null : { raw: r[i] ?? '', column: header[i]!, index: i, row })
  let rows = 0
  for (let i = h + 1; i < table.length; i++) {
    const r = table[i]!
    const rowNo = i + 1
    if (r.every((v) => v.trim() === '')) continue
    rows++
    let contest = ctx.contest ? findContest(ctx, ctx.contest) : undefined
    if (contestCol !== undefined) {
      const id = cell(r, contestCol).toLowerCase()
      contest = id ? findContest(ctx, id) : undefined
      if (!contest) {
        c.errors.push({
          row: rowNo,
          column: 'pemilihan',
          message: id
            ? `${where('pemilihan', contestCol)}: pemilihan "${id}" tidak dikenal (pilihan: ${ctx.contests.map((k) => k.id).join(', ')})`
            : `${where('pemilihan', contestCol)} wajib diisi`,
        })
        continue
      }
      checkPairs(contest)
      if (c.errors.some((e) => e.row === headerRow)) return { parsed: null, errors: c.errors.filter((e) => e.row === headerRow) }
    }
    let region = ''
    const regionIdx = colOf.get(regionColumn)!
    if (level === 'tps' && regionColumn === 'kode_desa') {
      const desa = cell(r, regionIdx)
      const numberIdx = colOf.get('nomor_tps')!
      const n = parseCount(cell(r, numberIdx))
      if (typeof n !== 'number' || n < 1 || n > 999) {
        c.errors.push({ row: rowNo, column: 'nomor_tps', message: `${where('nomor_tps', numberIdx)}: "${cell(r, numberIdx)}" harus nomor TPS 1 sampai 999` })
        continue
      }
      region = tpsCode(desa, n)
    } else {
      region = cell(r, regionIdx)
    }
    const known = level === 'tps' ? ctx.tps.has(region) : level === 'desa' ? ctx.desa.has(region) : ctx.kecamatan.has(region)
    if (!known) {
      const what = level === 'tps' ? 'TPS' : level === 'desa' ? 'desa/kelurahan' : 'kecamatan'
      c.errors.push({
        row: rowNo,
        column: regionColumn,
        message: region
          ? `${where(regionColumn, regionIdx)}: ${what} ${region} tidak ${level === 'tps' ? 'terdaftar di desk' : `ada di ${ctx.regencyName}`}`
          : `${where(regionColumn, regionIdx)} wajib diisi`,
      })
      continue
    }
    const votes = new Map<number, CellRef>()
    for (const [n, idx] of voteCols) votes.set(n, ref(r, idx, rowNo)!)
    addFigure(
      c,
      rowNo,
      contest!,
      region,
      { votes, invalid: ref(r, invalidCol, rowNo), valid: ref(r, validCol, rowNo), total: ref(r, totalCol, rowNo) },
      regionColumn,
    )
  }
  return finish(c, 'baris', level, rows, headerRow)
}

function parseDHasil(table: string[][], ctx: KpuTableContext, h: number, l: number): { parsed: KpuParsed | null; errors: RowError[] } {
  // h: the header row's index; l: the column of its `uraian` cell, where the line labels are.
  const headerRow = h + 1
  const labelCol = col(l)
  const c: Collector = { errors: [], sets: new Map(), seen: new Map() }
  const contest = ctx.contest ? findContest(ctx, ctx.contest) : undefined
  if (!contest) {
    c.errors.push({
      row: headerRow,
      column: 'pemilihan',
      message: ctx.contest
        ? `Pemilihan "${ctx.contest}" tidak dikenal`
        : `Untuk berkas susunan D.Hasil, pilih pemilihannya saat mengimpor (${ctx.contests.map((k) => k.id).join(', ')})`,
    })
    return { parsed: null, errors: c.errors }
  }
  const header = table[h] ?? []
  const regions: { index: number; code: string }[] = []
  let level: KpuLevel | null = null
  for (let j = l + 1; j < header.length; j++) {
    const raw = (header[j] ?? '').trim()
    const key = normalise(raw)
    if (key === '' || key === 'jumlah' || key === 'total' || key === 'no' || key === 'jumlah_akhir') continue
    const code = raw.split(/\s+/)[0]!
    const lvl = regionLevel(code)
    const known = lvl === 'kecamatan' ? ctx.kecamatan.has(code) : lvl === 'desa' ? ctx.desa.has(code) : false
    if (!known) {
      c.errors.push({
        row: headerRow,
        column: col(j),
        message: `Judul kolom ${col(j)} "${raw}" harus kode kecamatan atau desa/kelurahan di ${ctx.regencyName} (contoh 35.09.01), atau JUMLAH`,
      })
      continue
    }
    const twin = regions.find((x) => x.code === code)
    if (twin) {
      c.errors.push({ row: headerRow, column: col(j), message: `Judul kolom ${col(j)}: ${code} ganda, sudah ada di kolom ${col(twin.index)}` })
      continue
    }
    const thisLevel: KpuLevel = lvl === 'kecamatan' ? 'kecamatan' : 'desa'
    if (level && level !== thisLevel) {
      c.errors.push({ row: headerRow, column: col(j), message: `Judul kolom ${col(j)}: kode kecamatan dan kode desa tidak boleh dicampur dalam satu berkas` })
      continue
    }
    level = thisLevel
    regions.push({ index: j, code })
  }
  if (c.errors.length === 0 && regions.length === 0) {
    c.errors.push({ row: headerRow, message: `Tidak ada kolom wilayah: judul kolom ${col(l + 1)}, ${col(l + 2)}, … harus kode kecamatan atau desa/kelurahan` })
  }
  // Lines by key: the row each was found on.
  const lineRow = new Map<string, number>()
  const unknownLabels: string[] = []
  const unknownLines = () => (unknownLabels.length ? `. Baris yang tidak dikenali: ${unknownLabels.slice(0, 8).join(', ')}` : '')
  for (let i = h + 1; i < table.length; i++) {
    const key = kpuKey(table[i]![l] ?? '', contest.candidates)
    if (key === '') continue
    const n = pairNumber(key)
    const canonical = n !== null ? `p${n}` : VALID_KEYS.has(key) ? 'sah' : INVALID_KEYS.has(key) ? 'tidak_sah' : TOTAL_KEYS.has(key) ? 'jumlah' : null
    if (!canonical) {
      const label = (table[i]![l] ?? '').trim()
      // Section headings ("III. PEROLEHAN SUARA") and lines the desk does not compare (DPT, voters) are expected.
      const w = words(label).replace(/^(?:\d{1,2}|[a-h]|[ivx]{1,4})_/, '')
      if (!INFORMATIVE.test(w) && !/^(?:data|perolehan|rincian|jumlah_suara_pasangan|suara_pasangan)/.test(w)) unknownLabels.push(`"${label}" (baris ${i + 1})`)
      continue
    }
    if (lineRow.has(canonical)) {
      c.errors.push({ row: i + 1, column: labelCol, message: `Baris ${table[i]![l]!.trim()} ganda: sudah ada di baris ${lineRow.get(canonical)! + 1}` })
      continue
    }
    lineRow.set(canonical, i)
  }
  for (const cand of contest.candidates) {
    if (!lineRow.has(`p${cand.number}`)) {
      const name = cand.number === 0 ? 'suara_kolom_kosong' : `suara_${cand.number}`
      c.errors.push({ row: headerRow, column: labelCol, message: `Baris ${name} (${cand.number === 0 ? 'kolom kosong' : `paslon ${cand.number}`}) tidak ada di kolom ${labelCol}${unknownLines()}` })
    }
  }
  if (!lineRow.has('tidak_sah')) c.errors.push({ row: headerRow, column: labelCol, message: `Baris suara_tidak_sah tidak ada di kolom ${labelCol}${unknownLines()}` })
  for (const key of lineRow.keys()) {
    if (!key.startsWith('p')) continue
    const n = Number(key.slice(1))
    if (!contest.candidates.some((k) => k.number === n)) {
      const i = lineRow.get(key)!
      if ((table[i] ?? []).slice(l + 1).some((v) => (parseCount(v) ?? 1) !== 0 && parseCount(v) !== 'blank')) {
        c.errors.push({ row: i + 1, column: labelCol, message: `Baris ${table[i]![l]!.trim()}: paslon ${n} tidak ada dalam pemilihan ${contest.id}` })
      }
    }
  }
  if (c.errors.length > 0) return { parsed: null, errors: c.errors }
  for (const reg of regions) {
    // One figure per region column; its cells sit on different rows, and each error names its own.
    const at = (key: string): CellRef | null => {
      const i = lineRow.get(key)
      return i === undefined ? null : { raw: table[i]![reg.index] ?? '', column: reg.code, index: reg.index, row: i + 1 }
    }
    const votes = new Map<number, CellRef>()
    for (const cand of contest.candidates) votes.set(cand.number, at(`p${cand.number}`)!)
    addFigure(c, headerRow, contest, reg.code, { votes, invalid: at('tidak_sah'), valid: at('sah'), total: at('jumlah') }, reg.code)
  }
  return finish(c, 'dhasil', level ?? 'kecamatan', regions.length, headerRow)
}

/** Read KPU's figures from a table; nothing is returned unless every row is right. */
export function parseKpuTable(table: string[][], ctx: KpuTableContext): { parsed: KpuParsed | null; errors: RowError[] } {
  if (!table.some((r) => r.some((v) => v.trim() !== ''))) return { parsed: null, errors: [{ row: 1, message: 'Berkas kosong' }] }
  const h = headerIndex(table)
  const header = table[h] ?? []
  const l = header.findIndex((v) => v.trim() !== '')
  return normalise(header[l] ?? '') === 'uraian' ? parseDHasil(table, ctx, h, l) : parseRows(table, ctx, h)
}
