import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { regionLevel } from '../domain/codes'
import { parseCsv } from '../domain/csv'
import { RegionTree, type Region } from '../domain/regions'

export const DEFAULT_REGENCY = '35.09'

/** Where `idn-area-data` keeps its CSV files. */
export function regionDataDir(): string {
  const require = createRequire(import.meta.url)
  // The package's entry is lib/index.js; its CSV files sit in data/ beside lib/.
  return join(dirname(require.resolve('idn-area-data')), '..', 'data')
}

interface RegionRow {
  code: string
  parent: string
  name: string
}

/**
 * The rows of one file whose `code` starts with `prefix`, columns found by their header name: a
 * new release of the package that reorders or adds columns must not shift names into codes.
 */
function rowsWithPrefix(
  dir: string,
  file: string,
  parentColumn: string,
  prefix: string,
): RegionRow[] {
  // Searched as bytes: the villages file has ~84,000 rows and we need a few hundred. Splitting it
  // into strings first cost the desk ~17 MB of memory it kept for the whole night.
  const bytes = readFileSync(join(dir, file))
  const firstBreak = bytes.indexOf(0x0a)
  const headerEnd = firstBreak < 0 ? bytes.length : firstBreak
  const header = (
    parseCsv(bytes.toString('utf8', 0, headerEnd).replace(/^\uFEFF/, ''))[0] ?? []
  ).map((h) => h.trim())
  const column = (name: string): number => {
    const i = header.indexOf(name)
    if (i < 0)
      throw new Error(
        `Data wilayah ${file}: kolom "${name}" tidak ada (kolomnya: ${header.join(', ')})`,
      )
    return i
  }
  const code = column('code')
  const parent = column(parentColumn)
  const name = column('name')
  // A wanted line holds the prefix wherever its code column sits; the parsed code then decides.
  const needle = Buffer.from(prefix)
  const lines: string[] = []
  let lineEnd = headerEnd
  for (
    let at = bytes.indexOf(needle, headerEnd);
    at >= 0;
    at = bytes.indexOf(needle, lineEnd + 1)
  ) {
    const start = bytes.lastIndexOf(0x0a, at) + 1
    const end = bytes.indexOf(0x0a, at)
    lineEnd = end < 0 ? bytes.length : end
    lines.push(bytes.toString('utf8', start, lineEnd).replace(/\r$/, ''))
    if (end < 0) break
  }
  return parseCsv(lines.join('\n'))
    .filter((r) => r[code]?.startsWith(prefix))
    .map((r) => ({ code: r[code]!, parent: r[parent] ?? '', name: r[name] ?? '' }))
}

/**
 * The regions of one regency/city from the Kemendagri codes in `idn-area-data`: the regency,
 * its kecamatan and their desa/kelurahan. Any of the 514 regencies/cities works.
 */
export function loadRegency(
  code: string = DEFAULT_REGENCY,
  dataDir: string = regionDataDir(),
): RegionTree {
  if (regionLevel(code) !== 'kabupaten') {
    throw new Error(`Kode kabupaten/kota "${code}" tidak sah; contoh: 35.09 (Kabupaten Jember)`)
  }
  const regencyRow = rowsWithPrefix(dataDir, 'regencies.csv', 'province_code', code).find(
    (r) => r.code === code,
  )
  if (!regencyRow)
    throw new Error(`Kabupaten/kota dengan kode ${code} tidak ditemukan di data wilayah`)
  const regency: Region = {
    code,
    name: regencyRow.name,
    level: 'kabupaten',
    parent: regencyRow.parent,
  }
  const kecamatan: Region[] = rowsWithPrefix(
    dataDir,
    'districts.csv',
    'regency_code',
    `${code}.`,
  ).map((r) => ({
    code: r.code,
    name: r.name,
    level: 'kecamatan',
    parent: r.parent,
  }))
  const desa: Region[] = rowsWithPrefix(dataDir, 'villages.csv', 'district_code', `${code}.`).map(
    (r) => ({
      code: r.code,
      name: r.name,
      level: 'desa',
      parent: r.parent,
    }),
  )
  return new RegionTree({ regency, kecamatan, desa })
}
