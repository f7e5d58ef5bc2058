// The staged recap workbook the desk sends up: Ringkasan; per contest a D.Hasil-style kabupaten
// sheet, Rekap Kecamatan, Rekap Desa and Rekap TPS; a D.Hasil Kecamatan sheet per kecamatan (desa
// across, the C.Hasil lines down, as KPU's PPK form lays it out); Belum Lapor; Kejadian; Selisih KPU
// (when KPU figures were imported); Catatan. Every total is an Excel formula with its value filled
// in; every sheet prints landscape, one page wide, with its header rows, the disclaimer and the data
// time on every page. Pure: data in, bytes out.

import { allowListed } from './allow-list'
import { reconcile, STATUS_LABEL, type ReconcileReport } from './reconcile'
import {
  indexRegions,
  rollupContest,
  type ContestRollup,
  type KecamatanNode,
  type RegionIndex,
  type Tally,
} from './rollup'
import {
  dataSha256,
  sha256Hex,
  type ExportProfile,
  type RecapSource,
  type SnapshotLabel,
  type SourceContest,
  type SourcePerson,
} from './source'
import {
  CATEGORY_LABEL,
  CHANNEL_LABEL,
  NOT_OFFICIAL,
  TRAINING_BANNER,
  URGENCY_LABEL,
  candidateTitle,
  dmy,
  formatCount,
  redactPhones,
  wibDateTime,
  wibStamp,
} from './text'
import {
  addr,
  count,
  dateTime,
  formula,
  int,
  percent,
  SheetBuilder,
  text,
  timed,
  writeWorkbook,
  type Cell,
  type RowRole,
  type Timings,
} from './xlsx-file'

export interface BuildOptions {
  profile: ExportProfile
  /** Set when the workbook is a frozen snapshot. */
  snapshot?: SnapshotLabel | null
  /** The KPU difference threshold for the Selisih KPU sheet (default: the source's). */
  thresholdPercent?: number
  /** Filled with milliseconds per phase (rows, xml, zip, hash) when given. */
  timings?: Timings
}

export interface BuiltWorkbook {
  bytes: Buffer
  /** SHA-256 of the file. */
  sha256: string
  /** SHA-256 of the data it was built from (shown in its Catatan sheet). */
  dataSha256: string
  filename: string
  sheetNames: string[]
}

export const PROFILE_DESCRIPTION: Record<ExportProfile, string> = {
  berjenjang:
    'berjenjang — untuk Bakesbangpol Provinsi dan Kemendagri (hanya data terstruktur: tanpa nama, nomor HP dan teks ketikan)',
  lengkap: 'lengkap — untuk desk sendiri (dengan nama dan nomor HP pelapor serta teks ketikan)',
}

export const DISPUTE_TEXT = {
  conflict: 'Ada laporan berbeda — menunggu keputusan',
  correction: 'Ada koreksi ditahan — menunggu keputusan',
} as const

interface Ctx {
  source: RecapSource
  profile: ExportProfile
  full: boolean
  index: RegionIndex
  rollups: ContestRollup[]
  asOf: string
  dataSha256: string
  snapshot: SnapshotLabel | null
  labels: Map<string, string>
  reportersByRegion: Map<string, SourcePerson[]>
  /** Whether the registry has DPT by sex for any TPS (then the DPT L/P columns appear). */
  hasSex: boolean
  /** Free text as it may appear (lengkap only: berjenjang's data has none left to show). */
  free: (s: string) => string
}

/** Per contest, where the D.Hasil sheet keeps its JUMLAH figures, for the Ringkasan's references. */
interface DHasilRefs {
  sheet: string
  tpsTotal: string
  tpsReported: string
  tpsExcluded: string
  disputed: string
  dpt: string
  dptAll: string
  dptReported: string
  votersTotal: string
  votes: string[]
  invalid: string
}

