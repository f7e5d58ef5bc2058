import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { toString as qrSvg } from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, DESA_B, DESA_C, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { CSV_HEADER } from './fixtures'

// /kredensial: the admin issues codes (import, one by one, reissue), sets the reporting hours and
// prints the credential sheet whose QR codes open the reporter form already signed in.

const SHOTS = join(__dirname, '..', '.artifacts', 'kredensial')

describe('the credential sheet /kredensial', () => {
  let desk: TestDesk
  let browser: Browser
  let page: Page
  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi(), training: true })
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 2, 250))
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (e) => console.error('pageerror', e.message))
    page.on('dialog', (d) => void d.accept())
    page.setDefaultTimeout(10_000)
  })
  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('imports a reporter list, adds one person, and shows each code once', async () => {
    await page.goto(`${desk.url}/kredensial`)
    await page.getByLabel('Kode akses').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await page.getByRole('heading', { name: 'Kredensial pelapor' }).waitFor()
    const rows = [CSV_HEADER, `Siti Aminah,0812,pelapor,${DESA_A}`, `Budi Santoso,0813,,35.09.01`]
    for (let i = 1; i <= 7; i++) rows.push(`Pelapor ${i},08${i},pelapor,${DESA_B}`)
    await page.locator('input[type="file"]').setInputFiles({ name: 'pelapor.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) })
    await page.getByRole('button', { name: 'Impor dan terbitkan kode' }).click()
    await page.getByText('9 orang diimpor').waitFor()

    const add = page.locator('form.add-person')
    await add.getByLabel('Nama').fill('Citra Dewi')
    await add.getByLabel('Nomor HP').fill('0815 1234')
    await add.getByRole('combobox').nth(1).selectOption('35.09.19')
    await add.getByRole('combobox').nth(2).selectOption(DESA_C)
    await add.getByRole('button', { name: 'Tambah dan terbitkan kode' }).click()
    await page.getByText('Kode yang diterbitkan di tab ini (10)').waitFor()
    const users = (await desk.call('GET', '/users')).body.users
    expect(users).toHaveLength(10)
    expect(users.find((u: any) => u.name === 'Citra Dewi')).toMatchObject({ region: DESA_C, phone: '0815 1234' })
    // What the desk refuses is said in its words, naming the field, and that field is marked.
    await add.getByLabel('Nama').fill('Dodi')
    await add.getByLabel('Nomor HP').fill('08x')
    await add.getByRole('button', { name: 'Tambah dan terbitkan kode' }).click()
    await add.getByRole('alert').getByText('Nomor HP hanya boleh angka, spasi, +, -, ( dan )').waitFor()
    expect(await add.getByLabel('Nomor HP').getAttribute('aria-invalid')).toBe('true')
    expect(await add.getByLabel('Nama').getAttribute('aria-invalid')).toBeNull()
    expect((await desk.call('GET', '/users')).body.users).toHaveLength(10)

    // A bad file imports nothing and names the row.
    await page.locator('input[type="file"]').setInputFiles({ name: 'salah.csv', mimeType: 'text/csv', buffer: Buffer.from(`${CSV_HEADER}\nX,1,pelapor,35.09.99.9999\n`) })
    await page.getByRole('button', { name: 'Impor dan terbitkan kode' }).click()
    await page.getByRole('alert').getByText(/baris 2 \(kode_wilayah\)/).waitFor()
    expect((await desk.call('GET', '/users')).body.users).toHaveLength(10)
  })

  it('prints A4 sheets of 8 cards whose QR code opens the form signed in', async () => {
    // The desk listens on loopback in tests: print its own address (the screen warns about it).
    await page.getByLabel('Alamat desk untuk HP').selectOption('*')
    await page.getByLabel('Alamat desk untuk HP').fill(desk.url)
    await page.getByText(/hanya bisa dibuka di komputer ini/).waitFor()
    await page.getByRole('button', { name: 'Cetak lembar kredensial' }).waitFor()
    expect(await page.locator('.credential-card').count()).toBe(10)
    expect(await page.locator('.credential-page').count()).toBe(2)
    expect(await page.locator('.credential-card .latihan').count()).toBe(10)
    await shot(page, 'screen')

    const card = page.locator('.credential-card', { hasText: 'Siti Aminah' })
    const code = (await card.locator('.credential-code').textContent())!
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/)
    expect(await card.textContent()).toContain('Desa/Kel. Padomasan, Kec. Jombang')
    expect(await card.locator('.credential-url').textContent()).toBe(`${desk.url}/lapor`)
    const img = card.locator('.credential-qr img')
    const link = (await img.getAttribute('data-link'))!
    expect(link).toBe(`${desk.url}/lapor#code=${code}`)
    // The picture is exactly the QR code of that link (drawn the same way, offline, in Node).
    const expected = await qrSvg(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
    expect(decodeURIComponent((await img.getAttribute('src'))!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))).toBe(expected)
    expect(await page.locator('.credential-card', { hasText: 'Budi Santoso' }).textContent()).toContain('Petugas kecamatan')

    await page.emulateMedia({ media: 'print' })
    await shot(page, 'print')
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2)
    await page.emulateMedia({ media: 'screen' })

    // Scanning the QR code opens the reporter form already signed in.
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true })
    try {
      const p = await phone.newPage()
      await p.goto(link)
      await p.getByText('Siti Aminah').waitFor()
      await p.locator('.tps-card').first().waitFor()
      expect(await p.locator('.tps-card').count()).toBe(2)
      await p.screenshot({ path: join(SHOTS, 'qr-opened.png') })
    } finally {
      await phone.close()
    }
  })

  it('issues a new code for someone (the old one stops working) and remembers codes only in this tab', async () => {
    const before = (await page.locator('.credential-card', { hasText: 'Pelapor 3' }).locator('.credential-code').textContent())!
    await page.getByLabel('Cari nama atau wilayah').fill('Pelapor 3')
    await page.locator('.people-found li', { hasText: 'Pelapor 3' }).getByRole('button', { name: 'Kode baru' }).click()
    await page.waitForFunction(
      (old) => {
        const el = [...document.querySelectorAll('.credential-card')].find((c) => c.textContent?.includes('Pelapor 3'))
        return el && !el.textContent?.includes(old)
      },
      before,
    )
    const after = (await page.locator('.credential-card', { hasText: 'Pelapor 3' }).locator('.credential-code').textContent())!
    expect(after).not.toBe(before)
    expect(await page.locator('.credential-card').count()).toBe(10)
    expect((await desk.call('POST', '/auth/login', { accessCode: before }, null)).status).toBe(401)
    expect((await desk.call('POST', '/auth/login', { accessCode: after }, null)).status).toBe(200)

    await page.reload()
    await page.getByText('Kode yang diterbitkan di tab ini (10)').waitFor()
    const other = await browser.newPage()
    try {
      await other.goto(`${desk.url}/kredensial`)
      await other.getByLabel('Kode akses').fill(ADMIN_TOKEN)
      await other.getByRole('button', { name: 'Masuk' }).click()
      await other.getByText('Belum ada kode yang diterbitkan di tab ini.').waitFor()
    } finally {
      await other.close()
    }
  })

  it('sets the reporting hours in WIB', async () => {
    const card = page.locator('form.window')
    // Typed as our users write dates and times (dd-mm-yyyy, 24 h), whatever the browser's locale.
    await card.getByLabel('Buka: tanggal (hh-bb-tttt)').fill('01-01-2099')
    await card.getByLabel('Buka: jam (24 jam)').fill('12:00')
    await card.getByLabel('Tutup: tanggal (hh-bb-tttt)').fill('02-01-2099')
    await card.getByLabel('Tutup: jam (24 jam)').fill('6.00')
    await card.getByRole('button', { name: 'Simpan' }).click()
    await card.getByText(/TUTUP untuk pelapor \(01-01-2099 12:00 WIB – 02-01-2099 06:00 WIB\)/).waitFor()
    await card.screenshot({ path: join(SHOTS, 'window.png') })
    const w = (await desk.call('GET', '/intake/window')).body
    expect(w).toEqual({ opensAt: '2099-01-01T05:00:00.000Z', closesAt: '2099-01-01T23:00:00.000Z', open: false })
    const code = (await page.locator('.credential-card', { hasText: 'Citra Dewi' }).locator('.credential-code').textContent())!
    expect((await desk.call('POST', '/auth/login', { accessCode: code }, null)).status).toBe(403)
    await card.getByRole('button', { name: 'Selalu buka' }).click()
    await card.getByText('Sekarang: BUKA untuk pelapor').waitFor()
    expect((await desk.call('POST', '/auth/login', { accessCode: code }, null)).status).toBe(200)
  })
})
