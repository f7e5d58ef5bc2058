import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { toString as qrSvg } from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import {
  ADMIN_TOKEN,
  DESA_A,
  DESA_B,
  DESA_C,
  startDesk,
  tpsCsv,
  type TestDesk,
} from '../helpers/desk'
import { CSV_HEADER } from './fixtures'

// /kredensial: the admin issues codes (import, one by one, reissue one or many), sets the reporting
// hours and the public address, and prints the cards: reporters' QR codes open the reporter form
// already signed in, staff cards send them to the console on a LAN laptop, a wall board's card
// opens /papan signed in.

const PUBLIC = 'https://desk-pilkada.jemberkab.go.id'

const SHOTS = join(__dirname, '..', '.artifacts', 'kredensial')

describe('the credential sheet /kredensial', () => {
  let desk: TestDesk
  let browser: Browser
  let page: Page
  const shot = (p: Page, name: string) =>
    p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

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
    await page.getByRole('heading', { name: 'Kredensial dan kartu akses' }).waitFor()
    const rows = [CSV_HEADER, `Siti Aminah,0812,pelapor,${DESA_A}`, `Budi Santoso,0813,,35.09.01`]
    for (let i = 1; i <= 7; i++) rows.push(`Pelapor ${i},08${i},pelapor,${DESA_B}`)
    await page.locator('input[type="file"]').setInputFiles({
      name: 'pelapor.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    })
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
    expect(users.find((u: any) => u.name === 'Citra Dewi')).toMatchObject({
      region: DESA_C,
      phone: '0815 1234',
    })
    // What the desk refuses is said in its words, naming the field, and that field is marked.
    await add.getByLabel('Nama').fill('Dodi')
    await add.getByLabel('Nomor HP').fill('08x')
    await add.getByRole('button', { name: 'Tambah dan terbitkan kode' }).click()
    await add
      .getByRole('alert')
      .getByText('Nomor HP hanya boleh angka, spasi, +, -, ( dan )')
      .waitFor()
    expect(await add.getByLabel('Nomor HP').getAttribute('aria-invalid')).toBe('true')
    expect(await add.getByLabel('Nama').getAttribute('aria-invalid')).toBeNull()
    expect((await desk.call('GET', '/users')).body.users).toHaveLength(10)

    // A bad file imports nothing and names the row.
    await page.locator('input[type="file"]').setInputFiles({
      name: 'salah.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${CSV_HEADER}\nX,1,pelapor,35.09.99.9999\n`),
    })
    await page.getByRole('button', { name: 'Impor dan terbitkan kode' }).click()
    await page
      .getByRole('alert')
      .getByText(/baris 2 \(kode_wilayah\)/)
      .waitFor()
    expect((await desk.call('GET', '/users')).body.users).toHaveLength(10)
  })

  it('never pre-selects an address phones cannot reach, and says why', async () => {
    // The test desk listens on 127.0.0.1 only, with no public address: nothing is reachable.
    const alert = page.getByTestId('loopback-only')
    await alert
      .getByText(
        /Desk hanya mendengar di 127\.0\.0\.1 \(komputer ini\): HP dan laptop lain tidak bisa membukanya/,
      )
      .waitFor()
    expect(await alert.getAttribute('class')).toBe('error')
    expect(await page.getByLabel('Alamat desk untuk HP').inputValue()).toBe('')
    expect(await page.getByLabel('Alamat LAN untuk staf').inputValue()).toBe('')
    await page.getByText('Pilih alamat yang bisa dibuka HP pelapor sebelum mencetak.').waitFor()
    expect(await page.getByRole('button', { name: 'Cetak lembar kredensial' }).isDisabled()).toBe(
      true,
    )
    await page
      .getByTestId('public-url-source')
      .getByText(/Belum ada alamat publik/)
      .waitFor()
    await page.locator('.addresses').screenshot({ path: join(SHOTS, 'addresses-loopback.png') })

    // A wrong public address is refused in the desk's words; nothing is stored.
    await page.getByLabel('Alamat publik desk').fill('desk-pilkada.jemberkab.go.id')
    await page.getByRole('button', { name: 'Simpan alamat publik' }).click()
    await page
      .locator('.public-url')
      .getByRole('alert')
      .getByText(/publicUrl harus diawali http:\/\/ atau https:\/\//)
      .waitFor()
    expect((await desk.call('GET', '/intake/public-url')).body.publicUrl).toBeNull()

    // With a public address (a reverse proxy on this machine), it is pre-selected for phones.
    await page.getByLabel('Alamat publik desk').fill(`${PUBLIC}/`)
    await page.getByRole('button', { name: 'Simpan alamat publik' }).click()
    await page.getByTestId('public-url-source').getByText('Diatur admin di layar ini.').waitFor()
    await page.waitForFunction(
      () =>
        (
          document.querySelector(
            'select[aria-label="Alamat desk untuk HP"]',
          ) as HTMLSelectElement | null
        )?.value === 'https://desk-pilkada.jemberkab.go.id',
    )
    expect((await desk.call('GET', '/intake/addresses')).body.urls[0]).toEqual({
      interface: 'public',
      url: PUBLIC,
      kind: 'public',
    })
    await alert
      .getByText(
        /HP membukanya lewat alamat publik, tetapi laptop staf dan layar papan di LAN tidak bisa/,
      )
      .waitFor()
    expect(await alert.getAttribute('class')).toBe('warn')
    // Reporters' cards now carry the public address, in text and in the QR code.
    const card = page.locator('.credential-card', { hasText: 'Siti Aminah' })
    expect(await card.locator('.credential-url').textContent()).toBe(`${PUBLIC}/lapor`)
    const code = (await card.locator('.credential-code').textContent())!
    await card.locator(`.credential-qr img[data-link="${PUBLIC}/lapor#code=${code}"]`).waitFor()
    await page.emulateMedia({ media: 'print' })
    await card.screenshot({ path: join(SHOTS, 'card-public.png') })
    await page.emulateMedia({ media: 'screen' })

    // A LAN address while a public one exists: phones on mobile data would not reach it.
    await page.getByLabel('Alamat desk untuk HP').selectOption('*')
    await page.getByLabel('Alamat desk untuk HP').fill('http://192.168.1.10:4046')
    await page.getByTestId('lan-while-public').getByText(`Pilih alamat publik ${PUBLIC}.`).waitFor()
    await page.setViewportSize({ width: 1280, height: 900 })
    await shot(page, 'kredensial-warnings')
    await page
      .locator('.addresses')
      .screenshot({ path: join(SHOTS, 'addresses-lan-while-public.png') })
    await page.getByLabel('Alamat desk untuk HP').fill(PUBLIC)
    expect(await page.getByTestId('lan-while-public').count()).toBe(0)
    await page.reload()
    await page.getByText('Kode yang diterbitkan di tab ini (10)').waitFor()
  })

  it('prints A4 sheets of 8 cards whose QR code opens the form signed in', async () => {
    // The desk listens on loopback in tests: print its own address (the screen warns about it).
    await page.getByLabel('Alamat desk untuk HP').selectOption('*')
    await page.getByLabel('Alamat desk untuk HP').fill(desk.url)
    await page.getByText(/hanya bisa dibuka di komputer ini/).waitFor()
    await page.getByLabel('Alamat LAN untuk staf').selectOption('*')
    await page.getByLabel('Alamat LAN untuk staf').fill(desk.url)
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
    expect(
      decodeURIComponent(
        (await img.getAttribute('src'))!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''),
      ),
    ).toBe(expected)
    expect(
      await page.locator('.credential-card', { hasText: 'Budi Santoso' }).textContent(),
    ).toContain('Petugas kecamatan')

    await page.emulateMedia({ media: 'print' })
    await shot(page, 'print')
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2)
    await page.emulateMedia({ media: 'screen' })

    // Scanning the QR code opens the reporter form already signed in.
    const phone = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
    })
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
    const before = (await page
      .locator('.credential-card', { hasText: 'Pelapor 3' })
      .locator('.credential-code')
      .textContent())!
    await page.getByLabel('Cari nama atau wilayah').fill('Pelapor 3')
    await page
      .locator('.people-found li', { hasText: 'Pelapor 3' })
      .getByRole('button', { name: 'Kode baru' })
      .click()
    await page.waitForFunction((old) => {
      const el = [...document.querySelectorAll('.credential-card')].find((c) =>
        c.textContent?.includes('Pelapor 3'),
      )
      return el && !el.textContent?.includes(old)
    }, before)
    const after = (await page
      .locator('.credential-card', { hasText: 'Pelapor 3' })
      .locator('.credential-code')
      .textContent())!
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
    await card
      .getByText(/TUTUP untuk pelapor \(01-01-2099 12:00 WIB – 02-01-2099 06:00 WIB\)/)
      .waitFor()
    await card.screenshot({ path: join(SHOTS, 'window.png') })
    const w = (await desk.call('GET', '/intake/window')).body
    expect(w).toEqual({
      opensAt: '2099-01-01T05:00:00.000Z',
      closesAt: '2099-01-01T23:00:00.000Z',
      open: false,
    })
    const code = (await page
      .locator('.credential-card', { hasText: 'Citra Dewi' })
      .locator('.credential-code')
      .textContent())!
    expect((await desk.call('POST', '/auth/login', { accessCode: code }, null)).status).toBe(403)
    await card.getByRole('button', { name: 'Selalu buka' }).click()
    await card.getByText('Sekarang: BUKA untuk pelapor').waitFor()
    expect((await desk.call('POST', '/auth/login', { accessCode: code }, null)).status).toBe(200)
  })

  it('prints a card per role: console on a laptop (no QR), the board signed in', async () => {
    // After the reload above the public address is pre-selected for phones and no staff address is.
    expect(await page.getByLabel('Alamat desk untuk HP').inputValue()).toBe(PUBLIC)
    expect(await page.getByLabel('Alamat LAN untuk staf').inputValue()).toBe('')
    for (const label of ['Alamat desk untuk HP', 'Alamat LAN untuk staf']) {
      await page.getByLabel(label).selectOption('*')
      await page.getByLabel(label).fill(desk.url)
    }
    const rows = [
      CSV_HEADER,
      'Rina Operator,0816,operator,',
      'Sari Supervisor,0817,supervisor,',
      'Layar Aula,,display,',
    ]
    await page.locator('input[type="file"]').setInputFiles({
      name: 'staf.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    })
    await page.getByRole('button', { name: 'Impor dan terbitkan kode' }).click()
    await page.getByText('Kode yang diterbitkan di tab ini (13)').waitFor()
    expect(await page.locator('.credential-card').count()).toBe(13)

    for (const [name, role] of [
      ['Rina Operator', 'Operator desk'],
      ['Sari Supervisor', 'Supervisor desk'],
    ]) {
      const card = page.locator('.credential-card', { hasText: name })
      expect(await card.getAttribute('data-kind')).toBe('console')
      const text = (await card.textContent())!
      expect(text).toContain(role)
      expect(text).toContain('Buka konsol desk di laptop kantor (jaringan LAN), bukan di HP:')
      expect(text).toContain('Tanpa kode QR: konsol dibuka di laptop kantor, bukan di HP.')
      expect(text).not.toContain('/lapor')
      expect(await card.locator('.credential-url').textContent()).toBe(`${desk.url}/`)
      expect(await card.locator('img').count()).toBe(0)
      // The code on the card signs in at the console.
      const code = (await card.locator('.credential-code').textContent())!
      expect((await desk.call('GET', '/me', undefined, code)).body.role).toBe(
        name === 'Rina Operator' ? 'operator' : 'supervisor',
      )
    }

    const board = page.locator('.credential-card', { hasText: 'Layar Aula' })
    expect(await board.getAttribute('data-kind')).toBe('board')
    expect(await board.textContent()).toContain('Buka papan di layar/TV (jaringan LAN kantor):')
    expect(await board.locator('.credential-url').textContent()).toBe(`${desk.url}/papan`)
    const code = (await board.locator('.credential-code').textContent())!
    const img = board.locator('.credential-qr img')
    const link = (await img.getAttribute('data-link'))!
    expect(link).toBe(`${desk.url}/papan#token=${code}`)
    const expected = await qrSvg(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
    expect(
      decodeURIComponent(
        (await img.getAttribute('src'))!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''),
      ),
    ).toBe(expected)
    // A reporter's card still opens /lapor at the address for phones.
    const reporter = page.locator('.credential-card', { hasText: 'Citra Dewi' })
    expect(await reporter.getAttribute('data-kind')).toBe('lapor')
    expect(await reporter.locator('.credential-url').textContent()).toBe(`${desk.url}/lapor`)

    await page.emulateMedia({ media: 'print' })
    await page
      .locator('.credential-page')
      .last()
      .screenshot({ path: join(SHOTS, 'print-roles.png') })
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2)
    await page.emulateMedia({ media: 'screen' })

    // Scanning the board's QR code opens the wall board signed in, and the code leaves the address bar.
    const tv = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    try {
      const p = await tv.newPage()
      await p.goto(link)
      await p.waitForSelector('[data-tile], [data-shape]', { timeout: 20_000 })
      expect(p.url()).toBe(`${desk.url}/papan`)
      await p.screenshot({ path: join(SHOTS, 'board-opened.png') })
    } finally {
      await tv.close()
    }
  })

  it('reissues a whole kecamatan after a clear confirmation, then prints only that run', async () => {
    const jombang = (await desk.call('GET', '/users')).body.users.filter((u: any) =>
      u.region.startsWith('35.09.01'),
    )
    expect(jombang).toHaveLength(9)
    const oldCodes = await page
      .locator('.credential-card')
      .evaluateAll((cards) =>
        Object.fromEntries(
          cards.map((c) => [
            c.getAttribute('data-user'),
            c.querySelector('.credential-code')?.textContent ?? '',
          ]),
        ),
      )
    const bulk = page.locator('.bulk-reissue')
    await bulk.getByText('Terpilih: 13 orang').waitFor()
    await bulk.getByLabel('Kecamatan').selectOption('35.09.01')
    await bulk.getByText('Terpilih: 9 orang').waitFor()
    // Staff are not in a kecamatan: operators of Jombang are nobody, and nothing can be started.
    await bulk.getByLabel('Peran').selectOption('operator')
    await bulk.getByText('Terpilih: 0 orang').waitFor()
    expect(await bulk.getByRole('button', { name: /Terbitkan kode baru/ }).isDisabled()).toBe(true)
    await bulk.getByLabel('Peran').selectOption('reporter')
    await bulk.getByText('Terpilih: 9 orang').waitFor()
    await bulk.getByRole('button', { name: 'Terbitkan kode baru untuk 9 orang…' }).click()
    const confirm = bulk.getByRole('alertdialog', { name: 'Yakin menerbitkan 9 kode baru?' })
    await confirm
      .getByText(
        /^9 kode lama \(Kec\. Jombang, Pelapor \(desa\/kelurahan dan kecamatan\)\) langsung tidak berlaku: kartu lama tidak bisa dipakai lagi/,
      )
      .waitFor()
    await bulk.screenshot({ path: join(SHOTS, 'bulk-confirm.png') })
    // Cancel changes nothing.
    await confirm.getByRole('button', { name: 'Batal' }).click()
    expect(await bulk.getByRole('alertdialog').count()).toBe(0)
    expect((await desk.call('GET', '/me', undefined, oldCodes[jombang[0].id])).status).toBe(200)

    await bulk.getByRole('button', { name: 'Terbitkan kode baru untuk 9 orang…' }).click()
    await bulk.getByRole('button', { name: 'Ya, terbitkan 9 kode baru' }).click()
    await bulk
      .getByText('9 kode baru diterbitkan. Kartunya ada di lembar cetak di bawah.')
      .waitFor({ timeout: 30_000 })
    // One print run of exactly these nine, ordered by region; the other cards stay in the tab.
    expect(await page.getByLabel('Terbitan terakhir saja (9)').isChecked()).toBe(true)
    expect(await page.locator('.credential-card').count()).toBe(9)
    expect(await page.locator('.credential-page').count()).toBe(2)
    const names = await page.locator('.credential-card .credential-name').allTextContents()
    expect(names[0]).toBe('Budi Santoso')
    for (const u of jombang) {
      const fresh = (await page
        .locator(`.credential-card[data-user="${u.id}"] .credential-code`)
        .textContent())!
      expect(fresh).not.toBe(oldCodes[u.id])
      expect((await desk.call('POST', '/auth/login', { accessCode: fresh }, null)).status).toBe(200)
    }
    // Old codes stop at once (three of them: five wrong codes would lock this test's address).
    for (const u of jombang.slice(0, 3))
      expect((await desk.call('GET', '/me', undefined, oldCodes[u.id])).status).toBe(401)
    const audit = (await desk.call('GET', '/audit')).body.entries
    expect(audit[0]).toMatchObject({
      action: 'users.reissue',
      detail: { count: 9, selection: { region: '35.09.01', role: 'reporter' } },
    })
    await page.emulateMedia({ media: 'print' })
    await page
      .locator('.credential-page')
      .first()
      .screenshot({ path: join(SHOTS, 'print-bulk.png') })
    await page.emulateMedia({ media: 'screen' })
    await page.getByLabel('Semua kode di tab ini (13)').check()
    expect(await page.locator('.credential-card').count()).toBe(13)
  })
})