/** 1.234.567 */
const n = formatCount

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`
}

function contestLabels(contests: SourceContest[]): Map<string, string> {
  const used = new Set<string>()
  const labels = new Map<string, string>()
  for (const c of contests) {
    const base = (c.id.charAt(0).toUpperCase() + c.id.slice(1)).slice(0, 14)
    let label = base
    for (let k = 2; used.has(label.toLowerCase()); k++) label = `${base.slice(0, 12)} ${k}`
    used.add(label.toLowerCase())
    labels.set(c.id, label)
  }
  return labels
}

function startSheet(ctx: Ctx, name: string, title: string): SheetBuilder {
  const s = new SheetBuilder(name)
  const { desk } = ctx.source
  if (desk.training) s.row([text(TRAINING_BANNER)], 'banner')
  s.row([text(title)], 'title')
  s.row(
    [
      text(
        `${desk.regency.name} (${desk.regency.code}) · DATA CEPAT — BUKAN DATA RESMI · keadaan per ${ctx.asOf}`,
      ),
    ],
    'note',
  )
  s.page = {
    left: `DATA CEPAT — BUKAN DATA RESMI · ${desk.regency.name}`,
    ...(desk.training ? { centre: TRAINING_BANNER } : {}),
    footer: `Keadaan data per ${ctx.asOf} · profil ${ctx.profile}${ctx.snapshot ? ` · snapshot #${ctx.snapshot.id}` : ''}`,
  }
  return s
}

function header(s: SheetBuilder, labels: string[], freezeCols: number, filter = false): number {
  s.blank()
  const r = s.row(
    labels.map((l) => text(l)),
    'head',
  )
  s.freeze = { rows: r + 1, cols: freezeCols }
  if (filter) s.autofilter = { header: r, from: 0, to: labels.length - 1 }
  return r
}

/** A pair's column header: number and names, so a printout needs no key. */
function candidateHeader(c: { number: number; name: string }): string {
  return c.number === 0 ? 'Kolom kosong' : `Paslon ${c.number}\n${c.name}`
}

// ---------------------------------------------------------------- tally columns (kecamatan, desa)

/** Where each figure of a tally block sits, relative to the block's first column. */
interface TallyLayout {
  tps: number
  reported: number
  pctReported: number
  disputed: number
  excluded: number
  dptAll: number
  dptL: number | null
  dptP: number | null
  dpt: number
  dptReported: number
  vDpt: number
  vDptb: number
  vDpk: number
  vUnbroken: number
  voters: number
  votes: number
  valid: number
  invalid: number
  total: number
  turnout: number
  width: number
}

function tallyLayout(pairs: number, hasSex: boolean): TallyLayout {
  let i = 0
  const next = () => i++
  const l = {
    tps: next(),
    reported: next(),
    pctReported: next(),
    disputed: next(),
    excluded: next(),
    dptAll: next(),
    dptL: hasSex ? next() : null,
    dptP: hasSex ? next() : null,
    dpt: next(),
    dptReported: next(),
    vDpt: next(),
    vDptb: next(),
    vDpk: next(),
    vUnbroken: next(),
    voters: next(),
    votes: (i += pairs) - pairs,
    valid: next(),
    invalid: next(),
    total: next(),
    turnout: next(),
  }
  return { ...l, width: i }
}

/** The lines of form C.Hasil as column headers, in the form's order (tally and TPS sheets alike). */
function formLineHeaders(contest: SourceContest): string[] {
  return [
    'Pengguna hak pilih DPT',
    'Pengguna DPTb',
    'Pengguna DPK',
    'Pengguna tanpa rincian (= sah + tidak sah)',
    'Jumlah pengguna hak pilih',
    ...contest.candidates.map(candidateHeader),
    'Suara sah',
    'Suara tidak sah',
    'Suara sah + tidak sah',
  ]
}

function formLineWidths(contest: SourceContest): number[] {
  return [11, 10, 10, 14, 12, ...contest.candidates.map(() => 16), 12, 11, 12]
}

function tallyHeaders(ctx: Ctx, contest: SourceContest): string[] {
  return [
    'TPS',
    'TPS melapor',
    '% melapor',
    'TPS menunggu keputusan',
    'TPS ditunda/ digabung',
    'DPT',
    ...(ctx.hasSex ? ['DPT laki-laki', 'DPT perempuan'] : []),
    'DPT TPS aktif',
    'DPT TPS melapor',
    ...formLineHeaders(contest),
    'Partisipasi',
  ]
}

function tallyWidths(ctx: Ctx, contest: SourceContest): number[] {
  return [
    8,
    9,
    9,
    11,
    10,
    11,
    ...(ctx.hasSex ? [11, 11] : []),
    11,
    11,
    ...formLineWidths(contest),
    11,
  ]
}

type Aggregate = { fn: 'SUM' | 'SUBTOTAL'; from: number; to: number } | null

/** The tally block of one row starting at column k: plain figures, or column totals over rows from..to. */
function tallyCells(L: TallyLayout, t: Tally, r: number, k: number, agg: Aggregate): Cell[] {
  const P = t.votes.length
  const at = (o: number) => addr(k + o, r)
  const fig = (o: number, v: number): Cell =>
    agg
      ? formula(
          agg.fn === 'SUM'
            ? `SUM(${addr(k + o, agg.from)}:${addr(k + o, agg.to)})`
            : `SUBTOTAL(9,${addr(k + o, agg.from)}:${addr(k + o, agg.to)})`,
          v,
        )
      : count(v)
  const cells: Cell[] = new Array<Cell>(L.width)
  cells[L.tps] = fig(L.tps, t.tpsTotal)
  cells[L.reported] = fig(L.reported, t.tpsReported)
  cells[L.pctReported] = percent(at(L.reported), at(L.tps), t.tpsReported, t.tpsTotal)
  cells[L.disputed] = fig(L.disputed, t.disputed)
  cells[L.excluded] = fig(L.excluded, t.tpsExcluded)
  cells[L.dptAll] = fig(L.dptAll, t.dptAll)
  if (L.dptL !== null && L.dptP !== null) {
    cells[L.dptL] = fig(L.dptL, t.dptL)
    cells[L.dptP] = fig(L.dptP, t.dptP)
  }
  cells[L.dpt] = fig(L.dpt, t.dpt)
  cells[L.dptReported] = fig(L.dptReported, t.dptReported)
  cells[L.vDpt] = fig(L.vDpt, t.votersDpt)
  cells[L.vDptb] = fig(L.vDptb, t.votersDptb)
  cells[L.vDpk] = fig(L.vDpk, t.votersDpk)
  cells[L.vUnbroken] = fig(L.vUnbroken, t.votersUnbroken)
  // Voters add up on the row: DPT + DPTb + DPK + those of results sent without the breakdown.
  cells[L.voters] = agg
    ? fig(L.voters, t.votersTotal)
    : formula(`SUM(${at(L.vDpt)}:${at(L.vUnbroken)})`, t.votersTotal)
  for (let i = 0; i < P; i++) cells[L.votes + i] = fig(L.votes + i, t.votes[i]!)
  cells[L.valid] = agg
    ? fig(L.valid, t.valid)
    : formula(P > 0 ? `SUM(${at(L.votes)}:${at(L.votes + P - 1)})` : '0', t.valid)
  cells[L.invalid] = fig(L.invalid, t.invalid)
  cells[L.total] = agg ? fig(L.total, t.total) : formula(`${at(L.valid)}+${at(L.invalid)}`, t.total)
  cells[L.turnout] = percent(at(L.voters), at(L.dptReported), t.votersTotal, t.dptReported)
  return cells
}

// ---------------------------------------------------------------- D.Hasil (kabupaten, per kecamatan)

interface DHasilColumn {
  code: string
  name: string
  tally: Tally
}

/**
 * A D.Hasil-style table: the places across (kecamatan for the kabupaten sheet, desa for a kecamatan's
 * sheet), the lines of form C.Hasil down, JUMLAH at the right.
 */
function dHasilTable(
  ctx: Ctx,
  rollup: ContestRollup,
  s: SheetBuilder,
  columns: DHasilColumn[],
  total: { code: string; tally: Tally },
  placeLabel: string,
): Omit<DHasilRefs, 'sheet'> {
  const { contest } = rollup
  const first = 2
  const last = first + columns.length - 1
  const jumlah = last + 1
  s.blank()
  s.row([text('No'), text('Uraian'), ...columns.map((k) => text(k.name)), text('JUMLAH')], 'head')
  const codeRow = s.row(
    [null, text(`Kode ${placeLabel}`), ...columns.map((k) => text(k.code)), text(total.code)],
    'head',
  )
  s.freeze = { rows: codeRow + 1, cols: 2 }
  // The line labels wrap at 34: a wide Uraian column would shrink every figure on paper.
  s.widths = [5, 34, ...columns.map(() => 10), 11]
  s.wrapAt.set(1, 34)
  const sumAcross = (r: number, v: number) =>
    columns.length > 0 ? formula(`SUM(${addr(first, r)}:${addr(last, r)})`, v) : count(v)
  const line = (
    no: string,
    label: string,
    pick: (t: Tally) => number,
    role: RowRole = 'table',
  ): number => {
    const r = s.next
    s.row(
      [
        text(no),
        text(label),
        ...columns.map((c) => count(pick(c.tally))),
        sumAcross(r, pick(total.tally)),
      ],
      role,
    )
    return r
  }
  const section = (label: string) =>
    s.row([null, text(label), ...columns.map(() => null), null], 'section')

  section('I. DATA PEMILIH DAN TPS')
  const rTps = line('1', 'Jumlah TPS aktif', (t) => t.tpsTotal)
  const rExcl = line('2', 'TPS ditunda/digabung (di luar penyebut)', (t) => t.tpsExcluded)
  const rRep = line('3', 'TPS yang sudah melapor', (t) => t.tpsReported)
  const rDisp = line(
    '4',
    'TPS dengan laporan berbeda/koreksi menunggu keputusan',
    (t) => t.disputed,
    total.tally.disputed > 0 ? 'warn' : 'table',
  )
  const rDptAll = line(
    '5',
    'Jumlah pemilih dalam DPT (semua TPS, juga ditunda/digabung)',
    (t) => t.dptAll,
  )
  if (ctx.hasSex) {
    line('5a', '    DPT laki-laki', (t) => t.dptL)
    line('5b', '    DPT perempuan', (t) => t.dptP)
  }
  const rDpt = line('6', 'DPT TPS aktif', (t) => t.dpt)
  const rDptRep = line('7', 'DPT TPS yang sudah melapor', (t) => t.dptReported)
  section('II. PENGGUNA HAK PILIH (TPS yang sudah melapor)')
  const rVotersFirst = line('1', 'Pengguna hak pilih dalam DPT', (t) => t.votersDpt)
  line('2', 'Pengguna hak pilih dalam DPTb (pindahan)', (t) => t.votersDptb)
  line('3', 'Pengguna hak pilih dalam DPK (tambahan)', (t) => t.votersDpk)
  // Results sent without the voters section count their valid + invalid here, so the lines add up.
  const rVotersLast = line(
    '4',
    'Pengguna hak pilih tanpa rincian (= sah + tidak sah)',
    (t) => t.votersUnbroken,
  )
  const rVoters = s.next
  const votersCell = (c: number, v: number) =>
    formula(`SUM(${addr(c, rVotersFirst)}:${addr(c, rVotersLast)})`, v)
  s.row(
    [
      text('5'),
      text('Jumlah pengguna hak pilih'),
      ...columns.map((t, i) => votersCell(first + i, t.tally.votersTotal)),
      votersCell(jumlah, total.tally.votersTotal),
    ],
    'total',
  )
  section('III. PEROLEHAN SUARA PASANGAN CALON')
  const rVotes = contest.candidates.map((c, i) =>
    line(String(c.number), candidateTitle(c), (t) => t.votes[i]!),
  )
  section('IV. SUARA SAH DAN TIDAK SAH')
  const rValid = s.next
  const validCell = (c: number, v: number) =>
    rVotes.length > 0
      ? formula(`SUM(${addr(c, rVotes[0]!)}:${addr(c, rVotes.at(-1)!)})`, v)
      : count(v)
  s.row(
    [
      text('1'),
      text('Jumlah suara sah'),
      ...columns.map((t, i) => validCell(first + i, t.tally.valid)),
      validCell(jumlah, total.tally.valid),
    ],
    'total',
  )
  const rInvalid = line('2', 'Jumlah suara tidak sah', (t) => t.invalid)
  s.row(
    [
      text('3'),
      text('Jumlah suara sah dan tidak sah'),
      ...columns.map((t, i) =>
        formula(`${addr(first + i, rValid)}+${addr(first + i, rInvalid)}`, t.tally.total),
      ),
      formula(`${addr(jumlah, rValid)}+${addr(jumlah, rInvalid)}`, total.tally.total),
    ],
    'total',
  )
  section('V. PARTISIPASI')
  s.row([
    text('1'),
    text('Partisipasi (pengguna hak pilih ÷ DPT TPS melapor)'),
    ...columns.map((t, i) =>
      percent(
        addr(first + i, rVoters),
        addr(first + i, rDptRep),
        t.tally.votersTotal,
        t.tally.dptReported,
      ),
    ),
    percent(
      addr(jumlah, rVoters),
      addr(jumlah, rDptRep),
      total.tally.votersTotal,
      total.tally.dptReported,
    ),
  ])
  const ref = (r: number) => `${quoteSheet(s.name)}!${addr(jumlah, r)}`
  return {
    tpsTotal: ref(rTps),
    tpsReported: ref(rRep),
    tpsExcluded: ref(rExcl),
    disputed: ref(rDisp),
    dpt: ref(rDpt),
    dptAll: ref(rDptAll),
    dptReported: ref(rDptRep),
    votersTotal: ref(rVoters),
    votes: rVotes.map(ref),
    invalid: ref(rInvalid),
  }
}

function dHasilSheet(ctx: Ctx, rollup: ContestRollup): { sheet: SheetBuilder; refs: DHasilRefs } {
  const { contest } = rollup
  const name = `D.Hasil ${ctx.labels.get(contest.id)!}`
  const s = startSheet(
    ctx,
    name,
    `Rekapitulasi per kecamatan (susunan model D.Hasil) — ${contest.name}`,
  )
  const columns = ctx.index.kecamatan.map((k) => ({
    code: k.code,
    name: k.name,
    tally: rollup.kecamatan.get(k.code)!,
  }))
  const refs = dHasilTable(
    ctx,
    rollup,
    s,
    columns,
    { code: ctx.source.desk.regency.code, tally: rollup.total },
    'kecamatan',
  )
  return { sheet: s, refs: { sheet: name, ...refs } }
}

/** Sheet names are at most 31 characters; the kecamatan's code number keeps them unique. */
function dHasilKecamatanName(label: string, k: KecamatanNode): string {
  return `DK ${label} ${k.code.slice(-2)} ${k.name}`
    .slice(0, 31)
    .replace(/[[\]:*?/\\]/g, ' ')
    .trim()
}

/** KPU's D.Hasil Kecamatan (the PPK's form): one sheet per kecamatan, its desa across. */
function dHasilKecamatanSheet(ctx: Ctx, rollup: ContestRollup, k: KecamatanNode): SheetBuilder {
  const { contest } = rollup
  const s = startSheet(
    ctx,
    dHasilKecamatanName(ctx.labels.get(contest.id)!, k),
    `Rekapitulasi Kecamatan ${k.name} per desa/kelurahan (susunan model D.Hasil Kecamatan) — ${contest.name}`,
  )
  const columns = k.desa.map((d) => ({
    code: d.code,
    name: d.name,
    tally: rollup.desa.get(d.code)!,
  }))
  dHasilTable(
    ctx,
    rollup,
    s,
    columns,
    { code: k.code, tally: rollup.kecamatan.get(k.code)! },
    'desa/kelurahan',
  )
  return s
}

// ---------------------------------------------------------------- Rekap Kecamatan / Desa / TPS

function kecamatanSheet(ctx: Ctx, rollup: ContestRollup): SheetBuilder {
  const { contest } = rollup
  const L = tallyLayout(contest.candidates.length, ctx.hasSex)
  const s = startSheet(
    ctx,
    `Rekap Kecamatan ${ctx.labels.get(contest.id)!}`,
    `Rekap per kecamatan — ${contest.name}`,
  )
  header(s, ['No', 'Kode', 'Kecamatan', ...tallyHeaders(ctx, contest)], 3)
  s.widths = [5, 10, 20, ...tallyWidths(ctx, contest)]
  const first = s.next
  ctx.index.kecamatan.forEach((k, i) => {
    const r = s.next
    const t = rollup.kecamatan.get(k.code)!
    s.row(
      [int(i + 1), text(k.code), text(k.name), ...tallyCells(L, t, r, 3, null)],
      t.disputed > 0 ? 'warn' : 'table',
    )
  })
  const last = s.next - 1
  const r = s.next
  s.row(
    [
      null,
      text(ctx.source.desk.regency.code),
      text('JUMLAH'),
      ...tallyCells(
        L,
        rollup.total,
        r,
        3,
        last >= first ? { fn: 'SUM', from: first, to: last } : null,
      ),
    ],
    'total',
  )
  return s
}

function desaSheet(ctx: Ctx, rollup: ContestRollup): SheetBuilder {
  const { contest } = rollup
  const L = tallyLayout(contest.candidates.length, ctx.hasSex)
  const s = startSheet(
    ctx,
    `Rekap Desa ${ctx.labels.get(contest.id)!}`,
    `Rekap per desa/kelurahan, dikelompokkan per kecamatan — ${contest.name}`,
  )
  header(s, ['Kode', 'Kecamatan', 'Desa/Kelurahan', ...tallyHeaders(ctx, contest)], 3)
  s.widths = [15, 18, 22, ...tallyWidths(ctx, contest)]
  const first = s.next
  for (const k of ctx.index.kecamatan) {
    const from = s.next
    for (const d of k.desa) {
      const r = s.next
      const t = rollup.desa.get(d.code)!
      s.row(
        [text(d.code), text(k.name), text(d.name), ...tallyCells(L, t, r, 3, null)],
        t.disputed > 0 ? 'warn' : 'table',
      )
    }
    const to = s.next - 1
    const r = s.next
    // SUBTOTAL, so the grand total below can sum the whole column without counting these twice.
    s.row(
      [
        text(k.code),
        text(k.name),
        text(`JUMLAH KECAMATAN ${k.name.toUpperCase()}`),
        ...tallyCells(
          L,
          rollup.kecamatan.get(k.code)!,
          r,
          3,
          to >= from ? { fn: 'SUBTOTAL', from, to } : null,
        ),
      ],
      'total',
    )
  }
  const last = s.next - 1
  const r = s.next
  s.row(
    [
      text(ctx.source.desk.regency.code),
      null,
      text(`JUMLAH ${ctx.source.desk.regency.name.toUpperCase()}`),
      ...tallyCells(
        L,
        rollup.total,
        r,
        3,
        last >= first ? { fn: 'SUBTOTAL', from: first, to: last } : null,
      ),
    ],
    'total',
  )
  return s
}

/** Said in the Status column too, so filtering Status alone finds the TPS waiting for a supervisor. */
export const DISPUTED_STATUS = 'menunggu keputusan'

function statusText(t: RecapSource['tps'][number], reported: boolean, disputed = false): string {
  if (t.status === 'postponed') return 'Ditunda'
  if (t.status === 'merged') return `Digabung ke ${t.mergedInto ?? '?'}`
  const status = reported ? 'Melapor' : 'Belum lapor'
  return disputed ? `${status} — ${DISPUTED_STATUS}` : status
}

function tpsSheet(ctx: Ctx, rollup: ContestRollup): SheetBuilder {
  const { contest } = rollup
  const P = contest.candidates.length
  const s = startSheet(
    ctx,
    `Rekap TPS ${ctx.labels.get(contest.id)!}`,
    `Rekap per TPS (semua TPS terdaftar, sudah atau belum melapor) — ${contest.name}`,
  )
  const people = ctx.full ? ['Pelapor', 'No. HP pelapor', 'Penelepon', 'No. HP penelepon'] : []
  const sex = ctx.hasSex ? ['DPT laki-laki', 'DPT perempuan'] : []
  const labels = [
    'Kode TPS',
    'Kecamatan',
    'Desa/Kelurahan',
    'No. TPS',
    'Status',
    'Diterima (WIB)',
    'Kanal',
    'Catatan',
    'DPT',
    ...sex,
    ...formLineHeaders(contest),
    ...people,
  ]
  // The place columns (TPS code, kecamatan, desa) stay in view while scrolling across the figures.
  header(s, labels, 3, true)
  const D = 8 // the DPT column
  const V = D + 1 + sex.length // the first voters column
  s.widths = [
    17,
    16,
    20,
    6,
    22,
    18,
    9,
    30,
    9,
    ...sex.map(() => 10),
    ...formLineWidths(contest),
    ...(ctx.full ? [22, 15, 22, 15] : []),
  ]
  // Status and Catatan wrap rather than widen the sheet (a typed reason can be 500 characters).
  s.wrapAt.set(4, 22).set(7, 30)
  const votesAt = V + 5
  const sah = votesAt + P
  const first = s.next
  for (const k of ctx.index.kecamatan) {
    for (const d of k.desa) {
      for (const t of d.tps) {
        const r = s.next
        const result = t.status === 'active' ? rollup.results.get(t.code) : undefined
        const disputes = rollup.disputes.get(t.code)
        const notes: string[] = []
        // The reason for a postponed or merged TPS goes in Catatan, where long text wraps; berjenjang's
        // data keeps only *that* a reason was recorded (an empty string), never its words.
        if (t.reason !== null)
          notes.push(
            ctx.full && t.reason ? `alasan: ${ctx.free(t.reason)}` : 'alasan tercatat di desk',
          )
        if (disputes?.has('conflict')) notes.push(DISPUTE_TEXT.conflict)
        if (disputes?.has('correction')) notes.push(DISPUTE_TEXT.correction)
        if (result?.review === 'flagged') notes.push('ditandai untuk ditinjau')
        if (result?.review === 'confirmed') notes.push('dikonfirmasi supervisor')
        if (result && !result.voters) notes.push('tanpa rincian pengguna hak pilih')
        // Postponed and merged TPS keep their DPT: the regency's DPT is KPU's, all TPS included.
        const row: (Cell | null)[] = [
          text(t.code),
          text(k.name),
          text(d.name),
          int(t.number),
          text(statusText(t, !!result, !!disputes)),
          result ? dateTime(result.receivedAt) : null,
          result ? text(CHANNEL_LABEL[result.channel] ?? 'Lainnya') : null,
          notes.length ? text(notes.join('; ')) : null,
          count(t.dpt),
        ]
        if (ctx.hasSex)
          row.push(
            typeof t.dptL === 'number' ? count(t.dptL) : null,
            typeof t.dptP === 'number' ? count(t.dptP) : null,
          )
        if (result) {
          const v = result.voters
          row.push(
            v ? count(v[0]) : null,
            v ? count(v[1]) : null,
            v ? count(v[2]) : null,
            v ? null : formula(`${addr(sah, r)}+${addr(sah + 1, r)}`, result.total),
            formula(`SUM(${addr(V, r)}:${addr(V + 3, r)})`, v ? v[3] : result.total),
          )
          for (let i = 0; i < P; i++) row.push(count(result.votes[i] ?? 0))
          row.push(
            formula(
              P > 0 ? `SUM(${addr(votesAt, r)}:${addr(votesAt + P - 1, r)})` : '0',
              result.valid,
            ),
            count(result.invalid),
            formula(`${addr(sah, r)}+${addr(sah + 1, r)}`, result.total),
          )
          if (ctx.full) {
            row.push(
              result.reporter ? text(result.reporter.name) : null,
              result.reporter?.phone ? text(result.reporter.phone) : null,
              result.caller ? text(result.caller.name) : null,
              result.caller?.phone ? text(result.caller.phone) : null,
            )
          }
        }
        while (row.length < labels.length) row.push(null)
        s.row(row, disputes ? 'warn' : 'table')
      }
    }
  }
  const last = s.next - 1
  if (s.autofilter) s.autofilter.lastRow = last
  const total = rollup.total
  const sum = (c: number, v: number) =>
    last >= first ? formula(`SUM(${addr(c, first)}:${addr(c, last)})`, v) : count(v)
  const totalRow: (Cell | null)[] = [
    text('JUMLAH'),
    null,
    null,
    null,
    text(`${n(total.tpsReported)} dari ${n(total.tpsTotal)} TPS melapor`),
    null,
    null,
    total.disputed > 0 ? text(`${n(total.disputed)} TPS menunggu keputusan`) : null,
    sum(D, total.dptAll),
  ]
  if (ctx.hasSex) totalRow.push(sum(D + 1, total.dptL), sum(D + 2, total.dptP))
  totalRow.push(
    sum(V, total.votersDpt),
    sum(V + 1, total.votersDptb),
    sum(V + 2, total.votersDpk),
    sum(V + 3, total.votersUnbroken),
    sum(V + 4, total.votersTotal),
    ...total.votes.map((v, i) => sum(votesAt + i, v)),
    sum(sah, total.valid),
    sum(sah + 1, total.invalid),
    sum(sah + 2, total.total),
  )
  while (totalRow.length < labels.length) totalRow.push(null)
  s.row(totalRow, 'total')
  return s
}

// ---------------------------------------------------------------- Belum Lapor, Kejadian, Selisih KPU

function people(list: SourcePerson[] | undefined): { names: string; phones: string } {
  if (!list || list.length === 0) return { names: '', phones: '' }
  return {
    names: list.map((p) => p.name).join('; '),
    phones: list
      .map((p) => p.phone)
      .filter(Boolean)
      .join('; '),
  }
}

function missingSheet(ctx: Ctx): SheetBuilder {
  const s = startSheet(ctx, 'Belum Lapor', 'Desa/kelurahan dan TPS yang belum lengkap melapor')
  const summary = ctx.rollups
    .map(
      (r) =>
        `${r.contest.name}: ${n(r.total.tpsTotal - r.total.tpsReported)} dari ${n(r.total.tpsTotal)} TPS belum melapor`,
    )
    .join(' · ')
  s.row([text(summary)], 'note')
  const who = ctx.full ? ['Pelapor', 'No. HP'] : []
  const left = [
    'Pemilihan',
    'Kecamatan',
    'Kode desa',
    'Desa/Kelurahan',
    'TPS',
    'TPS melapor',
    'Belum melapor',
    ...who,
  ]
  const right = ['Pemilihan', 'Kecamatan', 'Desa/Kelurahan', 'Kode TPS', 'No. TPS', 'DPT', ...who]
  const gap = left.length
  const r0 = s.blank()
  s.put(r0, 0, text('DESA/KELURAHAN YANG BELUM LENGKAP'), 'label')
  s.put(r0, gap + 1, text('TPS YANG BELUM MELAPOR'), 'label')
  const h = s.row([...left.map((l) => text(l)), null, ...right.map((l) => text(l))], 'head')
  // The gap column between the two tables is no table cell: no fill, no border.
  s.put(h, gap, text(''), 'plain')
  s.freeze = { rows: h + 1, cols: 0 }
  s.widths = [
    12,
    16,
    14,
    20,
    7,
    9,
    9,
    ...(ctx.full ? [22, 15] : []),
    3,
    12,
    16,
    20,
    17,
    7,
    8,
    ...(ctx.full ? [22, 15] : []),
  ]
  const reportersOf = (desa: string, kecamatan: string) =>
    people(ctx.reportersByRegion.get(desa) ?? ctx.reportersByRegion.get(kecamatan))
  let rl = h + 1
  let rr = h + 1
  for (const rollup of ctx.rollups) {
    const label = ctx.labels.get(rollup.contest.id)!
    for (const k of ctx.index.kecamatan) {
      for (const d of k.desa) {
        const t = rollup.desa.get(d.code)!
        if (t.tpsReported < t.tpsTotal) {
          const p = reportersOf(d.code, k.code)
          const cells: Cell[] = [
            text(label),
            text(k.name),
            text(d.code),
            text(d.name),
            count(t.tpsTotal),
            count(t.tpsReported),
            formula(`${addr(4, rl)}-${addr(5, rl)}`, t.tpsTotal - t.tpsReported),
          ]
          if (ctx.full) cells.push(text(p.names), text(p.phones))
          cells.forEach((c, i) => s.put(rl, i, c))
          rl++
        }
        for (const tps of d.tps) {
          if (tps.status !== 'active' || rollup.results.has(tps.code)) continue
          const p = reportersOf(d.code, k.code)
          const cells: Cell[] = [
            text(label),
            text(k.name),
            text(d.name),
            text(tps.code),
            int(tps.number),
            count(tps.dpt),
          ]
          if (ctx.full) cells.push(text(p.names), text(p.phones))
          cells.forEach((c, i) => s.put(rr, gap + 1 + i, c))
          rr++
        }
      }
    }
  }
  if (rl === h + 1) s.put(rl, 0, text('Semua desa/kelurahan sudah lengkap.'))
  if (rr === h + 1) s.put(rr, gap + 1, text('Semua TPS sudah melapor.'))
  return s
}

function incidentsSheet(ctx: Ctx): SheetBuilder {
  const s = startSheet(
    ctx,
    'Kejadian',
    'Kejadian yang dilaporkan (keamanan, logistik, cuaca, protes, lainnya)',
  )
  const who = ctx.full ? ['Pelapor', 'No. HP'] : []
  // berjenjang: the description someone typed stays in the desk; the sheet says whether there is one.
  header(
    s,
    [
      'No',
      'Waktu (WIB)',
      'Kecamatan',
      'Desa/Wilayah',
      'TPS',
      'Kategori',
      'Urgensi',
      'Status',
      'Uraian',
      'Foto',
      'Simulasi',
      ...who,
    ],
    0,
    true,
  )
  s.widths = [5, 18, 16, 22, 17, 11, 9, 10, ctx.full ? 60 : 26, 6, 9, ...(ctx.full ? [22, 15] : [])]
  const incidents = ctx.source.incidents
  if (incidents === null) {
    s.row([null, text('Log kejadian belum tersedia di desk ini.')], 'plain')
    return s
  }
  if (incidents.length === 0) {
    s.row([null, text('Belum ada kejadian yang dilaporkan.')], 'plain')
    return s
  }
  const regionName = (code: string): { kecamatan: string; region: string } => {
    const d = ctx.index.desaByCode.get(code)
    if (d)
      return {
        kecamatan: ctx.index.kecamatanByCode.get(d.kecamatan)?.name ?? d.kecamatan,
        region: d.name,
      }
    const k = ctx.index.kecamatanByCode.get(code)
    if (k) return { kecamatan: k.name, region: `(seluruh kecamatan ${k.name})` }
    return { kecamatan: '', region: code }
  }
  incidents.forEach((inc, i) => {
    const where = regionName(inc.region)
    const row: (Cell | null)[] = [
      int(i + 1),
      dateTime(inc.at),
      text(where.kecamatan),
      text(where.region),
      inc.tps ? text(inc.tps) : null,
      text(CATEGORY_LABEL[inc.category] ?? 'Lainnya'),
      text(URGENCY_LABEL[inc.urgency] ?? 'Sedang'),
      text(inc.status === 'handled' ? 'Ditangani' : 'Terbuka'),
      // (Every incident has a description: berjenjang says where to read it.)
      text(ctx.full ? ctx.free(inc.text) : 'tercatat di desk (profil lengkap)'),
      text(inc.photo ? 'ada' : '-'),
      text(inc.simulated ? 'ya' : 'tidak'),
    ]
    if (ctx.full)
      row.push(
        inc.reporter ? text(inc.reporter.name) : null,
        inc.reporter?.phone ? text(inc.reporter.phone) : null,
      )
    s.row(row, ctx.full ? 'wrap' : 'table')
  })
  return s
}

const LEVEL_LABEL = { tps: 'TPS', desa: 'Desa/Kelurahan', kecamatan: 'Kecamatan' } as const

function kpuSourceName(ctx: Pick<Ctx, 'full' | 'free'>, source: string): string {
  return ctx.full && source ? ` dari "${ctx.free(source)}"` : ''
}

export function reconcileSheet(ctx: Ctx, report: ReconcileReport): SheetBuilder {
  const s = startSheet(
    ctx,
    'Selisih KPU',
    'Selisih data cepat desk terhadap data KPU, per wilayah dan per paslon',
  )
  s.row(
    [
      text(
        `Ditandai SELISIH bila selisih lebih dari ${report.thresholdPercent.toLocaleString('id-ID')}% dari angka KPU dan semua TPS wilayah itu sudah melapor ke desk. Selisih = desk − KPU.`,
      ),
    ],
    'note',
  )
  for (const c of report.contests) {
    s.row(
      [
        text(
          `${c.name}: data KPU tingkat ${LEVEL_LABEL[c.level].toLowerCase()}${kpuSourceName(ctx, c.source)} (impor #${c.importId}, ${wibDateTime(c.importedAt)}); ${n(c.regions)} wilayah dibandingkan, ${n(c.flaggedRegions)} ditandai, ${n(c.incompleteRegions)} belum lengkap di desk, ${n(c.regionsWithoutKpu)} tanpa data KPU.`,
        ),
      ],
      'note',
    )
  }
  header(
    s,
    [
      'Pemilihan',
      'Tingkat',
      'Kode',
      'Kecamatan',
      'Wilayah',
      'TPS desk melapor',
      'TPS',
      'Baris',
      'Desk',
      'KPU',
      'Selisih',
      'Selisih %',
      'Tanda',
    ],
    5,
    true,
  )
  s.widths = [12, 14, 19, 16, 28, 10, 8, 18, 12, 12, 11, 10, 18]
  const diffPct = (r: number, kpu: number, diff: number): Cell =>
    formula(
      `IF(${addr(9, r)}=0,IF(${addr(10, r)}=0,0,1),ABS(${addr(10, r)})/${addr(9, r)})`,
      kpu === 0 ? (diff === 0 ? 0 : 1) : Math.abs(diff) / kpu,
      'percent',
    )
  const totalsAt: {
    contest: string
    from: number
    to: number
    totals: ReconcileReport['contests'][number]['totals']
  }[] = []
  for (const c of report.contests) {
    const label = ctx.labels.get(c.contest) ?? c.contest
    const from = s.next
    for (const row of c.rows) {
      const r = s.next
      s.row(
        [
          text(label),
          text(LEVEL_LABEL[c.level]),
          text(row.code),
          row.kecamatan ? text(row.kecamatan) : null,
          text(row.name),
          count(row.tpsReported),
          count(row.tpsTotal),
          text(row.label),
          count(row.desk),
          count(row.kpu),
          formula(`${addr(8, r)}-${addr(9, r)}`, row.diff),
          diffPct(r, row.kpu, row.diff),
          text(STATUS_LABEL[row.status]),
        ],
        row.status === 'selisih' ? 'warn' : 'table',
      )
    }
    totalsAt.push({ contest: label, from, to: s.next - 1, totals: c.totals })
  }
  if (s.autofilter) s.autofilter.lastRow = s.next - 1
  // JUMLAH per contest and line, below the filtered rows: each a SUMIF over that contest's rows.
  for (const t of totalsAt) {
    for (const line of t.totals) {
      const r = s.next
      const crit = `"${line.label.replace(/"/g, '""')}"`
      const sumIf = (c: number, v: number) =>
        t.to >= t.from
          ? formula(
              `SUMIF(${addr(7, t.from)}:${addr(7, t.to)},${crit},${addr(c, t.from)}:${addr(c, t.to)})`,
              v,
            )
          : count(v)
      s.row(
        [
          text(t.contest),
          text('JUMLAH'),
          null,
          null,
          text('semua wilayah yang dibandingkan'),
          null,
          null,
          text(line.label),
          sumIf(8, line.desk),
          sumIf(9, line.kpu),
          formula(`${addr(8, r)}-${addr(9, r)}`, line.diff),
          diffPct(r, line.kpu, line.diff),
          null,
        ],
        'total',
      )
    }
  }
  return s
}

