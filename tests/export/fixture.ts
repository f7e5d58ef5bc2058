// A small desk with a known night: TPS in three kecamatan, reporters with phone numbers, results
// sent over HTTP (with and without the voters section, by web and by phone), a postponed TPS, TPS
// that never reported, a conflicting second report and incidents. The test keeps its own copy of
// every accepted result so workbook totals are checked against independent sums.

import * as XLSX from 'xlsx'
import { ADMIN_TOKEN, sid, startDesk, type TestDesk } from '../helpers/desk'

export const KEC = {
  jombang: '35.09.01',
  kencong: '35.09.02',
  kaliwates: '35.09.19',
}

/** desa → number of TPS */
export const REGISTRY: Record<string, number> = {
  '35.09.01.2001': 4, // Padomasan
  '35.09.01.2002': 3, // Keting
  '35.09.02.2001': 3, // Cakru
  '35.09.19.1001': 5, // Mangli
}

export const PHONES = ['081234567890', '+62 813-1111-2222', '0852 3333 4444']
export const CALLER_PHONE = '0877-9999-0000'
export const INCIDENT_PHONE = '0811 2222 3333'
/** Phone numbers typed into free text in the other ways people write them (dots, "62 8…", "+62-8…"). */
export const FREE_TEXT_PHONES = {
  dots: '0812.3456.7890',
  spaced62: '62 812 3456 7891',
  plusDashes: '+62-812-3456-7892',
}

export interface Accepted {
  votes: number[]
  invalid: number
  voters: [number, number, number] | null
}

export interface Night {
  desk: TestDesk
  contests: { id: string; name: string; candidates: { number: number; name: string }[] }[]
  /** contest → tps → the accepted result */
  accepted: Map<string, Map<string, Accepted>>
  /** TPS code → registry DPT */
  dpt: Map<string, number>
  postponed: string
  reporterNames: string[]
}

export function tpsCode(desa: string, n: number): string {
  return `${desa}.${String(n).padStart(3, '0')}`
}

/** Deterministic figures for a TPS and contest. */
function figures(seed: number, pairs: number, dpt: number): Accepted {
  const votes = Array.from({ length: pairs }, (_, i) => 20 + ((seed * 37 + i * 53) % 90))
  const invalid = seed % 7
  const total = votes.reduce((a, b) => a + b, 0) + invalid
  const withVoters = seed % 4 !== 0
  const dptb = seed % 3
  const dpk = seed % 2
  return {
    votes,
    invalid,
    voters: withVoters ? [Math.min(dpt, total - dptb - dpk), dptb, dpk] : null,
  }
}

