import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, PHONE } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { CSV_HEADER, fillSheet } from './fixtures'

// Receipts on the phone (issue 16 item 4) and corrections from the desk's numbers (item 5), in
// Debian's Chromium at 360×740: each TPS and contest shows its receipt and time, also for a report
// that waited in the outbox; "Riwayat kirim" lists every report with receipt and state; a correction
// opens on what the desk holds and shows what changed before it goes.

const SHOTS = join(__dirname, '..', '.artifacts', 'lapor-receipts')
const TPS_1 = `${DESA_A}.001`
const TPS_2 = `${DESA_A}.002`

describe('receipts and corrections on the phone', () => {
  let desk: TestDesk
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let code: string
  let shot = 0
  const snap = async (name: string) => {
    shot++
    await page.screenshot({
      path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: false,
    })
  }
  const answerOf = (tps: string, contest: string) => {
    const rows = desk.store.submissionsForTps(tps).filter((s) => s.contest === contest)
    return rows.map((r) => JSON.parse(r.answer) as { receipt: string; status: string })
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi() })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
    const r = await desk.call(
      'POST',
      '/users/import',
      [CSV_HEADER, `Siti Aminah,0812,pelapor,${DESA_A}`].join('\n'),
    )
    code = r.body.users[0].accessCode
    browser = await launchBrowser()
    context = await browser.newContext(PHONE)
    page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(`${desk.url}/lapor#code=${code}`)
    await page.locator('.tps-card').first().waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('shows each contest’s receipt and time on the TPS, also for a report sent later from the outbox', async () => {
    await page.locator(`.tps-card[data-tps="${TPS_1}"]`).click()
    await page.getByRole('button', { name: 'Isi hasil Bupati' }).click()
    await fillSheet(page, { dpt: 200, votes: [110, 80], invalid: 10 })
    await page.getByRole('button', { name: 'Periksa sebelum kirim' }).click()
    await page.getByRole('button', { name: 'Kirim ke desk' }).click()
    await page.locator('[data-testid="receipt"][data-outcome="accepted"]').waitFor()
    await page.getByRole('button', { name: 'Kembali ke TPS 001' }).click()

    // The second contest waits on the phone: the desk does not answer.
    const noNetwork = (route: Route) => route.abort('internetdisconnected')
    await context.route('**/api/v1/**', noNetwork)
    await page.getByRole('button', { name: 'Isi hasil Gubernur' }).click()
    await fillSheet(page, { dpt: 200, votes: [60, 70, 60], invalid: 10 })
    await page.getByRole('button', { name: 'Periksa sebelum kirim' }).click()
    await page.getByRole('button', { name: 'Kirim ke desk' }).click()
    await page.locator('[data-testid="receipt"][data-outcome="waiting"]').waitFor()
    await page.getByRole('button', { name: 'Kembali ke TPS 001' }).click()
    const gubernur = page.locator('.contest[data-contest="gubernur"]')
    expect(await gubernur.getByTestId('contest-receipt').count()).toBe(0)

    await context.unroute('**/api/v1/**', noNetwork)
    await page.getByTestId('outbox-bar').getByRole('button', { name: 'Kirim sekarang' }).click()
    await gubernur.getByTestId('contest-receipt').waitFor({ timeout: 30_000 })
    const bupati = page.locator('.contest[data-contest="bupati"]')
    const [b] = answerOf(TPS_1, 'bupati')
    const [g] = answerOf(TPS_1, 'gubernur')
    expect(await bupati.getByTestId('contest-receipt').innerText()).toMatch(
      new RegExp(`^Tanda terima ${b!.receipt} · \\d{2}-\\d{2}-\\d{4} \\d{2}:\\d{2} WIB$`),
    )
    expect(await gubernur.getByTestId('contest-receipt').innerText()).toContain(g!.receipt)
    await snap('tps-receipts')
  })

  it('lists every report sent from this phone in "Riwayat kirim" with receipt, time and state', async () => {
    // A correction held for the supervisor, so the list shows two states.
    await page
      .locator('.contest[data-contest="bupati"]')
      .getByRole('button', { name: 'Kirim koreksi' })
      .click()
    await page.getByTestId('correction-base').and(page.locator('[data-from="desk"]')).waitFor()
    await page.fill('#votes-1', '111')
    await page.fill('#valid', '191')
    await page.fill('#total', '201')
    await page.fill('#dpt', '201')
    await page.fill('#votersTotal', '201')
    await page.getByLabel('Alasan koreksi (wajib)').fill('Suara paslon 1 salah salin')
    await page.getByRole('button', { name: 'Periksa sebelum kirim' }).click()
    await page.getByRole('button', { name: 'Kirim koreksi' }).click()
    await page.locator('[data-testid="receipt"][data-outcome="conflict"]').waitFor()
    await page.getByRole('button', { name: 'Daftar TPS' }).click()
    await page.getByRole('button', { name: 'Riwayat kirim (3)' }).click()
    const items = page.getByTestId('history-item')
    await items.first().waitFor()
    expect(await items.count()).toBe(3)
    const receipts = await page.getByTestId('history-receipt').allInnerTexts()
    const desk3 = [...answerOf(TPS_1, 'bupati'), ...answerOf(TPS_1, 'gubernur')].map(
      (a) => a.receipt,
    )
    expect([...receipts].sort()).toEqual([...desk3].sort())
    // Newest first: the correction, waiting for the supervisor.
    expect(await items.first().innerText()).toMatch(
      /Koreksi Bupati · TPS 001[\s\S]*koreksi menunggu keputusan supervisor/,
    )
    expect(await items.nth(1).innerText()).toMatch(/Gubernur · TPS 001[\s\S]*diterima desk/)
    expect(await page.locator('body').innerText()).toMatch(/\d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB/)
    await snap('history')
    await page.getByRole('button', { name: '‹ Kembali' }).click()
  })

  it('starts a correction from the numbers the desk holds and shows what changed before sending', async () => {
    // TPS 002 was phoned in by the desk: this phone never sent it, yet the correction starts from it.
    const phoned = await desk.call('POST', '/results', {
      submissionId: sid('telepon'),
      tps: TPS_2,
      contest: 'gubernur',
      votes: { '1': 50, '2': 60, '3': 70 },
      invalid: 4,
      voters: { dpt: 180, dptb: 2, dpk: 2 },
    })
    expect(phoned.status).toBe(201)
    await page.evaluate(() => window.dispatchEvent(new Event('online'))) // the list refreshes
    await page
      .locator(
        `.tps-card[data-tps="${TPS_2}"] .badge[data-contest="gubernur"][data-status="diterima"]`,
      )
      .waitFor()
    await page.locator(`.tps-card[data-tps="${TPS_2}"]`).click()
    await page
      .locator('.contest[data-contest="gubernur"]')
      .getByRole('button', { name: 'Kirim koreksi' })
      .click()
    await page.locator('[data-testid="correction-base"][data-from="desk"]').waitFor()
    expect(await page.getByTestId('correction-base').innerText()).toContain(phoned.body.receipt)
    expect(await page.inputValue('#dpt')).toBe('180')
    expect(await page.inputValue('#votes-3')).toBe('70')
    expect(await page.inputValue('#total')).toBe('184')
    // Nothing changed yet: nothing to send.
    await page.getByLabel('Alasan koreksi (wajib)').fill('Suara paslon 3 salah salin dari kertas')
    expect(await page.getByRole('button', { name: 'Periksa sebelum kirim' }).isDisabled()).toBe(
      true,
    )
    await page.getByText('Belum ada angka yang diubah').waitFor()
    await page.fill('#votes-3', '75')
    await page.fill('#valid', '185')
    await page.fill('#total', '189')
    await page.fill('#dpt', '185')
    await page.fill('#votersTotal', '189')
    expect(await page.getByTestId('was').allInnerTexts()).toEqual([
      'Semula 180',
      'Semula 184',
      'Semula 70',
      'Semula 180',
      'Semula 184',
    ])
    await page.locator('#votes-3').scrollIntoViewIfNeeded()
    await snap('correction-from-desk')
    await page.getByRole('button', { name: 'Periksa sebelum kirim' }).click()
    const changes = page.getByTestId('changes')
    await changes.waitFor()
    const rows = await changes
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      )
    expect(rows).toEqual([
      ['Pengguna hak pilih DPT', '180', '185'],
      ['Jumlah pengguna hak pilih', '184', '189'],
      [expect.stringMatching(/^Suara paslon 3/), '70', '75'],
      ['Jumlah suara sah', '180', '185'],
      ['Jumlah suara sah + tidak sah', '184', '189'],
    ])
    await changes.scrollIntoViewIfNeeded()
    await snap('correction-changes')
    await page.getByRole('button', { name: 'Kirim koreksi' }).click()
    await page.locator('[data-testid="receipt"][data-outcome="conflict"]').waitFor()
    const held = (await desk.call('GET', `/tps/${TPS_2}`)).body
    expect(held.conflicts[0]).toMatchObject({
      contest: 'gubernur',
      kind: 'correction',
      status: 'open',
    })
    expect(held.results.find((r: any) => r.contest === 'gubernur').votes['3']).toBe(70)
  })
})
