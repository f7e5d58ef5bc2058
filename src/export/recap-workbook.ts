// The staged recap workbook the desk sends up: Ringkasan; per contest a D.Hasil-style kabupaten
// sheet, Rekap Kecamatan, Rekap Desa and Rekap TPS; Belum Lapor; Kejadian; Selisih KPU (when KPU
// figures were imported); Catatan. Every total is an Excel formula with its value filled in.
// Pure: data in, bytes out.

import { reconcile, STATUS_LABEL, type ReconcileReport } from './reconcile'
import { indexRegions, rollupContest, type ContestRollup, type RegionIndex, type Tally } from './rollup'
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
  candidateLabel,
  candidateTitle,
  redactPhones,
  wibDateTime,
  wibStamp,
} from './text'
import {
  addr,
  count,
  formula,
  percent,
  SheetBuilder,
  text,
  timed,
  writeWorkbook,
  type Cell,
  type Timings,
} from './xlsx-file'

export interface BuildOptions {
  profile: ExportProfile
  /** Set when the workbook is a frozen snapshot. */
  snapshot?: SnapshotLabel | null
  /** The KPU difference threshold for the Selisih KPU sheet (default: the source's). */
  thresholdPercent?: number
  /** Filled with milliseconds per phase (rows, sheetjs, zip, hash) when given. */
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
  berjenjang: 'berjenjang — untuk Bakesbangpol Provinsi dan Kemendagri (tanpa nama dan nomor HP pelapor)',
  lengkap: 'lengkap — untuk desk sendiri (dengan nama dan nomor HP pelapor)',
}

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
  /** Free text as it may leave the desk in this profile. */
  free: (s: string) => string
}

