import * as XLSX from 'xlsx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  allText,
  CALLER_PHONE,
  cellAt,
  FREE_TEXT_PHONES,
  INCIDENT_PHONE,
  KEC,
  PHONES,
  readWorkbook,
  REGISTRY,
  rowsOf,
  seedNight,
  table,
  tpsCode,
  type Night,
} from './fixture'
import { formulaCount, formulaMismatches } from './formula'
import { ADMIN_TOKEN } from '../helpers/desk'

interface Expected {
  tpsTotal: number
  tpsReported: number
  dpt: number
  /** DPT of every TPS, the postponed one too (KPU's regency DPT). */
  dptAll: number
  dptReported: number
  vDpt: number
  vDptb: number
  vDpk: number
  vUnbroken: number
  vTotal: number
  votes: number[]
  valid: number
  invalid: number
  total: number
}

/** Independent sums straight from what the test submitted (not from the desk's rollup code). */
function expected(night: Night, contest: string, tpsCodes: string[]): Expected {
  const pairs = night.contests.find((c) => c.id === contest)!.candidates.length
  const e: Expected = {
    tpsTotal: 0,
    tpsReported: 0,
    dpt: 0,
    dptAll: 0,
    dptReported: 0,
    vDpt: 0,
    vDptb: 0,
    vDpk: 0,
    vUnbroken: 0,
    vTotal: 0,
    votes: new Array(pairs).fill(0),
    valid: 0,
    invalid: 0,
    total: 0,
  }
  for (const code of tpsCodes) {
    e.dptAll += night.dpt.get(code)!
    if (code === night.postponed) continue
    e.tpsTotal++
    e.dpt += night.dpt.get(code)!
    const a = night.accepted.get(contest)!.get(code)
    if (!a) continue
    e.tpsReported++
    e.dptReported += night.dpt.get(code)!
    a.votes.forEach((v, i) => (e.votes[i] = e.votes[i]! + v))
    const valid = a.votes.reduce((x, y) => x + y, 0)
    e.valid += valid
    e.invalid += a.invalid
    e.total += valid + a.invalid
    if (a.voters) {
      e.vDpt += a.voters[0]
      e.vDptb += a.voters[1]
      e.vDpk += a.voters[2]
      e.vTotal += a.voters[0] + a.voters[1] + a.voters[2]
    } else {
      e.vUnbroken += valid + a.invalid
      e.vTotal += valid + a.invalid
    }
  }
  return e
}

const UNBROKEN = 'Pengguna tanpa rincian (= sah + tidak sah)'

const allTps = () =>
  Object.entries(REGISTRY).flatMap(([d, n]) =>
    Array.from({ length: n }, (_, i) => tpsCode(d, i + 1)),
  )
const tpsUnder = (prefix: string) => allTps().filter((t) => t.startsWith(prefix + '.'))

function checkTallyRow(
  t: ReturnType<typeof table>,
  row: unknown[],
  e: Expected,
  pairs: number[],
  where: string,
): void {
  const got = (label: string) => row[t.col(label)]
  expect(
    {
      tps: got('TPS'),
      reported: got('TPS melapor'),
      dpt: got('DPT TPS aktif'),
      dptAll: got('DPT'),
      dptReported: got('DPT TPS melapor'),
      vDpt: got('Pengguna hak pilih DPT'),
      vDptb: got('Pengguna DPTb'),
      vDpk: got('Pengguna DPK'),
      vUnbroken: got(UNBROKEN),
      vTotal: got('Jumlah pengguna hak pilih'),
      votes: pairs.map((n) => got(`Paslon ${n}`)),
      valid: got('Suara sah'),
      invalid: got('Suara tidak sah'),
      total: got('Suara sah + tidak sah'),
    },
    where,
  ).toEqual({
    tps: e.tpsTotal,
    reported: e.tpsReported,
    dpt: e.dpt,
    dptAll: e.dptAll,
    dptReported: e.dptReported,
    vDpt: e.vDpt,
    vDptb: e.vDptb,
    vDpk: e.vDpk,
    vUnbroken: e.vUnbroken,
    vTotal: e.vTotal,
    votes: e.votes,
    valid: e.valid,
    invalid: e.invalid,
    total: e.total,
  })
}

