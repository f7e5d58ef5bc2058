// Build (electron-vite: main + headless CLI, preload, renderer) when out/ is missing or older
// than the sources, so `npm start` and `npm run serve` always run what is in src/.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url)) // a path with spaces, or C:\ on Windows
const outputs = [
  'out/main/index.js',
  'out/main/cli.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
].map((f) => join(root, f))

function newest(dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const built = outputs.every(existsSync) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0
const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'resources')),
  statSync(join(root, 'electron.vite.config.ts')).mtimeMs,
)
if (built < sources) {
  process.stdout.write('Membangun aplikasi (electron-vite build)…\n')
  const r = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0) {
    process.stderr.write('Build gagal; lihat pesan di atas.\n')
    process.exit(r.status ?? 1)
  }
}

// `node scripts/ensure-build.mjs PROGRAM ARGS…` then runs PROGRAM in this same process.
//
// npm runs a script through a shell (`sh -c …`) that stays as our parent: a SIGTERM sent to npm
// (a service manager stopping the desk) kills that shell and would leave the desk running on its
// own, holding its port and its data folder. So when our parent goes away, take it as that SIGTERM
// and close the desk cleanly. (Not on Windows: there npm's console signals reach us directly.)
const [program, ...rest] = process.argv.slice(2)
if (program) {
  if (process.platform !== 'win32') {
    const parent = process.ppid
    const watch = setInterval(() => {
      if (process.ppid === parent) return
      clearInterval(watch)
      process.kill(process.pid, 'SIGTERM')
    }, 500)
    watch.unref()
  }
  const path = join(root, program)
  process.argv = [process.argv[0], path, ...rest]
  await import(pathToFileURL(path).href)
}
