import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
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
    // The folders kept beside the repository (data, guide, hooks) are never named; a relative path
    // to `shared` is out of bounds when, resolved from the file's own folder, it leaves the
    // project (inside src/, `../shared/…` is src/shared, the API types).
    const beside =
      /shared[\\/]+(data|guide|hooks)\b|['"]shared['"]\s*,\s*['"](data|guide|hooks)['"]/
    const slashes = /((?:\.\.[\\/]+)+)shared\b/g
    const joined = /((?:['"]\.\.['"]\s*,\s*)+)['"]shared['"]/g
    const leaves = (file: string, ups: number) =>
      !resolve(dirname(file), ...Array<string>(ups).fill('..'), 'shared').startsWith(root + sep)
    const offenders: string[] = []
    for (const file of files(root)) {
      if (file === fileURLToPath(import.meta.url)) continue
      const text = readFileSync(file, 'utf8')
      const climbs =
        [...text.matchAll(slashes)].some((m) => leaves(file, m[1]!.split('..').length - 1)) ||
        [...text.matchAll(joined)].some((m) => leaves(file, m[1]!.split('..').length - 1))
      if (beside.test(text) || climbs) offenders.push(relative(root, file))
    }
    expect(offenders).toEqual([])
  })
})
