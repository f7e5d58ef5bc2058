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

/**
 * Module-level state that is a cache, not a service registry: allowed, each for its reason. Anything
 * else at the top of a module in these folders (a `new Map(`, a `new WeakMap(`, a `let`) outlives
 * every desk the process opens, and is a second wiring of whatever it holds.
 */
const MODULE_STATE_ALLOWED: Record<string, string> = {
  // Per request, keyed by the request object itself: gone with the request, shared by no desk.
  'src/server/client-address.ts: resolved':
    'per-request client address (WeakMap keyed by the request)',
  // The SheetJS module, loaded on first use: the same library for every desk, holds no desk data.
  'src/server/sheetjs.ts: loaded': "SheetJS loaded lazily (a library, not a desk's state)",
  // QR images of URLs, bounded (cleared past 64): the same URL gives the same picture for any desk.
  'src/discovery/lan.ts: qrCache': 'bounded cache of QR images by URL (pure function of the URL)',
}

/** Top-level `new Map(` / `new WeakMap(` / `let` in a module: `file: name` for each. */
function moduleState(file: string, text: string): string[] {
  const found: string[] = []
  const declared = /^(?:export )?(?:const|let|var) (\w+)(?:\s*:[^=\n]+)?\s*=\s*new (?:Weak)?Map\b/gm
  for (const m of text.matchAll(declared)) found.push(`${file}: ${m[1]}`)
  for (const m of text.matchAll(/^(?:export )?(?:let|var) (\w+)/gm)) {
    if (!found.includes(`${file}: ${m[1]}`)) found.push(`${file}: ${m[1]}`)
  }
  // A static field is module state too (the old `ExportService.for` kept its services in one).
  const statics =
    /^\s+(?:private |protected |public )?(?:readonly )?static (?:readonly )?(\w+)(?:\s*:[^=\n]+)?\s*=\s*new (?:Weak)?(?:Map|Set)\b/gm
  for (const m of text.matchAll(statics)) found.push(`${file}: static ${m[1]}`)
  return found
}

describe('features are built in one place', () => {
  it('has no service registry: no *ServiceFor, no static for()', () => {
    const found: string[] = []
    for (const { file, text } of desk) {
      for (const m of text.matchAll(/export function (\w+ServiceFor|\w+sOf)\s*\(/g))
        found.push(`${file}: ${m[1]}`)
      if (/\bstatic\s+(async\s+)?for\s*\(/.test(text)) found.push(`${file}: static for`)
    }
    expect(found).toEqual([])
  })

  it('keeps no module-level maps or lets in service, server, discovery and store but the allowed caches', () => {
    // The check finds what it looks for.
    expect(
      moduleState(
        'x.ts',
        [
          'const desks = new WeakMap<DeskService, IntakeService>()',
          'export const byDesk: Map<string, number> = new Map()',
          'let current: DeskService | null = null',
          '  const local = new Map()',
          'const FIXED = new Set([1])',
          '  private static byCore = new WeakMap<DeskCore, BoardService>()',
          '  static readonly builds: Map<string, Job> = new Map()',
        ].join('\n'),
      ),
    ).toEqual([
      'x.ts: desks',
      'x.ts: byDesk',
      'x.ts: current',
      'x.ts: static byCore',
      'x.ts: static builds',
    ])
    const found = ['src/service', 'src/server', 'src/discovery', 'src/store']
      .flatMap(sources)
      .flatMap(({ file, text }) => moduleState(file, text))
    expect(found.filter((f) => !(f in MODULE_STATE_ALLOWED))).toEqual([])
    // An allowed entry that no longer exists goes from the list too (no blanket permission kept).
    expect(Object.keys(MODULE_STATE_ALLOWED).filter((f) => !found.includes(f))).toEqual([])
  })

  it('lets src/server hold the core only to hand it to a service (no alias, no destructuring, no pass-on)', () => {
    // Each create function takes `core: DeskCore` and gives it to `new XService(core…)` (the core
    // API's takes `core.desk`); any other use of the core in src/server — an alias, destructuring,
    // handing it to a router, `core['store']` — could reach the store, the SMS store or the ledger.
    const strayCore = (text: string): string[] => {
      const out: string[] = []
      text.split('\n').forEach((raw, i) => {
        const line = raw.trim()
        if (/^(\/\/|\*|\/\*)/.test(line)) return
        if (/^import type \{ DeskCore \} from '\.\.\/service\/core'$/.test(line)) return
        const rest = line
          .replace(/\bcore: DeskCore\b/g, '')
          .replace(/\bnew \w+Service\(core\b/g, '')
          .replace(/\bcore\.desk\b(?![\w.[])/g, '')
        if (/\bcore\b|\bDeskCore\b/.test(rest)) out.push(`${i + 1}: ${line}`)
      })
      return out
    }
    // The check itself, on what it must and must not catch (the forms a review tried).
    expect(
      strayCore(
        [
          "import type { DeskCore } from '../service/core'",
          'export function createBoard(core: DeskCore): Feature<BoardService> {',
          '  const service = new BoardService(core)',
          '  return { service: core.desk, router }',
          '// the core is handed to the service',
        ].join('\n'),
      ),
    ).toEqual([])
    expect(
      strayCore(
        [
          'router: (ctx) => boardRouter(ctx, service, core) }',
          'function boardRouter(ctx: RouteContext, board: BoardService, c: DeskCore) {',
          '  const { ledger: held, store: st } = core',
          "  void core['smsStore']",
          '  const c2 = core',
          '  core.desk.bus.size; core.desk.x',
        ].join('\n'),
      ),
    ).toHaveLength(6)
    const found = sources('src/server').flatMap(({ file, text }) =>
      strayCore(text).map((l) => `${file}:${l}`),
    )
    expect(found).toEqual([])
  })

  it('gives routers no way to the store, the SMS store, the ledger or the writer', () => {
    // src/server's create functions hand the core to their service's constructor and read nothing
    // of it; the routers get services only. The store, ledger and writer of DeskService are
    // private (the host drains and closes writes through drainWrites/closeWrites).
    const reach = /\.(?:store|smsStore|ledger|writer)\b|\}\s*=\s*core\b/g
    expect('await ctx.service.writer.drain()'.match(reach)).toHaveLength(1)
    expect('const { store } = core'.match(reach)).toHaveLength(1)
    expect('core.store.audit(); core.smsStore.x(); core.ledger.hold()'.match(reach)).toHaveLength(3)
    const found: string[] = []
    for (const { file, text } of sources('src/server')) {
      for (const m of text.matchAll(reach)) {
        const line = text.slice(0, m.index).split('\n').length
        found.push(`${file}:${line}: ${m[0]}`)
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
