import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// Issue 14 item 2: every feature is built by its own create function and wired in one place
// (wireFeatures in src/host/desk.ts). A service built anywhere else — a module map keyed by the
// desk, a static `for`, a router building its own — is a second wiring that can drift from the
// first (the sign-in window check used to be installed as a side effect of building a router).

const root = join(import.meta.dirname, '..', '..')

function sources(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = []
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sources(path))
    else if (/\.tsx?$/.test(entry.name))
      out.push({
        file: relative(root, join(root, path)),
        text: readFileSync(join(root, path), 'utf8'),
      })
  }
  return out
}

const desk = [
  'src/service',
  'src/server',
  'src/host',
  'src/store',
  'src/discovery',
  'src/export',
  'src/domain',
].flatMap(sources)

describe('features are built in one place', () => {
  it('has no service registry: no *ServiceFor, no static for(), no module-level WeakMap keyed by the desk', () => {
    const found: string[] = []
    for (const { file, text } of desk) {
      for (const m of text.matchAll(/export function (\w+ServiceFor|\w+sOf)\s*\(/g))
        found.push(`${file}: ${m[1]}`)
      if (/\bstatic\s+(async\s+)?for\s*\(/.test(text)) found.push(`${file}: static for`)
      // Per-request and per-event caches (client-address.ts, sse.ts) are fine; a map at the top of
      // a service or discovery module outlives any one request and is a registry.
      if (/^(src\/service|src\/discovery|src\/store)\//.test(file)) {
        for (const m of text.matchAll(/^(?:export )?(?:const|let) (\w+)\s*=\s*new WeakMap/gm))
          found.push(`${file}: ${m[1]}`)
      }
    }
    expect(found).toEqual([])
  })

  it("builds each feature's service only in that feature's create function", () => {
    const services = new Set<string>()
    for (const { text } of sources('src/service'))
      for (const m of text.matchAll(/^export class (\w+Service)\b/gm)) services.add(m[1]!)
    expect(services).toContain('IntakeService')
    expect(services).toContain('ExportService')
    const built = new Map<string, string[]>()
    for (const { file, text } of desk) {
      for (const m of text.matchAll(/\bnew (\w+Service)\(/g)) {
        if (!services.has(m[1]!)) continue
        built.set(m[1]!, [...(built.get(m[1]!) ?? []), file])
      }
    }
    // The core is opened by the host; every other service by its feature's routes file, once.
    expect(built.get('DeskService')).toEqual(['src/host/desk.ts'])
    for (const name of services) {
      if (name === 'DeskService') continue
      const where = built.get(name) ?? []
      expect(where, name).toHaveLength(1)
      expect(where[0], name).toMatch(/^src\/server\/[a-z-]+-routes\.ts$/)
      const text = readFileSync(join(root, where[0]!), 'utf8')
      expect(text, name).toMatch(
        new RegExp(
          `export function create\\w+\\([^)]*\\)[^{]*\\{\\s*(?:[^\\n]*\\n){0,3}?[^\\n]*new ${name}\\(`,
        ),
      )
    }
  })

  it('lists every create function in wireFeatures, and createDesk builds nothing else', () => {
    const deskTs = readFileSync(join(root, 'src/host/desk.ts'), 'utf8')
    const creators = new Set<string>()
    for (const { file, text } of sources('src/server')) {
      if (!file.endsWith('-routes.ts') && !file.endsWith('/routes.ts')) continue
      // A feature's create function takes the core: `createX(core: DeskCore, …)`.
      for (const m of text.matchAll(/^export function (create\w+)\(\s*core: DeskCore/gm))
        creators.add(m[1]!)
    }
    expect(creators.size).toBeGreaterThanOrEqual(10)
    const wiring = deskTs.slice(
      deskTs.indexOf('function wireFeatures('),
      deskTs.indexOf('export async function createDesk('),
    )
    for (const c of creators) expect(wiring, c).toContain(`${c}(core`)
    const rest = deskTs.replace(wiring, '')
    for (const c of creators) expect(rest, c).not.toContain(`${c}(`)
  })
})

describe('a desk as createDesk wires it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-wiring-'))
  let desk: TestDesk
  let reporter: string

  beforeAll(async () => {
    desk = await startDesk({ dataDir })
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 2, 300))
    reporter = (
      await desk.call('POST', '/users', { name: 'Siti', role: 'reporter', region: DESA_A })
    ).body.accessCode
  })
  afterAll(async () => {
    await desk.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('holds one service per feature, the console reading the intake feature it was given', () => {
    expect(Object.keys(desk.features).sort()).toEqual([
      'backup',
      'board',
      'cards',
      'console',
      'export',
      'intake',
      'phoneSync',
      'purge',
      'sms',
    ])
    expect(desk.features.backup).toBeNull() // started without --backup-dir
  })

  it("enforces the reporters' sign-in window on every route, from the start, also after a restart", async () => {
    const closed = { opensAt: '2020-01-01T08:00:00+07:00', closesAt: '2020-01-01T20:00:00+07:00' }
    expect((await desk.call('PUT', '/intake/window', closed)).status).toBe(200)
    // Core routes (not the intake feature's own): the Authenticator refuses the reporter.
    for (const path of ['/me', '/tps', '/progress']) {
      const r = await desk.call('GET', path, undefined, reporter)
      expect(r.status, path).toBe(403)
      expect(r.body.error.code, path).toBe('outside_window')
    }
    // Staff are not affected.
    expect((await desk.call('GET', '/me', undefined, ADMIN_TOKEN)).status).toBe(200)

    // A desk started again on the same data finds the window closed before anything else runs.
    await desk.stop()
    desk = await startDesk({ dataDir })
    const first = await desk.call('GET', '/me', undefined, reporter)
    expect(first.status).toBe(403)
    expect(first.body.error.code).toBe('outside_window')

    await desk.call('PUT', '/intake/window', { opensAt: null, closesAt: null })
    expect((await desk.call('GET', '/me', undefined, reporter)).status).toBe(200)
  })
})
