import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, PHONE } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { samplePng } from '../console/seed'
import { CSV_HEADER, jpegBytes } from './fixtures'

// The phone when the desk's photo quota is full (Chromium at 360×740): an incident's text still
// reaches the desk without its photo, a refused C.Hasil photo is shown with the desk's message and
// kept on the phone, not resent in a loop, while the numbers go through; once the desk raises the
// quota the reporter can send the photo again, and an incident's photo then joins its incident on
// the operator's console.

const SHOTS = join(__dirname, '..', '.artifacts', 'lapor-photo-quota')
const TPS_A1 = `${DESA_A}.001`
const TPS_A3 = `${DESA_A}.003`
const JPEG = { 'content-type': 'image/jpeg' }

describe('the reporter form when the photo quota is full', () => {
  let desk: TestDesk
  let browser: Browser
  let page: Page
  let code: string
  /** POST /photos the phone made, in order. */
  const photoPosts: string[] = []
  const snap = (name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi() })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
    const imported = await desk.call(
      'POST',
      '/users/import',
      [CSV_HEADER, `Siti Aminah,0812-1111-2222,pelapor,${DESA_A}`].join('\n'),
    )
    expect(imported.status).toBe(201)
    code = imported.body.users[0].accessCode
    // One photo per place: the reporter has already used it for TPS 003 and for the Bupati sheet of TPS 001.
    expect(
      (await desk.call('PUT', '/intake/photo-quota', { perPlace: 1, mbPerSheet: 0, mbBase: 100 }))
        .status,
    ).toBe(200)
    expect(
      (await desk.call('POST', `/photos?tps=${TPS_A3}`, jpegBytes(300 * 1024, 1), code, JPEG))
        .status,
    ).toBe(201)
    expect(
      (
        await desk.call(
          'POST',
          `/photos?tps=${TPS_A1}&contest=bupati`,
          jpegBytes(300 * 1024, 2),
          code,
          JPEG,
        )
      ).status,
    ).toBe(201)

    browser = await launchBrowser()
    const context = await browser.newContext(PHONE)
    // The phone's timers run on Playwright's clock (in real time until a test moves it on), so a
    // test can make the outbox's 5-second timer fire without waiting for it.
    await context.clock.install()
    page = await context.newPage()
    page.on('pageerror', (e) => console.error('pageerror', e.message))
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/photos')) photoPosts.push(r.url())
    })
    page.setDefaultTimeout(10_000)
    await page.goto(`${desk.url}/lapor`)
    await page.getByLabel('Kode akses').fill(code)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await page.locator('.tps-card').first().waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('delivers the incident without its refused photo, once, and tells the reporter why', async () => {
    // The desk stores the report but its answer is lost: the resend must be the same report (no 409, no second incident).
    let lost = 0
    await page.route('**/api/v1/incidents', async (route) => {
      if (lost > 0) return route.continue()
      lost++
      await route.fetch()
      await route.abort('connectionreset')
    })
    await page.getByRole('button', { name: 'Laporan kejadian' }).click()
    await page.locator('select').last().selectOption(TPS_A3)
    await page.getByText('Keamanan').click()
    await page.getByText('Tinggi', { exact: true }).click()
    await page
      .getByLabel('Uraian singkat')
      .fill('Massa berkumpul di depan TPS 003, petugas minta bantuan polisi')
    // A picture the browsers can decode: the operator's console shows it once it joins the incident (last test).
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'kejadian.png', mimeType: 'image/png', buffer: samplePng(120, 80) })
    await page.getByText(/Foto siap/).waitFor()
    await page.getByRole('button', { name: 'Kirim laporan kejadian' }).click()

    await page.getByText('Laporan kejadian diterima desk').waitFor({ timeout: 20_000 })
    await page.unroute('**/api/v1/incidents')
    const refusal = page.getByTestId('photo-refused')
    await refusal.getByText('Foto tidak diterima desk').waitFor()
    await refusal
      .getByText(/^Kuota foto penuh: sudah 1 foto Anda untuk TPS 003 .*paling banyak 1\./)
      .waitFor()
    await snap('incident-receipt-photo-refused')

    const incidents = (await desk.call('GET', '/incidents')).body.incidents
    expect(incidents).toHaveLength(1)
    expect(incidents[0]).toMatchObject({
      tps: TPS_A3,
      category: 'keamanan',
      urgency: 'tinggi',
      text: 'Massa berkumpul di depan TPS 003, petugas minta bantuan polisi',
      hasPhoto: false,
      reporter: { name: 'Siti Aminah' },
    })
    expect(lost).toBe(1)
    expect(await page.getByTestId('receipt-number').textContent()).toBe(`#${incidents[0].id}`)
    // The photo was tried once; the resent report did not drag it along again.
    expect(photoPosts).toHaveLength(1)
    // Nothing was stored beyond the reporter's one photo for TPS 003.
    expect((await desk.call('GET', `/photos?tps=${TPS_A3}`)).body.photos).toHaveLength(1)

    // The photo stays on the phone, refused, with the desk's message.
    await page.getByTestId('outbox-bar').getByText('1 ditolak desk — lihat').click()
    const item = page
      .getByTestId('outbox-item')
      .filter({ hasText: 'Foto kejadian keamanan · TPS 003' })
    expect(await item.getAttribute('data-state')).toBe('failed')
    await item.getByText(/Kuota foto penuh/).waitFor()
    await page.getByRole('button', { name: '‹ Kembali' }).click()
  })

  it('shows a refused C.Hasil photo on the TPS, does not resend it, and still sends the numbers', async () => {
    await page.getByRole('button', { name: 'Daftar TPS' }).click()
    await page.locator(`.tps-card[data-tps="${TPS_A1}"]`).click()
    const card = page.locator('.contest[data-contest="bupati"]')
    await card.locator('input[type="file"]').setInputFiles({
      name: 'chasil.jpg',
      mimeType: 'image/jpeg',
      buffer: jpegBytes(200 * 1024, 4),
    })
    await card.getByText('Foto: 0 terkirim, 1 ditolak desk').waitFor()
    await card
      .getByTestId('photo-refused')
      .getByText(/^Kuota foto penuh: sudah 1 foto Anda untuk C\.Hasil .*TPS 001 /)
      .waitFor()
    expect(photoPosts).toHaveLength(2)
    await card.scrollIntoViewIfNeeded()
    await snap('tps-sheet-photo-refused')

    // The result is a separate request: accepted while the photo waits refused.
    await card.getByRole('button', { name: 'Isi hasil Bupati' }).click()
    await page.fill('#dpt', '200')
    await page.fill('#dptb', '3')
    await page.fill('#dpk', '2')
    await page.fill('#votersTotal', '205')
    await page.fill('#votes-1', '101')
    await page.fill('#votes-2', '96')
    await page.fill('#valid', '197')
    await page.fill('#invalid', '8')
    await page.fill('#total', '205')
    await page.getByRole('button', { name: 'Periksa sebelum kirim' }).click()
    await page.getByRole('button', { name: 'Kirim ke desk' }).click()
    await page.locator('[data-testid="receipt"][data-outcome="accepted"]').waitFor()
    const result = (await desk.call('GET', `/tps/${TPS_A1}`)).body.results.find(
      (r: any) => r.contest === 'bupati',
    )
    expect(result.votes).toEqual({ '1': 101, '2': 96 })
    // Sending the result flushed the outbox, and the outbox's timer ran (the clock moved 6 s on,
    // past its 5-second interval): the refused photo was not tried again. A request the page makes
    // afterwards is seen after any the timer's run made.
    await page.clock.runFor(6_000)
    await page.evaluate(() => fetch('/api/v1/health').then((r) => r.status))
    expect(photoPosts).toHaveLength(2)

    await page.getByTestId('outbox-bar').getByText('2 ditolak desk — lihat').click()
    await page.getByTestId('photo-usage').getByText('Foto terkirim: 0,6 dari 100 MB').waitFor()
    await snap('outbox-photos-refused')
  })

  it('sends a refused photo again when the reporter asks, once the desk has raised the quota', async () => {
    const item = page
      .getByTestId('outbox-item')
      .filter({ hasText: 'Foto C.Hasil Bupati · TPS 001' })
    expect(
      (await desk.call('PUT', '/intake/photo-quota', { perPlace: 5, mbPerSheet: 0, mbBase: 100 }))
        .status,
    ).toBe(200)
    await item.getByRole('button', { name: 'Coba kirim lagi' }).click()
    await item.waitFor({ state: 'detached' })
    expect(photoPosts).toHaveLength(3)
    const bupati = (await desk.call('GET', `/photos?tps=${TPS_A1}`)).body.photos.filter(
      (p: any) => p.contest === 'bupati',
    )
    expect(bupati).toHaveLength(2)
    await page.getByTestId('photo-usage').getByText('Foto terkirim: 0,8 dari 100 MB').waitFor()
    // The incident's photo is still there, refused until the reporter asks.
    await page.getByTestId('outbox-item').filter({ hasText: 'Foto kejadian keamanan' }).waitFor()
  })

  it("links the incident's photo, sent again later, to its incident: the operator sees it live", async () => {
    // The operator's console is open on another machine, showing the incident without a photo.
    const consoleContext = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
    })
    await consoleContext.addInitScript(
      (token) => sessionStorage.setItem('desk.token', token),
      ADMIN_TOKEN,
    )
    const operator = await consoleContext.newPage()
    operator.setDefaultTimeout(10_000)
    await operator.goto(desk.url)
    const incidentRow = operator.locator('ul.incidents li', {
      hasText: 'Massa berkumpul di depan TPS 003',
    })
    await incidentRow.waitFor()
    expect(await incidentRow.locator('.photo-row img').count()).toBe(0)

    // The desk stores the link but the phone never hears back: it must link again, not upload again.
    let lost = 0
    await page.route('**/api/v1/incidents/*/photo', async (route) => {
      if (lost > 0) return route.continue()
      lost++
      await route.fetch()
      await route.abort('connectionreset')
    })
    const item = page
      .getByTestId('outbox-item')
      .filter({ hasText: 'Foto kejadian keamanan · TPS 003' })
    await item.getByRole('button', { name: 'Coba kirim lagi' }).click()
    await item.getByText(/Belum tersambung ke desk/).waitFor()
    expect(await item.getAttribute('data-state')).toBe('waiting')
    await page.getByTestId('outbox-bar').getByRole('button', { name: 'Kirim sekarang' }).click()
    await item.waitFor({ state: 'detached' })
    await page.unroute('**/api/v1/incidents/*/photo')
    expect(lost).toBe(1)
    expect(photoPosts).toHaveLength(4)

    const incident = (await desk.call('GET', '/incidents')).body.incidents[0]
    expect(incident).toMatchObject({
      text: 'Massa berkumpul di depan TPS 003, petugas minta bantuan polisi',
      hasPhoto: true,
    })
    const stored = (await desk.call('GET', `/photos?tps=${TPS_A3}`)).body.photos
    expect(stored).toHaveLength(2)
    // The incident points at the photo taken for it, not the reporter's earlier one of the same TPS.
    expect(incident.photo).toBe(stored[1].file)
    expect(
      (await desk.call('GET', '/audit')).body.entries.filter(
        (e: any) => e.action === 'incident.photo',
      ),
    ).toHaveLength(1)

    // The phone says where the photo went, on the incident's receipt line too.
    await page.getByText(`dilampirkan ke kejadian #${incident.id}`).waitFor()
    await page.getByTestId('photo-attached').getByText('Foto menyusul, sudah dilampirkan').waitFor()
    await snap('outbox-incident-photo-attached')

    // The console, never reloaded, now shows the photo with the incident.
    await expect
      .poll(() =>
        incidentRow
          .locator('.photo-row img')
          .evaluate((el) => (el as HTMLImageElement).naturalWidth),
      )
      .toBe(120)
    await operator.screenshot({ path: join(SHOTS, 'console-incident-photo.png') })
    await consoleContext.close()
  })
})
