import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sid, type TestDesk } from '../helpers/desk'

/** Reference data of Jember (never copied into the project). */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jember')
/** The boundaries a Jember desk ships with (both layers, TopoJSON). */
export const BUNDLED_TOPOJSON = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'resources',
  'boundaries',
  '35.09',
  'kecamatan-desa.topojson',
)
export const fixtureText = (file: string) =>
  readFileSync(
    file === 'jember-kecamatan-desa.topojson' ? BUNDLED_TOPOJSON : join(FIXTURES, file),
    'utf8',
  )

/** `count` TPS in every desa of the regency, DPT 300. Returns the TPS codes in code order. */
export async function importAllTps(desk: TestDesk, count = 2): Promise<string[]> {
  const desa = desk.service.regions.desa.map((d) => d.code)
  const lines = ['kode_desa,nomor_tps,dpt']
  const codes: string[] = []
  for (const d of desa) {
    for (let n = 1; n <= count; n++) {
      lines.push(`${d},${n},300`)
      codes.push(`${d}.${String(n).padStart(3, '0')}`)
    }
  }
  const res = await desk.call('POST', '/tps/import', lines.join('\n') + '\n')
  if (res.status !== 200) throw new Error(`TPS import failed: ${JSON.stringify(res.body)}`)
  return codes.sort()
}

/** A valid result for a contest with `pairs` pairs: votes 10, 20, 30… plus 5 invalid. */
export function resultBody(tps: string, contest: string, pairs: number, bump = 0) {
  const votes: Record<string, number> = {}
  for (let i = 1; i <= pairs; i++) votes[String(i)] = 10 * i + (i === 1 ? bump : 0)
  return { submissionId: sid('board'), tps, contest, votes, invalid: 5 }
}

export async function send(
  desk: TestDesk,
  tps: string,
  contest: string,
  pairs: number,
  bump = 0,
  token?: string,
) {
  const res = await desk.call('POST', '/results', resultBody(tps, contest, pairs, bump), token)
  if (res.status >= 300)
    throw new Error(`result refused: ${res.status} ${JSON.stringify(res.body)}`)
  return res
}
