import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listRoutes, type RouteEntry } from '../../src/server/route-list'
import { ADMIN_TOKEN, DESA_A, DESA_B, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

/**
 * Who may call what: one row per API route, read against the routes the routers really have
 * (a route missing here fails the test). It says the same as docs/API.md's headings:
 *   public     no token needed (GET /health, /config, /regions, /public/summary, POST /auth/login)
 *   signed-in  any valid token; a display account only where `display` is set (the board's reads)
 *   operator   operator, supervisor, admin            supervisor  supervisor, admin
 *   admin      the admin token only
 * `reporters: false` marks routes a signed-in reporter is refused anyway (the event stream,
 * operator screens reached through their own checks); `officer` routes take the kecamatan's
 * officer but not a desa reporter or an operator (POST /verification/:desa); `officer-read` the
 * officer and staff but not a desa reporter (GET /verification).
 */
type Rule =
  'public' | 'signed-in' | 'operator' | 'supervisor' | 'admin' | 'officer' | 'officer-read'
interface Access {
  rule: Rule
  display?: boolean
  reporters?: boolean
}

const ACCESS: Record<string, Access> = {
  'GET /api/v1/health': { rule: 'public' },
  'GET /api/v1/config': { rule: 'public' },
  'PUT /api/v1/config': { rule: 'admin' },
  'GET /api/v1/regions': { rule: 'public' },
  'GET /api/v1/me': { rule: 'signed-in', display: true },
  'POST /api/v1/tps/import': { rule: 'admin' },
  'GET /api/v1/tps': { rule: 'signed-in' },
  'GET /api/v1/tps/:code': { rule: 'signed-in' },
  'POST /api/v1/tps/:code/status': { rule: 'supervisor' },
  'POST /api/v1/users': { rule: 'admin' },
  'GET /api/v1/users': { rule: 'admin' },
  'POST /api/v1/users/:id/revoke': { rule: 'admin' },
  'POST /api/v1/users/:id/reissue': { rule: 'admin' },
  'POST /api/v1/results': { rule: 'signed-in' },
  'GET /api/v1/progress': { rule: 'signed-in', display: true },
  'GET /api/v1/recap': { rule: 'signed-in' },
  'GET /api/v1/audit': { rule: 'admin' },
  'GET /api/v1/events': { rule: 'signed-in', display: true, reporters: false },
  'GET /api/v1/board/summary': { rule: 'signed-in', display: true },
  'GET /api/v1/board/layout': { rule: 'signed-in', display: true },
  'GET /api/v1/board/boundaries/:level': { rule: 'signed-in', display: true },
  'POST /api/v1/board/boundaries/inspect': { rule: 'admin' },
  'POST /api/v1/board/boundaries': { rule: 'admin' },
  'DELETE /api/v1/board/boundaries': { rule: 'admin' },
  'GET /api/v1/public/summary': { rule: 'public' },
  'GET /api/v1/console/summary': { rule: 'operator' },
  'GET /api/v1/console/chase': { rule: 'operator' },
  'GET /api/v1/console/chase/:reporter/calls': { rule: 'operator' },
  'POST /api/v1/console/chase/:reporter/calls': { rule: 'operator' },
  'GET /api/v1/console/drafts': { rule: 'operator' },
  'POST /api/v1/console/drafts': { rule: 'operator' },
  'POST /api/v1/console/drafts/:id/verify': { rule: 'operator' },
  'POST /api/v1/console/drafts/:id/cancel': { rule: 'operator' },
  'GET /api/v1/conflicts': { rule: 'operator' },
  'GET /api/v1/conflicts/:id': { rule: 'operator' },
  'POST /api/v1/conflicts/:id/resolve': { rule: 'supervisor' },
  'GET /api/v1/console/flags': { rule: 'operator' },
  'POST /api/v1/results/:tps/:contest/review': { rule: 'supervisor' },
  'GET /api/v1/tps/:code/history': { rule: 'operator' },
  'GET /api/v1/console/lan': { rule: 'operator' },
  'GET /api/v1/export/recap.xlsx': { rule: 'operator' },
  'GET /api/v1/export/snapshots': { rule: 'operator' },
  'POST /api/v1/export/snapshots': { rule: 'operator' },
  'GET /api/v1/export/snapshots/:id': { rule: 'operator' },
  'GET /api/v1/export/snapshots/:id/recap.xlsx': { rule: 'operator' },
  'GET /api/v1/export/snapshots/:id/data.json': { rule: 'operator' },
  'POST /api/v1/export/snapshots/:id/verify': { rule: 'operator' },
  'POST /api/v1/export/kpu/import': { rule: 'operator' },
  'GET /api/v1/export/kpu/imports': { rule: 'operator' },
  'GET /api/v1/export/kpu/report': { rule: 'operator' },
  'GET /api/v1/export/kpu/report.xlsx': { rule: 'operator' },
  'POST /api/v1/auth/login': { rule: 'public' },
  'GET /api/v1/intake/window': { rule: 'signed-in' },
  'PUT /api/v1/intake/window': { rule: 'admin' },
  'GET /api/v1/intake/addresses': { rule: 'admin' },
  'POST /api/v1/users/import': { rule: 'admin' },
  'GET /api/v1/intake/tps': { rule: 'signed-in' },
  'POST /api/v1/photos': { rule: 'signed-in' },
  'GET /api/v1/intake/photo-quota': { rule: 'signed-in' },
  'PUT /api/v1/intake/photo-quota': { rule: 'admin' },
  'DELETE /api/v1/intake/photo-quota': { rule: 'admin' },
  'GET /api/v1/photos': { rule: 'operator' },
  'GET /api/v1/photos/:file': { rule: 'operator' },
  'POST /api/v1/incidents': { rule: 'signed-in' },
  'GET /api/v1/incidents': { rule: 'signed-in' },
  'POST /api/v1/incidents/:id/photo': { rule: 'signed-in' },
  'POST /api/v1/incidents/:id/status': { rule: 'operator' },
  'GET /api/v1/verification': { rule: 'officer-read' },
  'POST /api/v1/verification/:desa': { rule: 'officer' },
  'GET /api/v1/console/review-assignments': { rule: 'operator' },
  'PUT /api/v1/console/review-assignments/:kecamatan': { rule: 'supervisor' },
  'GET /api/v1/intake/public-url': { rule: 'admin' },
  'PUT /api/v1/intake/public-url': { rule: 'admin' },
  'DELETE /api/v1/intake/public-url': { rule: 'admin' },
  'POST /api/v1/users/reissue': { rule: 'admin' },
  'GET /api/v1/desk/identity': { rule: 'signed-in' },
  'POST /api/v1/receipts/check': { rule: 'signed-in' },
  'GET /api/v1/intake/tps/:code/standing': { rule: 'signed-in' },
  // The Android gateway's webhook: no token, its own signature (404 while the gateway is off).
  'POST /api/v1/sms/android': { rule: 'public' },
  'GET /api/v1/sms': { rule: 'operator' },
  'POST /api/v1/sms/unblock': { rule: 'operator' },
  'GET /api/v1/backup': { rule: 'operator' },
  'POST /api/v1/backup': { rule: 'admin' },
  'GET /api/v1/admin/purge-simulated': { rule: 'admin' },
  'POST /api/v1/admin/purge-simulated': { rule: 'admin' },
  'GET /api/v1/admin/lockouts': { rule: 'admin' },
  'POST /api/v1/admin/lockouts/unlock': { rule: 'admin' },
}

/** Bodies that pass validation where the role is checked after it (so the answer is about who, not what). */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/verification/:desa': { status: 'verified' },
}

