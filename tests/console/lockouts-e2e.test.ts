import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lockout } from '../../src/server/rate-limit'
import { launchBrowser, signedInPage } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, startDesk, type TestDesk } from '../helpers/desk'

// The admin's "Masuk terkunci" card on /orang (the review of issue 11): at 22:00 a desa calls
// "kode saya ditolak/terkunci"; the admin finds the lock and lifts it, and the phones get in.

const SHOTS = join(__dirname, '..', '.artifacts', 'console')
const PADOMASAN = '35.09.01.2001'
const NAT = '203.0.113.77'
const from = (ip: string) => ({ 'x-forwarded-for': ip })

describe('locked sign-ins on the people screen, in Chromium at 1366×768', () => {
  let desk: TestDesk
  let browser: Browser
  let page: Page
  let siti: { id: string; accessCode: string }
  let budi: { id: string; accessCode: string }
  let operator: string

  const login = (code: string, ip: string) =>
    desk.call('POST', '/auth/login', { accessCode: code }, null, from(ip))

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({
      staticDir: builtUi(),
      trustProxy: ['127.0.0.1'],
      lockout: new Lockout(5, 10 * 60_000, 10 * 60_000),
    })
    const mk = async (name: string) =>
      (await desk.call('POST', '/users', { name, role: 'reporter', region: PADOMASAN })).body as {
        id: string
        accessCode: string
      }
    siti = await mk('Siti Aminah')
    budi = await mk('Budi Santoso')
    operator = (await desk.call('POST', '/users', { name: 'Operator', role: 'operator' })).body
      .accessCode as string
    browser = await launchBrowser()
    page = await signedInPage(browser, ADMIN_TOKEN)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('shows no lock, then each new lock live (address, IPv6 /64, a person), and lifts one after asking', async () => {
    await page.goto(`${desk.url}/orang`)
    const card = page.locator('.lockouts-card')
    await card.locator('.lockouts-none').waitFor()
    expect(await card.locator('h2').innerText()).toContain('Masuk terkunci')

    // One phone behind the carrier's NAT types five wrong codes: everyone behind it is locked.
    for (let i = 0; i < 5; i++)
      expect((await login(`${'QRSTU'[i]}QQQ-2345-6789`, NAT)).status).toBe(401)
    expect((await login(siti.accessCode, NAT)).status).toBe(429)
    // The open screen hears of it without a reload.
    const natRow = card.locator(`tr[data-lock="address:${NAT}"]`)
    await natRow.waitFor()
    const natText = await natRow.innerText()
    expect(natText).toContain(NAT)
    expect(natText).toContain('semua HP di balik alamat ini')
    expect(natText).toMatch(/\d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB/)
    expect(natText).toContain('5')

    // A phone rotating IPv6 addresses in its /64, and five wrong tries at Budi's code.
    for (let i = 0; i < 5; i++)
      expect((await login(`${'QRSTU'[i]}QQQ-2345-6789`, `2001:db8:5:6::${i + 1}`)).status).toBe(401)
    const handle = budi.accessCode.slice(0, 4)
    for (let i = 0; i < 5; i++)
      expect(
        (await login(`${handle}-${String(i + 2).repeat(4)}-2345`, `198.51.100.${i + 1}`)).status,
      ).toBe(401)
    await card.locator('tr[data-lock="address:2001:db8:5:6::/64"]').waitFor()
    const budiRow = card.locator(`tr[data-lock="code:${budi.id}"]`)
    await budiRow.waitFor()
    const budiText = await budiRow.innerText()
    expect(budiText).toContain('Budi Santoso')
    expect(budiText).toContain('pelapor')
    expect(budiText).toContain('Padomasan')
    // The person, never their code.
    expect(await card.innerText()).not.toContain(handle)
    expect(await card.locator('h2 .badge').innerText()).toBe('3')
    await page.screenshot({ path: join(SHOTS, 'lockouts-people.png') })

    // The console home tells the admin too, and leads to the card.
    await page.locator('.console-nav').getByText('Beranda').click()
    const line = page.locator('.lockouts-line')
    await line.waitFor()
    expect(await line.innerText()).toContain('3 alamat/kode terkunci')
    await page.screenshot({ path: join(SHOTS, 'lockouts-home.png') })
    await line.getByRole('link').click()
    await card.locator('tbody tr').first().waitFor()
    expect(new URL(page.url()).pathname).toBe('/orang')

    // "Buka blokir" asks first; "Batal" leaves the lock.
    await natRow.getByRole('button', { name: 'Buka blokir' }).click()
    const ask = card.getByRole('alertdialog')
    expect(await ask.innerText()).toContain(`Buka blokir ${NAT} sekarang?`)
    await page.screenshot({ path: join(SHOTS, 'lockouts-confirm.png') })
    await ask.getByRole('button', { name: 'Batal' }).click()
    expect(await card.getByRole('alertdialog').count()).toBe(0)
    expect((await login(siti.accessCode, NAT)).status).toBe(429)

    await natRow.getByRole('button', { name: 'Buka blokir' }).click()
    await card.getByRole('button', { name: 'Ya, buka blokir' }).click()
    await card.locator('.lockouts-done').waitFor()
    expect(await card.locator('.lockouts-done').innerText()).toContain(`Blokir ${NAT} dibuka`)
    await natRow.waitFor({ state: 'detached' })
    // The phones behind the NAT sign in again; the other locks stay.
    expect((await login(siti.accessCode, NAT)).status).toBe(200)
    expect(await card.locator('tbody tr').count()).toBe(2)
    const audit = (await desk.call('GET', '/audit')).body.entries as {
      action: string
      target: string
    }[]
    expect(audit.find((e) => e.action === 'auth.unlock')?.target).toBe(NAT)

    // Budi's code, lifted by his row.
    await budiRow.getByRole('button', { name: 'Buka blokir' }).click()
    await card.getByRole('button', { name: 'Ya, buka blokir' }).click()
    await budiRow.waitFor({ state: 'detached' })
    expect((await login(budi.accessCode, '198.51.100.50')).status).toBe(200)
    await page.screenshot({ path: join(SHOTS, 'lockouts-after.png') })
    // An operator's home has no such line while the /64 is still locked (the list is the admin's).
    const opPage = await signedInPage(browser, operator)
    await opPage.goto(`${desk.url}/`)
    await opPage.locator('.backup-line').waitFor()
    expect(await opPage.locator('.lockouts-line').count()).toBe(0)
    await opPage.context().close()
    await page.locator('.console-nav').getByText('Beranda').click()
    await expect.poll(() => page.locator('.lockouts-line').innerText()).toContain('1 alamat/kode')
    await page.locator('.console-nav').getByText('Orang').click()
    await card.waitFor()

    // English through the console's language switch.
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => card.locator('h2').innerText()).toContain('Locked sign-ins')
    expect(await card.innerText()).toContain('every IPv6 address in this prefix')
    await page.screenshot({ path: join(SHOTS, 'lockouts-en.png') })
  }, 120_000)
})