/** Per contest, where the D.Hasil sheet keeps its JUMLAH figures, for the Ringkasan's references. */
interface DHasilRefs {
  sheet: string
  tpsTotal: string
  tpsReported: string
  dpt: string
  dptReported: string
  votersTotal: string
  votes: string[]
  invalid: string
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`
}

function contestLabels(contests: SourceContest[]): Map<string, string> {
  const used = new Set<string>()
  const labels = new Map<string, string>()
  for (const c of contests) {
    const base = (c.id.charAt(0).toUpperCase() + c.id.slice(1)).slice(0, 14)
    let label = base
    for (let n = 2; used.has(label.toLowerCase()); n++) label = `${base.slice(0, 12)} ${n}`
    used.add(label.toLowerCase())
    labels.set(c.id, label)
  }
  return labels
}

function startSheet(ctx: Ctx, name: string, title: string): SheetBuilder {
  const s = new SheetBuilder(name)
  if (ctx.source.desk.training) s.row([text(TRAINING_BANNER)])
  s.row([text(title)])
  s.row([
    text(
      `${ctx.source.desk.regency.name} (${ctx.source.desk.regency.code}) · DATA CEPAT — BUKAN DATA RESMI · keadaan per ${ctx.asOf}`,
    ),
  ])
  return s
}

function header(s: SheetBuilder, labels: string[], freezeCols: number, filter = false): number {
  s.blank()
  const r = s.row(labels.map(text))
  s.freeze = { rows: r + 1, cols: freezeCols }
  if (filter) s.autofilter = { header: r, from: 0, to: labels.length - 1 }
  return r
}

// ---------------------------------------------------------------- tally columns (kecamatan, desa)

/** The lines of form C.Hasil as column headers, in the form's order (tally and TPS sheets alike). */
function formLineHeaders(contest: SourceContest): string[] {
  return [
    'Pengguna hak pilih DPT',
    'Pengguna DPTb',
    'Pengguna DPK',
    'Pengguna tanpa rincian (= sah + tidak sah)',
    'Jumlah pengguna hak pilih',
    ...contest.candidates.map(candidateLabel),
    'Suara sah',
    'Suara tidak sah',
    'Suara sah + tidak sah',
  ]
}

function tallyHeaders(contest: SourceContest): string[] {
  return [
    'TPS',
    'TPS melapor',
    '% melapor',
    'DPT',
    'DPT TPS melapor',
    ...formLineHeaders(contest),
    'Partisipasi',
  ]
}

function tallyWidths(contest: SourceContest): number[] {
  return [8, 9, 9, 11, 11, 11, 10, 10, 13, 12, ...contest.candidates.map(() => 12), 12, 11, 12, 10]
}

type Aggregate = { fn: 'SUM' | 'SUBTOTAL'; from: number; to: number } | null

/** The tally block of one row starting at column k: plain figures, or column totals over rows from..to. */
function tallyCells(t: Tally, r: number, k: number, agg: Aggregate): Cell[] {
  const P = t.votes.length
  const at = (c: number) => addr(c, r)
  const fig = (c: number, v: number): Cell =>
    agg
      ? formula(
          agg.fn === 'SUM'
            ? `SUM(${addr(c, agg.from)}:${addr(c, agg.to)})`
            : `SUBTOTAL(9,${addr(c, agg.from)}:${addr(c, agg.to)})`,
          v,
        )
      : count(v)
  const cells: Cell[] = [
    fig(k, t.tpsTotal),
    fig(k + 1, t.tpsReported),
    percent(at(k + 1), at(k), t.tpsReported, t.tpsTotal),
    fig(k + 3, t.dpt),
    fig(k + 4, t.dptReported),
    fig(k + 5, t.votersDpt),
    fig(k + 6, t.votersDptb),
    fig(k + 7, t.votersDpk),
    fig(k + 8, t.votersUnbroken),
    // Voters add up on the row: DPT + DPTb + DPK + those of results sent without the breakdown.
    agg ? fig(k + 9, t.votersTotal) : formula(`SUM(${at(k + 5)}:${at(k + 8)})`, t.votersTotal),
  ]
  for (let i = 0; i < P; i++) cells.push(fig(k + 10 + i, t.votes[i]!))
  const sah = k + 10 + P
  cells.push(agg ? fig(sah, t.valid) : formula(P > 0 ? `SUM(${at(k + 10)}:${at(k + 9 + P)})` : '0', t.valid))
  cells.push(fig(sah + 1, t.invalid))
  cells.push(agg ? fig(sah + 2, t.total) : formula(`${at(sah)}+${at(sah + 1)}`, t.total))
  cells.push(percent(at(k + 9), at(k + 4), t.votersTotal, t.dptReported))
  return cells
}

// ---------------------------------------------------------------- D.Hasil (kabupaten, per kecamatan)

function dHasilSheet(ctx: Ctx, rollup: ContestRollup): { sheet: SheetBuilder; refs: DHasilRefs } {
  const { contest } = rollup
  const name = `D.Hasil ${ctx.labels.get(contest.id)!}`
  const s = startSheet(ctx, name, `Rekapitulasi per kecamatan (susunan model D.Hasil) — ${contest.name}`)
  const kec = ctx.index.kecamatan
  const first = 2
  const last = first + kec.length - 1
  const jumlah = last + 1
  s.blank()
  s.row([text('No'), text('Uraian'), ...kec.map((k) => text(k.name)), text('JUMLAH')])
  const codeRow = s.row([null, text('Kode kecamatan'), ...kec.map((k) => text(k.code)), text(ctx.source.desk.regency.code)])
  s.freeze = { rows: codeRow + 1, cols: 2 }
  s.widths = [5, 46, ...kec.map(() => 14), 15]
  const tallies = kec.map((k) => rollup.kecamatan.get(k.code)!)
  const sumAcross = (r: number, v: number) =>
    kec.length > 0 ? formula(`SUM(${addr(first, r)}:${addr(last, r)})`, v) : count(v)
  const line = (no: string, label: string, pick: (t: Tally) => number): number => {
    const r = s.next
    s.row([text(no), text(label), ...tallies.map((t) => count(pick(t))), sumAcross(r, pick(rollup.total))])
    return r
  }
  const section = (label: string) => s.row([null, text(label)])

  section('I. DATA PEMILIH DAN TPS')
  const rTps = line('1', 'Jumlah TPS (aktif)', (t) => t.tpsTotal)
  const rRep = line('2', 'TPS yang sudah melapor', (t) => t.tpsReported)
  const rDpt = line('3', 'Jumlah pemilih dalam DPT (TPS aktif)', (t) => t.dpt)
  const rDptRep = line('4', 'DPT TPS yang sudah melapor', (t) => t.dptReported)
  section('II. PENGGUNA HAK PILIH (TPS yang sudah melapor)')
  const rVotersFirst = line('1', 'Pengguna hak pilih dalam DPT', (t) => t.votersDpt)
  line('2', 'Pengguna hak pilih dalam DPTb (pindahan)', (t) => t.votersDptb)
  line('3', 'Pengguna hak pilih dalam DPK (tambahan)', (t) => t.votersDpk)
  // Results sent without the voters section count their valid + invalid here, so the lines add up.
  const rVotersLast = line('4', 'Pengguna hak pilih tanpa rincian (= sah + tidak sah)', (t) => t.votersUnbroken)
  const rVoters = s.next
  const votersCell = (c: number, v: number) => formula(`SUM(${addr(c, rVotersFirst)}:${addr(c, rVotersLast)})`, v)
  s.row([
    text('5'),
    text('Jumlah pengguna hak pilih'),
    ...tallies.map((t, i) => votersCell(first + i, t.votersTotal)),
    votersCell(jumlah, rollup.total.votersTotal),
  ])
  section('III. PEROLEHAN SUARA PASANGAN CALON')
  const rVotes = contest.candidates.map((c, i) => line(String(c.number), candidateTitle(c), (t) => t.votes[i]!))
  section('IV. SUARA SAH DAN TIDAK SAH')
  const rValid = s.next
  const validCell = (c: number, v: number) =>
    rVotes.length > 0 ? formula(`SUM(${addr(c, rVotes[0]!)}:${addr(c, rVotes.at(-1)!)})`, v) : count(v)
  s.row([
    text('1'),
    text('Jumlah suara sah'),
    ...tallies.map((t, i) => validCell(first + i, t.valid)),
    validCell(jumlah, rollup.total.valid),
  ])
  const rInvalid = line('2', 'Jumlah suara tidak sah', (t) => t.invalid)
  s.row([
    text('3'),
    text('Jumlah suara sah dan tidak sah'),
    ...tallies.map((t, i) => formula(`${addr(first + i, rValid)}+${addr(first + i, rInvalid)}`, t.total)),
    formula(`${addr(jumlah, rValid)}+${addr(jumlah, rInvalid)}`, rollup.total.total),
  ])
  section('V. PARTISIPASI')
  s.row([
    text('1'),
    text('Partisipasi (pengguna hak pilih ÷ DPT TPS yang sudah melapor)'),
    ...tallies.map((t, i) => percent(addr(first + i, rVoters), addr(first + i, rDptRep), t.votersTotal, t.dptReported)),
    percent(addr(jumlah, rVoters), addr(jumlah, rDptRep), rollup.total.votersTotal, rollup.total.dptReported),
  ])
  const ref = (r: number) => `${quoteSheet(name)}!${addr(jumlah, r)}`
  return {
    sheet: s,
    refs: {
      sheet: name,
      tpsTotal: ref(rTps),
      tpsReported: ref(rRep),
      dpt: ref(rDpt),
      dptReported: ref(rDptRep),
      votersTotal: ref(rVoters),
      votes: rVotes.map(ref),
      invalid: ref(rInvalid),
    },
  }
}

// ---------------------------------------------------------------- Rekap Kecamatan / Desa / TPS

function kecamatanSheet(ctx: Ctx, rollup: ContestRollup): SheetBuilder {
  const { contest } = rollup
  const s = startSheet(ctx, `Rekap Kecamatan ${ctx.labels.get(contest.id)!}`, `Rekap per kecamatan — ${contest.name}`)
  header(s, ['No', 'Kode', 'Kecamatan', ...tallyHeaders(contest)], 3)
  s.widths = [5, 10, 22, ...tallyWidths(contest)]
  const first = s.next
  ctx.index.kecamatan.forEach((k, i) => {
    const r = s.next
    s.row([count(i + 1), text(k.code), text(k.name), ...tallyCells(rollup.kecamatan.get(k.code)!, r, 3, null)])
  })
  const last = s.next - 1
  const r = s.next
  s.row([
    null,
    text(ctx.source.desk.regency.code),
    text('JUMLAH'),
    ...tallyCells(rollup.total, r, 3, last >= first ? { fn: 'SUM', from: first, to: last } : null),
  ])
  return s
}

function desaSheet(ctx: Ctx, rollup: ContestRollup): SheetBuilder {
  const { contest } = rollup
  const s = startSheet(ctx, `Rekap Desa ${ctx.labels.get(contest.id)!}`, `Rekap per desa/kelurahan, dikelompokkan per kecamatan — ${contest.name}`)
  header(s, ['Kode', 'Kecamatan', 'Desa/Kelurahan', ...tallyHeaders(contest)], 3)
  s.widths = [15, 20, 24, ...tallyWidths(contest)]
  const first = s.next
  for (const k of ctx.index.kecamatan) {
    const from = s.next
    for (const d of k.desa) {
      const r = s.next
      s.row([text(d.code), text(k.name), text(d.name), ...tallyCells(rollup.desa.get(d.code)!, r, 3, null)])
    }
    const to = s.next - 1
    const r = s.next
    // SUBTOTAL, so the grand total below can sum the whole column without counting these twice.
    s.row([
      text(k.code),
      text(k.name),
      text(`JUMLAH KECAMATAN ${k.name.toUpperCase()}`),
      ...tallyCells(rollup.kecamatan.get(k.code)!, r, 3, to >= from ? { fn: 'SUBTOTAL', from, to } : null),
    ])
  }
  const last = s.next - 1
  const r = s.next
  s.row([
    text(ctx.source.desk.regency.code),
    null,
    text(`JUMLAH ${ctx.source.desk.regency.name.toUpperCase()}`),
    ...tallyCells(rollup.total, r, 3, last >= first ? { fn: 'SUBTOTAL', from: first, to: last } : null),
  ])
  return s
}

function statusText(ctx: Ctx, t: RecapSource['tps'][number], reported: boolean): string {
  if (t.status === 'postponed') return `Ditunda${t.reason ? ` — ${ctx.free(t.reason)}` : ''}`
  if (t.status === 'merged') return `Digabung ke ${t.mergedInto ?? '?'}${t.reason ? ` — ${ctx.free(t.reason)}` : ''}`
  return reported ? 'Melapor' : 'Belum lapor'
}

function tpsSheet(ctx: Ctx, rollup: ContestRollup): SheetBuilder {
  const { contest } = rollup
  const P = contest.candidates.length
  const s = startSheet(ctx, `Rekap TPS ${ctx.labels.get(contest.id)!}`, `Rekap per TPS (semua TPS terdaftar, sudah atau belum melapor) — ${contest.name}`)
  const people = ctx.full ? ['Pelapor', 'No. HP pelapor', 'Penelepon', 'No. HP penelepon'] : []
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
    ...formLineHeaders(contest),
    ...people,
  ]
  header(s, labels, 1, true)
  s.widths = [19, 18, 22, 7, 18, 21, 9, 22, 9, 11, 10, 10, 13, 12, ...contest.candidates.map(() => 12), 12, 11, 12, ...(ctx.full ? [24, 16, 24, 16] : [])]
  const sah = 14 + P
  const first = s.next
  for (const k of ctx.index.kecamatan) {
    for (const d of k.desa) {
      for (const t of d.tps) {
        const r = s.next
        const result = t.status === 'active' ? rollup.results.get(t.code) : undefined
        const notes: string[] = []
        if (result?.review === 'flagged') notes.push('ditandai untuk ditinjau')
        if (result?.review === 'confirmed') notes.push('dikonfirmasi supervisor')
        if (result && !result.voters) notes.push('tanpa rincian pengguna hak pilih')
        const row: (Cell | null)[] = [
          text(t.code),
          text(k.name),
          text(d.name),
          count(t.number),
          text(statusText(ctx, t, !!result)),
          result ? text(wibDateTime(result.receivedAt)) : null,
          result ? text(CHANNEL_LABEL[result.channel] ?? result.channel) : null,
          notes.length ? text(notes.join('; ')) : null,
          t.status === 'active' ? count(t.dpt) : null,
        ]
        if (result) {
          const v = result.voters
          row.push(
            v ? count(v[0]) : null,
            v ? count(v[1]) : null,
            v ? count(v[2]) : null,
            v ? null : formula(`${addr(sah, r)}+${addr(sah + 1, r)}`, result.total),
            formula(`SUM(${addr(9, r)}:${addr(12, r)})`, v ? v[3] : result.total),
          )
          for (let i = 0; i < P; i++) row.push(count(result.votes[i] ?? 0))
          row.push(
            formula(P > 0 ? `SUM(${addr(14, r)}:${addr(13 + P, r)})` : '0', result.valid),
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
        s.row(row)
      }
    }
  }
  const last = s.next - 1
  if (s.autofilter) s.autofilter.lastRow = last
  const total = rollup.total
  const sum = (c: number, v: number) => (last >= first ? formula(`SUM(${addr(c, first)}:${addr(c, last)})`, v) : count(v))
  s.row([
    text('JUMLAH'),
    null,
    null,
    null,
    text(`${total.tpsReported} dari ${total.tpsTotal} TPS melapor`),
    null,
    null,
    null,
    sum(8, total.dpt),
    sum(9, total.votersDpt),
    sum(10, total.votersDptb),
    sum(11, total.votersDpk),
    sum(12, total.votersUnbroken),
    sum(13, total.votersTotal),
    ...total.votes.map((v, i) => sum(14 + i, v)),
    sum(sah, total.valid),
    sum(sah + 1, total.invalid),
    sum(sah + 2, total.total),
  ])
  return s
}

// ---------------------------------------------------------------- Belum Lapor, Kejadian, Selisih KPU

function people(list: SourcePerson[] | undefined): { names: string; phones: string } {
  if (!list || list.length === 0) return { names: '', phones: '' }
  return { names: list.map((p) => p.name).join('; '), phones: list.map((p) => p.phone).filter(Boolean).join('; ') }
}

function missingSheet(ctx: Ctx): SheetBuilder {
  const s = startSheet(ctx, 'Belum Lapor', 'Desa/kelurahan dan TPS yang belum lengkap melapor')
  const summary = ctx.rollups
    .map((r) => `${r.contest.name}: ${r.total.tpsTotal - r.total.tpsReported} dari ${r.total.tpsTotal} TPS belum melapor`)
    .join(' · ')
  s.row([text(summary)])
  const who = ctx.full ? ['Pelapor', 'No. HP'] : []
  const left = ['Pemilihan', 'Kecamatan', 'Kode desa', 'Desa/Kelurahan', 'TPS', 'TPS melapor', 'Belum melapor', ...who]
  const right = ['Pemilihan', 'Kecamatan', 'Desa/Kelurahan', 'Kode TPS', 'No. TPS', 'DPT', ...who]
  const gap = left.length
  const r0 = s.blank()
  s.put(r0, 0, text('DESA/KELURAHAN YANG BELUM LENGKAP'))
  s.put(r0, gap + 1, text('TPS YANG BELUM MELAPOR'))
  const h = s.row([...left.map(text), null, ...right.map(text)])
  s.freeze = { rows: h + 1, cols: 0 }
  s.widths = [14, 18, 15, 22, 7, 9, 9, ...(ctx.full ? [24, 16] : []), 3, 14, 18, 22, 19, 7, 8, ...(ctx.full ? [24, 16] : [])]
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
          const cells: Cell[] = [text(label), text(k.name), text(d.name), text(tps.code), count(tps.number), count(tps.dpt)]
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
  const s = startSheet(ctx, 'Kejadian', 'Kejadian yang dilaporkan (keamanan, logistik, cuaca, protes, lainnya)')
  const who = ctx.full ? ['Pelapor', 'No. HP'] : []
  header(s, ['No', 'Waktu (WIB)', 'Kecamatan', 'Desa/Wilayah', 'TPS', 'Kategori', 'Urgensi', 'Status', 'Uraian', 'Foto', 'Simulasi', ...who], 0, true)
  s.widths = [5, 21, 18, 22, 19, 11, 9, 10, 60, 6, 9, ...(ctx.full ? [24, 16] : [])]
  const incidents = ctx.source.incidents
  if (incidents === null) {
    s.row([null, text('Log kejadian belum tersedia di desk ini.')])
    return s
  }
  if (incidents.length === 0) {
    s.row([null, text('Belum ada kejadian yang dilaporkan.')])
    return s
  }
  const regionName = (code: string): { kecamatan: string; region: string } => {
    const d = ctx.index.desaByCode.get(code)
    if (d) return { kecamatan: ctx.index.kecamatanByCode.get(d.kecamatan)?.name ?? d.kecamatan, region: d.name }
    const k = ctx.index.kecamatanByCode.get(code)
    if (k) return { kecamatan: k.name, region: `(seluruh kecamatan ${k.name})` }
    return { kecamatan: '', region: code }
  }
  incidents.forEach((inc, i) => {
    const where = regionName(inc.region)
    const row: (Cell | null)[] = [
      count(i + 1),
      text(wibDateTime(inc.at)),
      text(where.kecamatan),
      text(where.region),
      inc.tps ? text(inc.tps) : null,
      text(CATEGORY_LABEL[inc.category] ?? inc.category),
      text(URGENCY_LABEL[inc.urgency] ?? inc.urgency),
      text(inc.status === 'handled' ? 'Ditangani' : 'Terbuka'),
      text(ctx.free(inc.text)),
      text(inc.photo ? 'ada' : '-'),
      text(inc.simulated ? 'ya' : 'tidak'),
    ]
    if (ctx.full) row.push(inc.reporter ? text(inc.reporter.name) : null, inc.reporter?.phone ? text(inc.reporter.phone) : null)
    s.row(row)
  })
  return s
}

const LEVEL_LABEL = { tps: 'TPS', desa: 'Desa/Kelurahan', kecamatan: 'Kecamatan' } as const

export function reconcileSheet(ctx: Pick<Ctx, 'source' | 'asOf' | 'labels' | 'free'>, report: ReconcileReport): SheetBuilder {
  const s = startSheet(ctx as Ctx, 'Selisih KPU', 'Selisih data cepat desk terhadap data KPU, per wilayah dan per paslon')
  s.row([
    text(
      `Ditandai SELISIH bila selisih lebih dari ${report.thresholdPercent.toLocaleString('id-ID')}% dari angka KPU dan semua TPS wilayah itu sudah melapor ke desk. Selisih = desk − KPU.`,
    ),
  ])
  for (const c of report.contests) {
    s.row([
      text(
        `${c.name}: data KPU tingkat ${LEVEL_LABEL[c.level].toLowerCase()} dari "${ctx.free(c.source)}" (impor #${c.importId}, ${wibDateTime(c.importedAt)}); ${c.regions} wilayah dibandingkan, ${c.flaggedRegions} ditandai, ${c.incompleteRegions} belum lengkap di desk, ${c.regionsWithoutKpu} tanpa data KPU.`,
      ),
    ])
  }
  header(s, ['Pemilihan', 'Tingkat', 'Kode', 'Kecamatan', 'Wilayah', 'TPS desk melapor', 'TPS', 'Baris', 'Desk', 'KPU', 'Selisih', 'Selisih %', 'Tanda'], 0, true)
  s.widths = [12, 14, 19, 18, 28, 9, 7, 16, 12, 12, 10, 10, 18]
  for (const c of report.contests) {
    const label = ctx.labels.get(c.contest) ?? c.contest
    for (const row of c.rows) {
      const r = s.next
      s.row([
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
        formula(
          `IF(${addr(9, r)}=0,IF(${addr(10, r)}=0,0,1),ABS(${addr(10, r)})/${addr(9, r)})`,
          row.kpu === 0 ? (row.diff === 0 ? 0 : 1) : Math.abs(row.diff) / row.kpu,
          '0.00%',
        ),
        text(STATUS_LABEL[row.status]),
      ])
    }
  }
  return s
}

