import { crc32, deflateSync } from 'node:zlib'
import { sid, type TestDesk } from '../helpers/desk'

export interface Seeded {
  operator: { id: string; code: string }
  operator2: { id: string; code: string }
  supervisor: { id: string; code: string }
  reporters: { id: string; code: string; name: string; region: string }[]
  /** desa code → TPS codes */
  tps: Map<string, string[]>
}

/** Jember desa of three kecamatan (Jombang 35.09.01, Kencong 35.09.02, Kaliwates 35.09.19). */
export async function seedDesk(
  desk: TestDesk,
  options: { kecamatan?: string[]; tpsPerDesa?: number; reporters?: boolean; dpt?: number } = {},
): Promise<Seeded> {
  const kecamatan = options.kecamatan ?? ['35.09.01', '35.09.02', '35.09.19']
  const per = options.tpsPerDesa ?? 3
  const regions = (await desk.call('GET', '/regions')).body as {
    kecamatan: { code: string; name: string; desa: { code: string; name: string }[] }[]
  }
  const lines = ['kode_desa,nomor_tps,dpt,lokasi']
  const tps = new Map<string, string[]>()
  const desaList: { code: string; name: string }[] = []
  for (const k of regions.kecamatan.filter((x) => kecamatan.includes(x.code))) {
    for (const d of k.desa) {
      desaList.push(d)
      const codes: string[] = []
      for (let n = 1; n <= per; n++) {
        lines.push(
          `${d.code},${n},${options.dpt ?? 250 + ((n * 37 + d.code.length * 11) % 200)},SDN ${d.name} ${n}`,
        )
        codes.push(`${d.code}.${String(n).padStart(3, '0')}`)
      }
      tps.set(d.code, codes)
    }
  }
  const imported = await desk.call('POST', '/tps/import', lines.join('\n') + '\n')
  if (imported.status !== 200) throw new Error(`import: ${JSON.stringify(imported.body)}`)
  const mk = async (name: string, role: string, region?: string, phone = '0812-3456-7890') => {
    const r = await desk.call('POST', '/users', {
      name,
      phone,
      role,
      ...(region ? { region } : {}),
    })
    if (r.status !== 201) throw new Error(`user: ${JSON.stringify(r.body)}`)
    return { id: r.body.id as string, code: r.body.accessCode as string }
  }
  const operator = await mk('Rina Operator', 'operator')
  const operator2 = await mk('Dodi Operator', 'operator')
  const supervisor = await mk('Hadi Supervisor', 'supervisor')
  const reporters: Seeded['reporters'] = []
  if (options.reporters !== false) {
    const first = [
      'Agus',
      'Siti',
      'Bambang',
      'Dewi',
      'Eko',
      'Fitri',
      'Gunawan',
      'Hesti',
      'Imam',
      'Joko',
      'Kartini',
      'Lukman',
    ]
    let i = 0
    for (const d of desaList) {
      const name = `${first[i % first.length]} ${d.name}`
      const u = await mk(
        name,
        'reporter',
        d.code,
        `0813-${String(1000 + i).padStart(4, '0')}-${String(2000 + i * 7).slice(-4)}`,
      )
      reporters.push({ ...u, name, region: d.code })
      i++
    }
  }
  return { operator, operator2, supervisor, reporters, tps }
}

/** A plausible sheet for a contest with `n` pairs that passes every C.Hasil check. */
export function sheetFor(n: number, seed: number) {
  const votes: Record<string, number> = {}
  let total = 0
  for (let i = 1; i <= n; i++) {
    const v = 40 + ((seed * 31 + i * 17) % 90)
    votes[String(i)] = v
    total += v
  }
  const invalid = 2 + (seed % 6)
  return { votes, invalid, voters: { dpt: total + invalid - 3, dptb: 2, dpk: 1 } }
}

export async function report(
  desk: TestDesk,
  token: string,
  tps: string,
  contest: 'gubernur' | 'bupati',
  seed: number,
  extra: object = {},
  headers: Record<string, string> = {},
) {
  const res = await desk.call(
    'POST',
    '/results',
    {
      submissionId: sid(),
      tps,
      contest,
      ...sheetFor(contest === 'gubernur' ? 3 : 2, seed),
      ...extra,
    },
    token,
    headers,
  )
  if (res.status >= 400) throw new Error(`report ${tps}: ${JSON.stringify(res.body)}`)
  return res
}

/** A small real PNG (a grey sheet with a dark band), so a browser can draw it. */
export function samplePng(width = 120, height = 80): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(width + 1, y > height / 3 && y < height / 2 ? 40 : 220)
    row[0] = 0 // filter: none
    rows.push(row)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
