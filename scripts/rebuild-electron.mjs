// Build better-sqlite3 against Electron's headers into .electron-native/, without touching the
// Node build in node_modules (tests and `npm run serve` keep using that one). The Electron shell
// passes this file to better-sqlite3 as `nativeBinding`. Needs the internet once (Electron headers).
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
const work = mkdtempSync(join(tmpdir(), 'desk-native-'))
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${sqliteDir}/build`) })
process.stdout.write(`Membangun better-sqlite3 untuk Electron ${electronVersion}…\n`)
const gyp = join(dirname(require.resolve('npm/package.json', { paths: [dirname(process.execPath) + '/../lib'] })), 'node_modules/node-gyp/bin/node-gyp.js')
const r = spawnSync(
  process.execPath,
  [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
  { cwd: work, stdio: 'inherit' },
)
if (r.status !== 0) process.exit(r.status ?? 1)
mkdirSync(join(root, '.electron-native'), { recursive: true })
cpSync(join(work, 'build/Release/better_sqlite3.node'), join(root, '.electron-native/better_sqlite3.node'))
rmSync(work, { recursive: true, force: true })
process.stdout.write('Selesai: .electron-native/better_sqlite3.node\n')