// ---------------------------------------------------------------- Ringkasan and Catatan

function snapshotLine(ctx: Ctx): string {
  if (!ctx.snapshot) return 'ekspor langsung (belum dibekukan)'
  const label = ctx.full && ctx.snapshot.label ? ` — ${ctx.free(ctx.snapshot.label)}` : ''
  return `#${ctx.snapshot.id} dibekukan ${wibDateTime(ctx.snapshot.frozenAt)}${label}`
}

function summarySheet(ctx: Ctx, refs: Map<string, DHasilRefs>): SheetBuilder {
  const s = new SheetBuilder('Ringkasan')
  const { desk } = ctx.source
  s.page = {
    left: `DATA CEPAT — BUKAN DATA RESMI · ${desk.regency.name}`,
    ...(desk.training ? { centre: TRAINING_BANNER } : {}),
    footer: `Keadaan data per ${ctx.asOf} · profil ${ctx.profile}${ctx.snapshot ? ` · snapshot #${ctx.snapshot.id}` : ''}`,
  }
  if (desk.training) s.row([text(TRAINING_BANNER)], 'banner')
  s.row(
    [text(`REKAPITULASI CEPAT PENGHITUNGAN SUARA — ${desk.election.name.toUpperCase()}`)],
    'title',
  )
  s.row(
    [
      text(
        `${desk.regency.name} (${desk.regency.code}) · hari pemungutan suara ${dmy(desk.election.date)}`,
      ),
    ],
    'note',
  )
  s.row([text(NOT_OFFICIAL)], 'banner')
  s.row([text('Keadaan data per', 'label'), text(ctx.asOf)], 'wrap')
  s.row([text('Profil', 'label'), text(PROFILE_DESCRIPTION[ctx.profile])], 'wrap')
  s.row([text('Snapshot', 'label'), text(snapshotLine(ctx))], 'wrap')
  const open = ctx.source.contests.reduce((a, c) => a + c.openConflicts, 0)
  const disputeLine =
    open === 0
      ? 'tidak ada'
      : `${n(open)} laporan berbeda/koreksi menunggu keputusan supervisor${ctx.snapshot ? ' saat dibekukan' : ''} (tidak dihitung; TPS-nya didaftar di bawah dan ditandai di Rekap TPS)`
  s.row([text('Laporan berbeda terbuka', 'label'), text(disputeLine)], open > 0 ? 'warn' : 'wrap')
  s.row([text('Sidik data (SHA-256)', 'label'), text(ctx.dataSha256)], 'wrap')
  s.widths = [56, 72, 16, 12]
  s.freeze = null
  for (const rollup of ctx.rollups) {
    const c = rollup.contest
    const ref = refs.get(c.id)!
    const t = rollup.total
    s.blank()
    s.row([text(c.name.toUpperCase()), null, null, null], 'head')
    const rTps = s.row([text('TPS diharapkan (aktif)'), null, formula(ref.tpsTotal, t.tpsTotal)])
    const rRep = s.row([text('TPS sudah melapor'), null, formula(ref.tpsReported, t.tpsReported)])
    s.row([
      text('Kemajuan laporan'),
      null,
      percent(addr(2, rRep), addr(2, rTps), t.tpsReported, t.tpsTotal),
    ])
    s.row([
      text('TPS ditunda/digabung (di luar penyebut)'),
      null,
      formula(ref.tpsExcluded, t.tpsExcluded),
    ])
    s.row([text('No. urut'), text('Pasangan calon'), text('Suara'), text('% suara sah')], 'head')
    const firstPair = s.next
    const rValid = firstPair + c.candidates.length
    c.candidates.forEach((cand, i) => {
      const r = s.next
      s.row([
        text(cand.number === 0 ? '-' : String(cand.number)),
        text(cand.number === 0 ? 'Kolom kosong' : cand.name),
        formula(ref.votes[i]!, t.votes[i]!),
        percent(addr(2, r), addr(2, rValid), t.votes[i]!, t.valid),
      ])
    })
    s.row(
      [
        text('Suara sah'),
        null,
        c.candidates.length > 0
          ? formula(`SUM(${addr(2, firstPair)}:${addr(2, rValid - 1)})`, t.valid)
          : count(0),
        percent(addr(2, rValid), addr(2, rValid), t.valid, t.valid),
      ],
      'total',
    )
    const rInvalid = s.row([text('Suara tidak sah'), null, formula(ref.invalid, t.invalid)])
    const rAll = s.row(
      [
        text('Suara sah + tidak sah'),
        null,
        formula(`${addr(2, rValid)}+${addr(2, rInvalid)}`, t.total),
      ],
      'total',
    )
    s.row([
      text('Suara tidak sah terhadap semua suara'),
      null,
      percent(addr(2, rInvalid), addr(2, rAll), t.invalid, t.total),
    ])
    const rVoters = s.row([
      text('Pengguna hak pilih (TPS yang sudah melapor)'),
      null,
      formula(ref.votersTotal, t.votersTotal),
    ])
    const rDen = s.row([
      text('DPT TPS yang sudah melapor'),
      text('penyebut partisipasi'),
      formula(ref.dptReported, t.dptReported),
    ])
    s.row([
      text('Partisipasi'),
      text('pengguna hak pilih ÷ DPT TPS yang sudah melapor'),
      percent(addr(2, rVoters), addr(2, rDen), t.votersTotal, t.dptReported),
    ])
    s.row([text('DPT seluruh TPS aktif'), null, formula(ref.dpt, t.dpt)])
    s.row([
      text('DPT semua TPS (termasuk ditunda/digabung)'),
      text('sama dengan DPT KPU'),
      formula(ref.dptAll, t.dptAll),
    ])
    if (ctx.hasSex) {
      s.row([
        text('    DPT laki-laki'),
        t.dptSexMissing > 0 ? text(`${n(t.dptSexMissing)} TPS tanpa rincian jenis kelamin`) : null,
        count(t.dptL),
      ])
      s.row([text('    DPT perempuan'), null, count(t.dptP)])
    }
    s.row(
      [
        text('Laporan berbeda menunggu keputusan supervisor (tidak dihitung)'),
        null,
        count(c.openConflicts),
      ],
      c.openConflicts > 0 ? 'warn' : 'table',
    )
    s.row(
      [
        text('TPS dengan laporan berbeda/koreksi menunggu keputusan'),
        null,
        formula(ref.disputed, t.disputed),
      ],
      t.disputed > 0 ? 'warn' : 'table',
    )
    if (rollup.disputes.size > 0) {
      const tpsByCode = new Map(ctx.source.tps.map((x) => [x.code, x]))
      s.row(
        [text('TPS menunggu keputusan'), text('Kecamatan · desa/kelurahan'), text('Jenis'), null],
        'head',
      )
      for (const [code, kinds] of rollup.disputes) {
        const tps = tpsByCode.get(code)
        const d = tps ? ctx.index.desaByCode.get(tps.desa) : undefined
        const k = d ? ctx.index.kecamatanByCode.get(d.kecamatan) : undefined
        s.row(
          [
            text(code),
            text(d && k ? `${k.name} · ${d.name}` : ''),
            text(
              [...kinds]
                .map((x) => (x === 'conflict' ? 'laporan berbeda' : 'koreksi ditahan'))
                .join(', '),
            ),
            null,
          ],
          'warn',
        )
      }
    }
  }
  return s
}

