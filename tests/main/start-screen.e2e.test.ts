import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveStartPage } from '../../src/main/start-page'
import type { AdvertisedDesk, StartState } from '../../src/shared/shell'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'

const ARTIFACTS = join(__dirname, '..', '.artifacts')

/**
 * The desktop app's start page, built, served by the shell's own handler (over loopback HTTP here,
 * as Chromium has no desk-app: scheme), with a recording stand-in for the preload's bridge.
 */
describe('desktop start screen in Chromium', () => {
  let server: Server
  let base: string
  let browser: Browser

  beforeAll(async () => {
    const dir = builtUi()
    server = createServer((req, res) => {
      void serveStartPage(dir, {
        url: `desk-app://start${req.url}`,
        method: req.method ?? 'GET',
      }).then(async (answer) => {
        res.writeHead(answer.status, Object.fromEntries(answer.headers))
        res.end(Buffer.from(await answer.arrayBuffer()))
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchBrowser()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    server?.close()
  })

  async function openStart(
    state: Partial<StartState>,
    saveAnswer: unknown = { ok: true, restartNeeded: false },
  ): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } })
    const full: StartState = {
      settings: {},
      autoStart: false,
      errors: {},
      running: false,
      file: '/home/operator/.config/desk-pilkada/settings.json',
      version: '0.1.0',
      desks: [],
      ...state,
    }
    await page.addInitScript(
      ([s, answer]) => {
        const calls: unknown[] = []
        let push: ((d: unknown) => void) | null = null
        Object.assign(window, {
          __calls: calls,
          __push: (d: unknown) => push?.(d),
          deskStart: {
            state: async () => s,
            save: async (input: unknown) => (calls.push(['save', input]), answer),
            pick: async (kind: string) => (calls.push(['pick', kind]), '/media/usb/cadangan'),
            startOwn: async () => (
              calls.push(['startOwn']),
              {
                ok: false,
                message: 'Port 4046 sudah dipakai program lain. Pilih port lain dengan --port.',
              }
            ),
            openDesk: async (url: string, mode: string) => (
              calls.push(['openDesk', url, mode]),
              { ok: true }
            ),
            onDesks: (l: (d: unknown) => void) => ((push = l), () => (push = null)),
          },
        })
      },
      [full, saveAnswer] as const,
    )
    await page.goto(`${base}/start.html`)
    await page.waitForSelector('h1')
    return page
  }

  const desk = (
    id: string,
    name: string,
    url: string,
    training = false,
    version = '0.1.0',
  ): AdvertisedDesk => ({
    id,
    name,
    regency: '35.09',
    version,
    training,
    url,
    certFingerprint: null,
  })

  it('lists the desks advertised on the LAN as they come and go, and opens one as a workstation or board', async () => {
    const page = await openStart({})
    await page.waitForSelector('[data-testid=no-desks]')
    await page.evaluate(
      (list) => (window as any).__push(list),
      [
        desk('a', 'Kabupaten Jember', 'http://192.168.1.10:4046'),
        desk('b', 'Kabupaten Jember', 'http://192.168.1.11:4046', true, '0.0.9'),
      ],
    )
    await page.waitForSelector('[data-desk=b]')
    // A desk of another version is flagged: laptops of one night should run the same app.
    expect(await page.locator('[data-desk=a] [data-testid=version-warning]').count()).toBe(0)
    expect(await page.textContent('[data-desk=b] [data-testid=version-warning]')).toContain('0.0.9')
    expect(await page.$$eval('[data-desk]', (ls) => ls.map((l) => l.textContent))).toEqual([
      expect.stringContaining('http://192.168.1.10:4046'),
      expect.stringContaining('LATIHAN'),
    ])
    await page.screenshot({ path: join(ARTIFACTS, 'start-screen-1100x760.png') })
    await page.click('[data-desk=b] >> text=Buka papan')
    await page.click('[data-desk=a] >> text=Buka sebagai workstation')
    await page.evaluate(
      (list) => (window as any).__push(list),
      [desk('b', 'Kabupaten Jember', 'http://192.168.1.11:4046', true)],
    )
    await page.waitForFunction(() => document.querySelectorAll('[data-desk]').length === 1)
    expect(await page.evaluate(() => (window as any).__calls)).toEqual([
      ['openDesk', 'http://192.168.1.11:4046', 'board'],
      ['openDesk', 'http://192.168.1.10:4046', 'workstation'],
    ])
    await page.close()
  })

  it("starts this laptop's desk, and says in one sentence why it could not", async () => {
    const page = await openStart({ settings: { port: 4046, backupDir: '/media/usb' } })
    expect(await page.textContent('.summary')).toContain('Cadangan ke /media/usb tiap 60 detik')
    await page.click('text=Mulai desk')
    await page.waitForSelector('.notice')
    expect(await page.textContent('.notice')).toBe(
      'Port 4046 sudah dipakai program lain. Pilih port lain dengan --port.',
    )
    await page.close()
  })

  it('edits settings: folder picked in the dialog, refused values shown on their fields', async () => {
    const page = await openStart(
      {},
      { ok: false, errors: { port: 'Port harus bilangan bulat 0–65535' } },
    )
    await page.click('text=Pengaturan…')
    await page.fill('#setting-port', '99999')
    await page.click('#setting-backupDir ~ button')
    expect(await page.inputValue('#setting-backupDir')).toBe('/media/usb/cadangan')
    await page.click('text=Laptop ini saja')
    await page.click('text=Simpan pengaturan')
    await page.waitForSelector('#setting-port[aria-invalid=true]')
    expect(await page.textContent('.notice')).toContain('perbaiki isian yang ditandai merah')
    expect(
      await page
        .locator('#setting-port ~ .field-error, .field:has(#setting-port) .field-error')
        .first()
        .textContent(),
    ).toBe('Port harus bilangan bulat 0–65535')
    const calls = await page.evaluate(() => (window as any).__calls)
    expect(calls.at(-1)).toEqual([
      'save',
      {
        settings: { port: '99999', host: '127.0.0.1', backupDir: '/media/usb/cadangan' },
        autoStart: false,
      },
    ])
    await page.setViewportSize({ width: 1100, height: 1600 })
    await page.screenshot({ path: join(ARTIFACTS, 'start-settings-1100.png'), fullPage: true })
    await page.close()
  })

  it("while this laptop's desk runs it offers its console again; a typed address opens a board too", async () => {
    const page = await openStart({ running: true })
    await page.click('text=Buka konsol')
    await page.fill('#manual-url', 'https://192.168.1.12:4046')
    await page.click('.field:has(#manual-url) >> text=Papan')
    expect(await page.evaluate(() => (window as any).__calls)).toEqual([
      ['startOwn'],
      ['openDesk', 'https://192.168.1.12:4046', 'board'],
    ])
    await page.close()
  })

  it('shows a damaged settings file and keeps the desk from starting until it is fixed', async () => {
    const page = await openStart({ errors: { form: 'Berkas pengaturan bukan JSON yang sah' } })
    expect(await page.textContent('.error')).toContain('bukan JSON yang sah')
    expect(await page.isDisabled('text=Mulai desk')).toBe(true)
    await page.close()
  })
})
