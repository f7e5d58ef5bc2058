// An independent recalculation: LibreOffice opens a Jember-size workbook of each profile, recalculates
// every formula (forced: its default for .xlsx is to trust the stored values), and saves it again;
// every formula's value must equal the value the desk wrote. Then each renders to PDF without error.
// Skipped only where LibreOffice is not installed (CI installs libreoffice-calc-nogui).

import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as XLSX from 'xlsx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRecapWorkbook } from '../../src/export/recap-workbook'
import { formula, SheetBuilder, text, count, writeWorkbook } from '../../src/export/xlsx-file'
import { jemberSource } from './jember-source'

function findSoffice(): string | null {
  for (const name of ['soffice', 'libreoffice']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim()
  }
  return null
}

const soffice = findSoffice()
let work = ''
let profileDir = ''

/** Always recalculate .xlsx on load (OOXMLRecalcMode 0), in a profile of our own. */
const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

function convert(files: string[], to: string, outDir: string): void {
  mkdirSync(outDir, { recursive: true })
  execFileSync(
    soffice!,
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${profileDir}`,
      '--convert-to',
      to,
      '--outdir',
      outDir,
      ...files,
    ],
    {
      stdio: 'pipe',
      timeout: 600_000,
    },
  )
}

function read(file: string): XLSX.WorkBook {
  return XLSX.read(readFileSync(file), { type: 'buffer', cellFormula: true })
}

/** Every formula cell of `ours` whose value differs from the same cell after LibreOffice recalculated. */
function mismatches(ours: XLSX.WorkBook, theirs: XLSX.WorkBook): { count: number; bad: string[] } {
  let n = 0
  const bad: string[] = []
  for (const name of ours.SheetNames) {
    const a = ours.Sheets[name]!
    const b = theirs.Sheets[name]
    for (const key of Object.keys(a)) {
      if (key.startsWith('!')) continue
      const cell = a[key] as XLSX.CellObject
      if (typeof cell.f !== 'string') continue
      n++
      const other = b?.[key] as XLSX.CellObject | undefined
      if (!other || typeof other.v !== 'number' || Math.abs(other.v - (cell.v as number)) > 1e-9) {
        if (bad.length < 20)
          bad.push(
            `${name}!${key} ${cell.f}: desk ${String(cell.v)}, LibreOffice ${String(other?.v)}`,
          )
        else bad.push('…')
      }
    }
  }
  return { count: n, bad }
}

describe.skipIf(!soffice)(
  'LibreOffice recalculates every formula to the value the desk wrote',
  () => {
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'desk-lo-'))
      profileDir = join(work, 'profile')
      mkdirSync(join(profileDir, 'user'), { recursive: true })
      writeFileSync(join(profileDir, 'user', 'registrymodifications.xcu'), RECALC_ALWAYS)
    })

    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true })
    })

    it('really recalculates: a wrong stored value comes back corrected', () => {
      const s = new SheetBuilder('Uji')
      s.row([count(2)])
      s.row([count(3)])
      s.row([formula('SUM(A1:A2)', 999)])
      s.row([text('x')])
      const file = join(work, 'salah.xlsx')
      writeFileSync(
        file,
        writeWorkbook([s], { title: 'uji', subject: 'uji', createdAt: '2024-11-27T00:00:00.000Z' }),
      )
      convert([file], 'xlsx', join(work, 'salah-out'))
      const back = read(join(work, 'salah-out', 'salah.xlsx'))
      expect((back.Sheets['Uji']!['A3'] as XLSX.CellObject).v).toBe(5)
    }, 120_000)

    it('a Jember-size workbook of each profile: 0 mismatches, and a PDF of every sheet', () => {
      const source = jemberSource()
      const files = (['berjenjang', 'lengkap'] as const).map((profile) => {
        const file = join(work, `${profile}.xlsx`)
        writeFileSync(file, buildRecapWorkbook(source, { profile }).bytes)
        return file
      })
      convert(files, 'xlsx', join(work, 'recalc'))
      for (const file of files) {
        const name = file.split('/').at(-1)!
        const { count: formulas, bad } = mismatches(read(file), read(join(work, 'recalc', name)))
        expect(formulas, name).toBeGreaterThan(25_000)
        expect(bad, name).toEqual([])
      }
      convert(files, 'pdf', join(work, 'pdf'))
      for (const file of files) {
        const pdf = join(
          work,
          'pdf',
          file
            .split('/')
            .at(-1)!
            .replace(/\.xlsx$/, '.pdf'),
        )
        expect(existsSync(pdf), pdf).toBe(true)
        const bytes = readFileSync(pdf)
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
        // Every sheet printed: at least one page each (the page tree counts them).
        const pages = Number(
          /\/Type\s*\/Pages[^>]*?\/Count\s+(\d+)/s.exec(bytes.toString('latin1'))?.[1] ?? 0,
        )
        expect(pages, pdf).toBeGreaterThanOrEqual(75)
      }
    }, 900_000)
  },
)
