import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, signedInPage } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, sid, startDesk, type TestDesk } from '../helpers/desk'
import { report, samplePng, seedDesk, type Seeded } from './seed'

const SHOTS = join(__dirname, '..', '.artifacts', 'console')
const VIEWPORT = { width: 1366, height: 768 }

const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement)

const PADOMASAN = '35.09.01.2001'
const KETING = '35.09.01.2002'

describe('operator console in Chromium at 1366×768', () => {
  let desk: TestDesk
  let browser: Browser
  let seeded: Seeded

  /** A fresh browser context signed in with `code` through the sign-in form, as on another laptop. */
  async function signIn(code: string, path = '/'): Promise<Page> {
    const context = await browser.newContext({
      viewport: VIEWPORT,
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
    })
    // Fail at the step that went wrong, well inside the test's own timeout.
    context.setDefaultTimeout(8_000)
    const page = await context.newPage()
    await page.goto(`${desk.url}${path}`)
    await page.locator('#code').fill(code)
    await page.keyboard.press('Enter')
    await page.locator('.console-nav').waitFor()
    return page
  }

  /** Pick a TPS by typing, as an operator does, waiting for each step (the index loads async). */
  async function pickTps(page: Page, query: string): Promise<void> {
    await expect.poll(() => isFocused(page.locator('#tps-search'))).toBe(true)
    await page.keyboard.type(query)
    await page.locator('.suggestions li.active').waitFor()
    await page.keyboard.press('Enter')
    await expect.poll(() => isFocused(page.locator('input[name=contest]:checked'))).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => isFocused(page.locator('#caller-name'))).toBe(true)
  }

  async function adminPage(path: string): Promise<Page> {
    // As the Electron window: signed in as admin without typing a code.
    const page = await signedInPage(browser, ADMIN_TOKEN, { timeout: 8_000 })
    await page.goto(`${desk.url}${path}`)
    await page.locator('.console-nav').waitFor()
    return page
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi() })
    seeded = await seedDesk(desk)
    // Some evening already happened: reports from a few desa, a conflict, a flagged sheet, a call.
    const byRegion = new Map(seeded.reporters.map((r) => [r.region, r]))
    let seed = 1
    for (const [desa, codes] of [...seeded.tps].slice(2, 9)) {
      const r = byRegion.get(desa)!
      for (const t of codes.slice(0, 2)) {
        await report(desk, r.code, t, 'gubernur', seed++)
        await report(desk, r.code, t, 'bupati', seed++)
      }
    }
    const kencong = [...seeded.tps.keys()].find((d) => d.startsWith('35.09.02.'))!
    const kr = byRegion.get(kencong)!
    await report(desk, kr.code, seeded.tps.get(kencong)![2]!, 'bupati', 99, {
      votes: { '1': 380, '2': 20 },
      invalid: 5,
      voters: { dpt: 400, dptb: 3, dpk: 2 },
    })
    await desk.call(
      'POST',
      `/console/chase/${byRegion.get(KETING)!.id}/calls`,
      { outcome: 'no_answer', note: 'Tidak diangkat, coba lagi 19:30' },
      seeded.operator2.code,
    )
    // The Jombang kecamatan officer checked one desa and flagged another (intake feature).
    const camat = await desk.call('POST', '/users', {
      name: 'Petugas Kec. Jombang',
      phone: '0812 1',
      role: 'reporter',
      region: '35.09.01',
    })
    await desk.call(
      'POST',
      '/verification/35.09.01.2003',
      { status: 'verified' },
      camat.body.accessCode,
    )
    await desk.call(
      'POST',
      '/verification/35.09.01.2004',
      { status: 'flagged', note: 'Angka TPS 002 belum cocok dengan C.Hasil' },
      camat.body.accessCode,
    )
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('an operator signs in with a code and sees progress, waiting work and arrivals live', async () => {
    const page = await signIn(seeded.operator.code)
    await expect.poll(() => page.locator('.contest-stat').count()).toBe(2)
    await expect.poll(() => page.locator('.arrivals tbody tr').count()).toBeGreaterThan(5)
    const before = await page.locator('.arrivals tbody tr').first().innerText()
    const r = seeded.reporters.find((x) => x.region === PADOMASAN)!
    await report(desk, r.code, `${PADOMASAN}.003`, 'bupati', 7)
    await expect.poll(() => page.locator('.arrivals tbody tr').first().innerText()).not.toBe(before)
    expect(await page.locator('.arrivals tbody tr').first().innerText()).toContain('Padomasan 003')
    // An incident reported from the field appears without a reload, with the photo sent with it.
    const photo = await desk.call(
      'POST',
      `/photos?tps=${PADOMASAN}.001`,
      samplePng(100, 60),
      r.code,
      { 'content-type': 'image/png' },
    )
    expect(photo.status).toBe(201)
    const incident = await desk.call(
      'POST',
      '/incidents',
      {
        tps: `${PADOMASAN}.001`,
        category: 'logistik',
        urgency: 'tinggi',
        text: 'Surat suara kurang 20 lembar',
        photo: photo.body.file,
      },
      r.code,
    )
    expect(incident.status).toBe(201)
    await expect
      .poll(() => page.locator('ul.incidents').innerText())
      .toContain('Surat suara kurang 20 lembar')
    const item = page.locator('ul.incidents li', { hasText: 'Surat suara kurang 20 lembar' })
    await expect
      .poll(() =>
        item.locator('.photo-row img').evaluate((el) => (el as HTMLImageElement).naturalWidth),
      )
      .toBe(100)
    // Incidents without a photo show none (and no "no photos" note).
    const plain = await desk.call(
      'POST',
      '/incidents',
      {
        tps: `${PADOMASAN}.002`,
        category: 'keamanan',
        urgency: 'sedang',
        text: 'Massa berkumpul di depan TPS',
      },
      r.code,
    )
    expect(plain.status).toBe(201)
    const plainItem = page.locator('ul.incidents li', { hasText: 'Massa berkumpul' })
    await plainItem.waitFor()
    expect(await plainItem.locator('.photos').count()).toBe(0)
    await shot(page, '01-home')
    await page.context().close()
  })

  it('enters a phoned-in result by keyboard alone, reads it back in words, and it shows in the recap', async () => {
    const page = await signIn(seeded.operator.code, '/entri')
    const search = page.locator('#tps-search')
    await expect.poll(() => isFocused(search)).toBe(true)
    await page.keyboard.type('padomasan 2')
    await page.locator('.suggestions li.active').waitFor()
    await shot(page, '02-entry-search')
    await page.keyboard.press('Enter') // pick the TPS
    await expect
      .poll(() => isFocused(page.locator('input[name=contest][value=gubernur]')))
      .toBe(true)
    await page.keyboard.press('Enter') // contest: gubernur (the first not yet reported)
    await expect.poll(() => isFocused(page.locator('#caller-name'))).toBe(true)
    await page.keyboard.type('Pak Slamet')
    await page.keyboard.press('Enter')
    await page.keyboard.type('0812 7777 1234')
    await page.keyboard.press('Enter')
    // C.Hasil order: voters DPT, DPTb, DPK, total; pairs 1–3; valid (read); invalid; total (read).
    for (const v of ['240', '3', '1', '244', '123', '98', '15', '236', '8', '244']) {
      await page.keyboard.type(v)
      await page.keyboard.press('Enter')
    }
    await expect.poll(() => isFocused(page.locator('#entry-note'))).toBe(true)
    await page.keyboard.press('Enter') // no note
    await shot(page, '03-entry-form')
    await page.keyboard.press('Enter') // double entry left unticked → read-back
    const readback = page.locator('table.readback')
    await readback.waitFor()
    const words = async (field: string) =>
      (await readback.locator(`tr[data-field="${field}"] td.words`).innerText()).trim()
    expect(await words('votes.1')).toBe('seratus dua puluh tiga')
    expect(await words('votes.2')).toBe('sembilan puluh delapan')
    expect(await words('votes.3')).toBe('lima belas')
    expect(await words('valid')).toBe('dua ratus tiga puluh enam')
    expect(await words('invalid')).toBe('delapan')
    expect(await words('total')).toBe('dua ratus empat puluh empat')
    expect(await words('voters.dpt')).toBe('dua ratus empat puluh')
    expect(await words('voters.dptb')).toBe('tiga')
    expect(await words('voters.dpk')).toBe('satu')
    await shot(page, '04-entry-readback')
    await page.keyboard.press('Enter') // save
    await page.locator('.done-step.status-accepted').waitFor()
    await expect.poll(() => page.locator('.done-step').innerText()).toContain('Diterima')
    await shot(page, '05-entry-saved')

    const tps = `${PADOMASAN}.002`
    const recap = await desk.call('GET', `/recap?contest=gubernur&level=tps&parent=${PADOMASAN}`)
    expect(recap.body.rows.find((r: any) => r.code === tps)).toMatchObject({
      votes: { '1': 123, '2': 98, '3': 15 },
      valid: 236,
      invalid: 8,
      reported: true,
    })
    const sub = desk.store.submissionsForTps(tps).at(-1)!
    expect(sub.channel).toBe('telepon')
    expect(sub.actor).toBe(seeded.operator.id)
    expect(JSON.parse(sub.payload).caller).toEqual({ name: 'Pak Slamet', phone: '0812 7777 1234' })

    // Enter again: the other contest of the same TPS, caller kept.
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.locator('input[name=contest][value=bupati]').isChecked())
      .toBe(true)
    await expect.poll(() => page.locator('#caller-name').inputValue()).toBe('Pak Slamet')
    await page.context().close()
  })

  it('stops a sheet whose read totals do not add up before the read-back', async () => {
    const page = await signIn(seeded.operator2.code, '/entri')
    await pickTps(page, 'padomasan 1')
    await page.keyboard.type('Bu Ani')
    for (const v of ['', '', '', '', '', '100', '50', '20', '171']) {
      await page.keyboard.press('Enter')
      if (v) await page.keyboard.type(v)
    }
    await expect
      .poll(() => page.locator('.field.has-error .field-error').innerText())
      .toContain('170')
    await shot(page, '06-entry-arithmetic')
    await page.context().close()
  })

  it('double entry: a second operator re-keys blind; a mismatch is flagged and not saved, a match is saved', async () => {
    const tps = '35.09.01.2006.003' // Sarimulyo 003, not reported
    const first = await signIn(seeded.operator.code, '/entri')
    await pickTps(first, 'sarimulyo 3')
    await first.keyboard.type('Pak Darto')
    // phone, DPT, DPTb, DPK, voters total left empty; pairs; valid (read) empty; invalid; total empty; note empty
    for (const v of ['', '', '', '', '', '110', '95', '40', '', '6', '', '']) {
      await first.keyboard.press('Enter')
      if (v) await first.keyboard.type(v)
    }
    await first.keyboard.press('Enter')
    await expect.poll(() => isFocused(first.locator('input[type=checkbox][data-nav]'))).toBe(true)
    await first.keyboard.press('Space') // tick "entri ganda"
    await first.keyboard.press('Enter')
    await first.locator('table.readback').waitFor()
    await first.keyboard.press('Enter')
    await expect
      .poll(() => first.locator('.done-step').innerText())
      .toContain('Entri pertama tersimpan')
    expect(desk.store.getResult(tps, 'gubernur')).toBeUndefined()
    await first.context().close()

    const second = await signIn(seeded.operator2.code, '/entri')
    const item = second.locator('ul.drafts li', { hasText: 'Sarimulyo' })
    await expect.poll(() => item.innerText()).toContain('Pak Darto')
    expect(await item.innerText()).not.toContain('110') // blind: no numbers shown
    await item.getByRole('button', { name: 'Ketik ulang' }).click()
    await expect.poll(() => isFocused(second.locator('#sheet-dpt'))).toBe(true)
    for (const v of ['', '', '', '', '110', '59', '40', '', '6']) {
      if (v) await second.keyboard.type(v)
      await second.keyboard.press('Enter')
    }
    await second.keyboard.press('Enter') // total (read) empty → read-back
    await second.locator('table.readback').waitFor()
    await second.keyboard.press('Enter')
    await expect
      .poll(() => second.locator('.entry-form .error').innerText())
      .toContain('Tidak disimpan')
    await expect
      .poll(() => second.locator('.field.flagged input').getAttribute('id'))
      .toBe('sheet-votes-2')
    expect(desk.store.getResult(tps, 'gubernur')).toBeUndefined()
    await shot(second, '07-double-entry-mismatch')
    await second.locator('#sheet-votes-2').fill('95')
    await second.locator('#sheet-total').focus()
    await second.keyboard.press('Enter')
    await second.locator('table.readback').waitFor()
    await second.keyboard.press('Enter')
    await second.locator('.done-step.status-accepted').waitFor()
    expect(desk.store.getResult(tps, 'gubernur')?.votes).toEqual({
      '1': 110,
      '2': 95,
      '3': 40,
    })
    const sub = desk.store.submissionsForTps(tps).at(-1)!
    expect(sub).toMatchObject({ channel: 'telepon', actor: seeded.operator2.id })
    expect(JSON.parse(sub.payload).caller.name).toBe('Pak Darto')
    // The confirmed result is in the second operator's local entry log (issue 13 item 8), with the
    // submissionId the desk stored, so a restored desk that lacks it lists it for re-entry.
    const logged = await second.evaluate(
      (id) => JSON.parse(localStorage.getItem(`desk.console.entries.${id}`) ?? '[]'),
      seeded.operator2.id,
    )
    expect(logged).toEqual([
      expect.objectContaining({
        submissionId: sub.submissionId,
        tps,
        contest: 'gubernur',
        receipt: JSON.parse(sub.answer).receipt,
        status: 'accepted',
      }),
    ])
    expect(logged[0].body).toMatchObject({
      votes: { '1': 110, '2': 95, '3': 40 },
      invalid: 6,
      caller: { name: 'Pak Darto' },
    })
    await second.context().close()
  })

  it('a report sent through the API moves a reporter off the chase list without a reload', async () => {
    const page = await signIn(seeded.operator.code, '/belum-lapor')
    const r = seeded.reporters.find((x) => x.region === KETING)!
    const row = page.locator(`tr[data-reporter="${r.id}"]`)
    await row.waitFor()
    await expect.poll(() => row.innerText()).toContain('tidak diangkat')
    await expect.poll(() => row.innerText()).toContain('Dodi Operator')
    await shot(page, '08-chase')
    // Log a call from this screen.
    const other = seeded.reporters.find((x) => x.region === '35.09.01.2003')!
    const otherRow = page.locator(`tr[data-reporter="${other.id}"]`)
    await otherRow.getByRole('button', { name: 'Sudah ditelepon' }).click()
    await page.keyboard.type('Sedang menghitung, lapor 10 menit lagi')
    // No outcome is assumed (tests/console/ops-e2e.test.ts shows Enter asking for one): pick it.
    await page.getByRole('radio', { name: 'tersambung' }).check()
    await page.getByLabel('Catatan panggilan').press('Enter')
    await expect.poll(() => otherRow.innerText()).toContain('Sedang menghitung')
    await expect.poll(() => otherRow.innerText()).toContain('Rina Operator')

    const marker = await page.evaluate(() => ((window as any).__noReload = true))
    expect(marker).toBe(true)
    for (const t of seeded.tps.get(KETING)!) {
      await report(desk, r.code, t, 'gubernur', 11)
      await report(desk, r.code, t, 'bupati', 12)
    }
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0)
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true)
    await page.context().close()
  })

  it('a supervisor resolves a conflict with a reason and it shows in the TPS history; an operator cannot', async () => {
    const r = seeded.reporters.find((x) => x.region === '35.09.01.2003')!
    const tps = seeded.tps.get('35.09.01.2003')![2]! // not reported yet
    await report(desk, r.code, tps, 'bupati', 21)
    const conflict = await desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps,
        contest: 'bupati',
        votes: { '1': 150, '2': 90 },
        invalid: 4,
        caller: { name: 'Camat Jombang', phone: '0811 222' },
      },
      seeded.operator2.code,
      { 'X-Desk-Channel': 'telepon' },
    )
    expect(conflict.status).toBe(202)
    const id = conflict.body.conflictId
    // The reporter sent a photo of the C.Hasil sheet (intake feature): it is shown with the conflict.
    const photo = await desk.call(
      'POST',
      `/photos?tps=${tps}&contest=bupati`,
      samplePng(),
      r.code,
      { 'content-type': 'image/png' },
    )
    expect(photo.status).toBe(201)

    // The operator sees the queue but no decision form, and the API refuses them.
    const op = await signIn(seeded.operator.code, '/tinjau')
    await op.locator(`[data-conflict-detail]`).first().waitFor()
    await expect.poll(() => op.locator('form.decision').count()).toBe(0)
    await op.getByText('Hanya supervisor atau admin').waitFor({ state: 'visible' })
    const refused = await desk.call(
      'POST',
      `/conflicts/${id}/resolve`,
      { keep: 'new', reason: 'operator mencoba' },
      seeded.operator.code,
    )
    expect(refused.status).toBe(403)
    await op.context().close()

    const page = await signIn(seeded.supervisor.code, '/tinjau')
    await page.locator(`button[data-conflict="${id}"]`).click()
    const detail = page.locator(`[data-conflict-detail="${id}"]`)
    await detail.waitFor()
    await expect.poll(() => detail.locator('tr.differs').count()).toBeGreaterThan(0)
    await expect.poll(() => detail.innerText()).toContain('Camat Jombang')
    const img = detail.locator('.photo-row img')
    await img.waitFor()
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(120)
    // The reporter read the voter numbers, the caller did not: those lines are marked as differing.
    await expect
      .poll(() => detail.locator('tr[data-field="voters.dpt"]').getAttribute('class'))
      .toBe('differs')
    expect(await detail.locator('tr[data-field="voters.dpt"]').innerText()).toContain('berbeda')
    // The correction sheet fits the 1366-wide screen: nothing cut off, no sideways scrolling.
    await detail.getByLabel('Masukkan lembar koreksi').check()
    await detail.locator('#decision-votes-2').waitFor()
    const overflow = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
    }))
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.inner)
    for (const id of ['#decision-dptb', '#decision-total', '#decision-votes-2']) {
      const box = (await detail.locator(id).boundingBox())!
      expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width)
    }
    await shot(page, '09a-review-correction-sheet')
    await detail.getByLabel('Pakai laporan baru').check()
    await detail.locator('#decision-reason').fill('Dikonfirmasi ulang ke ketua KPPS lewat telepon')
    await shot(page, '09-review-conflict')
    await detail.getByRole('button', { name: 'Putuskan' }).click()
    await expect.poll(() => page.locator(`[data-conflict-detail="${id}"]`).count()).toBe(0)

    const recap = await desk.call('GET', `/recap?contest=bupati&level=tps&parent=35.09.01.2003`)
    expect(recap.body.rows.find((x: any) => x.code === tps).votes).toEqual({ '1': 150, '2': 90 })

    await page.goto(`${desk.url}/tps?kode=${tps}`)
    const decision = page.locator('tr[data-action="decision.new"]')
    await decision.waitFor()
    await expect
      .poll(() => decision.innerText())
      .toContain('Dikonfirmasi ulang ke ketua KPPS lewat telepon')
    await expect.poll(() => decision.innerText()).toContain('Hadi Supervisor')
    const actions = await page
      .locator('table.timeline tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))
    expect(actions.filter((a) => a !== null && !a.startsWith('draft'))).toEqual([
      'desa.verification',
      'submission.accepted',
      'submission.conflict',
      'photo.upload',
      'decision.new',
    ])
    // The C.Hasil photo is shown with the TPS's results, not only named in the timeline.
    const historyImg = page.locator('.history-head .photo-row img')
    await expect
      .poll(() => historyImg.evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBe(120)
    expect(await page.locator('tr[data-action="photo.upload"]').innerText()).not.toContain('bytes')
    await shot(page, '10-history')

    await page.goto(`${desk.url}/tinjau?tab=flags`)
    await page.locator('.queue .detail').waitFor()
    await shot(page, '11-review-flags')
    await page.locator('button[role=tab]', { hasText: 'Sudah diputuskan' }).click()
    await expect
      .poll(() => page.locator('.review table').innerText())
      .toContain('Dikonfirmasi ulang ke ketua KPPS')
    await shot(page, '11b-review-resolved')
    await page.locator('button[role=tab]', { hasText: 'Verifikasi kecamatan' }).click()
    await page.locator('.verification-list tbody tr').first().waitFor()
    await shot(page, '11c-review-verification')
    await page.context().close()
  })

  it('admin screens: TPS registry, people, LAN; English switch', async () => {
    const page = await adminPage('/tps-daftar')
    await page.locator('.registry-table tbody tr').first().waitFor()
    await page.locator('.filters select').first().selectOption('35.09.01')
    await shot(page, '12-registry')
    // Postponing a TPS that already reported: the desk names its results and asks first.
    const reported = page.locator('.registry-table tbody tr', { hasText: '✓' }).first()
    const tpsCode = (await reported.getAttribute('data-tps'))!
    await reported.getByRole('button', { name: 'Ubah status' }).click()
    const statusForm = page.locator('form.inline-form')
    await statusForm.getByLabel('Status').selectOption('postponed')
    await statusForm.getByLabel(/^Alasan/).fill('Kotak suara rusak, hitung ulang besok')
    await statusForm.getByRole('button', { name: 'Simpan' }).click()
    await expect.poll(() => statusForm.innerText()).toContain('sudah punya hasil')
    await shot(page, '12b-registry-confirm-results')
    expect((await desk.call('GET', `/tps/${tpsCode}`)).body.tps.status).toBe('active')
    await statusForm.getByRole('button', { name: /hasilnya keluar dari rekap/ }).click()
    await expect
      .poll(async () => (await desk.call('GET', `/tps/${tpsCode}`)).body.tps.status)
      .toBe('postponed')
    await desk.call('POST', `/tps/${tpsCode}/status`, { status: 'active' })
    await page.goto(`${desk.url}/orang`)
    await page.locator('.people-table tbody tr').first().waitFor()
    // Create an operator: the code is shown once and works at once; revoking stops it at once.
    const form = page.locator('form.create-person')
    await form.getByLabel('Nama').fill('Operator Tiga')
    await form.getByLabel('Peran').selectOption('operator')
    await form.getByRole('button', { name: 'Buat dan tampilkan kode' }).click()
    const code = (await page.locator('.codes .access-code').first().innerText()).trim()
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/)
    expect((await desk.call('GET', '/me', undefined, code)).body.role).toBe('operator')
    await shot(page, '13-people')
    page.once('dialog', (d) => void d.accept())
    const row = page.locator('.people-table tbody tr', { hasText: 'Operator Tiga' })
    await row.getByRole('button', { name: 'Cabut' }).click()
    await expect.poll(() => row.innerText()).toContain('dicabut')
    expect((await desk.call('GET', '/me', undefined, code)).status).toBe(401)
    await page.goto(`${desk.url}/lan`)
    await page.locator('.lan-head').waitFor()
    // Phones hold no live stream: the screen counts active reporters, not "phones connected".
    expect(await page.locator('.lan-stats').innerText()).not.toContain('ponsel')
    await expect
      .poll(() => page.locator('.lan-stats').innerText())
      .toContain('pelapor aktif 15 menit terakhir')
    await shot(page, '14-lan')
    await page.goto(`${desk.url}/`)
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('.console-nav').innerText()).toContain('Phone entry')
    await shot(page, '15-home-en')
    // In English the read-back still gives the Indonesian words the caller hears, English below.
    await page.goto(`${desk.url}/entri`)
    await pickTps(page, 'padomasan 1')
    await page.keyboard.type('Bu Ani')
    for (const v of ['', '', '', '', '', '110', '95', '40', '', '6', '', '']) {
      await page.keyboard.press('Enter')
      if (v) await page.keyboard.type(v)
    }
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    const readback = page.locator('table.readback')
    await readback.waitFor()
    const cell = readback.locator('tr[data-field="votes.1"] td.words')
    expect((await cell.locator('span[lang=id]').innerText()).trim()).toBe('seratus sepuluh')
    expect((await cell.locator('.words-en').innerText()).trim()).toBe('one hundred ten')
    expect(
      (await readback.locator('tr[data-field="total"] td.words span[lang=id]').innerText()).trim(),
    ).toBe('dua ratus lima puluh satu')
    await shot(page, '16-readback-en')
    await page.context().close()
  })
})