let night: Night
const KPU_SOURCE_PHONE = '0813.9876.5432'
const books: Record<string, { bytes: Buffer; wb: XLSX.WorkBook; headers: Headers }> = {}

beforeAll(async () => {
  night = await seedNight()
  // KPU figures whose free-text source names a contact number: it is printed in Selisih KPU and Catatan.
  const kpu = await night.desk.call(
    'POST',
    `/export/kpu/import?source=${encodeURIComponent(`Sirekap, kontak ${KPU_SOURCE_PHONE}`)}`,
    'kode_tps,pemilihan,suara_1,suara_2,suara_3,suara_tidak_sah\n35.09.01.2001.001,gubernur,1,2,3,0\n',
    undefined,
    { 'content-type': 'application/octet-stream' },
  )
  expect(kpu.status).toBe(201)
  for (const profile of ['berjenjang', 'lengkap']) {
    const res = await fetch(`${night.desk.url}/api/v1/export/recap.xlsx?profile=${profile}`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    })
    expect(res.status).toBe(200)
    const bytes = Buffer.from(await res.arrayBuffer())
    books[profile] = { bytes, wb: readWorkbook(bytes), headers: res.headers }
  }
}, 60_000)

afterAll(async () => {
  await night?.desk.stop()
})

describe.each(['berjenjang', 'lengkap'])('recap workbook, profile %s', (profile) => {
  const book = () => books[profile]!

  it('is served as an xlsx download with its SHA-256 and has the sheets officials expect, in Indonesian', () => {
    const { headers, wb } = book()
    expect(headers.get('content-type')).toContain('spreadsheetml')
    expect(headers.get('content-disposition')).toMatch(
      new RegExp(`attachment; filename="rekap-35\\.09-${profile}-\\d{8}-\\d{4}\\.xlsx"`),
    )
    expect(headers.get('x-desk-sha256')).toMatch(/^[0-9a-f]{64}$/)
    expect(wb.SheetNames.slice(0, 13)).toEqual([
      'Ringkasan',
      'D.Hasil Gubernur',
      'Rekap Kecamatan Gubernur',
      'Rekap Desa Gubernur',
      'Rekap TPS Gubernur',
      'D.Hasil Bupati',
      'Rekap Kecamatan Bupati',
      'Rekap Desa Bupati',
      'Rekap TPS Bupati',
      'Belum Lapor',
      'Kejadian',
      'Selisih KPU',
      'Catatan',
    ])
    // Then a D.Hasil Kecamatan sheet per kecamatan and contest (Jember: 31 × 2).
    const perKecamatan = wb.SheetNames.slice(13)
    expect(perKecamatan).toHaveLength(62)
    expect(perKecamatan[0]).toBe('DK Gubernur 01 Jombang')
    expect(perKecamatan.every((n) => n.startsWith('DK ') && n.length <= 31)).toBe(true)
  })

  it('writes every total as a formula whose filled-in value is what the formula computes', () => {
    const { wb } = book()
    expect(formulaCount(wb)).toBeGreaterThan(1000)
    expect(formulaMismatches(wb)).toEqual([])
    const kec = wb.Sheets['Rekap Kecamatan Bupati']!
    const t = table(kec, 'No')
    const jumlah = t.rows.findIndex((r) => r[2] === 'JUMLAH') + t.start
    const cell = cellAt(kec, t.col('Paslon 1'), jumlah)!
    const letter = XLSX.utils.encode_col(t.col('Paslon 1'))
    expect(cell.f).toMatch(new RegExp(`^SUM\\(${letter}\\d+:${letter}\\d+\\)$`))
    expect(cell.z).toBe('#,##0')
    expect(cellAt(kec, t.col('% melapor'), jumlah)!.z).toBe('0.00%')
    // Voters add up: the total is a SUM over DPT, DPTb, DPK and "tanpa rincian", on every kecamatan row…
    const voters = t.col('Jumlah pengguna hak pilih')
    const first = t.start
    expect(cellAt(kec, voters, first)!.f).toBe(
      `SUM(${XLSX.utils.encode_cell({ c: t.col('Pengguna hak pilih DPT'), r: first })}:${XLSX.utils.encode_cell({ c: t.col(UNBROKEN), r: first })})`,
    )
    // …and down the D.Hasil sheet, in every kecamatan column and in JUMLAH.
    const d = wb.Sheets['D.Hasil Bupati']!
    const rows = rowsOf(d)
    const at = (label: string) =>
      rows.findIndex((r) => typeof r[1] === 'string' && (r[1] as string).startsWith(label))
    const [rFirst, rLast, rTotal] = [
      at('Pengguna hak pilih dalam DPT'),
      at('Pengguna hak pilih tanpa rincian'),
      at('Jumlah pengguna hak pilih'),
    ]
    expect(rLast).toBe(rFirst + 3)
    expect(rTotal).toBe(rLast + 1)
    for (let c = 2; c < rows[rTotal]!.length; c++) {
      const cell = cellAt(d, c, rTotal)!
      const col = XLSX.utils.encode_col(c)
      expect(cell.f, col).toBe(`SUM(${col}${rFirst + 1}:${col}${rLast + 1})`)
      expect(cell.v, col).toBe(
        [0, 1, 2, 3].reduce((x, k) => x + Number(cellAt(d, c, rFirst + k)?.v ?? 0), 0),
      )
    }
    // Some result in this night has no voter breakdown, so the new line carries voters.
    expect(cellAt(d, rows[rTotal]!.length - 1, rLast)!.v).toBeGreaterThan(0)
  })

  it('the formula check notices a filled-in value that its formula does not give', () => {
    const wb = readWorkbook(book().bytes)
    const d = wb.Sheets['D.Hasil Bupati']!
    const rows = rowsOf(d)
    const r = rows.findIndex((x) => x[1] === 'Jumlah pengguna hak pilih')
    const cell = cellAt(d, 2, r)!
    cell.v = Number(cell.v) + 1
    expect(formulaMismatches(wb).length).toBeGreaterThan(0)
  })

  it('Rekap TPS lists every registered TPS with its status, and each reported TPS exactly as received', () => {
    const { wb } = book()
    for (const c of night.contests) {
      const ws = wb.Sheets[`Rekap TPS ${c.id === 'gubernur' ? 'Gubernur' : 'Bupati'}`]!
      const t = table(ws, 'Kode TPS')
      const rows = t.rows.filter((r) => typeof r[0] === 'string' && /^\d{2}\./.test(r[0] as string))
      expect(rows.map((r) => r[0])).toEqual(allTps())
      for (const r of rows) {
        const code = r[0] as string
        const a = night.accepted.get(c.id)!.get(code)
        const status = r[t.col('Status')] as string
        if (code === night.postponed) {
          expect(status).toMatch(/^Ditunda/)
          // A postponed TPS keeps its DPT: the regency's DPT is KPU's.
          expect(r[t.col('DPT')]).toBe(night.dpt.get(code))
          expect(r[t.col('Suara sah')]).toBeUndefined()
        } else if (!a) {
          expect(status).toBe('Belum lapor')
          expect(r[t.col('Suara sah')]).toBeUndefined()
          expect(r[t.col('DPT')]).toBe(night.dpt.get(code))
        } else {
          // The fixture's one conflicting second report (the first gubernur TPS) is said in Status too.
          const conflicted =
            c.id === 'gubernur' && code === [...night.accepted.get('gubernur')!.keys()][0]
          expect(status).toBe(conflicted ? 'Melapor — menunggu keputusan' : 'Melapor')
          expect(c.candidates.map((k) => r[t.col(`Paslon ${k.number}`)])).toEqual(a.votes)
          expect(r[t.col('Suara tidak sah')]).toBe(a.invalid)
          expect(r[t.col('Suara sah')]).toBe(a.votes.reduce((x, y) => x + y, 0))
          expect(r[t.col('Pengguna DPTb')]).toBe(a.voters ? a.voters[1] : undefined)
          const total = a.votes.reduce((x, y) => x + y, 0) + a.invalid
          expect(r[t.col(UNBROKEN)]).toBe(a.voters ? undefined : total)
          expect(r[t.col('Jumlah pengguna hak pilih')]).toBe(
            a.voters ? a.voters[0] + a.voters[1] + a.voters[2] : total,
          )
          // A real Excel date-time (WIB), shown dd-mm-yyyy hh:mm:ss.
          const received = cellAt(ws, t.col('Diterima (WIB)'), t.start + t.rows.indexOf(r))!
          expect(received.t).toBe('n')
          expect(received.z).toBe('dd-mm-yyyy hh:mm:ss')
          expect(received.v as number).toBeGreaterThan(45_000)
          expect(['Web', 'Telepon']).toContain(r[t.col('Kanal')])
        }
      }
      const jumlah = t.rows.find((r) => r[0] === 'JUMLAH')!
      const e = expected(night, c.id, allTps())
      expect(jumlah[t.col('DPT')]).toBe(e.dptAll)
      expect(jumlah[t.col('Jumlah pengguna hak pilih')]).toBe(e.vTotal)
      expect(jumlah[t.col(UNBROKEN)]).toBe(e.vUnbroken)
      expect(e.vUnbroken).toBeGreaterThan(0)
      expect(c.candidates.map((k) => jumlah[t.col(`Paslon ${k.number}`)])).toEqual(e.votes)
      expect(jumlah[t.col('Suara sah + tidak sah')]).toBe(e.total)
    }
  })

  it('Rekap Desa, Rekap Kecamatan and the kabupaten totals equal independent sums of the submitted results', () => {
    const { wb } = book()
    for (const c of night.contests) {
      const label = c.id === 'gubernur' ? 'Gubernur' : 'Bupati'
      const pairs = c.candidates.map((k) => k.number)
      const desa = table(wb.Sheets[`Rekap Desa ${label}`]!, 'Kode')
      for (const d of Object.keys(REGISTRY)) {
        const row = desa.rows.find((r) => r[0] === d)!
        checkTallyRow(desa, row, expected(night, c.id, tpsUnder(d)), pairs, `desa ${d} ${c.id}`)
      }
      for (const k of Object.values(KEC)) {
        const sub = desa.rows.find(
          (r) => r[0] === k && String(r[2]).startsWith('JUMLAH KECAMATAN'),
        )!
        checkTallyRow(desa, sub, expected(night, c.id, tpsUnder(k)), pairs, `subtotal ${k} ${c.id}`)
      }
      const grand = desa.rows.find((r) => r[0] === '35.09')!
      checkTallyRow(desa, grand, expected(night, c.id, allTps()), pairs, `desa grand total ${c.id}`)
      // A desa with no TPS in the registry still appears, with zeros.
      expect(desa.rows.find((r) => r[0] === '35.09.01.2003')![desa.col('TPS')]).toBe(0)

      const kec = table(wb.Sheets[`Rekap Kecamatan ${label}`]!, 'No')
      for (const k of Object.values(KEC)) {
        const row = kec.rows.find((r) => r[1] === k)!
        checkTallyRow(kec, row, expected(night, c.id, tpsUnder(k)), pairs, `kecamatan ${k} ${c.id}`)
      }
      expect(
        kec.rows.filter((r) => typeof r[1] === 'string' && /^35\.09\.\d{2}$/.test(r[1] as string)),
      ).toHaveLength(31)
      checkTallyRow(
        kec,
        kec.rows.find((r) => r[2] === 'JUMLAH')!,
        expected(night, c.id, allTps()),
        pairs,
        `kabupaten ${c.id}`,
      )
    }
  })

  it("the D.Hasil sheet has one column per kecamatan equal to that kecamatan's row, and JUMLAH", () => {
    const { wb } = book()
    for (const c of night.contests) {
      const label = c.id === 'gubernur' ? 'Gubernur' : 'Bupati'
      const d = rowsOf(wb.Sheets[`D.Hasil ${label}`]!)
      const codes = d.find((r) => r[1] === 'Kode kecamatan')!
      const line = (text: string) =>
        d.find((r) => typeof r[1] === 'string' && (r[1] as string).startsWith(text))!
      const kec = table(wb.Sheets[`Rekap Kecamatan ${label}`]!, 'No')
      const lines: [string, string][] = [
        ['Jumlah TPS aktif', 'TPS'],
        ['TPS ditunda/digabung', 'TPS ditunda/ digabung'],
        ['TPS yang sudah melapor', 'TPS melapor'],
        ['TPS dengan laporan berbeda', 'TPS menunggu keputusan'],
        ['Jumlah pemilih dalam DPT', 'DPT'],
        ['DPT TPS aktif', 'DPT TPS aktif'],
        ['DPT TPS yang sudah melapor', 'DPT TPS melapor'],
        ['Pengguna hak pilih dalam DPT', 'Pengguna hak pilih DPT'],
        ['Pengguna hak pilih dalam DPTb', 'Pengguna DPTb'],
        ['Pengguna hak pilih dalam DPK', 'Pengguna DPK'],
        ['Pengguna hak pilih tanpa rincian (= sah + tidak sah)', UNBROKEN],
        ['Jumlah pengguna hak pilih', 'Jumlah pengguna hak pilih'],
        ...c.candidates.map((k): [string, string] => [`${k.number}. `, `Paslon ${k.number}`]),
        ['Jumlah suara sah', 'Suara sah'],
        ['Jumlah suara tidak sah', 'Suara tidak sah'],
        ['Jumlah suara sah dan tidak sah', 'Suara sah + tidak sah'],
      ]
      let compared = 0
      for (let col = 2; col < codes.length; col++) {
        const code = codes[col] as string
        const kecRow =
          code === '35.09'
            ? kec.rows.find((r) => r[2] === 'JUMLAH')!
            : kec.rows.find((r) => r[1] === code)!
        expect(kecRow, code).toBeDefined()
        for (const [dLine, kCol] of lines) {
          expect(line(dLine)[col], `${code} ${dLine}`).toBe(kecRow[kec.col(kCol)])
          compared++
        }
      }
      expect(codes.at(-1)).toBe('35.09')
      expect(compared).toBe(32 * lines.length)
    }
  })

  it('Ringkasan gives per-pair totals and shares, valid/invalid and turnout with its denominator', () => {
    const { wb } = book()
    const rows = rowsOf(wb.Sheets['Ringkasan']!)
    expect(rows.some((r) => String(r[0]).includes('BUKAN DATA RESMI'))).toBe(true)
    for (const c of night.contests) {
      const e = expected(night, c.id, allTps())
      const start = rows.findIndex((r) => r[0] === c.name.toUpperCase())
      const block = rows.slice(start, start + 25)
      const value = (label: string) => block.find((r) => r[0] === label)![2]
      expect(value('TPS diharapkan (aktif)')).toBe(e.tpsTotal)
      expect(value('TPS sudah melapor')).toBe(e.tpsReported)
      c.candidates.forEach((k, i) => {
        const r = block.find((x) => x[0] === String(k.number))!
        expect(r[2]).toBe(e.votes[i])
        expect(r[3]).toBeCloseTo(e.votes[i]! / e.valid, 12)
      })
      expect(value('Suara sah')).toBe(e.valid)
      expect(value('Suara tidak sah')).toBe(e.invalid)
      expect(value('Suara sah + tidak sah')).toBe(e.total)
      expect(value('DPT TPS yang sudah melapor')).toBe(e.dptReported)
      expect(block.find((r) => r[0] === 'Partisipasi')![1]).toContain('DPT TPS yang sudah melapor')
      expect(value('Partisipasi')).toBeCloseTo(e.vTotal / e.dptReported, 12)
    }
  })

  it('Belum Lapor lists exactly the TPS that have not reported, and the desa they leave incomplete', () => {
    const { wb } = book()
    const ws = wb.Sheets['Belum Lapor']!
    const rows = rowsOf(ws)
    const h = rows.findIndex((r) => r[0] === 'Pemilihan')
    const header = rows[h]!
    const right = header.indexOf('Kode TPS')
    const listed = rows
      .slice(h + 1)
      .filter((r) => r[right])
      .map((r) => `${r[right - 3]}|${r[right]}`)
    const want = night.contests.flatMap((c) =>
      allTps()
        .filter((t) => t !== night.postponed && !night.accepted.get(c.id)!.has(t))
        .map((t) => `${c.id === 'gubernur' ? 'Gubernur' : 'Bupati'}|${t}`),
    )
    expect(listed.sort()).toEqual(want.sort())
    const desaRows = rows.slice(h + 1).filter((r) => r[2])
    const keting = desaRows.find((r) => r[0] === 'Bupati' && r[2] === '35.09.01.2002')!
    expect(keting.slice(4, 7)).toEqual([3, 1, 2])
  })

  it('Kejadian lists the incidents; Catatan gives method, source, time and the data fingerprint', () => {
    const { wb } = book()
    const k = table(wb.Sheets['Kejadian']!, 'No')
    expect(k.rows).toHaveLength(2)
    expect(k.rows[0]![k.col('Kategori')]).toBe('Logistik')
    expect(k.rows[1]![k.col('Desa/Wilayah')]).toBe('(seluruh kecamatan Kaliwates)')
    expect(k.rows[1]![k.col('Foto')]).toBe('ada')
    const notes = Object.fromEntries(
      rowsOf(wb.Sheets['Catatan']!)
        .filter((r) => r.length >= 2)
        .map((r) => [r[0], r[1]]),
    )
    expect(notes['Sidik data (SHA-256)']).toMatch(/^[0-9a-f]{64}$/)
    expect(notes['Metode']).toContain('TPS → desa/kelurahan → kecamatan')
    expect(notes['Sumber data']).toContain('C.Hasil')
    expect(notes['Dibuat oleh']).toMatch(/WIB$/)
    expect(notes['Snapshot']).toContain('belum dibekukan')
  })

  it('freezes the header rows of every table sheet and sets column widths', () => {
    const text = allText(book().bytes)
    const { wb } = book()
    const frozen = (text.match(/<pane [^>]*state="frozen"/g) ?? []).length
    expect(frozen).toBe(wb.SheetNames.length - 2) // all but Ringkasan and Catatan
    const styled = XLSX.read(book().bytes, { type: 'buffer', cellStyles: true })
    expect(styled.Sheets['Rekap TPS Gubernur']!['!cols']?.[0]?.wch).toBeGreaterThan(10)
    const tps = wb.Sheets['Rekap TPS Gubernur']!
    // Filter buttons on the header (row 4) over the TPS rows, not over the JUMLAH row below them.
    const jumlah = rowsOf(tps).findIndex((r) => r[0] === 'JUMLAH') + 1
    expect(tps['!autofilter']?.ref).toMatch(new RegExp(`^A4:[A-Z]+${jumlah - 1}$`))
  })
})

