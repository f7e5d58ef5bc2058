import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Linter } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import { boundaryTable } from '../../eslint.config.js'
import { boundaries } from '../../scripts/eslint-boundaries.mjs'

const root = path.resolve(import.meta.dirname, '../..')

/** The boundary rule's messages for `code` as if it were the file at `file` (repository path). */
function lint(file: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat', cwd: root })
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: tseslint.parser as Linter.Parser },
      plugins: { boundaries },
      rules: { 'boundaries/allowed-imports': ['error', boundaryTable] },
    },
  ]
  return linter.verify(code, config, path.join(root, file)).map((m) => m.message)
}

describe('folder boundaries (an allow-list in eslint.config.js)', () => {
  it('lets a folder import what it lists, and its own folder', () => {
    expect(
      lint(
        'src/service/x.ts',
        "import { a } from '../store/store'\nimport { b } from './desk-service'\nimport fs from 'node:fs'\n",
      ),
    ).toEqual([])
    expect(
      lint(
        'src/renderer/src/x.tsx',
        "import { c } from '../../shared/format'\nimport { useState } from 'react'\n",
      ),
    ).toEqual([])
  })

  it('refuses what a folder does not list: the renderer reaching export, a package or Node', () => {
    const found = lint(
      'src/renderer/src/x.tsx',
      "import { s } from '../../export/sheetjs'\nimport type X from 'xlsx'\nimport fs from 'fs'\nexport type T = import('../../domain/codes').Code\n",
    )
    expect(found).toHaveLength(4)
    expect(found[0]).toContain('src/renderer/src may not import src/export')
    expect(found[1]).toContain("may not import 'xlsx'")
    expect(found[2]).toContain("may not import 'node:*'")
    expect(found[3]).toContain('may not import src/domain')
  })

  it('refuses a lower layer importing a higher one, also by re-export and dynamic import', () => {
    const found = lint(
      'src/domain/x.ts',
      "export * from '../service/a'\nexport { b } from '../server/b'\nconst c = import('../store/c')\n",
    )
    expect(found.map((m) => m.split(' (')[0])).toEqual([
      'src/domain may not import src/service',
      'src/domain may not import src/server',
      'src/domain may not import src/store',
    ])
  })

  it('fails a file in a folder that has no rules yet', () => {
    expect(lint('src/newfeature/x.ts', 'export const a = 1\n')[0]).toContain('no import rules')
    expect(lint('tools/x.ts', 'export const a = 1\n')[0]).toContain('no import rules')
  })

  it("is written out in docs/ARCHITECTURE.md's folder table, entry for entry", () => {
    const doc = readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8')
    const section = doc.slice(doc.indexOf('## What each folder may use'))
    const names = (cell: string) =>
      [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort((a, b) => a.localeCompare(b))
    const rows = new Map<string, { folders: string[]; packages: string[] }>()
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim())
      const key = /^`([^`]+)`/.exec(cells[1] ?? '')?.[1]
      if (!key || cells.length < 5) continue
      rows.set(key, { folders: names(cells[2]!), packages: names(cells[3]!) })
    }
    const table = boundaryTable as Record<string, { folders?: string[]; packages?: string[] }>
    expect([...rows.keys()].sort()).toEqual(Object.keys(table).sort())
    for (const [key, allowed] of Object.entries(table)) {
      expect(rows.get(key), key).toEqual({
        folders: [...(allowed.folders ?? [])].sort((a, b) => a.localeCompare(b)),
        packages: [...(allowed.packages ?? [])].sort((a, b) => a.localeCompare(b)),
      })
    }
  })
})
