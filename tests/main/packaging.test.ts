import { spawn, type ChildProcess } from 'node:child_process'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { builtApp } from '../helpers/build-ui'

const root = join(__dirname, '..', '..')
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8'))

/** A glob as electron-builder's file patterns use them: `**` any folders, `*` within one name. */
function minimatch(path: string, glob: string, _options?: { dot: boolean }): boolean {
  const re = glob
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) =>
      part === '**/'
        ? '(?:.*/)?'
        : part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('')
  return new RegExp(`^${re}$`).test(path)
}

/** Does electron-builder's `files` list (globs, `!` excludes, last match wins) take this path? */
function packaged(path: string): boolean {
  let taken = false
  for (const pattern of config.files as string[]) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) taken = false
    } else if (minimatch(path, pattern, { dot: true })) taken = true
  }
  return taken
}

describe('installers (electron-builder configuration)', () => {
  it("is valid by electron-builder's own schema", async () => {
    const { validateConfiguration } = await import(
      'app-builder-lib/out/util/config/config' as string
    )
    const { DebugLogger } = await import('builder-util' as string)
    await expect(validateConfiguration(config, new DebugLogger())).resolves.toBeUndefined()
  })

  it('makes a Windows NSIS installer and a Linux AppImage named in Indonesian', () => {
    expect(config.productName).toBe('Desk Pilkada')
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/)
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis'])
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage'])
    expect(config.nsis.installerLanguages[0]).toBe('id_ID')
    expect(readFileSync(join(root, config.win.icon)).subarray(1, 4).toString()).toBe('PNG')
  })

  it('sets the Electron fuses: no run-as-node, no NODE_OPTIONS, encrypted cookies, ASAR only and checked', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
    expect(config.asar).toBe(true)
  })

  it('ships what the app loads at run time, and unpacks the Electron build of better-sqlite3', () => {
    for (const file of [
      'out/main/index.js',
      'out/main/cli.js',
      'out/main/export-worker.js',
      'out/main/upload-worker.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/lapor.html',
      'out/renderer/start.html',
      'resources/boundaries/35.09/kecamatan-desa.topojson',
      'resources/boundaries/35.09/LICENSE',
      '.electron-native/better_sqlite3.node',
      'package.json',
    ]) {
      expect(packaged(file), file).toBe(true)
    }
    // A native module cannot be loaded from inside the archive; the Node build must not ship.
    expect(
      config.asarUnpack.some((p: string) =>
        minimatch('.electron-native/better_sqlite3.node', p, { dot: true }),
      ),
    ).toBe(true)
    expect(packaged('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(false)
    expect(packaged('out/main/index.js.map')).toBe(false)
    // The Electron build is ours (scripts/rebuild-electron.mjs), not electron-builder's rebuild.
    expect(config.npmRebuild).toBe(false)
    expect(config.extraMetadata.main).toBe('out/main/index.js')
  })
})

describe('a packaged layout (resources/app.asar/…) finds its worker, UI and resources', () => {
  const children: ChildProcess[] = []
  const dirs: string[] = []
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('serves the UI, the shipped map and an exported workbook from the packaged folders', async () => {
    const base = mkdtempSync(join(tmpdir(), 'desk-packaged-'))
    dirs.push(base)
    // What electron-builder puts in app.asar, as plain folders (plain Node cannot read an archive).
    const app = join(base, 'resources', 'app.asar')
    mkdirSync(app, { recursive: true })
    cpSync(builtApp(), join(app, 'out'), {
      recursive: true,
      filter: (src) => !src.endsWith('.map'),
    })
    cpSync(join(root, 'resources'), join(app, 'resources'), { recursive: true })
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    writeFileSync(join(app, 'package.json'), JSON.stringify({ ...pkg, ...config.extraMetadata }))
    symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'), 'dir')
    const token = 'packaged-admin-token-0123456789'
    const child = spawn(
      process.execPath,
      [
        join(app, 'out', 'main', 'cli.js'),
        'serve',
        '--data-dir',
        join(base, 'data'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
      ],
      {
        cwd: base,
        env: { ...process.env, DESK_ADMIN_TOKEN: token },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    children.push(child)
    let out = ''
    child.stderr!.on('data', (d) => (out += d))
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL:\n${out}`)), 60_000)
      child.stdout!.on('data', (d) => {
        out += d
        const m = /siap di (http:\/\/\S+)/.exec(out)
        if (m) {
          clearTimeout(t)
          resolve(m[1]!)
        }
      })
      child.on('exit', () => reject(new Error(`exited:\n${out}`)))
    })
    const auth = { authorization: `Bearer ${token}` }
    const page = await fetch(`${url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    const layout = (await (
      await fetch(`${url}/api/v1/board/layout`, { headers: auth })
    ).json()) as { boundaries: { level: string; features: number }[] }
    expect(layout.boundaries.map((b) => `${b.level}:${b.features}`)).toEqual([
      'desa:248',
      'kecamatan:31',
    ])
    // An uploaded workbook is read in the upload worker: it too must resolve from the package.
    const XLSX = await import('xlsx')
    const book = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([
        ['kode_desa', 'nomor_tps', 'dpt'],
        ['35.09.01.2001', 1, 300],
      ]),
      'TPS',
    )
    const upload = await fetch(`${url}/api/v1/tps/import`, {
      method: 'POST',
      headers: {
        ...auth,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      body: new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer),
    })
    expect(upload.status).toBe(200)
    expect(((await upload.json()) as { imported: number }).imported).toBe(1)
    const workbook = await fetch(`${url}/api/v1/export/recap.xlsx`, { headers: auth })
    expect(workbook.status).toBe(200)
    expect(
      Buffer.from(await workbook.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK')
    child.kill('SIGTERM')
  }, 120_000)
})