describe('profiles', () => {
  it('berjenjang carries no reporter names, phone numbers or typed text anywhere; lengkap carries names and phones for the desk', () => {
    const berjenjang = allText(books.berjenjang!.bytes)
    const lengkap = allText(books.lengkap!.bytes)
    const freeText = [...Object.values(FREE_TEXT_PHONES), KPU_SOURCE_PHONE]
    for (const phone of [...PHONES, CALLER_PHONE, INCIDENT_PHONE, '0812-5555-6666', ...freeText]) {
      expect(berjenjang).not.toContain(phone)
    }
    for (const name of night.reporterNames) expect(berjenjang).not.toContain(name)
    expect(berjenjang).not.toContain('Penelepon')
    const cellTexts = (wb: XLSX.WorkBook, sheet: string) =>
      rowsOf(wb.Sheets[sheet]!)
        .flat()
        .filter((v): v is string => typeof v === 'string')
    // Where typed text was (incident text, a TPS status reason, the KPU import's source), berjenjang
    // has none of it, only that it exists; lengkap has it with typed numbers masked.
    for (const [sheet, marker] of [
      ['Kejadian', 'Kotak suara terlambat'],
      ['Rekap TPS Gubernur', 'alasan: banjir'],
      ['Selisih KPU', 'Sirekap, kontak'],
      ['Catatan', 'Sirekap, kontak'],
    ]) {
      expect(berjenjang).not.toContain(marker!.split(' — ').at(-1))
      const kept = cellTexts(books.lengkap!.wb, sheet!).filter((t) => t.includes(marker!))
      expect(kept.length, sheet).toBeGreaterThan(0)
      for (const t of kept) expect(t, sheet).toContain('[nomor disamarkan]')
    }
    expect(cellTexts(books.berjenjang!.wb, 'Rekap TPS Gubernur')).toContain('Ditunda')
    expect(cellTexts(books.berjenjang!.wb, 'Rekap TPS Gubernur')).toContain(
      'alasan tercatat di desk',
    )
    expect(cellTexts(books.berjenjang!.wb, 'Kejadian')).toContain(
      'tercatat di desk (profil lengkap)',
    )
    for (const phone of freeText) expect(lengkap).not.toContain(phone)
    // The reporters' and callers' own numbers are lengkap's purpose: there they stay.
    for (const phone of [PHONES[0]!, CALLER_PHONE]) expect(lengkap).toContain(phone)
    for (const name of night.reporterNames) expect(lengkap).toContain(name)
  })

  it('operators download either profile; display accounts (board only) and reporters get nothing', async () => {
    const display = await night.desk.call('POST', '/users', {
      name: 'Layar dinding',
      role: 'display',
    })
    const reporter = await night.desk.call('POST', '/users', {
      name: 'Pelapor lain',
      role: 'reporter',
      region: '35.09.02.2001',
      phone: '0811',
    })
    const get = (profile: string, token: string) =>
      fetch(`${night.desk.url}/api/v1/export/recap.xlsx?profile=${profile}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    expect((await get('berjenjang', display.body.accessCode)).status).toBe(403)
    const denied = await get('lengkap', display.body.accessCode)
    expect(denied.status).toBe(403)
    expect(((await denied.json()) as any).error.message).toContain('papan')
    expect((await get('berjenjang', reporter.body.accessCode)).status).toBe(403)
    const admin = (profile: string) =>
      fetch(`${night.desk.url}/api/v1/export/recap.xlsx?profile=${profile}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    expect((await admin('rahasia')).status).toBe(400)
    expect((await fetch(`${night.desk.url}/api/v1/export/recap.xlsx`)).status).toBe(401)
  })

  it('a new result changes the next download (the cache follows the data)', async () => {
    const before = (await night.desk.call('GET', '/export/recap.xlsx')).headers.get('x-desk-sha256')
    const again = await night.desk.call('GET', '/export/recap.xlsx')
    expect(again.headers.get('x-desk-sha256')).toBe(before)
    const tps = tpsCode('35.09.01.2002', 2)
    const r = await night.desk.call('POST', '/results', {
      submissionId: 'late-keting-002',
      tps,
      contest: 'bupati',
      votes: { '1': 10, '2': 20 },
      invalid: 1,
    })
    expect(r.status).toBe(201)
    const after = await fetch(`${night.desk.url}/api/v1/export/recap.xlsx`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    })
    const wb = readWorkbook(Buffer.from(await after.arrayBuffer()))
    const t = table(wb.Sheets['Rekap TPS Bupati']!, 'Kode TPS')
    const row = t.rows.find((x) => x[0] === tps)!
    expect(row[t.col('Status')]).toBe('Melapor')
    expect(row[t.col('Paslon 2')]).toBe(20)
  })
})

describe('training mode', () => {
  it('marks every sheet "MODE LATIHAN — data simulasi"', async () => {
    const n = await seedNight({ training: true, skipResults: true })
    try {
      const res = await n.desk.call('GET', '/export/recap.xlsx?profile=lengkap')
      expect(res.status).toBe(200)
      const res2 = await fetch(`${n.desk.url}/api/v1/export/recap.xlsx?profile=lengkap`, {
        headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
      })
      // Not even the file name may pass for a real recap.
      expect(res2.headers.get('content-disposition')).toMatch(
        /filename="LATIHAN-rekap-35\.09-lengkap-\d{8}-\d{4}\.xlsx"/,
      )
      const wb = readWorkbook(Buffer.from(await res2.arrayBuffer()))
      for (const name of wb.SheetNames) {
        expect(cellAt(wb.Sheets[name]!, 0, 0)?.v, name).toBe('MODE LATIHAN — data simulasi')
      }
      expect(formulaMismatches(wb)).toEqual([])
    } finally {
      await n.desk.stop()
    }
  })
})
