import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LAPOR_BUDGET_BYTES, pageBundle } from '../../bench/lapor-size'
import { builtUi } from '../helpers/build-ui'

const ROOT = join(__dirname, '..', '..')

/** Every module the reporter form's entry reaches through static and dynamic imports. */
function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.shift()!
    if (files.has(file)) continue
    files.add(file)
    if (file.endsWith('.css')) continue
    const code = readFileSync(file, 'utf8')
    for (const m of code.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]/g,
    )) {
      const spec = m[1] ?? m[2]!
      if (!spec.startsWith('.')) {
        packages.add(spec)
        continue
      }
      const base = resolve(dirname(file), spec)
      const found = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
        (p) => existsSync(p) && statSync(p).isFile(),
      )
      if (!found) throw new Error(`cannot resolve ${spec} from ${file}`)
      queue.push(found)
    }
  }
  return { files: [...files].map((f) => relative(ROOT, f)).sort(), packages: [...packages].sort() }
}

describe('the /lapor bundle stays light', () => {
  it('imports no chart, map, QR, spreadsheet or validation library, and nothing of the console', () => {
    const { files, packages } = importGraph(join(ROOT, 'src/renderer/lapor/main.tsx'))
    expect(packages.every((p) => ['react', 'react-dom/client'].includes(p))).toBe(true)
    for (const f of files)
      expect(
        f.startsWith('src/renderer/lapor/') ||
          [
            'src/shared/api.ts',
            'src/shared/format.ts',
            'src/shared/lapor-sheet.ts',
            'src/shared/sheet-check.ts',
          ].includes(f),
      ).toBe(true)
    expect(files).toContain('src/renderer/lapor/outbox.ts')
  })

  it('is at most 60 KB of JS and CSS gzipped in the real build (EDGE/2G), with no React in it', () => {
    const size = pageBundle(builtUi(), 'lapor.html')
    expect(size.files.some((f) => f.file.endsWith('.css'))).toBe(true)
    expect(size.files.some((f) => f.file.endsWith('.js'))).toBe(true)
    expect(LAPOR_BUDGET_BYTES).toBe(60 * 1024)
    expect(size.gzip).toBeLessThanOrEqual(LAPOR_BUDGET_BYTES)
    // Preact stands in for React on this page only: React's reconciler is not shipped to phones.
    const js = size.files
      .filter((f) => f.file.endsWith('.js'))
      .map((f) => readFileSync(join(builtUi(), f.file), 'utf8'))
      .join('\n')
    expect(js).not.toContain('react.transitional.element')
    expect(js).not.toContain('__SECRET_INTERNALS')
    // The service worker that keeps the form offline is served from the root, where it may control /lapor.
    expect(existsSync(join(builtUi(), 'lapor-sw.js'))).toBe(true)
    expect(readFileSync(join(builtUi(), 'lapor.html'), 'utf8')).toMatch(/src="\/assets\/lapor-/)
  })
})