function notesSheet(ctx: Ctx): SheetBuilder {
  const s = startSheet(ctx, 'Catatan', 'Catatan: metode, sumber data, waktu pembuatan, sidik data')
  s.blank()
  const { source } = ctx
  const flagged = ctx.rollups.map((r) => {
    let k = 0
    for (const res of r.results.values()) if (res.review === 'flagged') k++
    return `${ctx.labels.get(r.contest.id)}: ${n(k)}`
  })
  const kpu = source.kpu?.sets.length
    ? source.kpu.sets
        .map(
          (k) =>
            `${ctx.labels.get(k.contest) ?? k.contest}: impor #${k.importId}${kpuSourceName(ctx, k.source)} (${LEVEL_LABEL[k.level].toLowerCase()}, ${wibDateTime(k.importedAt)})`,
        )
        .join('; ')
    : 'belum ada data KPU yang diimpor'
  const active = source.tps.filter((t) => t.status === 'active').length
  const open = source.contests.reduce((a, c) => a + c.openConflicts, 0)
  const lines: [string, string][] = [
    ['Status data', NOT_OFFICIAL],
    ['Wilayah', `${source.desk.regency.name} (${source.desk.regency.code})`],
    ['Pemilihan', `${source.desk.election.name}, ${dmy(source.desk.election.date)}`],
    ['Keadaan data per', ctx.asOf],
    ['Profil', PROFILE_DESCRIPTION[ctx.profile]],
    [
      'Snapshot',
      ctx.snapshot
        ? `${snapshotLine(ctx)}. Berkas snapshot tersimpan tetap di desk; mengunduhnya lagi memberi berkas yang sama persis (SHA-256 berkas tercantum di daftar snapshot desk).`
        : 'Ekspor langsung, belum dibekukan. Untuk dikirim ke provinsi, bekukan rekap dulu agar berkasnya tersimpan tetap dan bisa dicocokkan.',
    ],
    [
      'Laporan berbeda',
      `${n(open)} laporan berbeda atau koreksi menunggu keputusan supervisor${ctx.snapshot ? ' saat snapshot dibekukan' : ''}. Yang dihitung tetap laporan pertama; baris TPS-nya ditandai "${DISPUTE_TEXT.conflict}" (atau koreksi ditahan), dan baris desa/kecamatan menghitungnya di kolom "TPS menunggu keputusan".`,
    ],
    ['Sidik data (SHA-256)', ctx.dataSha256],
    [
      'Arti sidik data',
      'SHA-256 dari data rekap (TPS, hasil, kejadian, data KPU), tanpa waktu pembuatan. Data yang tidak berubah memberi sidik yang sama; satu angka berubah di mana pun mengubahnya. Kedua profil memakai sidik yang sama.',
    ],
    [
      'Isi profil berjenjang',
      'Hanya data terstruktur: wilayah, kode, angka, status, kategori dan waktu. Teks yang diketik orang (uraian kejadian, alasan penundaan, catatan, nama sumber data KPU, label snapshot), nama dan nomor HP tidak ada di profil ini; bila ada, berkas hanya menyebut bahwa teks itu tercatat di desk.',
    ],
    [
      'Sumber data',
      'Laporan cepat pelapor lapangan (satu per desa/kelurahan dan per kecamatan) atas formulir C.Hasil tiap TPS, diterima desk lewat web, API atau telepon. Yang dihitung adalah laporan pertama yang diterima per TPS dan pemilihan; laporan berbeda sesudahnya ditahan sebagai konflik dan tidak dihitung sampai diputuskan supervisor.',
    ],
    [
      'Metode',
      'Rekap berjenjang TPS → desa/kelurahan → kecamatan → kabupaten/kota. Setiap TPS aktif dihitung dalam penyebut kemajuan, sudah atau belum melapor; TPS yang ditunda atau digabung keluar dari penyebut, tetapi DPT-nya tetap masuk kolom DPT (semua TPS), sehingga DPT kabupaten sama dengan DPT KPU. Kolom "DPT TPS aktif" dan "DPT TPS melapor" memisahkannya. Pemilih TPS yang digabung memilih di TPS penerimanya, jadi DPT-nya dihitung bersama TPS penerima itu di "DPT TPS melapor" (penyebut partisipasi) begitu TPS penerima melapor.',
    ],
    [
      'DPT menurut jenis kelamin',
      ctx.hasSex
        ? 'Dari kolom dpt_l dan dpt_p daftar TPS. TPS yang diimpor tanpa kedua kolom itu tidak masuk jumlah laki-laki/perempuan (jumlahnya disebut di Ringkasan).'
        : 'Daftar TPS desk ini tidak memuat dpt_l dan dpt_p, jadi DPT tidak dirinci menurut jenis kelamin.',
    ],
    [
      'Rumus',
      'Semua jumlah ditulis sebagai rumus Excel (SUM, SUBTOTAL, SUMIF) dengan nilainya sudah terisi. Di Rekap Desa, baris jumlah kecamatan dan jumlah kabupaten memakai SUBTOTAL(9, …) sehingga jumlah kabupaten tidak menghitung baris jumlah kecamatan dua kali.',
    ],
    [
      'Partisipasi',
      'Jumlah pengguna hak pilih ÷ DPT TPS yang sudah melapor (bukan DPT seluruh TPS), supaya partisipasi tidak tampak rendah selama laporan belum lengkap.',
    ],
    [
      'Pengguna hak pilih',
      'Dari bagian pengguna hak pilih formulir (DPT, DPTb, DPK). Bila pelapor tidak mengirim bagian itu, jumlah pengguna hak pilih TPS tersebut dihitung sama dengan suara sah + tidak sah, masuk baris/kolom "tanpa rincian (= sah + tidak sah)", dan TPS itu ditandai "tanpa rincian pengguna hak pilih" di Rekap TPS. Jumlah pengguna hak pilih adalah rumus SUM dari DPT, DPTb, DPK dan tanpa rincian.',
    ],
    [
      'Waktu',
      'Semua waktu dalam WIB (UTC+7), ditulis dd-mm-yyyy hh:mm:ss; kolom waktu berisi tanggal-waktu Excel sungguhan.',
    ],
    [
      'Cetak',
      'Setiap lembar dicetak mendatar, selebar satu halaman; baris judul tabel diulang di setiap halaman, dengan keterangan status data dan waktu data di kepala dan kaki halaman.',
    ],
    ['TPS terdaftar', `${n(source.tps.length)} (aktif ${n(active)})`],
    ['Hasil ditandai untuk ditinjau', flagged.join('; ')],
    ['Data KPU', kpu],
    ['Dibuat oleh', `Desk Pilkada, ${wibDateTime(source.generatedAt)}`],
  ]
  if (source.desk.training)
    lines.unshift(['Mode', `${TRAINING_BANNER}: semua angka di berkas ini buatan untuk latihan.`])
  for (const [k, v] of lines) s.row([text(k, 'label'), text(v)], 'wrap')
  s.widths = [28, 110]
  return s
}