// ---------------------------------------------------------------- Ringkasan and Catatan

function summarySheet(ctx: Ctx, refs: Map<string, DHasilRefs>): SheetBuilder {
  const s = new SheetBuilder('Ringkasan')
  const { desk } = ctx.source
  if (desk.training) s.row([text(TRAINING_BANNER)])
  s.row([text(`REKAPITULASI CEPAT PENGHITUNGAN SUARA — ${desk.election.name.toUpperCase()}`)])
  s.row([text(`${desk.regency.name} (${desk.regency.code}) · hari pemungutan suara ${desk.election.date}`)])
  s.row([text(NOT_OFFICIAL)])
  s.row([text('Keadaan data per'), text(ctx.asOf)])
  s.row([text('Profil'), text(PROFILE_DESCRIPTION[ctx.profile])])
  s.row([
    text('Snapshot'),
    text(
      ctx.snapshot
        ? `#${ctx.snapshot.id} dibekukan ${wibDateTime(ctx.snapshot.frozenAt)}${ctx.snapshot.label ? ` — ${ctx.free(ctx.snapshot.label)}` : ''}`
        : 'ekspor langsung (belum dibekukan)',
    ),
  ])
  s.row([text('Sidik data (SHA-256)'), text(ctx.dataSha256)])
  s.widths = [44, 52, 14, 12]
  for (const rollup of ctx.rollups) {
    const c = rollup.contest
    const ref = refs.get(c.id)!
    const t = rollup.total
    s.blank()
    s.row([text(c.name.toUpperCase())])
    const rTps = s.row([text('TPS diharapkan (aktif)'), null, formula(ref.tpsTotal, t.tpsTotal)])
    const rRep = s.row([text('TPS sudah melapor'), null, formula(ref.tpsReported, t.tpsReported)])
    s.row([text('Kemajuan laporan'), null, percent(addr(2, rRep), addr(2, rTps), t.tpsReported, t.tpsTotal)])
    s.row([text('TPS ditunda/digabung (di luar penyebut)'), null, count(t.tpsExcluded)])
    s.row([text('No. urut'), text('Pasangan calon'), text('Suara'), text('% suara sah')])
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
    s.row([
      text('Suara sah'),
      null,
      c.candidates.length > 0 ? formula(`SUM(${addr(2, firstPair)}:${addr(2, rValid - 1)})`, t.valid) : count(0),
      percent(addr(2, rValid), addr(2, rValid), t.valid, t.valid),
    ])
    const rInvalid = s.row([text('Suara tidak sah'), null, formula(ref.invalid, t.invalid)])
    const rAll = s.row([text('Suara sah + tidak sah'), null, formula(`${addr(2, rValid)}+${addr(2, rInvalid)}`, t.total)])
    s.row([text('Suara tidak sah terhadap semua suara'), null, percent(addr(2, rInvalid), addr(2, rAll), t.invalid, t.total)])
    const rVoters = s.row([text('Pengguna hak pilih (TPS yang sudah melapor)'), null, formula(ref.votersTotal, t.votersTotal)])
    const rDen = s.row([text('DPT TPS yang sudah melapor'), text('penyebut partisipasi'), formula(ref.dptReported, t.dptReported)])
    s.row([
      text('Partisipasi'),
      text('pengguna hak pilih ÷ DPT TPS yang sudah melapor'),
      percent(addr(2, rVoters), addr(2, rDen), t.votersTotal, t.dptReported),
    ])
    s.row([text('DPT seluruh TPS aktif'), null, formula(ref.dpt, t.dpt)])
    s.row([text('Laporan berbeda menunggu keputusan supervisor (tidak dihitung)'), null, count(c.openConflicts)])
  }
  return s
}

