// Make better-sqlite3 for Electron's ABI into .electron-native/, without touching the Node build
// in node_modules (tests and `npm run serve` keep using that one). The Electron shell passes this
// file to better-sqlite3 as `nativeBinding`. Needs the internet once: a prebuilt binary for
// Electron if one is published, else Electron's headers to compile against.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url)) // a path with spaces, or C:\ on Windows
const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
const work = mkdtempSync(join(tmpdir(), 'desk-native-'))
// Work on a copy: building in place would replace the Node build that tests rely on.
cpSync(sqliteDir, work, {
  recursive: true,
  filter: (src) => !src.startsWith(join(sqliteDir, 'build')),
})
const built = join(work, 'build', 'Release', 'better_sqlite3.node')
const run = (cmd, args) =>
  spawnSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' })
    .status === 0

process.stdout.write(`Menyiapkan better-sqlite3 untuk Electron ${electronVersion}…\n`)
const prebuild = join(
  root,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'prebuild-install.cmd' : 'prebuild-install',
)
let ok =
  existsSync(prebuild) &&
  run(prebuild, ['--runtime=electron', `--target=${electronVersion}`]) &&
  existsSync(built)
if (!ok) {
  const gypArgs = [
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
  ]
  // npm ships node-gyp: find the copy of the npm running us, or the one beside this Node.
  const gypIn = (npmDir) => join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
  const candidates = [
    process.env.npm_execpath ? gypIn(join(dirname(process.env.npm_execpath), '..')) : null,
    gypIn(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm')),
    gypIn(join(dirname(process.execPath), 'node_modules', 'npm')),
  ]
  const gyp = candidates.find((c) => c && existsSync(c)) ?? null
  ok = gyp
    ? run(process.execPath, [gyp, ...gypArgs])
    : run('npx', ['--yes', 'node-gyp', ...gypArgs])
}
if (!ok || !existsSync(built)) {
  rmSync(work, { recursive: true, force: true })
  process.stderr.write(
    'better-sqlite3 untuk Electron tidak bisa dibuat (perlu internet sekali, dan python3 + kompiler C++).\n',
  )
  process.exit(1)
}
mkdirSync(join(root, '.electron-native'), { recursive: true })
cpSync(built, join(root, '.electron-native', 'better_sqlite3.node'))
rmSync(work, { recursive: true, force: true })
process.stdout.write('Selesai: .electron-native/better_sqlite3.node\n')