// ---------------------------------------------------------------- the workbook

/** A training workbook must not pass for a real one, not even by its file name in a mail or a folder. */
function trainingPrefix(source: RecapSource): string {
  return source.desk.training ? 'LATIHAN-' : ''
}

function makeCtx(
  source: RecapSource,
  profile: ExportProfile,
  snapshot: SnapshotLabel | null,
  fingerprint: string,
): Ctx {
  const full = profile === 'lengkap'
  // berjenjang is built from the allow-listed copy: nothing typed is there to print.
  const view = full ? source : allowListed(source)
  const index = indexRegions(view)
  const rollups = view.contests.map((c) => rollupContest(view, index, c))
  const reportersByRegion = new Map<string, SourcePerson[]>()
  for (const r of view.reporters) {
    const list = reportersByRegion.get(r.region) ?? []
    list.push({ name: r.name, phone: r.phone })
    reportersByRegion.set(r.region, list)
  }
  return {
    source: view,
    profile,
    full,
    index,
    rollups,
    asOf: wibDateTime(view.generatedAt),
    dataSha256: fingerprint,
    snapshot,
    labels: contestLabels(view.contests),
    reportersByRegion,
    hasSex: view.tps.some((t) => typeof t.dptL === 'number' && typeof t.dptP === 'number'),
    // lengkap leaves the room too (mail, USB sticks): numbers, NIK, e-mails and codes typed into text are masked.
    free: redactPhones,
  }
}