function notesSheet(ctx: Ctx): SheetBuilder {
  const s = startSheet(ctx, 'Catatan', 'Catatan: metode, sumber data, waktu pembuatan, sidik data')
  s.blank()
  const { source } = ctx
  const flagged = ctx.rollups.map((r) => {
    let n = 0
    for (const res of r.results.values()) if (res.review === 'flagged') n++
    return `${ctx.labels.get(r.contest.id)}: ${n}`
  })
  const kpu = source.kpu?.sets.length
    ? source.kpu.sets
        .map((k) => `${ctx.labels.get(k.contest) ?? k.contest}: impor #${k.importId} "${ctx.free(k.source)}" (${LEVEL_LABEL[k.level].toLowerCase()}, ${wibDateTime(k.importedAt)})`)
        .join('; ')
    : 'belum ada data KPU yang diimpor'
  const lines: [string, string][] = [
    ['Status data', NOT_OFFICIAL],
    ['Wilayah', `${source.desk.regency.name} (${source.desk.regency.code})`],
    ['Pemilihan', `${source.desk.election.name}, ${source.desk.election.date}`],
    ['Keadaan data per', ctx.asOf],
    ['Profil', PROFILE_DESCRIPTION[ctx.profile]],
    [
      'Snapshot',
      ctx.snapshot
        ? `#${ctx.snapshot.id}, dibekukan ${wibDateTime(ctx.snapshot.frozenAt)}${ctx.snapshot.label ? ` — ${ctx.free(ctx.snapshot.label)}` : ''}. Berkas snapshot tersimpan tetap di desk; mengunduhnya lagi memberi berkas yang sama persis (SHA-256 berkas tercantum di daftar snapshot desk).`
        : 'Ekspor langsung, belum dibekukan. Untuk dikirim ke provinsi, bekukan rekap dulu agar berkasnya tersimpan tetap dan bisa dicocokkan.',
    ],
    ['Sidik data (SHA-256)', ctx.dataSha256],
    [
      'Arti sidik data',
      'SHA-256 dari data rekap (TPS, hasil, kejadian, data KPU), tanpa waktu pembuatan. Data yang tidak berubah memberi sidik yang sama; satu angka berubah di mana pun mengubahnya.',
    ],
    [
      'Sumber data',
      'Laporan cepat pelapor lapangan (satu per desa/kelurahan dan per kecamatan) atas formulir C.Hasil tiap TPS, diterima desk lewat web, API atau telepon. Yang dihitung adalah laporan pertama yang diterima per TPS dan pemilihan; laporan berbeda sesudahnya ditahan sebagai konflik dan tidak dihitung sampai diputuskan supervisor.',
    ],
    [
      'Metode',
      'Rekap berjenjang TPS → desa/kelurahan → kecamatan → kabupaten/kota. Setiap TPS terdaftar dihitung dalam penyebut, sudah atau belum melapor; TPS yang ditunda atau digabung keluar dari penyebut dan DPT-nya keluar dari jumlah DPT.',
    ],
    [
      'Rumus',
      'Semua jumlah ditulis sebagai rumus Excel (SUM, SUBTOTAL) dengan nilainya sudah terisi. Di Rekap Desa, baris jumlah kecamatan dan jumlah kabupaten memakai SUBTOTAL(9, …) sehingga jumlah kabupaten tidak menghitung baris jumlah kecamatan dua kali.',
    ],
    [
      'Partisipasi',
      'Jumlah pengguna hak pilih ÷ DPT TPS yang sudah melapor (bukan DPT seluruh TPS), supaya partisipasi tidak tampak rendah selama laporan belum lengkap.',
    ],
    [
      'Pengguna hak pilih',
      'Dari bagian pengguna hak pilih formulir (DPT, DPTb, DPK). Bila pelapor tidak mengirim bagian itu, jumlah pengguna hak pilih TPS tersebut dihitung sama dengan suara sah + tidak sah, masuk baris/kolom "tanpa rincian (= sah + tidak sah)", dan TPS itu ditandai "tanpa rincian pengguna hak pilih" di Rekap TPS. Jumlah pengguna hak pilih adalah rumus SUM dari DPT, DPTb, DPK dan tanpa rincian.',
    ],
    ['TPS terdaftar', `${source.tps.length} (aktif ${source.tps.filter((t) => t.status === 'active').length})`],
    ['Hasil ditandai untuk ditinjau', flagged.join('; ')],
    ['Data KPU', kpu],
    ['Dibuat oleh', `Desk Pilkada, ${wibDateTime(source.generatedAt)}`],
  ]
  if (source.desk.training) lines.unshift(['Mode', `${TRAINING_BANNER}: semua angka di berkas ini buatan untuk latihan.`])
  for (const [k, v] of lines) s.row([text(k), text(v)])
  s.widths = [30, 120]
  return s
}

