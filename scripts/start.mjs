// `npm start`: open the Electron window where Electron can run; otherwise say so in one plain
// sentence and run the headless desk, printing the URL to open in a browser.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url)) // a path with spaces, or C:\ on Windows
const buildDir = process.env.DESK_BUILD_DIR ?? join(root, 'out')
const require = createRequire(import.meta.url)
const args = process.argv.slice(2)

function electronBinary() {
  let pkgDir
  try {
    pkgDir = dirname(require.resolve('electron/package.json'))
  } catch {
    return { reason: 'paket electron tidak terpasang' }
  }
  const pathFile = join(pkgDir, 'path.txt')
  const binary = () =>
    existsSync(pathFile) ? join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null
  if (binary() && existsSync(binary())) return { path: binary() }
  // Electron fetches its binary on first launch; try once, briefly, without a stack trace.
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], {
    stdio: 'ignore',
    timeout: 120_000,
  })
  if (r.status === 0 && binary() && existsSync(binary())) return { path: binary() }
  return { reason: 'program Electron belum terunduh dan tidak bisa diunduh dari mesin ini' }
}

function hasDisplay() {
  if (process.platform !== 'linux') return true
  return !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
}

/** Where the Electron app keeps its data (app.getPath('userData')/data), so both ways of starting share one desk. */
function electronDataDir() {
  const name = 'desk-pilkada'
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name, 'data')
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', name, 'data')
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name, 'data')
}

function headless(reason) {
  process.stdout.write(
    `Jendela Electron tidak bisa dibuka (${reason}); desk berjalan tanpa jendela — buka alamat di bawah pada browser.\n`,
  )
  const dataDirArgs = args.includes('--data-dir') ? [] : ['--data-dir', electronDataDir()]
  const child = spawn(
    process.execPath,
    [join(buildDir, 'main/cli.js'), 'serve', ...dataDirArgs, ...args],
    { stdio: 'inherit' },
  )
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code) => process.exit(code ?? 0))
}

const found = hasDisplay() ? electronBinary() : { reason: 'tidak ada layar (DISPLAY) di mesin ini' }
if (!found.path) headless(found.reason)
else {
  // better-sqlite3 must match Electron's ABI: build a separate copy once, leaving node_modules
  // built for Node so `npm test` and `npm run serve` keep working.
  const native = join(root, '.electron-native', 'better_sqlite3.node')
  if (!existsSync(native))
    spawnSync(process.execPath, [join(root, 'scripts/rebuild-electron.mjs')], { stdio: 'inherit' })
  if (!existsSync(native)) headless('modul better-sqlite3 untuk Electron gagal dibangun')
  else {
    const child = spawn(found.path, [root, ...args], { stdio: 'inherit' })
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
    child.on('exit', (code) => process.exit(code ?? 0))
  }
}
