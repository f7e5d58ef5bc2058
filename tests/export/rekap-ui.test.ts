import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN } from '../helpers/desk'
import { readWorkbook, seedNight, type Night } from './fixture'

const SHOTS = join(__dirname, '..', '.artifacts', 'rekap')
const VIEWPORT = { width: 1366, height: 768 }

describe('the /rekap screen in Chromium at 1366×768', () => {
  let night: Night
  let browser: Browser

  async function open(token: string, ready = true): Promise<Page> {
    const context = await browser.newContext({
      viewport: VIEWPORT,
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
      acceptDownloads: true,
    })
    await context.addInitScript({
      content: `sessionStorage.setItem('desk.token', ${JSON.stringify(token)})`,
    })
    const page = await context.newPage()
    await page.goto(`${night.desk.url}/rekap`)
    if (ready) await page.getByRole('heading', { name: /Rekap berjenjang/ }).waitFor()
    return page
  }

  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage })

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    night = await seedNight({ staticDir: builtUi() })
    browser = await launchBrowser()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await night?.desk.stop()
  })

  it('downloads the recap with progress and shows the file and its SHA-256', async () => {
    const page = await open(ADMIN_TOKEN)
    await page
      .locator('.recap-progress')
      .getByText(/TPS melapor/)
      .first()
      .waitFor()
    await shot(page, '1-rekap')
    // While the desk builds the workbook the button says so (held back here to be seen).
    await page.route('**/api/v1/export/recap.xlsx*', async (route) => {
      await new Promise((r) => setTimeout(r, 700))
      await route.continue()
    })
    const downloading = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Unduh Excel' }).click()
    await page.getByText('Menyiapkan rekap…').waitFor()
    await expect(page.getByRole('button', { name: 'Unduh Excel' }).isDisabled()).resolves.toBe(true)
    const download = await downloading
    expect(download.suggestedFilename()).toMatch(/^rekap-35\.09-berjenjang-\d{8}-\d{4}\.xlsx$/)
    await page.unroute('**/api/v1/export/recap.xlsx*')
    const file = await download.path()
    const bytes = readFileSync(file!)
    const done = page.locator('.dl-done')
    await done.waitFor()
    const sha = createHash('sha256').update(bytes).digest('hex')
    await expect(done.textContent()).resolves.toContain(sha)
    expect(readWorkbook(bytes).SheetNames[0]).toBe('Ringkasan')
    await shot(page, '2-downloaded')
  })

  it('freezes the recap after a confirmation and lists the snapshot with its hash', async () => {
    const page = await open(ADMIN_TOKEN)
    await page.getByPlaceholder(/Kirim ke provinsi/).fill('Kirim ke provinsi 20.00')
    await page.getByRole('button', { name: 'Bekukan rekap' }).click()
    await page.getByRole('button', { name: 'Ya, bekukan sekarang' }).click()
    // A differing report still waits for a supervisor: the desk asks again before freezing.
    const warn = page.getByRole('alert')
    await warn.getByText('Ada laporan berbeda yang belum diputuskan').waitFor()
    await expect(warn.textContent()).resolves.toContain(
      '1 laporan berbeda/koreksi masih menunggu keputusan supervisor',
    )
    expect((await night.desk.call('GET', '/export/snapshots')).body.snapshots).toHaveLength(0)
    await shot(page, '3a-open-conflicts')
    // The yes carries the count the screen showed, so the desk can ask again if more are waiting.
    const [confirmed] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/export/snapshots')),
      warn.getByRole('button', { name: /Tetap bekukan/ }).click(),
    ])
    expect(JSON.parse(confirmed.postData()!).confirmOpenConflicts).toBe(1)
    await page.getByText(/Dibekukan sebagai snapshot #1/).waitFor()
    await page
      .locator('table.snapshots tbody tr')
      .first()
      .getByText('1 laporan berbeda terbuka')
      .waitFor()
    const row = page.locator('table.snapshots tbody tr').first()
    await expect(row.textContent()).resolves.toContain('Kirim ke provinsi 20.00')
    const listed = (await night.desk.call('GET', '/export/snapshots')).body.snapshots[0]
    const hash = listed.files.find((f: any) => f.profile === 'berjenjang').sha256
    await expect(row.locator('code').getAttribute('title')).resolves.toBe(hash)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: /^Berjenjang/ }).click(),
    ])
    expect(
      createHash('sha256')
        .update(readFileSync((await download.path())!))
        .digest('hex'),
    ).toBe(hash)
    await row.getByRole('button', { name: 'Periksa' }).click()
    await row.getByText('sama persis').waitFor()
    await shot(page, '3-frozen')
  })

  it('shows KPU import errors by row and column, then the difference report', async () => {
    const page = await open(ADMIN_TOKEN)
    const kpu = page.locator('article.kpu')
    await kpu.locator('input[type=file]').setInputFiles({
      name: 'kpu-rusak.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'kode_kecamatan,suara_1,suara_2,suara_tidak_sah\n35.09.01,10,sepuluh,0\n35.09.99,1,2,0\n',
      ),
    })
    await kpu.locator('select').selectOption('bupati')
    await kpu.getByRole('button', { name: 'Impor' }).click()
    const errors = kpu.locator('.kpu-errors')
    await errors.waitFor()
    await expect(errors.textContent()).resolves.toContain('Tidak ada yang diimpor')
    const cells = await errors.locator('tbody tr').allTextContents()
    expect(cells[0]).toContain('2suara_2kolom suara_2 (C): "sepuluh" harus bilangan bulat')
    expect(cells[1]).toContain('3kode_kecamatan')
    await shot(page, '4-kpu-errors', true)

    const bup = night.accepted.get('bupati')!
    const cakru = ['35.09.02.2001.001', '35.09.02.2001.002'].map((t) => bup.get(t)!)
    const kencong = [0, 1].map((i) => cakru.reduce((a, r) => a + r.votes[i]!, 0))
    const invalid = cakru.reduce((a, r) => a + r.invalid, 0)
    const csv = [
      'kode_kecamatan,suara_1,suara_2,suara_tidak_sah',
      `35.09.02,${kencong[0]! + 40},${kencong[1]},${invalid}`,
      '35.09.19,500,400,10',
    ].join('\n')
    await kpu
      .locator('input[type=file]')
      .setInputFiles({ name: 'sirekap.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await kpu.getByPlaceholder(/Sirekap/).fill('Sirekap 21.00')
    await kpu.getByRole('button', { name: 'Impor' }).click()
    await kpu.getByText(/Diimpor #1/).waitFor()
    const flagged = kpu.locator('.kpu-rows tr.st-selisih')
    await flagged.first().waitFor()
    await expect(flagged.first().textContent()).resolves.toContain('35.09.02')
    await expect(kpu.locator('.kpu-rows').textContent()).resolves.not.toContain('35.09.19') // incomplete at the desk, not flagged
    await kpu.getByLabel('Hanya yang ditandai SELISIH').uncheck()
    await kpu.locator('.kpu-rows tr.st-belum_lengkap').first().waitFor()
    await shot(page, '5-kpu-report', true)
    const [sheet] = await Promise.all([
      page.waitForEvent('download'),
      kpu.getByRole('button', { name: /Unduh lembar selisih/ }).click(),
    ])
    expect(readWorkbook(readFileSync((await sheet.path())!)).SheetNames).toEqual([
      'Selisih KPU',
      'Catatan',
    ])
  })

  it('a display account is sent to the wall board: no download, freeze or import', async () => {
    const display = (
      await night.desk.call('POST', '/users', { name: 'Layar rapat', role: 'display' })
    ).body.accessCode
    const page = await open(display, false)
    await page.getByText('Akun tampilan hanya untuk papan dinding.').waitFor()
    await expect(
      page.getByRole('link', { name: 'Buka papan dinding' }).getAttribute('href'),
    ).resolves.toBe('/papan')
    await expect(page.getByRole('button', { name: 'Unduh Excel' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: 'Bekukan rekap' }).count()).resolves.toBe(0)
    await expect(page.locator('article.kpu input[type=file]').count()).resolves.toBe(0)
    await shot(page, '6-display')
  })

  it('is readable in English too', async () => {
    const page = await open(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: /Staged recap/ }).waitFor()
    await expect(page.getByRole('button', { name: 'Download Excel' }).isVisible()).resolves.toBe(
      true,
    )
  })
})
