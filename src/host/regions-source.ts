import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { regionLevel } from '../domain/codes'
import { parseCsv } from '../domain/csv'
import { RegionTree, type Region } from '../domain/regions'

export const DEFAULT_REGENCY = '35.09'

function dataDir(): string {
  const require = createRequire(import.meta.url)
  // The package's entry is lib/index.js; its CSV files sit in data/ beside lib/.
  return join(dirname(require.resolve('idn-area-data')), '..', 'data')
}

function rowsWithPrefix(file: string, prefix: string): string[][] {
  // Searched as bytes: the villages file has ~84,000 rows and we need a few hundred. Splitting it
  // into strings first cost the desk ~17 MB of memory it kept for the whole night.
  const bytes = readFileSync(join(dataDir(), file))
  const needle = Buffer.from(`\n${prefix}`)
  const lines: string[] = []
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
    const end = bytes.indexOf(0x0a, at + 1)
    lines.push(bytes.toString('utf8', at + 1, end < 0 ? bytes.length : end).replace(/\r$/, ''))
  }
  return parseCsv(lines.join('\n'))
}

/**
 * The regions of one regency/city from the Kemendagri codes in `idn-area-data`: the regency,
 * its kecamatan and their desa/kelurahan. Any of the 514 regencies/cities works.
 */
export function loadRegency(code: string = DEFAULT_REGENCY): RegionTree {
  if (regionLevel(code) !== 'kabupaten') {
    throw new Error(`Kode kabupaten/kota "${code}" tidak sah; contoh: 35.09 (Kabupaten Jember)`)
  }
  const regencyRow = rowsWithPrefix('regencies.csv', `${code},`)[0]
  if (!regencyRow) throw new Error(`Kabupaten/kota dengan kode ${code} tidak ditemukan di data wilayah`)
  const regency: Region = { code, name: regencyRow[2]!, level: 'kabupaten', parent: regencyRow[1]! }
  const kecamatan: Region[] = rowsWithPrefix('districts.csv', `${code}.`).map((r) => ({
    code: r[0]!,
    name: r[2]!,
    level: 'kecamatan',
    parent: r[1]!,
  }))
  const desa: Region[] = rowsWithPrefix('villages.csv', `${code}.`).map((r) => ({
    code: r[0]!,
    name: r[2]!,
    level: 'desa',
    parent: r[1]!,
  }))
  return new RegionTree({ regency, kecamatan, desa })
}
