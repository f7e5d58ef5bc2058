import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, PHONE } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, startDesk, type TestDesk } from '../helpers/desk'
import { report, seedDesk, type Seeded } from './seed'

// The operations room at volume (issue 16), in Chromium: what a tired operator at 22:00 trips
// over, at the screens' real sizes — console 1366×768, phone 360×740.

const SHOTS = join(__dirname, '..', '.artifacts', 'ops')
const CONSOLE: BrowserContextOptions = {
  viewport: { width: 1366, height: 768 },
  locale: 'id-ID',
  timezoneId: 'Asia/Jakarta',
}
const JOMBANG = '35.09.01'
const KENCONG = '35.09.02'
const PADOMASAN = '35.09.01.2001'

const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement)
/** The element's box lies wholly inside the viewport (seen without scrolling). */
const onScreen = (l: Locator) =>
  l.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return (
      r.top >= 0 &&
      r.left >= 0 &&
      r.bottom <= window.innerHeight &&
      r.right <= window.innerWidth &&
      r.height > 0
    )
  })

describe('the operations room at volume (issue 16)', () => {
  let desk: TestDesk
  let browser: Browser
  let seeded: Seeded
  let officer: { id: string; code: string }
  let supervisor2: { id: string; code: string }
  let correctionTps = ''

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

  async function signIn(
    code: string,
    path = '/',
    options: BrowserContextOptions = CONSOLE,
  ): Promise<Page> {
    const context = await browser.newContext(options)
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    await page.goto(`${desk.url}${path}`)
    await page.locator('#code').waitFor()
    // Keyboard only: the code field has the focus as the page opens.
    await expect.poll(() => isFocused(page.locator('#code'))).toBe(true)
    await page.keyboard.type(code)
    await page.keyboard.press('Enter')
    await page.locator('.console-nav').waitFor()
    return page
  }

  async function adminPage(path: string, options: BrowserContextOptions = CONSOLE): Promise<Page> {
    const context = await browser.newContext(options)
    await context.addInitScript((token) => sessionStorage.setItem('desk.token', token), ADMIN_TOKEN)
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    await page.goto(`${desk.url}${path}`)
    return page
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi() })
    seeded = await seedDesk(desk)
    const mk = async (name: string, role: string, phone: string, region?: string) => {
      const r = await desk.call('POST', '/users', {
        name,
        phone,
        role,
        ...(region ? { region } : {}),
      })
      return { id: r.body.id as string, code: r.body.accessCode as string }
    }
    officer = await mk('Petugas Kec. Jombang', 'reporter', '0811-3000-4000', JOMBANG)
    supervisor2 = await mk('Sari Supervisor', 'supervisor', '0812-9999-0000')
    const byRegion = new Map(seeded.reporters.map((r) => [r.region, r]))
    // Conflicts in three Jombang and three Kencong desa, and one reporter's correction.
    let seed = 1
    const desa = [...seeded.tps.keys()]
    for (const d of [
      ...desa.filter((x) => x.startsWith(JOMBANG)).slice(3, 6),
      ...desa.filter((x) => x.startsWith(KENCONG)).slice(0, 3),
    ]) {
      const r = byRegion.get(d)!
      const tps = seeded.tps.get(d)![0]!
      await report(desk, r.code, tps, 'gubernur', seed)
      await report(desk, r.code, tps, 'gubernur', seed + 40)
      seed++
    }
    const kd = desa.filter((x) => x.startsWith(KENCONG))[3]!
    correctionTps = seeded.tps.get(kd)![1]!
    await report(desk, byRegion.get(kd)!.code, correctionTps, 'bupati', 5)
    await report(desk, byRegion.get(kd)!.code, correctionTps, 'bupati', 6, {
      correction: { reason: 'Suara paslon 2 salah tulis' },
    })
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  }, 120_000)

  it('chase list: the kecamatan officer is the second person to call for each desa, and Enter without an outcome asks for one', async () => {
    const page = await signIn(seeded.operator.code, '/belum-lapor')
    const padomasan = page.locator(`tr[data-desa="${PADOMASAN}"]`)
    await padomasan.waitFor()
    // No row of 0% for the whole kecamatan: the officer is named under each Jombang desa instead.
    expect(await page.locator(`tr[data-reporter="${officer.id}"]`).count()).toBe(0)
    await expect
      .poll(() => padomasan.locator('.also-call').first().innerText())
      .toContain('Petugas Kec. Jombang')
    expect(await padomasan.innerText()).toContain('0811-3000-4000')
    const jombangRows = await page.locator('tr[data-desa^="35.09.01."]').count()
    expect(
      await page.locator(`tr[data-desa^="35.09.01."] [data-also="${officer.id}"]`).count(),
    ).toBe(jombangRows)
    expect(
      await page.locator(`tr[data-desa^="35.09.02."] [data-also="${officer.id}"]`).count(),
    ).toBe(0)

    const reporter = seeded.reporters.find((r) => r.region === PADOMASAN)!
    await padomasan.getByRole('button', { name: 'Sudah ditelepon' }).click()
    await expect.poll(() => isFocused(page.getByLabel('Catatan panggilan'))).toBe(true)
    // Nothing pre-selected: the note and Enter do not save the call as "tersambung".
    expect(await page.locator('.call-form-row input[type=radio]:checked').count()).toBe(0)
    await page.keyboard.type('HP mati, hubungi kades')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.locator('.call-form-row').innerText())
      .toContain('Pilih hasil panggilan dulu')
    expect((await desk.call('GET', `/console/chase/${reporter.id}/calls`)).body.calls).toEqual([])
    await expect.poll(() => isFocused(page.getByRole('radio', { name: 'tersambung' }))).toBe(true)
    await shot(page, '01-chase-outcome-asked')
    // By keyboard: the arrow picks "tidak diangkat", Enter saves.
    await page.keyboard.press('ArrowRight')
    await expect
      .poll(() => page.getByRole('radio', { name: 'tidak diangkat' }).isChecked())
      .toBe(true)
    await page.keyboard.press('Enter')
    await expect
      .poll(
        async () =>
          (await desk.call('GET', `/console/chase/${reporter.id}/calls`)).body.calls.length,
      )
      .toBe(1)
    expect(
      (await desk.call('GET', `/console/chase/${reporter.id}/calls`)).body.calls[0],
    ).toMatchObject({ outcome: 'no_answer', note: 'HP mati, hubungi kades' })
    await expect.poll(() => padomasan.innerText()).toContain('tidak diangkat')

    // Then the officer, from the same row: the call is logged against the officer.
    await padomasan.getByRole('button', { name: 'Catat panggilan ke petugas kec.' }).click()
    await page.getByRole('radio', { name: 'tersambung' }).check()
    await page.getByLabel('Catatan panggilan').fill('Petugas menuju TPS 001')
    await page.getByLabel('Catatan panggilan').press('Enter')
    await expect
      .poll(
        async () =>
          (await desk.call('GET', `/console/chase/${officer.id}/calls`)).body.calls.length,
      )
      .toBe(1)
    await expect.poll(() => padomasan.innerText()).toContain('Petugas Kec. Jombang: tersambung')
    expect(
      (await desk.call('GET', `/console/chase/${officer.id}/calls`)).body.calls[0].desa,
    ).toEqual({ code: PADOMASAN, name: 'Padomasan' })
    // On Padomasan's row the call is that desa's; on the other Jombang rows it says which desa it was about.
    expect(await padomasan.locator('[data-call-about]').count()).toBe(0)
    const other = page
      .locator(`tr[data-desa^="${JOMBANG}."]:not([data-desa="${PADOMASAN}"])`)
      .first()
    await expect.poll(() => other.innerText()).toContain('Petugas Kec. Jombang: tersambung')
    expect(await other.innerText()).toContain('soal Padomasan')
    // A desa outside the officer's kecamatan is refused, naming the field.
    const outside = await desk.call(
      'POST',
      `/console/chase/${officer.id}/calls`,
      { outcome: 'reached', desa: '35.09.02.2001' },
      seeded.operator.code,
    )
    expect(outside.status).toBe(400)
    expect(outside.body.error.fields.desa).toContain('bukan wilayah Petugas Kec. Jombang')
    await shot(page, '02-chase')
    await page.context().close()
  }, 120_000)

  it('phone entry: one typo is one error, the cursor goes to it, and the read-back stays on screen at 1366×768', async () => {
    const page = await signIn(seeded.operator2.code, '/entri')
    await expect.poll(() => isFocused(page.locator('#tps-search'))).toBe(true)
    await page.keyboard.type('padomasan 3')
    await page.locator('.suggestions li.active').waitFor()
    await page.keyboard.press('Enter')
    await expect.poll(() => isFocused(page.locator('input[name=contest]:checked'))).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => isFocused(page.locator('#caller-name'))).toBe(true)
    await page.keyboard.type('Pak Joko')
    // phone, DPT, DPTb, DPK, voters' total empty; pairs 100 + 50 + 20 = 170; valid read as 160 (the
    // typo); invalid 5; total read as 175 (right: 170 + 5); note empty.
    for (const v of ['', '', '', '', '', '100', '50', '20', '160', '5', '175', '']) {
      await page.keyboard.press('Enter')
      if (v) await page.keyboard.type(v)
    }
    const validField = page.locator('.field:has(#sheet-valid)')
    const totalField = page.locator('.field:has(#sheet-total)')
    await expect.poll(() => validField.locator('.field-error').innerText()).toContain('160')
    expect(await totalField.getAttribute('class')).not.toContain('has-error')
    expect(await page.locator('.field.has-error').count()).toBe(1)
    // "Baca ulang" is on screen while typing, without scrolling.
    expect(await onScreen(page.getByRole('button', { name: 'Baca ulang (Enter)' }))).toBe(true)
    await page.keyboard.press('Enter') // past the note: to the read-back
    await page.keyboard.press('Enter') // the double-entry box: to the read-back
    await expect.poll(() => isFocused(page.locator('#sheet-valid'))).toBe(true)
    await expect
      .poll(() => page.locator('.entry-form > .error, .entry-form .error').first().innerText())
      .toContain('Perbaiki')
    await shot(page, '03-entry-one-typo')

    // A total that agrees with neither follows from the valid line: pointed at, not a second error.
    await page.locator('#sheet-total').fill('300')
    await expect
      .poll(() => totalField.locator('.field-follows').innerText())
      .toContain('Jumlah suara sah (dibacakan)')
    expect(await page.locator('.field.has-error').count()).toBe(1)
    await shot(page, '04-entry-follows')
    await page.locator('#sheet-total').fill('175')
    await page.locator('#sheet-valid').fill('170')
    await page.locator('#sheet-valid').press('Enter')
    await page.locator('#sheet-invalid').press('Enter')
    await page.locator('#sheet-total').press('Enter')
    await page.locator('#entry-note').press('Enter')
    await page.keyboard.press('Enter')
    await page.locator('table.readback').waitFor()
    const save = page.getByRole('button', { name: 'Simpan (Enter)' })
    expect(await onScreen(save)).toBe(true)
    expect(await onScreen(page.locator('table.readback tr[data-field="total"]'))).toBe(true)
    await shot(page, '05-entry-readback')
    await page.context().close()
  }, 120_000)

  it('review queue: filters, search, J/K through the list, phones to call back, a kecamatan assigned to one supervisor', async () => {
    const page = await signIn(seeded.supervisor.code, '/tinjau')
    const count = page.getByTestId('queue-count')
    await expect.poll(() => count.innerText()).toBe('7 dari 7 konflik')
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Kecamatan', { exact: true })
      .selectOption(KENCONG)
    await expect.poll(() => count.innerText()).toBe('4 dari 7 konflik')
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Jenis', { exact: true })
      .selectOption('correction')
    await expect.poll(() => count.innerText()).toBe('1 dari 7 konflik')
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Jenis', { exact: true })
      .selectOption('')
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Pemilihan', { exact: true })
      .selectOption('gubernur')
    await expect.poll(() => count.innerText()).toBe('3 dari 7 konflik')
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Kecamatan', { exact: true })
      .selectOption('')
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Pemilihan', { exact: true })
      .selectOption('')
    const firstItem = page.locator('.queue-list .item').nth(2)
    const desaName = (await firstItem.locator('strong').innerText())
      .split(' · ')[0]!
      .replace(/^#\d+ /, '')
    // The search hint is shown whole at 1366×768 (its text fits the field's content box).
    const hintFits = await page.getByLabel('Cari konflik').evaluate((el: HTMLInputElement) => {
      const style = getComputedStyle(el)
      const ctx = document.createElement('canvas').getContext('2d')!
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      return { text: el.placeholder, width: ctx.measureText(el.placeholder).width, room }
    })
    expect(hintFits.text).toBe('TPS, desa, kecamatan, pelapor, #nomor')
    expect(hintFits.width).toBeLessThanOrEqual(hintFits.room)
    await page.getByLabel('Cari konflik').fill(desaName.toLowerCase())
    await expect.poll(() => count.innerText()).toBe('1 dari 7 konflik')
    await page.getByLabel('Cari konflik').fill('')

    // J and K walk the list (not while typing in a field).
    await page.locator('h2').first().click()
    const active = () => page.locator('.queue-list .item.active').getAttribute('data-conflict')
    const ids = await page
      .locator('.queue-list .item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-conflict')))
    expect(await active()).toBe(ids[0])
    await page.keyboard.press('j')
    await expect.poll(active).toBe(ids[1])
    await page.keyboard.press('j')
    await expect.poll(active).toBe(ids[2])
    await page.keyboard.press('k')
    await expect.poll(active).toBe(ids[1])
    await expect.poll(() => page.locator('.detail-head').innerText()).toContain('2 dari 7')

    // The reporter's phone, to call back, in the conflict view (staff only).
    const detail = page.locator('[data-conflict-detail]')
    const conflict = (await desk.call('GET', `/conflicts/${ids[1]}`)).body
    const phone = conflict.incoming.actorPhone as string
    expect(phone).toMatch(/^0813-/)
    await expect
      .poll(() => detail.locator('.sub-meta a.phone').first().getAttribute('href'))
      .toBe(`tel:${phone.replace(/[^\d+]/g, '')}`)

    // Kencong's conflicts to Sari: she alone (or the admin) decides them.
    await page.getByTestId('assignments').locator('summary').click()
    await page.getByLabel('Pilih kecamatan').selectOption(KENCONG)
    await page.getByLabel('Pilih supervisor').selectOption(supervisor2.id)
    await page.getByRole('button', { name: 'Tugaskan' }).click()
    await expect
      .poll(() => page.getByTestId('assignments').innerText())
      .toContain('Kencong → Sari Supervisor')
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Kecamatan', { exact: true })
      .selectOption(KENCONG)
    await expect
      .poll(() => page.locator('.detail-head').innerText())
      .toContain('ditugaskan ke Sari Supervisor')
    await shot(page, '06-review-queue')
    const kencong = (await desk.call('GET', `/conflicts?kecamatan=${KENCONG}&kind=conflict`)).body
      .conflicts[0]
    const refused = await desk.call(
      'POST',
      `/conflicts/${kencong.id}/resolve`,
      { keep: 'standing', reason: 'Sesuai foto C.Hasil' },
      seeded.supervisor.code,
    )
    expect(refused.status).toBe(403)
    // Hadi is told before he types anything, and the form is there but cannot be used.
    await expect
      .poll(() => detail.getByTestId('decision-locked').innerText())
      .toBe(
        'Konflik Kec. Kencong ditugaskan ke Sari Supervisor: hanya dia atau admin yang memutuskan.',
      )
    expect(
      await detail
        .locator('form.decision fieldset')
        .evaluate((el) => (el as HTMLFieldSetElement).disabled),
    ).toBe(true)
    expect(await detail.getByRole('button', { name: 'Putuskan' }).isDisabled()).toBe(true)
    expect(await detail.getByRole('radio', { name: 'Pertahankan yang berlaku' }).isDisabled()).toBe(
      true,
    )
    expect(await detail.locator('#decision-reason').isDisabled()).toBe(true)
    await shot(page, '06b-review-assigned-elsewhere')
    // A Jombang conflict (not assigned) is still his to decide.
    await page
      .locator('.queue-tools .filters')
      .getByLabel('Kecamatan', { exact: true })
      .selectOption(JOMBANG)
    await expect.poll(() => detail.locator('#decision-reason').isDisabled()).toBe(false)
    expect(await detail.getByTestId('decision-locked').count()).toBe(0)
    await page.context().close()

    // Sari sees only hers with "Hanya tugas saya", and decides by keyboard through the list.
    const sari = await signIn(supervisor2.code, '/tinjau')
    await sari.getByLabel('Hanya tugas saya').check()
    await expect.poll(() => sari.getByTestId('queue-count').innerText()).toBe('4 dari 7 konflik')
    const before = await sari.locator('.queue-list .item.active').getAttribute('data-conflict')
    await sari.getByRole('radio', { name: 'Pertahankan yang berlaku' }).check()
    await sari.locator('#decision-reason').fill('Sesuai foto C.Hasil')
    await sari.getByRole('button', { name: 'Putuskan' }).click()
    await expect.poll(() => sari.getByTestId('queue-count').innerText()).toBe('3 dari 6 konflik')
    // On to the next one without a click.
    await expect
      .poll(() => sari.locator('.queue-list .item.active').getAttribute('data-conflict'))
      .not.toBe(before)
    await sari.goto(`${desk.url}/tinjau?tab=resolved`)
    await sari.locator('table.compact tbody tr').first().waitFor()
    const headers = await sari.locator('table.compact thead th').allInnerTexts()
    expect(headers).toEqual([
      '#',
      'TPS',
      'Pemilihan',
      'Keputusan',
      'Alasan',
      'Diputuskan oleh',
      'Waktu',
    ])
    await shot(sari, '07-review-resolved')
    await sari.context().close()
  }, 120_000)

  it('words: "koreksi" in the TPS history, an import error said once, counts with thousands separators, "data cepat" on /publik', async () => {
    const page = await signIn(
      seeded.operator.code,
      `/tps?kode=${encodeURIComponent(correctionTps)}`,
    )
    const timeline = page.locator('.timeline')
    await expect.poll(() => timeline.innerText()).toContain('koreksi dari pelapor')
    expect(await timeline.innerText()).not.toContain('konflik)')
    await shot(page, '08-history-koreksi')
    await page.context().close()

    const admin = await adminPage('/tps-daftar')
    const input = admin.locator('.import-box input[type=file]').first()
    await input.waitFor({ state: 'attached' })
    await input.setInputFiles({
      name: 'tps.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('kode_desa,nomor_tps,dpt\n35.09.01.9999,1,300\n35.09.01.2001,abc,300\n'),
    })
    const box = admin.locator('.import-box').first()
    await expect.poll(() => box.locator('.row-errors li').count()).toBe(2)
    const text = await box.innerText()
    expect(text.match(/Tidak ada yang diimpor/g)).toHaveLength(1)
    await shot(admin, '09-import-error-once')
    // More than a thousand new TPS: the count is written with a thousands separator (1.380).
    const regions = (await desk.call('GET', '/regions')).body as {
      kecamatan: { desa: { code: string }[] }[]
    }
    const allDesa = regions.kecamatan
      .flatMap((k) => k.desa.map((d) => d.code))
      .filter((d) => ![JOMBANG, KENCONG, '35.09.19'].some((k) => d.startsWith(k + '.')))
    const lines = ['kode_desa,nomor_tps,dpt']
    for (const d of allDesa) for (let n = 1; n <= 6; n++) lines.push(`${d},${n},250`)
    const n = allDesa.length * 6
    expect(n).toBeGreaterThan(1000)
    await input.setInputFiles({
      name: 'tps.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n') + '\n'),
    })
    const written = `${Math.floor(n / 1000)}.${String(n % 1000).padStart(3, '0')}`
    await expect
      .poll(() => admin.locator('.ok-note').innerText(), { timeout: 60_000 })
      .toBe(`${written} baru, 0 diperbarui.`)
    await admin.context().close()

    // Contests by their names, not "gubernur:" / "bupati:" (the snapshot list of /rekap).
    // The seeded conflicts are still open: freezing asks first (issue 12), so the test confirms.
    const asked = await desk.call('POST', '/export/snapshots', { label: 'Kirim ke provinsi 21.00' })
    expect(asked.status).toBe(409)
    const frozen = await desk.call('POST', '/export/snapshots', {
      label: 'Kirim ke provinsi 21.00',
      confirmOpenConflicts: asked.body.error.openConflicts,
    })
    expect(frozen.status, JSON.stringify(frozen.body)).toBe(201)
    const rekap = await adminPage('/rekap')
    const row = rekap.locator('table.snapshots tbody tr').first()
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('Gubernur: ')
    expect(await row.innerText()).toContain('Bupati: ')
    expect(await rekap.locator('body').innerText()).not.toMatch(/\b(gubernur|bupati):/)
    await shot(rekap, '09b-rekap-contest-names')
    await rekap.context().close()

    const context = await browser.newContext(PHONE)
    const publik = await context.newPage()
    await publik.goto(`${desk.url}/publik`)
    await publik
      .getByText(/Data cepat/)
      .first()
      .waitFor()
    expect((await publik.locator('body').innerText()).toLowerCase()).not.toContain('hitung cepat')
    await shot(publik, '10-publik')
    await context.close()
  }, 120_000)

  it("the admin's nav bar fits 1366 px: every screen, Rekap and Papan dinding on one line", async () => {
    const page = await adminPage('/')
    await page.locator('.console-nav').waitFor()
    await expect.poll(() => page.locator('.console-nav a').count()).toBeGreaterThanOrEqual(11)
    const links = await page.locator('.console-nav a').evaluateAll((els) =>
      els.map((e) => ({
        text: (e as HTMLElement).innerText,
        ...e.getBoundingClientRect().toJSON(),
      })),
    )
    expect(links.map((l) => l.text)).toContain('Papan dinding ↗')
    for (const l of links) expect(l.right, l.text).toBeLessThanOrEqual(1366)
    expect(new Set(links.map((l) => Math.round(l.top))).size).toBe(1)
    expect(
      await page.locator('.console-nav').evaluate((el) => el.scrollWidth <= el.clientWidth),
    ).toBe(true)
    await page.locator('.console-nav').screenshot({ path: join(SHOTS, '12-admin-nav.png') })
    await page.context().close()
  }, 60_000)

  it('dates and times are day-month-year, 24-hour WIB in an en-US browser', async () => {
    const enUs: BrowserContextOptions = {
      ...CONSOLE,
      locale: 'en-US',
      timezoneId: 'America/New_York',
    }
    const page = await adminPage('/kredensial', enUs)
    const card = page.locator('form.window')
    await card.waitFor()
    await card.getByLabel('Buka: tanggal (hh-bb-tttt)').fill('31-02-2099')
    await card.getByLabel('Buka: jam (24 jam)').fill('19:30')
    await card.getByRole('button', { name: 'Simpan' }).click()
    await expect.poll(() => card.innerText()).toContain('Buka: tanggal 31-02-2099 tidak ada')
    await card.getByLabel('Buka: tanggal (hh-bb-tttt)').fill('27-11-2099')
    await card.getByLabel('Tutup: tanggal (hh-bb-tttt)').fill('28-11-2099')
    await card.getByLabel('Tutup: jam (24 jam)').fill('07:00')
    await card.getByRole('button', { name: 'Simpan' }).click()
    await card
      .getByText('(27-11-2099 19:30 WIB – 28-11-2099 07:00 WIB)', { exact: false })
      .waitFor()
    expect((await desk.call('GET', '/intake/window')).body).toMatchObject({
      opensAt: '2099-11-27T12:30:00.000Z',
      closesAt: '2099-11-28T00:00:00.000Z',
    })
    // Shown back as typed, whatever the browser's locale.
    await page.reload()
    await expect
      .poll(() =>
        page.locator('form.window').getByLabel('Tutup: tanggal (hh-bb-tttt)').inputValue(),
      )
      .toBe('28-11-2099')
    expect(await page.locator('form.window').getByLabel('Buka: jam (24 jam)').inputValue()).toBe(
      '19:30',
    )
    expect(await page.locator('body').innerText()).not.toMatch(/\b(AM|PM)\b|\d{2}\/\d{2}\/\d{4}/)
    await page.locator('form.window').screenshot({ path: join(SHOTS, '11-jam-lapor-en-us.png') })
    await shot(page, '11b-kredensial-en-us')
    await desk.call('PUT', '/intake/window', { opensAt: null, closesAt: null })
    await page.goto(`${desk.url}/`)
    await page.locator('.arrivals tbody tr').first().waitFor()
    const times = await page.locator('.arrivals tbody tr td:first-child').allInnerTexts()
    expect(times.length).toBeGreaterThan(0)
    for (const t of times) expect(t).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/)
    expect(await page.locator('.arrivals thead').innerText()).toContain('(WIB)')
    await page.context().close()
  }, 120_000)

  it('on the phone too: a wrong "Jumlah suara sah" is the one error, the right total is not red', async () => {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    const r = seeded.reporters.find((x) => x.region === '35.09.01.2002')!
    await page.goto(`${desk.url}/lapor`)
    await page.getByLabel('Kode akses').fill(r.code)
    await page.getByRole('button', { name: 'Masuk' }).click()
    const tps = seeded.tps.get('35.09.01.2002')![2]!
    await page.locator(`.tps-card[data-tps="${tps}"]`).click()
    await page.getByRole('button', { name: 'Isi hasil Bupati' }).click()
    for (const [id, v] of [
      ['dpt', '200'],
      ['dptb', '3'],
      ['dpk', '2'],
      ['votersTotal', '205'],
      ['votes-1', '100'],
      ['votes-2', '95'],
      ['valid', '159'],
      ['invalid', '10'],
      ['total', '205'],
    ]) {
      await page.fill(`#${id}`, v!)
    }
    await page
      .getByText(/Jumlah suara sah \(159\) tidak sama dengan jumlah suara semua paslon = 195/)
      .waitFor()
    expect(await page.locator('.num-field.has-error').count()).toBe(1)
    expect(await page.locator('.num-field:has(#total)').getAttribute('class')).not.toContain(
      'has-error',
    )
    await expect.poll(() => page.getByTestId('sheet-errors').innerText()).toContain('1 kesalahan')
    await page.locator('#valid').scrollIntoViewIfNeeded()
    await shot(page, '12-lapor-one-typo')
    await page.fill('#total', '300')
    await expect
      .poll(() => page.locator('.num-field:has(#total) .field-follows').innerText())
      .toContain('karena Jumlah suara sah salah')
    expect(await page.locator('.num-field.has-error').count()).toBe(1)
    await page.locator('#total').scrollIntoViewIfNeeded()
    await shot(page, '13-lapor-follows')
    await context.close()
  })
})