const PRINCIPALS = [
  'none',
  'reporter',
  'officer',
  'operator',
  'supervisor',
  'display',
  'admin',
  'revoked',
] as const
type Principal = (typeof PRINCIPALS)[number]

/** What `who` should hear from `access`: allowed (any answer but 401/403), or that refusal. */
function expected(access: Access, who: Principal): 'allowed' | 401 | 403 {
  if (access.rule === 'public') return 'allowed'
  if (who === 'none' || who === 'revoked') return 401
  if (who === 'admin') return 'allowed'
  if (who === 'display') return access.display ? 'allowed' : 403
  const reporter = who === 'reporter' || who === 'officer'
  switch (access.rule) {
    case 'signed-in':
      return reporter && access.reporters === false ? 403 : 'allowed'
    case 'operator':
      return reporter ? 403 : 'allowed'
    case 'supervisor':
      return who === 'supervisor' ? 'allowed' : 403
    case 'officer':
      return who === 'officer' || who === 'supervisor' ? 'allowed' : 403
    case 'officer-read':
      return who === 'reporter' ? 403 : 'allowed'
    case 'admin':
      return 403
  }
}

describe('authorisation: every route × every principal against one table (issue 13, item 11)', () => {
  let desk: TestDesk
  let routes: RouteEntry[]
  const tokens: Partial<Record<Principal, string>> = { admin: ADMIN_TOKEN }
  let reporterId = ''

  beforeAll(async () => {
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B], 2, 300))).status).toBe(
      200,
    )
    const mk = async (role: string, region?: string) =>
      (await desk.call('POST', '/users', { name: `${role} ${region ?? ''}`, role, region })).body
    const reporter = await mk('reporter', DESA_A)
    reporterId = reporter.id
    tokens.reporter = reporter.accessCode
    tokens.officer = (await mk('reporter', DESA_A.slice(0, DESA_A.lastIndexOf('.')))).accessCode
    tokens.operator = (await mk('operator')).accessCode
    tokens.supervisor = (await mk('supervisor')).accessCode
    tokens.display = (await mk('display')).accessCode
    const revoked = await mk('reporter', DESA_B)
    tokens.revoked = revoked.accessCode
    expect((await desk.call('POST', `/users/${revoked.id}/revoke`)).status).toBe(200)
    routes = listRoutes(desk.server.listeners('request')[0] as never)
  })
  afterAll(() => desk.stop())

  it('has one entry for every route the routers answer, and none for a route that is gone', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`)
    expect(keys.length).toBeGreaterThan(60)
    expect(
      keys.filter((k) => !(k in ACCESS)),
      'routes with no entry in ACCESS',
    ).toEqual([])
    expect(
      Object.keys(ACCESS).filter((k) => !keys.includes(k)),
      'entries for routes that do not exist',
    ).toEqual([])
  })

  it('answers every principal on every route as the table says', async () => {
    const params: Record<string, string> = {
      code: `${DESA_A}.001`,
      tps: `${DESA_A}.001`,
      contest: 'bupati',
      id: '1',
      reporter: reporterId,
      desa: DESA_A,
      level: 'kecamatan',
      file: `${'a'.repeat(64)}.jpg`,
    }
    const wrong: string[] = []
    let cells = 0
    for (const route of routes) {
      const access = ACCESS[`${route.method} ${route.path}`]!
      const path = route.path
        .replace(/^\/api\/v1/, '')
        .replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? 'x'))
      for (const who of PRINCIPALS) {
        cells++
        const headers: Record<string, string> = {}
        const token = who === 'none' ? undefined : tokens[who]
        if (token) headers.authorization = `Bearer ${token}`
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE'
        if (hasBody) headers['content-type'] = 'application/json'
        const controller = new AbortController()
        const res = await fetch(`${desk.url}/api/v1${path}`, {
          method: route.method,
          headers,
          body: hasBody ? JSON.stringify(BODIES[`${route.method} ${route.path}`] ?? {}) : null,
          signal: controller.signal,
        })
        if (res.headers.get('content-type')?.startsWith('text/event-stream')) controller.abort()
        else await res.arrayBuffer()
        const want = expected(access, who)
        const ok =
          want === 'allowed'
            ? res.status !== 401 && res.status !== 403 && res.status < 500
            : res.status === want
        if (!ok)
          wrong.push(`${route.method} ${route.path} as ${who}: ${res.status}, table says ${want}`)
      }
    }
    expect(cells).toBe(routes.length * PRINCIPALS.length)
    expect(wrong).toEqual([])
  }, 120_000)
})
