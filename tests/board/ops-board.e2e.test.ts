import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { startDesk, type TestDesk } from '../helpers/desk'
import { report, seedDesk } from '../console/seed'

// Functions handed to page.evaluate run in the browser; this Node project has no DOM types.
declare const document: any, getComputedStyle: any

const SHOTS = join(__dirname, '..', '.artifacts', 'ops-board')

/**
 * Everything on the wall that could be cut: HTML text whose box is narrower than its content
 * (an ellipsis or a clip), SVG text outside its tile, and chart text drawn past its room or with
 * an ellipsis. Measured on the rendered page.
 */
function truncations(): string[] {
  const out: string[] = []
  for (const el of document.querySelectorAll('.board *')) {
    const own = [...el.childNodes].some((n: any) => n.nodeType === 3 && n.textContent.trim())
    if (!own || el.closest('svg')) continue
    const style = getComputedStyle(el)
    const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis'
    if (clips && el.scrollWidth > el.clientWidth + 1) out.push(`html: ${el.textContent.trim()}`)
    const r = el.getBoundingClientRect()
    if (r.width > 0 && (r.right > document.documentElement.clientWidth + 1 || r.left < -1)) out.push(`off screen: ${el.textContent.trim()}`)
  }
  for (const tile of document.querySelectorAll('[data-tile]')) {
    const box = tile.querySelector('rect').getBoundingClientRect()
    for (const t of tile.querySelectorAll('text')) {
      const r = t.getBoundingClientRect()
      if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`tile ${tile.getAttribute('data-tile')}: ${t.textContent}`)
    }
  }
  for (const c of document.querySelectorAll('canvas')) {
    if (Number(c.dataset.overflowPx || 0) > 0) out.push(`chart overflow ${c.dataset.overflowPx}px`)
    for (const [k, v] of Object.entries(c.dataset) as [string, string][]) {
      if (k.startsWith('name') && v.includes('…')) out.push(`chart name cut: ${v}`)
      // Condensed a little to fit is fine; squeezed to illegibility is a cut in disguise.
      if (k.startsWith('squeeze') && Number(v) < 0.6) out.push(`chart name squeezed to ${v}`)
    }
  }
  return out
}

describe('wall board at the operations room\'s sizes (issue 16)', () => {
  let desk: TestDesk
  let browser: Browser
  let display: string
  // The desk's own clock, as a training desk playing 19:10 WIB on 27-11-2024 would have it.
  let deskNow = Date.parse('2024-11-27T12:10:00Z')
  let lastReportAt = 0

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi(), now: () => new Date(deskNow) })
    const seeded = await seedDesk(desk, { tpsPerDesa: 2 })
    const byRegion = new Map(seeded.reporters.map((r) => [r.region, r]))
    // Results through the evening: 13:20, then every 40 minutes, up to 19:00 WIB.
    let i = 0
    deskNow = Date.parse('2024-11-27T06:20:00Z')
    for (const [desa, codes] of seeded.tps) {
      const r = byRegion.get(desa)!
      for (const t of codes) {
        await report(desk, r.code, t, 'gubernur', i + 1)
        await report(desk, r.code, t, 'bupati', i + 2)
        lastReportAt = deskNow
      }
      i++
      if (i % 2 === 0) deskNow = Math.min(deskNow + 40 * 60_000, Date.parse('2024-11-27T12:00:00Z'))
    }
    deskNow = Date.parse('2024-11-27T12:10:00Z')
    display = (await desk.call('POST', '/users', { name: 'Papan', phone: '-', role: 'display' })).body.accessCode
    // A Jember desk ships its boundaries; this wall is one whose admin removed them (tiles only).
    expect((await desk.call('DELETE', '/board/boundaries')).status).toBe(200)
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ] as const) {
    it(`${width}×${height}: tiles name the leading pair, nothing is cut, buttons say what is shown, M without boundaries says so`, async () => {
      const page: Page = await browser.newPage({ viewport: { width, height }, locale: 'en-US', timezoneId: 'America/New_York' })
      page.setDefaultTimeout(15_000)
      await page.goto(`${desk.url}/papan?contest=gubernur#token=${encodeURIComponent(display)}`)
      await page.waitForSelector('[data-tile]')
      await page.waitForTimeout(400) // charts draw on the next frame

      // Kencong's tile names its leader by number and name, not only "Unggul: 2".
      const gub = (await desk.call('GET', '/recap?contest=gubernur&level=kecamatan')).body.rows.find((r: any) => r.code === '35.09.02')
      const lead = Object.entries(gub.votes as Record<string, number>).sort((a, b) => b[1] - a[1])[0]![0]
      const names: Record<string, string> = { '1': 'Luluk', '2': 'Khofifah', '3': 'Tri' }
      const band = await page.locator('[data-tile="35.09.02"] text.tile-band').textContent()
      expect(band).toBe(`${lead} · ${names[lead]}`)
      expect(await page.locator('text.tile-band', { hasText: 'Unggul' }).count()).toBe(0)

      expect(await page.evaluate(truncations)).toEqual([])

      // The buttons say what the wall shows now.
      const mapButton = page.getByTestId('map-mode')
      const colourButton = page.getByTestId('colour-mode')
      expect(await mapButton.textContent()).toBe('Peta: petak')
      expect(await colourButton.textContent()).toBe('Warna: TPS melapor')
      await page.keyboard.press('w')
      await expect.poll(() => colourButton.textContent()).toBe('Warna: paslon unggul')
      await expect.poll(() => page.getByTestId('legend').innerText()).toContain('Paslon unggul')
      await page.waitForTimeout(200)
      expect(await page.evaluate(truncations)).toEqual([])
      await page.screenshot({ path: join(SHOTS, `board-${width}x${height}-leader.png`) })
      await page.keyboard.press('w')
      await expect.poll(() => colourButton.textContent()).toBe('Warna: TPS melapor')
      // M with no boundaries imported: said on the wall; the map stays tiles and says so.
      await page.keyboard.press('m')
      await expect.poll(() => page.getByTestId('board-notice').innerText()).toContain('Batas wilayah belum diimpor')
      expect(await mapButton.textContent()).toBe('Peta: petak')
      expect(await page.locator('[data-tile]').count()).toBe(31)

      // The arrivals chart runs on the desk's (simulated) clock, an hour label at every hour.
      const canvas = page.locator('.arrivals-chart canvas')
      expect((await canvas.getAttribute('data-hour-labels'))!.split(',')).toEqual(['13:00', '14:00', '15:00', '16:00', '17:00', '18:00', '19:00'])
      expect(await page.getByTestId('clock').innerText()).toMatch(/^19:1\d:\d\d WIB$/)
      const last = new Date(lastReportAt + 7 * 3_600_000).toISOString().slice(11, 19)
      expect(await page.getByTestId('last-update').innerText()).toBe(`Pembaruan terakhir ${last} WIB`)
      await page.screenshot({ path: join(SHOTS, `board-${width}x${height}.png`) })
      await page.close()
    }, 120_000)
  }
})