// ---------------------------------------------------------------- the workbook

/** A training workbook must not pass for a real one, not even by its file name in a mail or a folder. */
function trainingPrefix(source: RecapSource): string {
  return source.desk.training ? 'LATIHAN-' : ''
}

export function buildRecapWorkbook(source: RecapSource, options: BuildOptions): BuiltWorkbook {
  const { timings } = options
  const full = options.profile === 'lengkap'
  const ctx = timed(timings, 'rows', (): Ctx => {
    const index = indexRegions(source)
    const rollups = source.contests.map((c) => rollupContest(source, index, c))
    const reportersByRegion = new Map<string, SourcePerson[]>()
    for (const r of source.reporters) {
      const list = reportersByRegion.get(r.region) ?? []
      list.push({ name: r.name, phone: r.phone })
      reportersByRegion.set(r.region, list)
    }
    return {
      source,
      profile: options.profile,
      full,
      index,
      rollups,
      asOf: wibDateTime(source.generatedAt),
      dataSha256: '',
      snapshot: options.snapshot ?? null,
      labels: contestLabels(source.contests),
      reportersByRegion,
      free: full ? (s) => s : redactPhones,
    }
  })
  ctx.dataSha256 = timed(timings, 'hash', () => dataSha256(source))
  const sheets = timed(timings, 'rows', () => {
    const refs = new Map<string, DHasilRefs>()
    const perContest: SheetBuilder[] = []
    for (const rollup of ctx.rollups) {
      const d = dHasilSheet(ctx, rollup)
      refs.set(rollup.contest.id, d.refs)
      perContest.push(d.sheet, kecamatanSheet(ctx, rollup), desaSheet(ctx, rollup), tpsSheet(ctx, rollup))
    }
    const list = [summarySheet(ctx, refs), ...perContest, missingSheet(ctx), incidentsSheet(ctx)]
    if (source.kpu && source.kpu.sets.length > 0) {
      const report = reconcile(source, options.thresholdPercent ?? source.kpu.thresholdPercent, { index: ctx.index, rollups: ctx.rollups })
      list.push(reconcileSheet(ctx, report))
    }
    list.push(notesSheet(ctx))
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
  return { bytes, sha256, dataSha256: ctx.dataSha256, filename, sheetNames: sheets.map((s) => s.name) }
}

/** The difference report alone, as a workbook (Selisih KPU and Catatan). */
export function buildReconcileWorkbook(source: RecapSource, thresholdPercent: number): BuiltWorkbook {
  const index = indexRegions(source)
  const rollups = source.contests.map((c) => rollupContest(source, index, c))
  const ctx: Ctx = {
    source,
    profile: 'berjenjang',
    full: false,
    index,
    rollups,
    asOf: wibDateTime(source.generatedAt),
    dataSha256: dataSha256(source),
    snapshot: null,
    labels: contestLabels(source.contests),
    reportersByRegion: new Map(),
    free: redactPhones,
  }
  const report = reconcile(source, thresholdPercent, { index, rollups })
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
