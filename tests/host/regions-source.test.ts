import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadRegency } from '../../src/host/regions-source'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function dataDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'regions-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

describe('regions from idn-area-data', () => {
  it("loads Jember from the installed package: the regency, its 31 kecamatan and each one's desa", () => {
    const tree = loadRegency('35.09')
    expect(tree.regency).toEqual({
      code: '35.09',
      name: 'Kabupaten Jember',
      level: 'kabupaten',
      parent: '35',
    })
    expect(tree.kecamatan).toHaveLength(31)
    expect(tree.get('35.09.19')).toEqual({
      code: '35.09.19',
      name: 'Kaliwates',
      level: 'kecamatan',
      parent: '35.09',
    })
    expect(tree.childrenOf('35.09.01')).toHaveLength(6)
  })

  it('reads columns by their header name, so a release that reorders or adds columns still loads', () => {
    const dir = dataDir({
      // A BOM, CRLF, columns in another order, an extra column and a quoted name with a comma.
      'regencies.csv':
        '\ufeffname,code,province_code\r\nKabupaten Banyuwangi,35.10,35\r\nKabupaten Jember,35.09,35\r\n',
      'districts.csv':
        'regency_code,name,code\n35.09,Jombang,35.09.01\n35.10,Pesanggaran,35.10.01\n35.09,Kaliwates,35.09.19\n',
      'villages.csv':
        'name,is_urban,district_code,code\n"Padomasan, Lor",0,35.09.01,35.09.01.2001\nSarimulyo,0,35.10.01,35.10.01.2001\nKepatihan,1,35.09.19,35.09.19.1001\n',
    })
    const tree = loadRegency('35.09', dir)
    expect(tree.regency).toEqual({
      code: '35.09',
      name: 'Kabupaten Jember',
      level: 'kabupaten',
      parent: '35',
    })
    expect(tree.kecamatan.map((k) => [k.code, k.name, k.parent])).toEqual([
      ['35.09.01', 'Jombang', '35.09'],
      ['35.09.19', 'Kaliwates', '35.09'],
    ])
    expect(tree.childrenOf('35.09.01')).toEqual([
      { code: '35.09.01.2001', name: 'Padomasan, Lor', level: 'desa', parent: '35.09.01' },
    ])
    expect(tree.childrenOf('35.09.19').map((d) => d.name)).toEqual(['Kepatihan'])
    expect(tree.get('35.10.01')).toBeUndefined()
  })

  it('names the file and the missing column when a release renames one', () => {
    const dir = dataDir({
      'regencies.csv': 'code,province_code,name\n35.09,35,Kabupaten Jember\n',
      'districts.csv': 'code,kabupaten_code,name\n35.09.01,35.09,Jombang\n',
      'villages.csv': 'code,district_code,name\n35.09.01.2001,35.09.01,Padomasan\n',
    })
    expect(() => loadRegency('35.09', dir)).toThrow(
      'Data wilayah districts.csv: kolom "regency_code" tidak ada',
    )
  })
})
