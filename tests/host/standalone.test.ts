import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SKIP = new Set([
  'node_modules',
  'out',
  'dist',
  '.git',
  '.desk-data',
  '.desk-data-latihan',
  '.electron-native',
  '.artifacts',
  '.results',
])

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue
    const path = join(dir, name)
    const st = statSync(path)
    if (st.isDirectory()) yield* files(path)
    else if (
      st.size < 2_000_000 &&
      /\.(ts|tsx|mjs|cjs|js|json|md|sh|conf|yml|yaml|html|css)$|^run$/.test(name)
    )
      yield path
  }
}

describe('the project stands alone', () => {
  it('no file of the project reads the reference data kept beside the repository', () => {
    // A user's clone has no ../shared: code, tests, benches and scripts must carry what they need.
    // Inside src/, `../shared/…` is src/shared (the API types): only the folders beside the
    // repository (data, guide, hooks) are out of bounds there. Elsewhere no path may climb to it.
    const beside =
      /shared[\\/]+(data|guide|hooks)\b|['"]shared['"]\s*,\s*['"](data|guide|hooks)['"]/
    const climbs = /\.\.[\\/]+shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]/
    const offenders: string[] = []
    for (const file of files(root)) {
      if (file === fileURLToPath(import.meta.url)) continue
      const text = readFileSync(file, 'utf8')
      const inSrc = relative(root, file).startsWith('src')
      if (beside.test(text) || (!inSrc && climbs.test(text))) offenders.push(relative(root, file))
    }
    expect(offenders).toEqual([])
  })
})
