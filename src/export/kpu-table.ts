// KPU's figures from a table (CSV or the first sheet of an XLSX, as rows of text): all or nothing.
// Two layouts are read:
//  - "baris" (one row per region, like a Sirekap export): a region column (kode_tps, or kode_desa +
//    nomor_tps, or kode_desa, or kode_kecamatan, or kode whose codes say the level; codes with or
//    without dots; or the kecamatan/desa by name, a desa within the kecamatan column beside it), optional pemilihan, suara_1…suara_N (suara_0 or
//    suara_kolom_kosong for the empty column), suara_tidak_sah, optional suara_sah and jumlah_suara.
//  - "dhasil" (like form D.Hasil): the header's first filled cell is `uraian`, the other header cells are
//    kecamatan or desa codes (dotted or not; a name may follow) or their names alone (a JUMLAH column is skipped), and the rows
//    are the lines suara_1…suara_N, suara_tidak_sah, optional suara_sah and jumlah_suara; other
//    lines (DPT, pengguna hak pilih…) are skipped. The contest comes with the request.
// Every error names the spreadsheet's own row and column: the table is read from A1 and its header
// is the first row (after a title, if any) starting with `uraian` or naming a region column, else the first row with text, so in a table starting at B2 a bad D3 is reported as row 3, column D.

import { ancestorAt, isWithin, parseTpsCode, regionLevel, tpsCode } from '../domain/codes'
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
  /** Names of the regency's kecamatan and desa by code: KPU's files often name places instead of coding them. */
  names?: ReadonlyMap<string, string>
}

export interface KpuParsed {
  format: 'baris' | 'dhasil'
  level: KpuLevel
  sets: { contest: string; figures: KpuFigure[] }[]
  /** Data rows read. */
  rows: number
}

export const KPU_MAX_FIGURE = 50_000_000

const normalise = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

/** "350901" → "35.09.01", "3509012001" → desa, "3509012001003" → TPS (Sirekap writes codes without dots); dotted codes stay. */
export function regionCodeOf(raw: string): string | null {
  const s = raw.trim()
  if (/^\d{2}\.\d{2}\.\d{2}(?:\.\d{4}(?:\.\d{3})?)?$/.test(s)) return s
  const m = /^(\d{2})(\d{2})(\d{2})(?:(\d{4})(\d{3})?)?$/.exec(s)
  return m
    ? m
        .slice(1)
        .filter((x) => x !== undefined)
        .join('.')
    : null
}

/** A place name compared without case, spaces or punctuation, and without a "Kec." / "Desa" in front. */
const placeKey = (s: string) =>
  s
    .toLowerCase()
    .replace(/^\s*(?:kecamatan|kec|desa|kelurahan|kel|ds)(?:\s*[.:]\s*|\s+)/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '')

