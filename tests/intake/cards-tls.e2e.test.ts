import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lanAddresses } from '../../src/discovery/lan'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, startDesk, type TestDesk } from '../helpers/desk'
import { makeCert } from '../helpers/tls'
import { CSV_HEADER } from './fixtures'

// /kredensial on a desk serving HTTPS itself (--tls-cert) with a public URL: the LAN addresses it
// offers are https (an http:// card would open nothing), the staff address list never offers the
// public URL, and staff cards carry no SMS code (only reporters send SMS).

const PUBLIC = 'https://desk-pilkada.jemberkab.go.id'
const SHOTS = join(__dirname, '..', '.artifacts', 'kredensial')

describe('/kredensial on a desk serving HTTPS', () => {
  let desk: TestDesk
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const tls = makeCert()
    desk = await startDesk({
      staticDir: builtUi(),
      tlsCert: tls.cert,
      tlsKey: tls.key,
      publicUrl: PUBLIC,
    })
    // The test desk listens on loopback only; what a desk on every interface offers is asked for by
    // telling the route so (the scheme stays what createDesk registered).
    desk.lan.host = '0.0.0.0'
    browser = await launchBrowser()
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      ignoreHTTPSErrors: true,
    })
    page = await context.newPage()
    page.on('pageerror', (e) => console.error('pageerror', e.message))
    page.setDefaultTimeout(20_000)
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('offers https LAN addresses for staff, never the public URL there, and prints staff cards without an SMS code', async () => {
    const lan = lanAddresses().map((a) => `https://${a.address}:${desk.port}`)
    expect(lan.length).toBeGreaterThan(0)
    await page.goto(`${desk.url}/kredensial`)
    await page.getByLabel('Kode akses').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await page.getByRole('heading', { name: 'Kredensial dan kartu akses' }).waitFor()
    const staff = page.getByLabel('Alamat LAN untuk staf')
    await page.waitForFunction(
      (first) =>
        (
          document.querySelector(
            'select[aria-label="Alamat LAN untuk staf"]',
          ) as HTMLSelectElement | null
        )?.value === first,
      lan[0],
    )
    const staffOptions = await staff
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(staffOptions).not.toContain(PUBLIC)
    expect(staffOptions.filter((v) => v.startsWith('https://'))).toEqual(lan)
    expect(staffOptions.some((v) => v.startsWith('http://'))).toBe(false)
    // Phones still get the public URL first; the LAN addresses are there too, with https.
    expect(await page.getByLabel('Alamat desk untuk HP').inputValue()).toBe(PUBLIC)
    const phoneOptions = await page
      .getByLabel('Alamat desk untuk HP')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(phoneOptions).toEqual(expect.arrayContaining([PUBLIC, ...lan]))

    const rows = [
      CSV_HEADER,
      'Rina Operator,0816,operator,',
      'Sari Supervisor,0817,supervisor,',
      'Layar Aula,,display,',
      `Siti Pelapor,0812,pelapor,${DESA_A}`,
    ]
    await page.locator('input[type="file"]').setInputFiles({
      name: 'staf.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    })
    await page.getByRole('button', { name: 'Impor dan terbitkan kode' }).click()
    await page.getByText('Kode yang diterbitkan di tab ini (4)').waitFor()

    for (const name of ['Rina Operator', 'Sari Supervisor']) {
      const card = page.locator('.credential-card', { hasText: name })
      expect(await card.locator('.credential-url').textContent()).toBe(`${lan[0]}/`)
      expect(await card.textContent()).not.toContain('Kode SMS')
      expect(await card.locator('.credential-sms').count()).toBe(0)
    }
    const board = page.locator('.credential-card', { hasText: 'Layar Aula' })
    expect(await board.locator('.credential-url').textContent()).toBe(`${lan[0]}/papan`)
    const code = (await board.locator('.credential-code').textContent())!
    await board.locator(`.credential-qr img[data-link="${lan[0]}/papan#token=${code}"]`).waitFor()
    expect(await board.textContent()).not.toContain('Kode SMS')
    // A reporter still gets the SMS code (reporters send results by SMS) and the public address.
    const reporter = page.locator('.credential-card', { hasText: 'Siti Pelapor' })
    expect(await reporter.locator('.credential-url').textContent()).toBe(`${PUBLIC}/lapor`)
    expect(await reporter.locator('.credential-sms').textContent()).toMatch(/^Kode SMS: \S+$/)
    await page.emulateMedia({ media: 'print' })
    await page
      .locator('.credential-page')
      .first()
      .screenshot({ path: join(SHOTS, 'print-roles-https.png') })
    await page.emulateMedia({ media: 'screen' })
    await page.locator('.addresses').screenshot({ path: join(SHOTS, 'addresses-https.png') })
  }, 120_000)
})
