// A Jember-size recap as the province reads and prints it: styles, page setup on every sheet, real
// date-times, thousands separators in sentences, DPT as KPU states it (by sex too), disputes visible,
// a D.Hasil Kecamatan sheet per kecamatan, and the same bytes on every build.

import { gzipSync } from 'node:zlib'
import * as XLSX from 'xlsx'
import { beforeAll, describe, expect, it } from 'vitest'
import { allowListed } from '../../src/export/allow-list'
import {
  buildRecapWorkbook,
  DISPUTE_TEXT,
  type BuiltWorkbook,
} from '../../src/export/recap-workbook'
import type { RecapSource } from '../../src/export/source'
import { excelWib, MIN_PRINT_PT, printScale } from '../../src/export/xlsx-file'
import { runWorkbookJob } from '../../src/service/workbook-jobs'
import { DeskError } from '../../src/service/errors'
import { cellAt, readWorkbook, rowsOf, table } from './fixture'
import { formulaMismatches } from './formula'
import { jemberSource } from './jember-source'

let source: RecapSource
let built: BuiltWorkbook
let wb: XLSX.WorkBook
const parts = new Map<string, string>()

beforeAll(() => {
  source = jemberSource({ training: true })
  built = buildRecapWorkbook(source, {
    profile: 'berjenjang',
    snapshot: { id: 4, label: 'Kirim 21.00', frozenAt: source.generatedAt },
  })
  wb = readWorkbook(built.bytes)
  const cfb = XLSX.CFB.read(built.bytes, { type: 'buffer' })
  cfb.FullPaths.forEach((p: string, i: number) => {
    const f = cfb.FileIndex[i]!
    if (f.type === 2 && f.content)
      parts.set(p.replace(/^[^/]*\//, ''), Buffer.from(f.content as Uint8Array).toString('utf8'))
  })
}, 60_000)

const sheetXml = (name: string) =>
  parts.get(`xl/worksheets/sheet${wb.SheetNames.indexOf(name) + 1}.xml`)!

describe('printable on every sheet', () => {
  it('landscape, one page wide, header rows repeated, disclaimer, time and training banner in the page header/footer', () => {
    const workbookXml = parts.get('xl/workbook.xml')!
    wb.SheetNames.forEach((name, i) => {
      const xml = sheetXml(name)
      expect(xml, name).toMatch(
        /<pageSetup paperSize="(8|9)"( pageOrder="overThenDown")? orientation="landscape" fitToWidth="(1|2)" fitToHeight="0"\/>/,
      )
      expect(xml, name).toContain('<pageSetUpPr fitToPage="1"/>')
      const header = /<oddHeader>(.*?)<\/oddHeader>/.exec(xml)?.[1] ?? ''
      const footer = /<oddFooter>(.*?)<\/oddFooter>/.exec(xml)?.[1] ?? ''
      expect(header, name).toContain('DATA CEPAT — BUKAN DATA RESMI')
      expect(header, name).toContain('MODE LATIHAN — data simulasi')
      expect(footer, name).toContain('Keadaan data per 27-11-2024 21:05:09 WIB')
      expect(footer, name).toContain('Halaman &amp;P dari &amp;N')
      if (xml.includes('state="frozen"'))
        expect(workbookXml, name).toMatch(
          new RegExp(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">`),
        )
    })
  })

  it('every sheet of both profiles prints at 7 pt or more; the widest go two pages wide with their place columns repeated', () => {
    const lengkap = buildRecapWorkbook(source, { profile: 'lengkap' }).bytes
    const sizes: Record<string, { paper: string; pages: number; pt: number }> = {}
    for (const [profile, bytes] of [
      ['berjenjang', built.bytes],
      ['lengkap', lengkap],
    ] as const) {
      const cfb = XLSX.CFB.read(bytes, { type: 'buffer' })
      const part = (p: string) =>
        Buffer.from(
          cfb.FileIndex[cfb.FullPaths.findIndex((x: string) => x.endsWith(`/${p}`))]!
            .content as Uint8Array,
        ).toString('utf8')
      const book = readWorkbook(bytes)
      const workbookXml = part('xl/workbook.xml')
      book.SheetNames.forEach((name, i) => {
        const xml = part(`xl/worksheets/sheet${i + 1}.xml`)
        const widths = [...xml.matchAll(/<col min="\d+" max="\d+" width="([\d.]+)"/g)].map((m) =>
          Number(m[1]),
        )
        const [, paper, order, pages] =
          /<pageSetup paperSize="(\d)"( pageOrder="overThenDown")? orientation="landscape" fitToWidth="(\d)"/.exec(
            xml,
          )!
        // The two halves of a page of rows come one after the other.
        expect(!!order, `${profile} ${name}`).toBe(Number(pages) > 1)
        const titles =
          new RegExp(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">([^<]*)<`).exec(
            workbookXml,
          )?.[1] ?? ''
        const repeated = /!\$A:\$([A-Z])/.exec(titles)
        const repeatedCols = repeated ? repeated[1]!.charCodeAt(0) - 64 : 0
        if (Number(pages) > 1) {
          expect(repeatedCols, `${profile} ${name} repeats its place columns`).toBeGreaterThan(0)
          // The title lines stay within those columns, so both pages show them whole.
          const titleMerge = /<mergeCell ref="A\d+:([A-Z]+)\d+"\/>/.exec(xml)!
          expect(titleMerge[1]!.charCodeAt(0) - 64, `${profile} ${name}`).toBe(repeatedCols)
        }
        const pt = 10 * printScale(widths, Number(paper) as 8 | 9, Number(pages), repeatedCols)
        expect(pt, `${profile} ${name}`).toBeGreaterThanOrEqual(MIN_PRINT_PT)
        sizes[`${profile} ${name.replace(/ \d\d .*$/, '')}`] = {
          paper: paper === '8' ? 'A3' : 'A4',
          pages: Number(pages),
          pt: Math.round(pt * 10) / 10,
        }
      })
    }
    // What docs/OPERATIONS.md promises.
    expect(sizes['berjenjang D.Hasil Gubernur']).toMatchObject({ paper: 'A3', pages: 2 })
    expect(sizes['berjenjang Rekap TPS Gubernur']).toMatchObject({ paper: 'A3', pages: 2 })
    expect(sizes['lengkap Rekap TPS Gubernur']).toMatchObject({ paper: 'A3', pages: 2 })
    expect(sizes['berjenjang Ringkasan']).toMatchObject({ paper: 'A4', pages: 1 })
  })

  it('a long typed reason wraps in Catatan (lengkap) instead of widening Status; long D.Hasil labels wrap', () => {
    const long = source.tps.find((t) => t.status === 'postponed')!
    const withLong: RecapSource = {
      ...source,
      tps: source.tps.map((t) =>
        t.code === long.code
          ? {
              ...t,
              reason:
                'banjir setinggi lutut di halaman balai desa, kotak suara dipindah ke rumah kepala dusun '.repeat(
                  5,
                ),
            }
          : t,
      ),
    }
    const book = XLSX.read(buildRecapWorkbook(withLong, { profile: 'lengkap' }).bytes, {
      type: 'buffer',
      cellStyles: true,
    })
    const ws = book.Sheets['Rekap TPS Gubernur']!
    const t = table(ws, 'Kode TPS')
    const row = t.rows.find((r) => r[0] === long.code)!
    expect(row[t.col('Status')]).toBe('Ditunda')
    expect(String(row[t.col('Catatan')])).toMatch(/^alasan: banjir setinggi lutut/)
    const width = (c: number) => ws['!cols']![c]!.wch ?? ws['!cols']![c]!.width
    expect(width(t.col('Status'))).toBeLessThanOrEqual(23)
    expect(width(t.col('Catatan'))).toBeLessThanOrEqual(31)
    const d = book.Sheets['D.Hasil Gubernur']!
    expect(d['!cols']![1]!.wch ?? d['!cols']![1]!.width).toBeLessThanOrEqual(35)
  })

  it('header rows bold, filled, wrapped and bordered; totals bold; columns wide enough for their numbers', () => {
    const styles = parts.get('xl/styles.xml')!
    const xfs = [
      ...styles.slice(styles.indexOf('<cellXfs')).matchAll(/<xf ([^>]*)>(<alignment [^>]*\/>)?/g),
    ].map((m) => m[1]! + (m[2] ?? ''))
    const fonts = [...styles.matchAll(/<font>(.*?)<\/font>/g)].map((m) => m[1]!)
    const fills = [...styles.matchAll(/<fill>(.*?)<\/fill>/g)].map((m) => m[1]!)
    const styleOf = (sheet: string, ref: string) => {
      const s = Number(new RegExp(`<c r="${ref}" s="(\\d+)"`).exec(sheetXml(sheet))?.[1])
      const xf = xfs[s]!
      const attr = (k: string) => Number(new RegExp(`${k}="(\\d+)"`).exec(xf)?.[1])
      return {
        bold: fonts[attr('fontId')]!.includes('<b/>'),
        filled: fills[attr('fillId')]!.includes('solid'),
        border: attr('borderId') > 0,
        wrap: xf.includes('wrapText="1"'),
      }
    }
    const t = table(wb.Sheets['Rekap Kecamatan Gubernur']!, 'No')
    const headerRef = XLSX.utils.encode_cell({
      c: t.col('Jumlah pengguna hak pilih'),
      r: t.start - 1,
    })
    expect(styleOf('Rekap Kecamatan Gubernur', headerRef)).toEqual({
      bold: true,
      filled: true,
      border: true,
      wrap: true,
    })
    const jumlah = t.rows.findIndex((r) => r[2] === 'JUMLAH') + t.start
    expect(
      styleOf(
        'Rekap Kecamatan Gubernur',
        XLSX.utils.encode_cell({ c: t.col('Suara sah'), r: jumlah }),
      ),
    ).toMatchObject({ bold: true, border: true })
    expect(
      styleOf(
        'Rekap Kecamatan Gubernur',
        XLSX.utils.encode_cell({ c: t.col('Suara sah'), r: t.start }),
      ),
    ).toMatchObject({ bold: false, border: true })
    // Pair names in the vote headers.
    expect(t.header[t.col('Paslon 2')]).toBe(
      'Paslon 2\nKhofifah Indar Parawansa - Emil Elestianto Dardak',
    )
    // Every number fits its column (#,##0 width + margin).
    const cols = XLSX.read(built.bytes, { type: 'buffer', cellStyles: true }).Sheets[
      'Rekap Kecamatan Gubernur'
    ]!['!cols']!
    for (const r of t.rows) {
      r.forEach((v, c) => {
        if (typeof v === 'number' && Number.isInteger(v))
          expect(cols[c]!.wch ?? cols[c]!.width ?? 0, `column ${c}`).toBeGreaterThanOrEqual(
            v.toLocaleString('id-ID').length + 1,
          )
      })
    }
  })

  it('times are Excel date-times in WIB with one format; counts in sentences have thousands separators', () => {
    const ws = wb.Sheets['Rekap TPS Gubernur']!
    const t = table(ws, 'Kode TPS')
    const result = source.results.gubernur![0]!
    const i = t.rows.findIndex((r) => r[0] === result.tps)
    const cell = cellAt(ws, t.col('Diterima (WIB)'), t.start + i)!
    expect(cell.t).toBe('n')
    expect(cell.v).toBeCloseTo(excelWib(result.receivedAt), 9)
    expect(cell.z).toBe('dd-mm-yyyy hh:mm:ss')
    const kejadian = wb.Sheets['Kejadian']!
    const k = table(kejadian, 'No')
    expect(cellAt(kejadian, k.col('Waktu (WIB)'), k.start)!.z).toBe('dd-mm-yyyy hh:mm:ss')
    const jumlah = t.rows.find((r) => r[0] === 'JUMLAH')!
    expect(jumlah[t.col('Status')]).toMatch(/^\d\.\d{3} dari \d\.\d{3} TPS melapor$/)
    expect(
      String(
        rowsOf(wb.Sheets['Belum Lapor']!).find((r) => String(r[0]).includes('belum melapor'))![0],
      ),
    ).toMatch(/\d{3} dari 4\.\d{3} TPS belum melapor/)
    // Dates anywhere in text are dd-mm-yyyy too: the election day as well.
    expect(
      rowsOf(wb.Sheets['Ringkasan']!)
        .flat()
        .some((v) => v === `Kabupaten Jember (35.09) · hari pemungutan suara 27-11-2024`),
    ).toBe(true)
    expect(formulaMismatches(wb)).toEqual([])
  })
})

describe('closer to KPU: DPT of every TPS, by sex; D.Hasil Kecamatan per kecamatan', () => {
  it("the regency's DPT counts postponed and merged TPS, and splits by sex", () => {
    const rows = rowsOf(wb.Sheets['D.Hasil Gubernur']!)
    const line = (label: string) =>
      rows.find((r) => typeof r[1] === 'string' && (r[1] as string).trim().startsWith(label))!
    const all = source.tps.reduce((a, t) => a + t.dpt, 0)
    const active = source.tps.filter((t) => t.status === 'active').reduce((a, t) => a + t.dpt, 0)
    expect(source.tps.some((t) => t.status !== 'active')).toBe(true)
    expect(line('Jumlah pemilih dalam DPT').at(-1)).toBe(all)
    expect(line('DPT TPS aktif').at(-1)).toBe(active)
    expect(line('DPT laki-laki').at(-1)).toBe(source.tps.reduce((a, t) => a + t.dptL!, 0))
    expect(Number(line('DPT laki-laki').at(-1)) + Number(line('DPT perempuan').at(-1))).toBe(all)
    const tps = table(wb.Sheets['Rekap TPS Gubernur']!, 'Kode TPS')
    const postponed = source.tps.find((t) => t.status === 'postponed')!
    expect(tps.rows.find((r) => r[0] === postponed.code)![tps.col('DPT')]).toBe(postponed.dpt)
  })

  it("turnout counts a merged TPS's DPT with the TPS that received its voters, and the note says so", () => {
    const reported = new Set(source.results['gubernur']!.map((r) => r.tps))
    const merged = source.tps.filter(
      (t) => t.status === 'merged' && t.mergedInto && reported.has(t.mergedInto),
    )
    expect(merged.length).toBeGreaterThan(0)
    const desa = table(wb.Sheets['Rekap Desa Gubernur']!, 'Kode')
    for (const m of merged) {
      const receiver = m.mergedInto!
      const inDesa = source.tps.filter((t) => t.desa === receiver.slice(0, 13))
      const own = inDesa
        .filter((t) => t.status === 'active' && reported.has(t.code))
        .reduce((a, t) => a + t.dpt, 0)
      const carried = source.tps
        .filter(
          (t) =>
            t.status === 'merged' &&
            t.mergedInto &&
            t.mergedInto.startsWith(receiver.slice(0, 13) + '.') &&
            reported.has(t.mergedInto),
        )
        .reduce((a, t) => a + t.dpt, 0)
      expect(carried).toBeGreaterThan(0)
      expect(
        desa.rows.find((r) => r[0] === receiver.slice(0, 13))![desa.col('DPT TPS melapor')],
      ).toBe(own + carried)
    }
    const allMerged = source.tps
      .filter((t) => t.status === 'merged' && t.mergedInto && reported.has(t.mergedInto))
      .reduce((a, t) => a + t.dpt, 0)
    const rows = rowsOf(wb.Sheets['D.Hasil Gubernur']!)
    const line = rows.find(
      (r) => typeof r[1] === 'string' && (r[1] as string).includes('DPT TPS yang sudah melapor'),
    )!
    const activeReported = source.tps
      .filter((t) => t.status === 'active' && reported.has(t.code))
      .reduce((a, t) => a + t.dpt, 0)
    expect(line.at(-1)).toBe(activeReported + allMerged)
    const note = rowsOf(wb.Sheets['Catatan']!).flat().join(' ')
    expect(note).toContain('DPT-nya dihitung bersama TPS penerima')
  })

  it('one DK sheet per kecamatan and contest: its desa across, each equal to that desa in Rekap Desa', () => {
    const kec = source.kecamatan.find((k) => k.code === '35.09.19')!
    const name = `DK Bupati 19 ${kec.name}`.slice(0, 31)
    expect(wb.SheetNames).toContain(name)
    const rows = rowsOf(wb.Sheets[name]!)
    const codes = rows.find((r) => r[1] === 'Kode desa/kelurahan')!
    const desa = table(wb.Sheets['Rekap Desa Bupati']!, 'Kode')
    const line = (label: string) =>
      rows.find((r) => typeof r[1] === 'string' && (r[1] as string).startsWith(label))!
    const pairs: [string, string][] = [
      ['Jumlah TPS aktif', 'TPS'],
      ['TPS yang sudah melapor', 'TPS melapor'],
      ['Jumlah pemilih dalam DPT', 'DPT'],
      ['Jumlah pengguna hak pilih', 'Jumlah pengguna hak pilih'],
      ['Jumlah suara sah', 'Suara sah'],
      ['Jumlah suara tidak sah', 'Suara tidak sah'],
    ]
    const expectedDesa = source.desa.filter((d) => d.kecamatan === kec.code).map((d) => d.code)
    expect(codes.slice(2, -1)).toEqual(expectedDesa)
    for (let c = 2; c < codes.length; c++) {
      const code = codes[c] as string
      const row =
        c === codes.length - 1
          ? desa.rows.find((r) => r[0] === code && String(r[2]).startsWith('JUMLAH KECAMATAN'))!
          : desa.rows.find((r) => r[0] === code)!
      for (const [dLine, col] of pairs)
        expect(line(dLine)[c], `${code} ${dLine}`).toBe(row[desa.col(col)])
    }
  })
})

describe('disputes visible', () => {
  it('TPS rows say so, desa and kecamatan rows count them, Ringkasan lists them', () => {
    const disputes = source.contests.find((c) => c.id === 'bupati')!.disputes!
    expect(disputes.length).toBeGreaterThan(3)
    const tps = table(wb.Sheets['Rekap TPS Bupati']!, 'Kode TPS')
    for (const d of disputes) {
      const row = tps.rows.find((r) => r[0] === d.tps)!
      expect(row[tps.col('Status')]).toBe('Melapor — menunggu keputusan')
      expect(row[tps.col('Catatan')]).toContain(DISPUTE_TEXT[d.kind])
    }
    // Filtering the Status column alone finds every disputed TPS, and only those.
    const byStatus = tps.rows.filter((r) =>
      String(r[tps.col('Status')] ?? '').includes('menunggu keputusan'),
    )
    expect(byStatus.map((r) => r[0]).sort()).toEqual(
      [...new Set(disputes.map((d) => d.tps))].sort(),
    )
    const marked = tps.rows.filter(
      (r) =>
        r[0] !== 'JUMLAH' && String(r[tps.col('Catatan')] ?? '').includes('menunggu keputusan'),
    )
    expect(marked).toHaveLength(disputes.length)
    const desa = table(wb.Sheets['Rekap Desa Bupati']!, 'Kode')
    const first = disputes[0]!.tps.slice(0, 13)
    expect(desa.rows.find((r) => r[0] === first)![desa.col('TPS menunggu keputusan')]).toBe(
      disputes.filter((d) => d.tps.startsWith(first + '.')).length,
    )
    const kec = table(wb.Sheets['Rekap Kecamatan Bupati']!, 'No')
    expect(kec.rows.find((r) => r[2] === 'JUMLAH')![kec.col('TPS menunggu keputusan')]).toBe(
      disputes.length,
    )
    const summary = rowsOf(wb.Sheets['Ringkasan']!)
    for (const d of disputes) expect(summary.some((r) => r[0] === d.tps)).toBe(true)
    expect(summary.find((r) => r[0] === 'Laporan berbeda terbuka')![1]).toMatch(
      /^\d+ laporan berbeda\/koreksi menunggu keputusan supervisor saat dibekukan/,
    )
  })
})

describe('the same bytes every time; berjenjang from the allow-list', () => {
  it('a rebuild, and a rebuild from the stored JSON in the worker job, give identical bytes', () => {
    const again = buildRecapWorkbook(source, {
      profile: 'berjenjang',
      snapshot: { id: 4, label: 'Kirim 21.00', frozenAt: source.generatedAt },
    })
    expect(again.bytes.equals(built.bytes)).toBe(true)
    const stored = gzipSync(JSON.stringify(source))
    const { built: rebuilt } = runWorkbookJob({
      kind: 'rebuild',
      gzipped: stored,
      builds: [
        {
          profile: 'berjenjang',
          snapshot: { id: 4, label: 'Kirim 21.00', frozenAt: source.generatedAt },
        },
      ],
    })
    expect(rebuilt[0]!.sha256).toBe(built.sha256)
  })

  it('a snapshot frozen by an older desk (data format 1) is named, not falsely rebuilt', () => {
    const old = gzipSync(JSON.stringify({ ...source, format: 1 }))
    let error: unknown
    try {
      runWorkbookJob({ kind: 'rebuild', gzipped: old, builds: [{ profile: 'berjenjang' }] })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DeskError)
    expect((error as DeskError).code).toBe('snapshot_format')
    expect((error as DeskError).message).toContain('versi desk yang lebih lama')
  })

  it('the allow-listed copy keeps structure and drops everything typed', () => {
    const copy = allowListed(source)
    const text = JSON.stringify(copy)
    for (const typed of [
      'Kotak suara datang',
      'banjir setinggi lutut',
      'Pelapor ',
      'D.Hasil KPU Jember',
      '081234567890',
    ])
      expect(text).not.toContain(typed)
    expect(copy.tps.filter((t) => t.reason !== null)).toHaveLength(
      source.tps.filter((t) => t.reason !== null).length,
    )
    expect(copy.results.bupati!.length).toBe(source.results.bupati!.length)
    expect(copy.results.bupati![0]!.votes).toEqual(source.results.bupati![0]!.votes)
    // A value outside a closed list becomes the list's own word, never the typed one.
    const odd = allowListed({
      ...source,
      incidents: [
        { ...source.incidents![0]!, category: 'hubungi 0812 3456 7890', channel: 'x' } as never,
      ],
    })
    expect(odd.incidents![0]!.category).toBe('lainnya')
  })
})