/** The regency's kecamatan and desa by name. Kecamatan names are unique in a regency; a desa name only within its kecamatan. */
class Places {
  private readonly kec = new Map<string, string[]>()
  private readonly desa = new Map<string, string[]>()
  constructor(private readonly ctx: KpuTableContext) {
    for (const [code, name] of ctx.names ?? []) {
      const lvl = regionLevel(code)
      const byName = lvl === 'kecamatan' ? this.kec : lvl === 'desa' ? this.desa : null
      if (!byName) continue
      const key = placeKey(name)
      byName.set(key, [...(byName.get(key) ?? []), code])
    }
  }
  kecamatan(name: string): string[] {
    return this.kec.get(placeKey(name)) ?? []
  }
  /** Desa codes carrying this name, inside `kecamatan` when given. */
  desaNamed(name: string, kecamatan?: string): string[] {
    const all = this.desa.get(placeKey(name)) ?? []
    return kecamatan ? all.filter((d) => isWithin(d, kecamatan)) : all
  }
  /** "Sumberejo (Kec. Ambulu, 35.09.03.2001), Sumberejo (Kec. Jombang, 35.09.01.2004)" */
  describe(desa: string[]): string {
    return desa
      .map((d) => {
        const kec = ancestorAt(d, 'kecamatan') ?? ''
        return `${this.ctx.names?.get(d) ?? d} (Kec. ${this.ctx.names?.get(kec) ?? kec}, ${d})`
      })
      .join(', ')
  }
  kecamatanName(code: string): string {
    return this.ctx.names?.get(code) ?? code
  }
}

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
const TOTAL_KEYS = new Set([
  'jumlah_suara',
  'suara_sah_dan_tidak_sah',
  'jumlah_suara_sah_dan_tidak_sah',
])

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
  if (
    pairNumber(plain) !== null ||
    VALID_KEYS.has(plain) ||
    INVALID_KEYS.has(plain) ||
    TOTAL_KEYS.has(plain)
  )
    return plain
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
  const pair =
    /^(?:suara_)?(?:pasangan_calon|paslon|calon)?_?(?:nomor_urut_|no_urut_|nomor_|no_)?0?(\d{1,2})$/.exec(
      w,
    )
  if (pair) return `suara_${Number(pair[1])}`
  // By the pair's names (all of them, or the first person's), the line number in front being the pair's.
  const names = (c: SourceCandidate) => [
    words(c.name),
    words(c.name.split(/\s+-\s+|\s*\/\s*|\s+dan\s+/i)[0] ?? ''),
  ]
  // ("H. Hendy …" starts with a letter that may look like a line letter: try the label whole too.)
  const whole = candidates.find((c) => c.number > 0 && names(c).includes(full))
  if (whole) return `suara_${whole.number}`
  const named = candidates.find((c) => c.number > 0 && names(c).includes(w))
  if (named && (lead === null || lead === String(named.number))) return `suara_${named.number}`
  return plain
}

/** Header cells the desk does not read from a KPU file but recognises (names, DPT and the like). */
const INFORMATIVE =
  /^(?:no|nomor|kecamatan|nama_kecamatan|desa|kelurahan|desa_kelurahan|nama_desa|nama_kelurahan|nama_desa_kelurahan|nama_tps|tps|wilayah|nama_wilayah|kabupaten|kota|provinsi|dpt|.*pemilih.*|.*pengguna.*|.*surat_suara.*|keterangan|catatan)$/

