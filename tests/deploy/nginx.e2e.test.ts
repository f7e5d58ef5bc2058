import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lockout } from '../../src/server/rate-limit'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { call, stream } from '../helpers/https-client'
import { NGINX, NGINX_CONF, startNginx, type RunningNginx } from '../helpers/nginx'
import { makeCert } from '../helpers/tls'

// Debian's nginx as the TLS reverse proxy in front of a real desk, with the configuration the
// docs recommend (docs/deploy/nginx.conf): phones sign in and send through it, the event stream
// reaches a board live, five wrong codes lock only the client who typed them, staff screens are
// refused to clients outside the staff networks, and the public summary comes from nginx's cache.

const SHOTS = join(__dirname, '..', '.artifacts', 'deploy')
const haveNginx = existsSync(NGINX)
if (!haveNginx)
  console.warn(`nginx e2e skipped: ${NGINX} is not installed (apt-get install -y nginx)`)

describe.skipIf(!haveNginx)('behind nginx (docs/deploy/nginx.conf)', () => {
  let desk: TestDesk
  let proxy: RunningNginx
  let browser: Browser
  let ca: Buffer
  const codes: Record<string, string> = {}
  const requests: { path: string; ip: string; status: number }[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const tls = makeCert()
    ca = readFileSync(tls.cert)
    desk = await startDesk({
      staticDir: builtUi(),
      // nginx reaches the desk from 127.0.0.1; the test's clients use other loopback addresses,
      // and only 127.0.0.1 (this machine's own browser) counts as the office.
      trustProxy: ['127.0.0.1'],
      staffNetworks: ['127.0.0.1'],
      lockout: new Lockout(5, 10 * 60_000, 10 * 60_000),
      logger: {
        info: (msg, f) => {
          if (msg === 'http')
            requests.push({ path: String(f?.path), ip: String(f?.ip), status: Number(f?.status) })
        },
        warn() {},
        error() {},
      },
    })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
    for (const [name, role] of [
      ['siti', 'reporter'],
      ['budi', 'reporter'],
      ['citra', 'reporter'],
      ['layar', 'display'],
    ] as const) {
      codes[name] = (
        await desk.call('POST', '/users', {
          name,
          role,
          region: role === 'reporter' ? DESA_A : '35.09',
        })
      ).body.accessCode
    }
    proxy = await startNginx({ deskPort: desk.port, cert: tls.cert, key: tls.key })
    browser = await launchBrowser(['--ignore-certificate-errors'])
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await proxy?.stop()
    await desk?.stop()
  })

  it('a phone signs in and sends a result through the proxy; the desk stores the client’s address', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'id-ID',
    })
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    await page.goto(`${proxy.url}/lapor`)
    await page.getByLabel('Kode akses').fill(codes.siti!)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await page.locator(`.tps-card[data-tps="${DESA_A}.001"]`).click()
    await page.getByRole('button', { name: 'Isi hasil Bupati' }).click()
    const fields: [string, number][] = [
      ['#dpt', 250],
      ['#dptb', 2],
      ['#dpk', 1],
      ['#votersTotal', 253],
      ['#votes-1', 120],
      ['#votes-2', 125],
      ['#valid', 245],
      ['#invalid', 8],
      ['#total', 253],
    ]
    for (const [sel, v] of fields) await page.fill(sel, String(v))
    await page.getByRole('button', { name: 'Periksa sebelum kirim' }).click()
    await page.getByRole('button', { name: 'Kirim ke desk' }).click()
    await page.locator('[data-testid="receipt"][data-outcome="accepted"]').waitFor()
    await page.screenshot({ path: join(SHOTS, 'lapor-through-nginx.png') })
    await context.close()
    const stored = desk.store.submissionsForTps(`${DESA_A}.001`)
    expect(stored).toHaveLength(1)
    expect(stored[0]!.address).toBe('127.0.0.1')
    // Another phone, from its own address (127.0.0.3), with a forged X-Forwarded-For: the desk
    // stores the address nginx saw, not the forged one.
    const login = await call(`${proxy.url}/api/v1/auth/login`, {
      ca,
      localAddress: '127.0.0.3',
      headers: { 'x-forwarded-for': '6.6.6.6' },
      body: JSON.stringify({ accessCode: codes.budi }),
    })
    expect(login.status).toBe(200)
    const sent = await call(`${proxy.url}/api/v1/results`, {
      ca,
      localAddress: '127.0.0.3',
      headers: { authorization: `Bearer ${codes.budi}`, 'x-forwarded-for': '6.6.6.6' },
      body: JSON.stringify({
        submissionId: sid(),
        tps: `${DESA_A}.002`,
        contest: 'bupati',
        votes: { '1': 50, '2': 60 },
        invalid: 2,
      }),
    })
    expect(sent.status).toBe(201)
    expect(desk.store.submissionsForTps(`${DESA_A}.002`)[0]!.address).toBe('127.0.0.3')
  }, 120_000)

  it('delivers the event stream live through the proxy (no buffering), to a stream and to a wall board', async () => {
    const events = stream(`${proxy.url}/api/v1/events`, {
      ca,
      headers: { authorization: `Bearer ${codes.layar}` },
    })
    expect(await events.opened).toBe(200)
    await events.until(() => events.events.some((e) => e.event === 'ready'), 10_000)
    const board = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await board.goto(
      `${proxy.url}/papan?contest=gubernur&peta=petak#token=${encodeURIComponent(codes.layar!)}`,
    )
    const tile = board.locator('[data-tile="35.09.01"] .tile-pct')
    await tile.waitFor({ timeout: 30_000 })
    expect(await tile.textContent()).toBe('0%')
    const sentAt = performance.now()
    const r = await desk.call('POST', '/results', {
      submissionId: sid(),
      tps: `${DESA_A}.003`,
      contest: 'gubernur',
      votes: { '1': 10, '2': 20, '3': 30 },
      invalid: 1,
    })
    expect(r.status).toBe(201)
    await events.until(
      () =>
        events.events.some(
          (e) => e.event === 'result.accepted' && e.data.includes(`${DESA_A}.003`),
        ),
      5_000,
    )
    const arrived = events.events.find(
      (e) => e.event === 'result.accepted' && e.data.includes(`${DESA_A}.003`),
    )!
    // Live: within a second or two, not when a buffer fills or the stream ends.
    expect(arrived.at - sentAt).toBeLessThan(2_000)
    await board.waitForFunction(
      () => document.querySelector('[data-tile="35.09.01"] .tile-pct')?.textContent === '33%',
      undefined,
      { timeout: 10_000 },
    )
    await board.screenshot({ path: join(SHOTS, 'papan-through-nginx.png') })
    // Boards sign in to the stream with ?token=: the recommended file keeps those URLs out of nginx's log.
    const events_ = /location = \/api\/v1\/events \{([^}]*)\}/.exec(
      readFileSync(NGINX_CONF, 'utf8'),
    )![1]!
    expect(events_).toMatch(/^\s*access_log off;/m)
    await board.close()
    events.close()
  }, 120_000)

  it('locks the client who typed five wrong codes (127.0.0.2), not the others behind the proxy', async () => {
    const guesses = [
      '2222-2222-2222',
      '3333-3333-3333',
      '4444-4444-4444',
      '5555-5555-5555',
      '6666-6666-6666',
    ]
    for (const g of guesses) {
      const r = await call(`${proxy.url}/api/v1/auth/login`, {
        ca,
        localAddress: '127.0.0.2',
        body: JSON.stringify({ accessCode: g }),
      })
      expect(r.status).toBe(401)
    }
    // Citra has not signed in yet: from the guesser's address her right code is refused too.
    const locked = await call(`${proxy.url}/api/v1/auth/login`, {
      ca,
      localAddress: '127.0.0.2',
      body: JSON.stringify({ accessCode: codes.citra }),
    })
    expect(locked.status).toBe(429)
    expect(locked.json().error.code).toBe('locked')
    // A forged X-Forwarded-For does not get the guesser out of the lock…
    const forged = await call(`${proxy.url}/api/v1/auth/login`, {
      ca,
      localAddress: '127.0.0.2',
      headers: { 'x-forwarded-for': '198.51.100.1' },
      body: JSON.stringify({ accessCode: '7777-7777-7777' }),
    })
    expect(forged.json().error.code).toBe('locked')
    // …and everyone else signs in as usual, through the same proxy.
    expect(
      (
        await call(`${proxy.url}/api/v1/auth/login`, {
          ca,
          localAddress: '127.0.0.4',
          body: JSON.stringify({ accessCode: codes.citra }),
        })
      ).status,
    ).toBe(200)
    expect(
      (
        await call(`${proxy.url}/api/v1/auth/login`, {
          ca,
          localAddress: '127.0.0.5',
          body: JSON.stringify({ accessCode: codes.budi }),
        })
      ).status,
    ).toBe(200)
  }, 60_000)

  it('refuses staff screens and credentials to clients outside the staff networks, and serves /lapor and /publik', async () => {
    for (const path of ['/', '/kredensial', '/rekap', '/papan']) {
      const r = await call(`${proxy.url}${path}`, { ca, localAddress: '127.0.0.6' })
      expect(r.status, path).toBe(403)
      expect(r.body).toContain('Layar ini hanya untuk staf desk')
    }
    const display = await call(`${proxy.url}/api/v1/me`, {
      ca,
      localAddress: '127.0.0.6',
      headers: { authorization: `Bearer ${codes.layar}` },
    })
    expect(display.status).toBe(403)
    expect(display.json().error.code).toBe('staff_network')
    expect((await call(`${proxy.url}/lapor`, { ca, localAddress: '127.0.0.6' })).status).toBe(200)
    expect((await call(`${proxy.url}/publik`, { ca, localAddress: '127.0.0.6' })).status).toBe(200)
  })

  it('full /publik loads in Chromium: the desk sees about one request per path, none for an icon', async () => {
    // Four citizens open /publik at once, each in a fresh browser (no cache of its own).
    const asked: string[] = []
    const before = requests.length
    const contexts = await Promise.all(
      Array.from({ length: 4 }, () =>
        browser.newContext({
          viewport: { width: 360, height: 740 },
          isMobile: true,
          locale: 'id-ID',
        }),
      ),
    )
    try {
      await Promise.all(
        contexts.map(async (context) => {
          const page = await context.newPage()
          page.on('request', (r) => asked.push(new URL(r.url()).pathname))
          await page.goto(`${proxy.url}/publik`)
          await page.locator('.publik').waitFor({ timeout: 30_000 })
          await page.waitForLoadState('networkidle')
        }),
      )
    } finally {
      await Promise.all(contexts.map((c) => c.close()))
    }
    const seen = requests.slice(before).map((r) => r.path)
    const paths = [...new Set(asked)]
    // What a page load asks for: the page, its assets, the configuration and the summary; no icon.
    expect(paths).toEqual(
      expect.arrayContaining(['/publik', '/api/v1/config', '/api/v1/public/summary']),
    )
    expect(paths.filter((p) => p.startsWith('/assets/')).length).toBeGreaterThan(0)
    expect(paths).not.toContain('/favicon.ico')
    for (const path of paths) {
      expect(asked.filter((p) => p === path).length, path).toBeGreaterThanOrEqual(4)
      // About one per cache interval (two when the loads straddle one), however many citizens.
      expect(seen.filter((p) => p === path).length, path).toBeLessThanOrEqual(2)
    }
    expect(seen.filter((p) => !paths.includes(p))).toEqual([])
    // A browser asking for an icon anyway gets nginx's 404; the desk is not asked.
    const icon = await call(`${proxy.url}/favicon.ico`, { ca, localAddress: '127.0.0.7' })
    expect(icon.status).toBe(404)
    expect(requests.slice(before).some((r) => r.path === '/favicon.ico')).toBe(false)
    // And the desk itself answers 404 (not the UI page) when asked directly.
    const direct = await fetch(`${desk.url}/favicon.ico`)
    expect(direct.status).toBe(404)
    expect(direct.headers.get('content-type')).not.toMatch(/html/)
    // The configuration is micro-cached; a signed request (the admin) is never answered from the cache.
    expect((await call(`${proxy.url}/api/v1/config`, { ca })).headers['x-cache']).toMatch(
      /HIT|UPDATING|STALE/,
    )
    expect(
      (await call(`${proxy.url}/api/v1/config`, { ca, headers: { authorization: 'Bearer x' } }))
        .headers['x-cache'],
    ).toBe('BYPASS')
  }, 120_000)

  it('answers the crowd on /publik and its summary from the micro-cache: the desk sees about one request', async () => {
    const before = requests.filter((r) => r.path === '/api/v1/public/summary').length
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(`${proxy.url}/api/v1/public/summary`, { ca, localAddress: `127.0.1.${(i % 50) + 1}` }),
      ),
    )
    expect(answers.every((a) => a.status === 200)).toBe(true)
    expect(answers.filter((a) => a.headers['x-cache'] === 'HIT').length).toBeGreaterThan(50)
    const reached = requests.filter((r) => r.path === '/api/v1/public/summary').length - before
    expect(reached).toBeLessThanOrEqual(2)
    // A request with credentials is never served from the cache.
    const withToken = await call(`${proxy.url}/api/v1/public/summary`, {
      ca,
      headers: { authorization: 'Bearer x' },
    })
    expect(withToken.headers['x-cache']).toBe('BYPASS')
    // The plain HTTP port of the recommended config only redirects to HTTPS.
    const redirect = await call(`http://127.0.0.1:${proxy.httpPort}/lapor`)
    expect(redirect.status).toBe(301)
    expect(redirect.headers.location).toMatch(/^https:\/\/127\.0\.0\.1\/lapor$/)
  })
})
