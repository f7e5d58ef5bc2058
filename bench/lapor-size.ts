// bench/lapor-size: how heavy the reporter form (/lapor) is for a phone on a weak signal. Follows
// lapor.html to every script, preloaded chunk and stylesheet it loads (and the chunks those import),
// gzips each, and fails above the budget. The console's bundle, measured in the same build, is the
// baseline the ratio is printed against.
//
//   npx tsx bench/lapor-size.ts [--dir out/renderer]     (builds into a temp dir when --dir has no build)
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { fmt, reportRows } from './report'

export const LAPOR_BUDGET_BYTES = 60 * 1024

export interface BundleSize {
  files: { file: string; bytes: number; gzip: number }[]
  bytes: number
  gzip: number
}

/** Every JS and CSS file a page of the built UI loads, following static and dynamic imports between chunks. */
export function pageBundle(dir: string, page: string): BundleSize {
  const html = readFileSync(join(dir, page), 'utf8')
  const queue = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1]!,
  )
  const seen = new Set<string>()
  while (queue.length > 0) {
    const file = queue.shift()!
    if (seen.has(file)) continue
    seen.add(file)
    if (!file.endsWith('.js')) continue
    const code = readFileSync(join(dir, file), 'utf8')
    // Chunks sit side by side in assets/ and import each other as "./name.js".
    for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([^"']+\.(?:js|css))["']/g))
      queue.push(`assets/${m[1]}`)
  }
  const files = [...seen].sort().map((file) => {
    const data = readFileSync(join(dir, file))
    return { file, bytes: data.length, gzip: gzipSync(data).length }
  })
  return {
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzip: files.reduce((a, f) => a + f.gzip, 0),
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

function main(): void {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: 'out/renderer' } } })
  let dir = values.dir!
  let temp: string | null = null
  if (!existsSync(join(dir, 'lapor.html'))) {
    temp = mkdtempSync(join(tmpdir(), 'lapor-size-'))
    process.stdout.write(`Tidak ada build di ${dir}; membangun ke ${temp}…\n`)
    execFileSync('npx', ['electron-vite', 'build', '--outDir', temp], {
      stdio: 'ignore',
      cwd: join(import.meta.dirname, '..'),
    })
    dir = join(temp, 'renderer')
  }
  try {
    const lapor = pageBundle(dir, 'lapor.html')
    const console_ = pageBundle(dir, 'index.html')
    for (const f of lapor.files)
      process.stdout.write(
        `  ${f.file.padEnd(36)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}\n`,
      )
    const ratio = lapor.gzip / console_.gzip
    process.stdout.write(
      `/lapor JS+CSS: ${kb(lapor.gzip)} gzip (${kb(lapor.bytes)} tanpa kompresi), anggaran ${kb(LAPOR_BUDGET_BYTES)} → ${((lapor.gzip / LAPOR_BUDGET_BYTES) * 100).toFixed(0)}%\n` +
        `konsol (index.html) di build yang sama: ${kb(console_.gzip)} gzip; /lapor = ${ratio.toFixed(2)}× konsol\n`,
    )
    reportRows([
      {
        bench: 'lapor',
        measure: '/lapor JS + CSS, gzip',
        value: kb(lapor.gzip),
        baseline: `console ${kb(console_.gzip)}`,
        ratio: fmt.x(ratio),
        target: `≤ ${kb(LAPOR_BUDGET_BYTES)}`,
        ok: lapor.gzip <= LAPOR_BUDGET_BYTES,
      },
    ])
    if (lapor.gzip > LAPOR_BUDGET_BYTES) {
      process.stderr.write(
        `GAGAL: bundel /lapor ${kb(lapor.gzip)} melebihi anggaran ${kb(LAPOR_BUDGET_BYTES)}\n`,
      )
      process.exitCode = 1
    }
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main()