export async function seedNight(
  options: { training?: boolean; skipResults?: boolean; staticDir?: string; now?: () => Date } = {},
): Promise<Night> {
  const desk = await startDesk({
    ...(options.training ? { training: true } : {}),
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
  const lines = ['kode_desa,nomor_tps,dpt']
  const dpt = new Map<string, number>()
  let i = 0
  for (const [desa, count] of Object.entries(REGISTRY)) {
    for (let n = 1; n <= count; n++) {
      const d = 250 + ((i++ * 41) % 200)
      lines.push(`${desa},${n},${d}`)
      dpt.set(tpsCode(desa, n), d)
    }
  }
  const imp = await desk.call('POST', '/tps/import', lines.join('\n') + '\n')
  if (imp.status !== 200) throw new Error(`import: ${JSON.stringify(imp.body)}`)

  // Reporters: one per desa of Jombang with phone numbers; Kaliwates has a kecamatan officer.
  const reporters: Record<string, string> = {}
  const reporterNames: string[] = []
  const people: [string, string][] = [
    ['35.09.01.2001', PHONES[0]!],
    ['35.09.01.2002', PHONES[1]!],
    [KEC.kaliwates, PHONES[2]!],
  ]
  for (const [region, phone] of people) {
    const name = `Pelapor ${region}`
    const u = await desk.call('POST', '/users', { name, phone, role: 'reporter', region })
    if (u.status !== 201) throw new Error(`user: ${JSON.stringify(u.body)}`)
    reporters[region] = u.body.accessCode
    reporterNames.push(name)
  }
  const cfg = (await desk.call('GET', '/config')).body
  const contests = cfg.contests as Night['contests']
  const accepted = new Map<string, Map<string, Accepted>>(contests.map((c) => [c.id, new Map()]))

  // A postponed TPS (leaves the denominator) in Cakru.
  const postponed = tpsCode('35.09.02.2001', 3)
  const st = await desk.call('POST', `/tps/${postponed}/status`, {
    status: 'postponed',
    reason: `banjir, hubungi 0812-5555-6666 atau ${FREE_TEXT_PHONES.spaced62}`,
  })
  if (st.status !== 200) throw new Error(`status: ${JSON.stringify(st.body)}`)

  if (!options.skipResults) {
    // Not reported at all: the last TPS of every desa for bupati, plus Keting 002 for both.
    const skip = (contest: string, tps: string) =>
      tps === tpsCode('35.09.01.2002', 2) ||
      (contest === 'bupati' && Object.entries(REGISTRY).some(([d, n]) => tps === tpsCode(d, n)))
    let seed = 1
    for (const c of contests) {
      for (const [desa, count] of Object.entries(REGISTRY)) {
        for (let n = 1; n <= count; n++) {
          const tps = tpsCode(desa, n)
          seed++
          if (tps === postponed || skip(c.id, tps)) continue
          const f = figures(seed, c.candidates.length, dpt.get(tps)!)
          const body: Record<string, unknown> = {
            submissionId: sid('x'),
            tps,
            contest: c.id,
            votes: Object.fromEntries(c.candidates.map((k, i) => [String(k.number), f.votes[i]])),
            invalid: f.invalid,
          }
          if (f.voters) body.voters = { dpt: f.voters[0], dptb: f.voters[1], dpk: f.voters[2] }
          const token = reporters[desa] ?? reporters[desa.slice(0, 8)]
          let res
          if (token && seed % 5 !== 0) {
            res = await desk.call('POST', '/results', body, token, { 'X-Desk-Channel': 'web' })
          } else {
            body.caller = { name: `Penelepon ${tps}`, phone: CALLER_PHONE }
            res = await desk.call('POST', '/results', body, undefined, {
              'X-Desk-Channel': 'telepon',
            })
          }
          if (res.status !== 201)
            throw new Error(`result ${tps}/${c.id}: ${res.status} ${JSON.stringify(res.body)}`)
          accepted.get(c.id)!.set(tps, f)
        }
      }
    }
    // A differing second report is held as a conflict and must not change any total.
    const some = [...accepted.get('gubernur')!.keys()][0]!
    const first = accepted.get('gubernur')!.get(some)!
    const conflict = await desk.call('POST', '/results', {
      submissionId: sid('c'),
      tps: some,
      contest: 'gubernur',
      votes: Object.fromEntries(
        contests[0]!.candidates.map((k, i) => [String(k.number), first.votes[i]! + 7]),
      ),
      invalid: first.invalid,
    })
    if (conflict.status !== 202) throw new Error(`conflict: ${conflict.status}`)
  }

  // Incidents, straight into the table whose shape is the intake feature's contract.
  const db = desk.store.db
  const reporterId = desk.store.listUsers().find((u) => u.region === '35.09.01.2001')!.id
  await desk.service.write(() => {
    const ins = db.prepare(
      `INSERT INTO incidents (at, reporter, region, tps, category, urgency, text, photo, status, simulated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    ins.run(
      '2024-11-27T06:30:00.000Z',
      reporterId,
      '35.09.01.2001',
      tpsCode('35.09.01.2001', 1),
      'logistik',
      'sedang',
      `Kotak suara terlambat, hubungi ${INCIDENT_PHONE} / ${FREE_TEXT_PHONES.dots} / ${FREE_TEXT_PHONES.plusDashes}`,
      null,
      'handled',
      0,
    )
    ins.run(
      '2024-11-27T07:10:00.000Z',
      'admin',
      '35.09.19',
      null,
      'cuaca',
      'tinggi',
      'Hujan deras, listrik padam di beberapa TPS',
      'abc.jpg',
      'open',
      0,
    )
  })
  return { desk, contests, accepted, dpt, postponed, reporterNames }
}

// ---------------------------------------------------------------- reading a workbook back

export type Sheet = XLSX.WorkSheet

export function readWorkbook(bytes: Buffer): XLSX.WorkBook {
  return XLSX.read(bytes, { type: 'buffer', cellFormula: true, cellNF: true })
}

export function cellAt(ws: Sheet, c: number, r: number): XLSX.CellObject | undefined {
  return ws[XLSX.utils.encode_cell({ c, r })] as XLSX.CellObject | undefined
}

/** Rows as arrays of values (undefined for empty). */
export function rowsOf(ws: Sheet): unknown[][] {
  return XLSX.utils.sheet_to_json<unknown[]>(ws, {
    header: 1,
    raw: true,
    defval: undefined,
    blankrows: true,
  })
}

/** The row index whose first cells match the given header labels. */
export function headerRow(ws: Sheet, first: string): number {
  const rows = rowsOf(ws)
  const i = rows.findIndex((r) => r[0] === first)
  if (i < 0) throw new Error(`header "${first}" not found`)
  return i
}

/** A table: the header row's labels → column index, and the data rows after it. */
export function table(
  ws: Sheet,
  first: string,
): { col: (label: string) => number; header: unknown[]; rows: unknown[][]; start: number } {
  const all = rowsOf(ws)
  const h = headerRow(ws, first)
  const header = all[h]!
  const col = (label: string) => {
    // A pair's header carries the pair's names on a second line ("Paslon 1\nNama - Nama").
    let i = header.indexOf(label)
    if (i < 0) i = header.findIndex((h) => typeof h === 'string' && h.startsWith(`${label}\n`))
    if (i < 0) throw new Error(`column "${label}" not in ${JSON.stringify(header)}`)
    return i
  }
  return { col, header, rows: all.slice(h + 1), start: h + 1 }
}

/** Every text in every cell of the workbook, and every byte of every part of the zip, as text. */
export function allText(bytes: Buffer): string {
  const cfb = XLSX.CFB.read(bytes, { type: 'buffer' })
  return (cfb.FileIndex as { type: number; content?: Uint8Array }[])
    .filter((f) => f.type === 2 && f.content)
    .map((f) => Buffer.from(f.content!).toString('utf8'))
    .join('\n')
}

/** GET a file from the desk's API (a workbook, a PDF): its status, headers and bytes. */
export async function downloadFrom(deskUrl: string, path: string, token = ADMIN_TOKEN) {
  const res = await fetch(`${deskUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) }
}
