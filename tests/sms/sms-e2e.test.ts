import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, signedInPage } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, DESA_B, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

const SHOTS = join(__dirname, '..', '.artifacts', 'sms')

describe('SMS screen in Chromium at 1366×768', () => {
  let desk: TestDesk
  let browser: Browser
  let root: string
  let clock = Date.parse('2024-11-27T08:05:00Z') // 15:05 WIB
  let serial = 0
  let siti: { id: string; smsCode: string; accessCode: string }

  /** One gammu inbox file, settled and read. */
  async function sms(sender: string, text: string): Promise<void> {
    const name = `IN20241127_${String(150000 + serial).padStart(6, '0')}_${String(serial++ % 100).padStart(2, '0')}_${sender}_00.txt`
    writeFileSync(join(root, 'inbox', name), text)
    await desk.gammu!.scan()
    clock += 3000
    await desk.gammu!.scan()
  }

  async function adminPage(path: string): Promise<Page> {
    const page = await signedInPage(browser, ADMIN_TOKEN, { timeout: 10_000 })
    await page.goto(`${desk.url}${path}`)
    await page.locator('.console-nav').waitFor()
    return page
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    root = mkdtempSync(join(tmpdir(), 'desk-sms-e2e-'))
    desk = await startDesk({
      staticDir: builtUi(),
      now: () => new Date(clock),
      sms: { gammu: { inbox: join(root, 'inbox'), outbox: join(root, 'outbox'), pollMs: 0 } },
    })
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B], 4, 400))
    siti = (
      await desk.call('POST', '/users', {
        name: 'Siti Aminah',
        phone: '0812-1111-0001',
        role: 'reporter',
        region: DESA_A,
      })
    ).body
    await desk.call('POST', '/users', {
      name: 'Budi Santoso',
      phone: '0812-1111-0002',
      role: 'reporter',
      region: DESA_B,
    })
    await sms('+6281211110001', `${siti.smsCode} 1 G 110 95 20 TS 4 B 140 85 TS 4`)
    await sms('+6289912345678', 'INFO PROMO PULSA 50RB')
    await sms('+6281211110002', 'ABCD 2 B 10 20 TS 1')
    await sms('+6281211110001', `${siti.smsCode} 2 B 600 450 TS 6`)
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('lists messages in and out with their status, and unknown numbers', async () => {
    const page = await adminPage('/sms')
    const table = page.locator('table.sms-table')
    await table.waitFor()
    await expect.poll(() => page.locator('tr[data-status="counted"]').count()).toBe(1)
    expect(await page.locator('tr[data-status="counted"]').innerText()).toContain('Siti Aminah')
    expect(await page.locator('tr[data-status="wrong_code"]').innerText()).toContain(
      'kode SMS salah',
    )
    expect(await page.locator('tr[data-status="unknown_number"]').innerText()).toContain(
      '0899-1234-5678',
    )
    const refused = page.locator('tr[data-status="refused"]')
    expect(await refused.innerText()).toMatch(/melebihi kapasitas satu TPS/)
    expect(await page.locator('tr[data-status="sent"]').count()).toBe(3) // no reply to the stranger
    expect(await page.locator('.sms-unknown').innerText()).toContain('0899-1234-5678')
    // The code is never shown: the stored text masks it.
    expect(await table.innerText()).not.toContain(siti.smsCode)
    expect(await page.locator('[data-gateway="gammu"]').innerText()).toContain('aktif')
    await page.screenshot({ path: join(SHOTS, '01-sms-screen.png') })

    // A new SMS shows up live.
    await sms('+6281211110001', `${siti.smsCode} 3 B 90 91 TS 2`)
    await expect.poll(() => page.locator('tr[data-status="counted"]').count()).toBe(2)
    await page.context().close()
  }, 60_000)

  it('opens the phoned-in form from a refused SMS with what it read; one call back fixes it', async () => {
    const page = await adminPage('/sms')
    const refused = page.locator('tr[data-status="refused"]')
    await refused.getByRole('button', { name: 'Isi formulir telepon' }).click()
    await page.locator('#sheet-votes-1').waitFor()
    expect(page.url()).toContain('/entri?')
    expect(await page.locator('.tps-card').innerText()).toMatch(/Padomasan/)
    expect(await page.locator('input[name=contest][value=bupati]').isChecked()).toBe(true)
    expect(await page.locator('#sheet-votes-1').inputValue()).toBe('600')
    expect(await page.locator('#sheet-votes-2').inputValue()).toBe('450')
    expect(await page.locator('#sheet-invalid').inputValue()).toBe('6')
    expect(await page.locator('#caller-name').inputValue()).toBe('Siti Aminah')
    expect(await page.locator('#entry-note').inputValue()).toMatch(/^Dari SMS yang ditolak #\d+: /)
    await page.screenshot({ path: join(SHOTS, '02-entry-prefilled.png') })
    // Called back: pair 1 had 260, not 600.
    await page.locator('#sheet-votes-1').fill('260')
    await page.getByRole('button', { name: /Baca ulang/ }).click()
    await page.locator('table.readback').waitFor()
    await page.keyboard.press('Enter')
    await page.locator('.done-step.status-accepted').waitFor()
    const tps = (await desk.call('GET', `/tps/${DESA_A}.002`)).body
    expect(tps.results.find((r: { contest: string }) => r.contest === 'bupati')).toMatchObject({
      votes: { '1': 260, '2': 450 },
      invalid: 6,
    })
    expect(desk.store.submissionsForTps(`${DESA_A}.002`).at(-1)!.channel).toBe('telepon')
    // Back on the SMS screen the refused SMS is handled: who and when, no button, not in "Perlu tindakan".
    await page.goto(`${desk.url}/sms`)
    const handled = page.locator('tr[data-status="refused"] .sms-handled')
    await handled.waitFor()
    expect(await handled.innerText()).toMatch(
      /^ditangani lewat telepon oleh Admin, 15:\d{2} WIB · \d{6}-[0-9A-F]{4}$/,
    )
    expect(await page.locator('tr[data-status="refused"] button').count()).toBe(0)
    await page.screenshot({ path: join(SHOTS, '05-sms-handled.png') })
    await page.getByLabel('Perlu tindakan').check()
    await expect.poll(() => page.locator('tr[data-status="counted"]').count()).toBe(0)
    expect(await page.locator('tr[data-status="refused"]').count()).toBe(0)
    expect(await page.locator('tr[data-status="wrong_code"]').count()).toBe(1)
    await page.screenshot({ path: join(SHOTS, '06-sms-needing-action.png') })
    await page.context().close()
  }, 60_000)

  it("opens the phoned-in form from a wrong-code SMS too: no TPS read, the search starts at the reporter's desa", async () => {
    const page = await adminPage('/sms')
    await page
      .locator('tr[data-status="wrong_code"]')
      .getByRole('button', { name: 'Isi formulir telepon' })
      .click()
    const search = page.locator('#tps-search')
    await search.waitFor()
    expect(await search.inputValue()).toMatch(/^Keting Jombang$/i)
    // The suggestions are that desa's TPS; the caller is already filled in.
    const first = page.locator('#tps-search-list [role=option]').first()
    expect(await first.innerText()).toMatch(/Keting/i)
    await page.screenshot({ path: join(SHOTS, '07-entry-from-wrong-code.png') })
    await search.press('Enter')
    await page.locator('#caller-name').waitFor()
    expect(await page.locator('#caller-name').inputValue()).toBe('Budi Santoso')
    expect(await page.locator('#caller-phone').inputValue()).toBe('0812-1111-0002')
    expect(await page.locator('#entry-note').inputValue()).toMatch(/^Dari SMS yang ditolak #\d+$/)
    await page.context().close()
  }, 60_000)

  it('lists a blocked number and lifts the block with Buka blokir', async () => {
    for (let i = 0; i < 4; i++) await sms('+6281211110002', `ABCD ${i + 1} B 10 20 TS 1`)
    const page = await adminPage('/sms')
    const row = page.locator('[data-blocked="6281211110002"]')
    await row.waitFor()
    expect(await row.innerText()).toMatch(/^0812-1111-0002 · sampai 15:\d{2} WIB/)
    await page.screenshot({ path: join(SHOTS, '08-sms-blocked.png') })
    await row.getByRole('button', { name: 'Buka blokir' }).click()
    await expect.poll(() => page.locator('[data-blocked]').count()).toBe(0)
    expect(await page.locator('.sms-blocked').innerText()).toContain('Tidak ada.')
    await page.context().close()
  }, 60_000)

  it("shows the reporter's last SMS on the chase list", async () => {
    const page = await adminPage('/belum-lapor')
    const row = page.locator(`tr[data-reporter="${siti.id}"]`)
    await row.waitFor()
    expect(await row.locator('[data-last-sms]').innerText()).toMatch(/^SMS \d{2}[.:]\d{2}/)
    expect(await row.locator('[data-last-sms]').getAttribute('data-last-sms')).toBe('counted')
    await page.screenshot({ path: join(SHOTS, '03-chase-last-sms.png') })
    await page.context().close()
  }, 60_000)

  it('prints the SMS code on the credential card, one extra short line', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
    })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    page.on('dialog', (d) => void d.accept())
    await page.goto(`${desk.url}/kredensial`)
    await page.getByLabel('Kode akses').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Masuk' }).click()
    const add = page.locator('form.add-person')
    await add.getByLabel('Nama').fill('Wati Kencong')
    await add.getByLabel('Nomor HP').fill('0812 3333 0003')
    await add.getByRole('combobox').nth(1).selectOption('35.09.01')
    await add.getByRole('combobox').nth(2).selectOption(DESA_B)
    await add.getByRole('button', { name: 'Tambah dan terbitkan kode' }).click()
    const card = page.locator('.credential-card').first()
    await card.waitFor()
    const code = await card.locator('.credential-sms').getAttribute('data-sms-code')
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/)
    expect(await card.locator('.credential-sms').innerText()).toBe(`Kode SMS: ${code}`)
    // Still one card: the extra line fits inside its box.
    const box = await card.boundingBox()
    const line = await card.locator('.credential-sms').boundingBox()
    expect(line!.y + line!.height).toBeLessThanOrEqual(box!.y + box!.height)
    await card.screenshot({ path: join(SHOTS, '04-credential-card.png') })
    await page.screenshot({ path: join(SHOTS, '05-credentials-screen.png') })
    // The code works: an SMS from that number with it is counted.
    await sms('+6281233330003', `${code} 4 B 11 12 TS 1`)
    const tps = (await desk.call('GET', `/tps/${DESA_B}.004`)).body
    expect(tps.results[0]).toMatchObject({ votes: { '1': 11, '2': 12 } })
    await context.close()
  }, 60_000)

  it("shows SMS arrivals on the wall board's ticker", async () => {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
    })
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    await page.goto(`${desk.url}/papan#token=${encodeURIComponent(ADMIN_TOKEN)}`)
    await page.waitForSelector('[data-tile], [data-shape]')
    await sms('+6281211110001', `${siti.smsCode} 4 G 70 80 90 TS 3`)
    await expect
      .poll(() => page.locator('[data-testid=ticker]').innerText(), { timeout: 15_000 })
      .toMatch(/Padomasan.*lewat SMS/)
    await page.screenshot({ path: join(SHOTS, '06-board-ticker.png') })
    await context.close()
  }, 60_000)
})