export function buildRecapWorkbook(source: RecapSource, options: BuildOptions): BuiltWorkbook {
  const { timings } = options
  const fingerprint = timed(timings, 'hash', () => dataSha256(source))
  const ctx = timed(timings, 'rows', () =>
    makeCtx(source, options.profile, options.snapshot ?? null, fingerprint),
  )
  const sheets = timed(timings, 'rows', () => {
    const refs = new Map<string, DHasilRefs>()
    const perContest: SheetBuilder[] = []
    const perKecamatan: SheetBuilder[] = []
    for (const rollup of ctx.rollups) {
      const d = dHasilSheet(ctx, rollup)
      refs.set(rollup.contest.id, d.refs)
      perContest.push(
        d.sheet,
        kecamatanSheet(ctx, rollup),
        desaSheet(ctx, rollup),
        tpsSheet(ctx, rollup),
      )
      for (const k of ctx.index.kecamatan) perKecamatan.push(dHasilKecamatanSheet(ctx, rollup, k))
    }
    const list = [summarySheet(ctx, refs), ...perContest, missingSheet(ctx), incidentsSheet(ctx)]
    if (ctx.source.kpu && ctx.source.kpu.sets.length > 0) {
      const report = reconcile(
        ctx.source,
        options.thresholdPercent ?? ctx.source.kpu.thresholdPercent,
        { index: ctx.index, rollups: ctx.rollups },
      )
      list.push(reconcileSheet(ctx, report))
    }
    list.push(notesSheet(ctx), ...perKecamatan)
    return list
  })
  const bytes = writeWorkbook(
    sheets,
    {
      title: `Rekap cepat ${source.desk.regency.name}`,
      subject: `${source.desk.election.name} — data cepat, bukan data resmi`,
      createdAt: options.snapshot?.frozenAt ?? source.generatedAt,
    },
    timings,
  )
  const stamp = wibStamp(options.snapshot?.frozenAt ?? source.generatedAt)
  const filename = options.snapshot
    ? `${trainingPrefix(source)}rekap-${source.desk.regency.code}-${options.profile}-snapshot-${options.snapshot.id}-${stamp}.xlsx`
    : `${trainingPrefix(source)}rekap-${source.desk.regency.code}-${options.profile}-${stamp}.xlsx`
  const sha256 = timed(timings, 'hash', () => sha256Hex(bytes))
  return { bytes, sha256, dataSha256: fingerprint, filename, sheetNames: sheets.map((s) => s.name) }
}

/** The difference report alone, as a workbook (Selisih KPU and Catatan), structured data only. */
export function buildReconcileWorkbook(
  source: RecapSource,
  thresholdPercent: number,
): BuiltWorkbook {
  const ctx = makeCtx(source, 'berjenjang', null, dataSha256(source))
  const report = reconcile(ctx.source, thresholdPercent, { index: ctx.index, rollups: ctx.rollups })
  const sheets = [reconcileSheet(ctx, report), notesSheet(ctx)]
  const bytes = writeWorkbook(sheets, {
    title: `Selisih KPU ${source.desk.regency.name}`,
    subject: `${source.desk.election.name} — selisih data cepat terhadap KPU`,
    createdAt: source.generatedAt,
  })
  return {
    bytes,
    sha256: sha256Hex(bytes),
    dataSha256: ctx.dataSha256,
    filename: `${trainingPrefix(source)}selisih-kpu-${source.desk.regency.code}-${wibStamp(source.generatedAt)}.xlsx`,
    sheetNames: sheets.map((s) => s.name),
  }
}
