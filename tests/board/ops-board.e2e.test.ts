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
    if (r.width > 0 && (r.right > document.documentElement.clientWidth + 1 || r.left < -1))
      out.push(`off screen: ${el.textContent.trim()}`)
  }
  for (const tile of document.querySelectorAll('[data-tile]')) {
    const box = tile.querySelector('rect').getBoundingClientRect()
    for (const t of tile.querySelectorAll('text')) {
      const r = t.getBoundingClientRect()
      if (r.left < box.left - 1 || r.right > box.right + 1)
        out.push(`tile ${tile.getAttribute('data-tile')}: ${t.textContent}`)
    }
  }
  // Ticker items are shown whole or not at all (an older one that does not fit waits off the line).
  const ticker = document.querySelector('.board-ticker')?.getBoundingClientRect()
  for (const item of document.querySelectorAll('.ticker-item')) {
    const r = item.getBoundingClientRect()
    const whole =
      r.top >= ticker.top - 1 &&
      r.bottom <= ticker.bottom + 1 &&
      r.left >= ticker.left - 1 &&
      r.right <= ticker.right + 1
    const hidden = r.top >= ticker.bottom - 1
    if (!whole && !hidden) out.push(`ticker cut: ${item.textContent.trim()}`)
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

/** A full TPS: about 500 voters, every C.Hasil check passed (votes, invalid and voters together). */
function fullSheet(pairs: number, seed: number) {
  const votes: Record<string, number> = {}
  let total = 0
  for (let i = 1; i <= pairs; i++) {
    const v = Math.floor(480 / pairs) + ((seed * 31 + i * 17) % 60) - 30
    votes[String(i)] = v
    total += v
  }
  const invalid = 2 + (seed % 6)
  return { votes, invalid, voters: { dpt: total + invalid - 3, dptb: 2, dpk: 1 } }
}

describe("wall board at the operations room's sizes (issue 16)", () => {
  let desk: TestDesk
  let browser: Browser
  let display: string
  // The desk's own clock, as a training desk playing 19:10 WIB on 27-11-2024 would have it.
  let deskNow = Date.parse('2024-11-27T12:10:00Z')
  let lastReportAt = 0

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    // A training desk (its "MODE LATIHAN" band takes a line of the wall, as in a demo).
    desk = await startDesk({ staticDir: builtUi(), now: () => new Date(deskNow), training: true })
    // Real totals: 14 full TPS in each desa of three kecamatan, six-digit vote counts.
    const seeded = await seedDesk(desk, { tpsPerDesa: 14, dpt: 600 })
    const byRegion = new Map(seeded.reporters.map((r) => [r.region, r]))
    // Results through the evening: 13:20, then every 40 minutes, up to 19:00 WIB.
    let i = 0
    deskNow = Date.parse('2024-11-27T06:20:00Z')
    for (const [desa, codes] of seeded.tps) {
      const r = byRegion.get(desa)!
      await Promise.all(
        codes.flatMap((t, n) => [
          report(desk, r.code, t, 'gubernur', i + n, fullSheet(3, i + n)),
          report(desk, r.code, t, 'bupati', i + n + 1, fullSheet(2, i + n + 1)),
        ]),
      )
      lastReportAt = deskNow
      i++
      if (i % 2 === 0) deskNow = Math.min(deskNow + 40 * 60_000, Date.parse('2024-11-27T12:00:00Z'))
    }
    // The last news on the ticker: a second, different report for a TPS of the desa with the
    // longest name, held for a supervisor (the longest line the ticker can be asked to show).
    const regions = (await desk.call('GET', '/regions')).body as {
      kecamatan: { desa: { code: string; name: string }[] }[]
    }
    const names = new Map(
      regions.kecamatan.flatMap((k) => k.desa.map((d) => [d.code, d.name] as const)),
    )
    const longest = [...seeded.tps.keys()].sort(
      (a, b) => names.get(b)!.length - names.get(a)!.length,
    )[0]!
    await report(desk, byRegion.get(longest)!.code, seeded.tps.get(longest)![0]!, 'gubernur', 99)
    lastReportAt = deskNow
    expect(
      (await desk.call('GET', '/recap?contest=gubernur&level=kabupaten')).body.rows[0].valid,
    ).toBeGreaterThanOrEqual(100_000)
    deskNow = Date.parse('2024-11-27T12:10:00Z')
    display = (await desk.call('POST', '/users', { name: 'Papan', phone: '-', role: 'display' }))
      .body.accessCode
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
      const page: Page = await browser.newPage({
        viewport: { width, height },
        locale: 'en-US',
        timezoneId: 'America/New_York',
      })
      page.setDefaultTimeout(15_000)
      await page.goto(`${desk.url}/papan?contest=gubernur#token=${encodeURIComponent(display)}`)
      await page.waitForSelector('[data-tile]')
      await page.waitForTimeout(400) // charts draw on the next frame

      // Kencong's tile names its leader by number and name, not only "Unggul: 2".
      const gub = (
        await desk.call('GET', '/recap?contest=gubernur&level=kecamatan')
      ).body.rows.find((r: any) => r.code === '35.09.02')
      const lead = Object.entries(gub.votes as Record<string, number>).sort(
        (a, b) => b[1] - a[1],
      )[0]![0]
      const names: Record<string, string> = { '1': 'Luluk', '2': 'Khofifah', '3': 'Tri' }
      const band = await page.locator('[data-tile="35.09.02"] text.tile-band').textContent()
      expect(band).toBe(`${lead} · ${names[lead]}`)
      expect(await page.locator('text.tile-band', { hasText: 'Unggul' }).count()).toBe(0)

      expect(await page.evaluate(truncations)).toEqual([])
      // The total is on one line with its heading; the newest news, a conflict, is on the ticker whole.
      const votesHead = page.locator('.votes-card h2')
      expect(await votesHead.innerText()).toMatch(/^Perolehan suara · \d{3}\.\d{3}$/)
      const oneLine = (el: any) =>
        el.getBoundingClientRect().height < parseFloat(getComputedStyle(el).lineHeight) * 1.5 &&
        el.scrollWidth <= el.clientWidth + 1
      expect(await votesHead.evaluate(oneLine)).toBe(true)
      // A whole regency's total (Jember: over 1,3 million valid votes) fits the same line.
      const sevenDigits = await votesHead.evaluate((el: any) => {
        const was = el.textContent
        el.textContent = was.replace(/[\d.]+$/, '9.999.999')
        const ok =
          el.getBoundingClientRect().height < parseFloat(getComputedStyle(el).lineHeight) * 1.5 &&
          el.scrollWidth <= el.clientWidth + 1
        el.textContent = was
        return ok
      })
      expect(sevenDigits).toBe(true)
      const shown = await page.evaluate(() => {
        const t = document.querySelector('.board-ticker').getBoundingClientRect()
        return [...document.querySelectorAll('.ticker-item')]
          .filter((i: any) => i.getBoundingClientRect().bottom <= t.bottom + 1)
          .map((i: any) => i.className)
      })
      expect(shown[0]).toBe('ticker-item conflict')
      // The arrivals chart has room to be read: at least 170 design pixels high, several y ticks.
      const chart = page.locator('.arrivals-chart canvas')
      const scale = Math.min(width / 1920, height / 1080)
      expect((await chart.evaluate((el) => el.clientHeight)) / scale).toBeGreaterThanOrEqual(170)
      expect((await chart.getAttribute('data-y-ticks'))!.split(',').length).toBeGreaterThanOrEqual(
        3,
      )

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
      await expect
        .poll(() => page.getByTestId('board-notice').innerText())
        .toContain('Batas wilayah belum diimpor')
      expect(await mapButton.textContent()).toBe('Peta: petak')
      expect(await page.locator('[data-tile]').count()).toBe(31)
      // The notice covers no tile (the map makes room for it) and nothing is cut meanwhile.
      await page.waitForTimeout(300) // the map re-lays out its tiles in the room left
      const covered = await page.evaluate(() => {
        const n = document.querySelector('[data-testid=board-notice]').getBoundingClientRect()
        return [...document.querySelectorAll('[data-tile] rect')]
          .map((r: any) => r.getBoundingClientRect())
          .filter(
            (r: any) =>
              r.left < n.right && r.right > n.left && r.top < n.bottom && r.bottom > n.top,
          ).length
      })
      expect(covered).toBe(0)
      expect(await page.evaluate(truncations)).toEqual([])
      await page.screenshot({ path: join(SHOTS, `board-${width}x${height}-notice.png`) })

      // The arrivals chart runs on the desk's (simulated) clock, an hour label at every hour.
      const canvas = page.locator('.arrivals-chart canvas')
      expect((await canvas.getAttribute('data-hour-labels'))!.split(',')).toEqual([
        '13:00',
        '14:00',
        '15:00',
        '16:00',
        '17:00',
        '18:00',
        '19:00',
      ])
      expect(await page.getByTestId('clock').innerText()).toMatch(/^19:1\d:\d\d WIB$/)
      const last = new Date(lastReportAt + 7 * 3_600_000).toISOString().slice(11, 19)
      expect(await page.getByTestId('last-update').innerText()).toBe(
        `Pembaruan terakhir ${last} WIB`,
      )
      await page.screenshot({ path: join(SHOTS, `board-${width}x${height}.png`) })
      await page
        .locator('.board-side')
        .screenshot({ path: join(SHOTS, `board-${width}x${height}-side.png`) })
      await page.close()
    }, 120_000)
  }
})