/** 'Judul kolom yang tidak dikenali: "Suara Tdk Sah" (F), …' for a missing-column error, or ''. */
function unrecognised(
  header: string[],
  used: Set<number>,
  from = 0,
  evenInformative = false,
): string {
  const list: string[] = []
  header.forEach((raw, i) => {
    if (
      i < from ||
      used.has(i) ||
      raw.trim() === '' ||
      (!evenInformative && INFORMATIVE.test(words(raw)))
    )
      return
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
  read: {
    votes: Map<number, CellRef>
    invalid: CellRef | null
    valid: CellRef | null
    total: CellRef | null
  },
  regionColumn: string,
): void {
  const errs: RowError[] = []
  const value = (cell: CellRef, required: boolean): number | null => {
    const n = parseCount(cell.raw)
    if (n === 'blank') {
      if (required)
        errs.push({
          row: cell.row,
          column: cell.column,
          message: `${where(cell.column, cell.index)} wajib diisi`,
        })
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
    errs.push({
      row: rowNo,
      column: regionColumn,
      message: `${region} untuk pemilihan ${contest.id} ganda: sudah ada di baris ${first}`,
    })
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
  if (c.errors.length === 0 && c.sets.size === 0)
    c.errors.push({ row: headerRow + 1, message: 'Berkas tidak berisi satu pun baris data KPU' })
  if (c.errors.length > 0) return { parsed: null, errors: c.errors }
  return {
    parsed: {
      format,
      level,
      rows,
      sets: [...c.sets].map(([contest, figures]) => ({ contest, figures })),
    },
    errors: [],
  }
}

function findContest(ctx: KpuTableContext, id: string) {
  return ctx.contests.find((c) => c.id === id)
}

function parseRows(
  table: string[][],
  ctx: KpuTableContext,
  h: number,
): { parsed: KpuParsed | null; errors: RowError[] } {
  const headerRow = h + 1
  const rawHeader = table[h] ?? []
  // Pair names resolve against the chosen contest, or against every contest when the file has many.
  const candidates = ctx.contest
    ? (findContest(ctx, ctx.contest)?.candidates ?? [])
    : ctx.contests.flatMap((k) => k.candidates)
  const header = rawHeader.map((v) => kpuKey(v, candidates))
  const colOf = new Map<string, number>()
  header.forEach((h, i) => {
    if (h !== '' && !colOf.has(h)) colOf.set(h, i)
  })
  const first = (keys: Set<string>) => header.findIndex((h) => keys.has(h))
  // Region columns, by code or by name (KPU's exports use either): the most precise one decides the level.
  const wordCols = rawHeader.map(words)
  const findCol = (re: RegExp) => wordCols.findIndex((w) => re.test(w))
  const region = {
    tps: findCol(/^kode_tps$/),
    desaCode: findCol(/^kode_(?:desa|kelurahan|desa_kelurahan|kel_desa)$/),
    kecCode: findCol(/^kode_(?:kecamatan|kec)$/),
    anyCode: findCol(/^kode(?:_wilayah)?$/),
    desaName: findCol(/^(?:nama_)?(?:desa|kelurahan|desa_kelurahan|kelurahan_desa|kel_desa)$/),
    kecName: findCol(/^(?:nama_)?(?:kecamatan|kec)$/),
    tpsNumber: findCol(/^(?:nomor_tps|no_tps|tps|nomor_urut_tps)$/),
  }
  const places = new Places(ctx)
  const c: Collector = { errors: [], sets: new Map(), seen: new Map() }
  // "Kode" alone: the level is the one of its first filled code.
  let anyLevel: KpuLevel | null = null
  if (region.anyCode >= 0 && region.tps < 0 && region.desaCode < 0 && region.kecCode < 0) {
    for (let i = h + 1; i < table.length && !anyLevel; i++) {
      const code = regionCodeOf(table[i]![region.anyCode] ?? '')
      const lvl = code ? (parseTpsCode(code) ? 'tps' : regionLevel(code)) : null
      if (lvl === 'tps' || lvl === 'desa' || lvl === 'kecamatan') anyLevel = lvl
    }
  }
  const desaSource =
    region.desaCode >= 0 ? region.desaCode : anyLevel === 'desa' ? region.anyCode : region.desaName
  let level: KpuLevel
  let regionIdx: number
  if (region.tps >= 0 || anyLevel === 'tps') {
    level = 'tps'
    regionIdx = region.tps >= 0 ? region.tps : region.anyCode
  } else if (desaSource >= 0 && region.tpsNumber >= 0) {
    level = 'tps'
    regionIdx = desaSource
  } else if (desaSource >= 0) {
    level = 'desa'
    regionIdx = desaSource
  } else if (region.kecCode >= 0 || anyLevel === 'kecamatan' || region.kecName >= 0) {
    level = 'kecamatan'
    regionIdx =
      region.kecCode >= 0
        ? region.kecCode
        : anyLevel === 'kecamatan'
          ? region.anyCode
          : region.kecName
  } else {
    c.errors.push({
      row: headerRow,
      message:
        'Kolom wilayah tidak ada. Baris pertama harus berisi judul kolom: kode_tps (atau kode_desa + nomor_tps) untuk data per TPS, kode_desa atau desa untuk per desa, atau kode_kecamatan atau kecamatan untuk per kecamatan; lalu suara_1, suara_2, …, suara_tidak_sah' +
        unrecognised(
          rawHeader,
          new Set(
            header.flatMap((k, i) =>
              pairNumber(k) !== null ||
              VALID_KEYS.has(k) ||
              INVALID_KEYS.has(k) ||
              TOTAL_KEYS.has(k) ||
              k === 'pemilihan'
                ? [i]
                : [],
            ),
          ),
          0,
          true,
        ),
    })
    return { parsed: null, errors: c.errors }
  }
  const regionColumn = header[regionIdx]!
  // A desa named (not coded) is looked up within the kecamatan named beside it, when there is such a column.
  const byName = regionIdx === region.desaName || regionIdx === region.kecName
  // Per TPS by desa + TPS number (the number is added to the desa's code).
  const withNumber = level === 'tps' && regionIdx === desaSource
  const voteCols = new Map<number, number>()
  header.forEach((h, i) => {
    const n = pairNumber(h)
    if (n !== null && !voteCols.has(n)) voteCols.set(n, i)
  })
  const invalidCol = first(INVALID_KEYS)
  const validCol = first(VALID_KEYS)
  const totalCol = first(TOTAL_KEYS)
  const contestCol = colOf.get('pemilihan')
  const used = new Set<number>([
    ...voteCols.values(),
    invalidCol,
    validCol,
    totalCol,
    contestCol ?? -1,
    regionIdx,
    region.tpsNumber,
    region.kecName,
  ])
  const unknown = unrecognised(rawHeader, used)
  if (invalidCol < 0)
    c.errors.push({
      row: headerRow,
      column: 'suara_tidak_sah',
      message: `Kolom suara_tidak_sah tidak ada${unknown}`,
    })
  if (contestCol === undefined) {
    if (!ctx.contest) {
      c.errors.push({
        row: headerRow,
        column: 'pemilihan',
        message: `Kolom pemilihan tidak ada: tambahkan kolom pemilihan (${ctx.contests.map((k) => k.id).join(', ')}) atau pilih pemilihan saat mengimpor`,
      })
    } else if (!findContest(ctx, ctx.contest)) {
      c.errors.push({
        row: headerRow,
        column: 'pemilihan',
        message: `Pemilihan "${ctx.contest}" tidak dikenal`,
      })
    }
  }
  const missingPairsReported = new Set<string>()
  const checkPairs = (contest: { id: string; candidates: SourceCandidate[] }) => {
    if (missingPairsReported.has(contest.id)) return
    missingPairsReported.add(contest.id)
    for (const cand of contest.candidates) {
      if (!voteCols.has(cand.number)) {
        const name = cand.number === 0 ? 'suara_kolom_kosong' : `suara_${cand.number}`
        c.errors.push({
          row: headerRow,
          column: name,
          message: `Kolom ${name} (${cand.number === 0 ? 'kolom kosong' : `paslon ${cand.number}`} pemilihan ${contest.id}) tidak ada${unknown}`,
        })
      }
    }
  }
  if (contestCol === undefined && ctx.contest) {
    const k = findContest(ctx, ctx.contest)
    if (k) checkPairs(k)
  }
  if (c.errors.length > 0) return { parsed: null, errors: c.errors }

  const cell = (r: string[], i: number | undefined) =>
    i === undefined || i < 0 ? '' : (r[i] ?? '').trim()
  const what = level === 'tps' ? 'TPS' : level === 'desa' ? 'desa/kelurahan' : 'kecamatan'
  const at = where(regionColumn, regionIdx)
  const rowRegion = (r: string[]): { code: string } | { error: string; column?: string } => {
    const raw = cell(r, regionIdx)
    if (raw === '') return { error: `${at} wajib diisi` }
    let code: string | null
    if (!byName) {
      code = regionCodeOf(raw)
      if (!code)
        return {
          error: `${at}: "${raw}" bukan kode ${what} (contoh ${level === 'tps' ? '35.09.01.2001.003' : level === 'desa' ? '35.09.01.2001 atau 3509012001' : '35.09.01 atau 350901'})`,
        }
    } else if (regionIdx === region.kecName) {
      const found = places.kecamatan(raw)
      if (found.length !== 1)
        return { error: `${at}: kecamatan "${raw}" tidak ada di ${ctx.regencyName}` }
      code = found[0]!
    } else {
      let kec: string | undefined
      if (region.kecName >= 0 && cell(r, region.kecName) !== '') {
        const k = places.kecamatan(cell(r, region.kecName))
        if (k.length !== 1)
          return {
            error: `${where(header[region.kecName]!, region.kecName)}: kecamatan "${cell(r, region.kecName)}" tidak ada di ${ctx.regencyName}`,
            column: header[region.kecName]!,
          }
        kec = k[0]!
      }
      const found = places.desaNamed(raw, kec)
      if (found.length === 0)
        return {
          error: `${at}: desa/kelurahan "${raw}" tidak ada di ${kec ? `Kecamatan ${places.kecamatanName(kec)}` : ctx.regencyName}`,
        }
      if (found.length > 1) {
        return {
          error: `${at}: nama desa/kelurahan "${raw}" ada di beberapa kecamatan: ${places.describe(found)}; tambahkan kolom kecamatan atau pakai kode_desa`,
        }
      }
      code = found[0]!
    }
    if (withNumber) {
      const rawNumber = cell(r, region.tpsNumber).replace(/^tps\s*/i, '')
      const n = parseCount(rawNumber)
      if (typeof n !== 'number' || n < 1 || n > 999) {
        return {
          error: `${where(header[region.tpsNumber]!, region.tpsNumber)}: "${cell(r, region.tpsNumber)}" harus nomor TPS 1 sampai 999`,
          column: header[region.tpsNumber]!,
        }
      }
      if (regionLevel(code) !== 'desa' || !ctx.desa.has(code))
        return { error: `${at}: desa/kelurahan ${code} tidak ada di ${ctx.regencyName}` }
      code = tpsCode(code, n)
    }
    const known =
      level === 'tps'
        ? ctx.tps.has(code)
        : level === 'desa'
          ? ctx.desa.has(code)
          : ctx.kecamatan.has(code)
    if (!known)
      return {
        error: `${at}: ${what} ${code} tidak ${level === 'tps' ? 'terdaftar di desk' : `ada di ${ctx.regencyName}`}`,
      }
    return { code }
  }
  const ref = (r: string[], i: number, row: number): CellRef | null =>
    i < 0 ? null : { raw: r[i] ?? '', column: header[i]!, index: i, row }
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
      if (c.errors.some((e) => e.row === headerRow))
        return { parsed: null, errors: c.errors.filter((e) => e.row === headerRow) }
    }
    const found = rowRegion(r)
    if ('error' in found) {
      c.errors.push({ row: rowNo, column: found.column ?? regionColumn, message: found.error })
      continue
    }
    const region = found.code
    const votes = new Map<number, CellRef>()
    for (const [n, idx] of voteCols) votes.set(n, ref(r, idx, rowNo)!)
    addFigure(
      c,
      rowNo,
      contest!,
      region,
      {
        votes,
        invalid: ref(r, invalidCol, rowNo),
        valid: ref(r, validCol, rowNo),
        total: ref(r, totalCol, rowNo),
      },
      regionColumn,
    )
  }
  return finish(c, 'baris', level, rows, headerRow)
}

function parseDHasil(
  table: string[][],
  ctx: KpuTableContext,
  h: number,
  l: number,
): { parsed: KpuParsed | null; errors: RowError[] } {
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
  // Each column names a kecamatan or desa by code (dotted or not, a name may follow) or by name alone.
  const places = new Places(ctx)
  const cells: {
    index: number
    raw: string
    code: string | null
    kec: string[]
    desa: string[]
  }[] = []
  for (let j = l + 1; j < header.length; j++) {
    const raw = (header[j] ?? '').trim()
    const key = normalise(raw)
    if (key === '' || key === 'jumlah' || key === 'total' || key === 'no' || key === 'jumlah_akhir')
      continue
    const code = regionCodeOf(raw.split(/\s+/)[0]!)
    cells.push({
      index: j,
      raw,
      code,
      kec: code ? [] : places.kecamatan(raw),
      desa: code ? [] : places.desaNamed(raw),
    })
  }
  // Names alone: kecamatan when every named column is one, else desa.
  const named = cells.filter((x) => !x.code)
  const coded = cells.find(
    (x) => x.code && (regionLevel(x.code) === 'kecamatan' || regionLevel(x.code) === 'desa'),
  )
  const namesAre: KpuLevel = coded
    ? regionLevel(coded.code!) === 'kecamatan'
      ? 'kecamatan'
      : 'desa'
    : named.length > 0 && named.every((x) => x.kec.length === 1)
      ? 'kecamatan'
      : 'desa'
  // A desa name found in several kecamatan: the kecamatan all the other desa columns lie in decides.
  const homes = new Set(
    cells.flatMap((x) =>
      x.code && regionLevel(x.code) === 'desa'
        ? [ancestorAt(x.code, 'kecamatan')!]
        : !x.code && x.desa.length === 1
          ? [ancestorAt(x.desa[0]!, 'kecamatan')!]
          : [],
    ),
  )
  const home = homes.size === 1 ? [...homes][0]! : undefined
  let level: KpuLevel | null = null
  for (const x of cells) {
    const j = x.index
    let code = x.code
    if (!code) {
      if (namesAre === 'kecamatan') code = x.kec[0]!
      else {
        const inHome = home && x.desa.length > 1 ? x.desa.filter((d) => isWithin(d, home)) : x.desa
        if (inHome.length > 1) {
          c.errors.push({
            row: headerRow,
            column: col(j),
            message: `Judul kolom ${col(j)}: nama desa/kelurahan "${x.raw}" ada di beberapa kecamatan: ${places.describe(inHome)}; tulis kodenya (mis. ${inHome[0]!})`,
          })
          continue
        }
        code = inHome[0] ?? null
      }
    }
    const lvl = code ? regionLevel(code) : null
    const known =
      code !== null &&
      (lvl === 'kecamatan' ? ctx.kecamatan.has(code) : lvl === 'desa' ? ctx.desa.has(code) : false)
    if (!known || !code) {
      c.errors.push({
        row: headerRow,
        column: col(j),
        message: `Judul kolom ${col(j)} "${x.raw}" harus kode atau nama kecamatan atau desa/kelurahan di ${ctx.regencyName} (contoh 35.09.01, 350901 atau Jombang), atau JUMLAH`,
      })
      continue
    }
    const twin = regions.find((x) => x.code === code)
    if (twin) {
      c.errors.push({
        row: headerRow,
        column: col(j),
        message: `Judul kolom ${col(j)}: ${code} ganda, sudah ada di kolom ${col(twin.index)}`,
      })
      continue
    }
    const thisLevel: KpuLevel = lvl === 'kecamatan' ? 'kecamatan' : 'desa'
    if (level && level !== thisLevel) {
      c.errors.push({
        row: headerRow,
        column: col(j),
        message: `Judul kolom ${col(j)}: kecamatan dan desa tidak boleh dicampur dalam satu berkas`,
      })
      continue
    }
    level = thisLevel
    regions.push({ index: j, code })
  }
  if (c.errors.length === 0 && regions.length === 0) {
    c.errors.push({
      row: headerRow,
      message: `Tidak ada kolom wilayah: judul kolom ${col(l + 1)}, ${col(l + 2)}, … harus kode kecamatan atau desa/kelurahan`,
    })
  }
  // Lines by key: the row each was found on.
  const lineRow = new Map<string, number>()
  const unknownLabels: string[] = []
  const unknownLines = () =>
    unknownLabels.length
      ? `. Baris yang tidak dikenali: ${unknownLabels.slice(0, 8).join(', ')}`
      : ''
  for (let i = h + 1; i < table.length; i++) {
    const key = kpuKey(table[i]![l] ?? '', contest.candidates)
    if (key === '') continue
    const n = pairNumber(key)
    const canonical =
      n !== null
        ? `p${n}`
        : VALID_KEYS.has(key)
          ? 'sah'
          : INVALID_KEYS.has(key)
            ? 'tidak_sah'
            : TOTAL_KEYS.has(key)
              ? 'jumlah'
              : null
    if (!canonical) {
      const label = (table[i]![l] ?? '').trim()
      // Section headings ("III. PEROLEHAN SUARA") and lines the desk does not compare (DPT, voters) are expected.
      const w = words(label).replace(/^(?:\d{1,2}|[a-h]|[ivx]{1,4})_/, '')
      if (
        !INFORMATIVE.test(w) &&
        !/^(?:data|perolehan|rincian|jumlah_suara_pasangan|suara_pasangan)/.test(w)
      )
        unknownLabels.push(`"${label}" (baris ${i + 1})`)
      continue
    }
    // A section heading that reads like a line ("A. Suara sah" above the pairs) has no figures: the line with figures counts.
    const blank = (row: number) =>
      regions.every((reg) => (table[row]![reg.index] ?? '').trim() === '')
    const before = lineRow.get(canonical)
    if (before !== undefined && blank(before)) lineRow.delete(canonical)
    else if (before !== undefined && blank(i)) continue
    if (lineRow.has(canonical)) {
      c.errors.push({
        row: i + 1,
        column: labelCol,
        message: `Baris ${table[i]![l]!.trim()} ganda: sudah ada di baris ${lineRow.get(canonical)! + 1}`,
      })
      continue
    }
    lineRow.set(canonical, i)
  }
  for (const cand of contest.candidates) {
    if (!lineRow.has(`p${cand.number}`)) {
      const name = cand.number === 0 ? 'suara_kolom_kosong' : `suara_${cand.number}`
      c.errors.push({
        row: headerRow,
        column: labelCol,
        message: `Baris ${name} (${cand.number === 0 ? 'kolom kosong' : `paslon ${cand.number}`}) tidak ada di kolom ${labelCol}${unknownLines()}`,
      })
    }
  }
  if (!lineRow.has('tidak_sah'))
    c.errors.push({
      row: headerRow,
      column: labelCol,
      message: `Baris suara_tidak_sah tidak ada di kolom ${labelCol}${unknownLines()}`,
    })
  for (const key of lineRow.keys()) {
    if (!key.startsWith('p')) continue
    const n = Number(key.slice(1))
    if (!contest.candidates.some((k) => k.number === n)) {
      const i = lineRow.get(key)!
      if (
        (table[i] ?? [])
          .slice(l + 1)
          .some((v) => (parseCount(v) ?? 1) !== 0 && parseCount(v) !== 'blank')
      ) {
        c.errors.push({
          row: i + 1,
          column: labelCol,
          message: `Baris ${table[i]![l]!.trim()}: paslon ${n} tidak ada dalam pemilihan ${contest.id}`,
        })
      }
    }
  }
  if (c.errors.length > 0) return { parsed: null, errors: c.errors }
  for (const reg of regions) {
    // One figure per region column; its cells sit on different rows, and each error names its own.
    const at = (key: string): CellRef | null => {
      const i = lineRow.get(key)
      return i === undefined
        ? null
        : { raw: table[i]![reg.index] ?? '', column: reg.code, index: reg.index, row: i + 1 }
    }
    const votes = new Map<number, CellRef>()
    for (const cand of contest.candidates) votes.set(cand.number, at(`p${cand.number}`)!)
    addFigure(
      c,
      headerRow,
      contest,
      reg.code,
      { votes, invalid: at('tidak_sah'), valid: at('sah'), total: at('jumlah') },
      reg.code,
    )
  }
  return finish(c, 'dhasil', level ?? 'kecamatan', regions.length, headerRow)
}

/** Read KPU's figures from a table; nothing is returned unless every row is right. */
export function parseKpuTable(
  table: string[][],
  ctx: KpuTableContext,
): { parsed: KpuParsed | null; errors: RowError[] } {
  if (!table.some((r) => r.some((v) => v.trim() !== '')))
    return { parsed: null, errors: [{ row: 1, message: 'Berkas kosong' }] }
  // KPU's files often carry a title above the table ("MODEL D.HASIL KECAMATAN", "KABUPATEN JEMBER"): the
  // header is the first row (of the first 20) starting with `uraian` or naming a region column, else the first row with text.
  const first = headerIndex(table)
  const firstCell = (r: string[]) => r.findIndex((v) => v.trim() !== '')
  const regionHeader =
    /^(?:kode(?:_(?:tps|desa|kelurahan|desa_kelurahan|kel_desa|kecamatan|kec|wilayah))?|(?:nama_)?(?:desa|kelurahan|desa_kelurahan|kelurahan_desa|kecamatan))$/
  // `uraian` first: a D.Hasil title often has "KECAMATAN" : "JOMBANG" in cells of its own.
  const near = Array.from(
    { length: Math.max(0, Math.min(table.length, first + 20) - first) },
    (_, k) => first + k,
  )
  for (const i of near) {
    const l = firstCell(table[i]!)
    if (l >= 0 && normalise(table[i]![l]!) === 'uraian') return parseDHasil(table, ctx, i, l)
  }
  const named = near.find((i) => table[i]!.some((v) => regionHeader.test(words(v))))
  return parseRows(table, ctx, named ?? first)
}
