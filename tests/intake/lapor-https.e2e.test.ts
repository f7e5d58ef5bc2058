import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { call } from '../helpers/https-client'
import { makeCert } from '../helpers/tls'

// Over HTTPS (served by the desk itself, certificate made here) the phone form's service worker
// installs under a real name — not only on 127.0.0.1, which browsers treat as secure anyway — so
// /lapor opens with no signal after a first visit. Chromium resolves desk-pilkada.test to
// 127.0.0.1 and accepts the test's self-signed certificate.

const SHOTS = join(__dirname, '..', '.artifacts', 'lapor-https')
const NAME = 'desk-pilkada.test'

describe('the phone form over HTTPS', () => {
  let desk: TestDesk
  let browser: Browser
  let code: string

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const tls = makeCert()
    desk = await startDesk({
      staticDir: builtUi(),
      tlsCert: tls.cert,
      tlsKey: tls.key,
      httpRedirectPort: 0,
    })
    // Set up over HTTPS too (fetch cannot trust a test certificate; this client can).
    const ca = readFileSync(tls.cert)
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
    expect(
      (
        await call(`${desk.url}/api/v1/tps/import`, {
          ca,
          headers: { ...admin, 'content-type': 'text/csv' },
          body: tpsCsv([DESA_A], 3, 300),
        })
      ).status,
    ).toBe(200)
    code = (
      await call(`${desk.url}/api/v1/users`, {
        ca,
        headers: admin,
        body: JSON.stringify({ name: 'Siti Aminah', role: 'reporter', region: DESA_A }),
      })
    ).json().accessCode
    browser = await launchBrowser([
      `--host-resolver-rules=MAP ${NAME} 127.0.0.1`,
      '--ignore-certificate-errors',
    ])
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('comes from the plain port by redirect, installs its offline copy, and reloads with no signal', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      locale: 'id-ID',
    })
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    // A card typed as http://… still arrives at the HTTPS form.
    await page.goto(`http://${NAME}:${desk.redirectPort}/lapor`)
    expect(page.url()).toBe(`https://${NAME}:${desk.port}/lapor`)
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true)
    await page.getByLabel('Kode akses').fill(code)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await page.locator('.tps-card').first().waitFor()
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready
      return !!(await caches.match('/lapor'))
    })
    expect(cached).toBe(true)

    // The signal goes: the browser is offline and the desk stops answering.
    const port = desk.port
    await context.setOffline(true)
    desk.server.closeAllConnections()
    await new Promise<void>((resolve) => desk.server.close(() => resolve()))
    await page.reload()
    await page.getByText('Tidak ada sinyal').waitFor()
    const offered = await page
      .locator('.tps-card')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tps')))
    expect(offered).toEqual([`${DESA_A}.001`, `${DESA_A}.002`, `${DESA_A}.003`])
    await page.screenshot({ path: join(SHOTS, 'offline-reload-https.png') })
    await context.close()
    await new Promise<void>((resolve) => desk.server.listen(port, '127.0.0.1', () => resolve()))
  }, 120_000)
})
