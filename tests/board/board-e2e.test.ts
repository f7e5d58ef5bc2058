import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardSummaryDto } from '../../src/shared/board'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { startDesk, type TestDesk } from '../helpers/desk'
import { importAllTps, send, FIXTURES } from './helpers'

// Functions handed to page.evaluate run in the browser; this Node project has no DOM types.
declare const document: any, window: any, getComputedStyle: any, NodeFilter: any, SVGElement: any
type Element = any
type DOMRect = any
type HTMLSelectElement = any
type SVGGraphicsElement = any

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts')

/**
 * Every visible piece of text on the page with its rendered size and contrast. SVG text is scaled
 * by its viewBox, so its size is the font size times the screen matrix; its background is the
 * fill it is drawn on (data-bg). HTML text sits on the nearest opaque ancestor background.
 */
function measureText(): { text: string; px: number; contrast: number }[] {
  const parse = (c: string): [number, number, number, number] => {
    const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0]
    if (c.startsWith('#')) {
      const n = parseInt(c.slice(1), 16)
      return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1]
    }
    return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1]
  }
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => {
      const c = v / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!)
  }
  const ratio = (a: number[], b: number[]) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number]
    return (x + 0.05) / (y + 0.05)
  }
  const background = (el: Element): number[] => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor)
      if (bg[3] > 0.5) return bg
    }
    return [255, 255, 255, 1]
  }
  const out: { text: string; px: number; contrast: number }[] = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim()
    const el = n.parentElement
    if (!text || !el) continue
    const rect = el.getBoundingClientRect()
    const style = getComputedStyle(el)
    if (
      rect.width === 0 ||
      rect.height === 0 ||
      style.visibility === 'hidden' ||
      style.display === 'none'
    )
      continue
    if (el instanceof SVGElement) {
      const textEl = el.closest('text')!
      const scale = (textEl as SVGGraphicsElement).getScreenCTM()?.a ?? 1
      const fill = parse(getComputedStyle(textEl).fill)
      const bg = parse(textEl.getAttribute('data-bg') ?? '#000')
      out.push({
        text,
        px: parseFloat(getComputedStyle(textEl).fontSize) * scale,
        contrast: ratio(fill, bg),
      })
    } else {
      out.push({
        text,
        px: parseFloat(style.fontSize),
        contrast: ratio(parse(style.color), background(el)),
      })
    }
  }
  return out
}

async function openBoard(page: Page, desk: TestDesk, token: string, query = '') {
  await page.goto(`${desk.url}/papan${query}#token=${encodeURIComponent(token)}`)
  await page.waitForSelector('[data-tile], [data-shape]', { timeout: 20_000 })
}

/** Charts draw on a later frame and then note the font sizes they used: wait for that, not for a guess. */
const chartsDrawn = (page: Page) =>
  page.waitForFunction(
    () => document.querySelectorAll('canvas[data-min-font-px]').length === 2,
    undefined,
    { timeout: 10_000 },
  )

const tilePercents = (page: Page) =>
  page.$$eval('[data-tile]', (tiles) =>
    Object.fromEntries(
      tiles.map((t) => [
        t.getAttribute('data-tile'),
        t.querySelector('.tile-pct')?.textContent ?? '',
      ]),
    ),
  )

describe('wall board in Chromium', () => {
  let desk: TestDesk
  let browser: Browser
  let display: string
  let tps: string[]
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-board-e2e-'))
  const sent = new Map<string, number>() // kecamatan → gubernur results sent
  const bupatiSent = new Set<string>()

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi(), dataDir })
    tps = await importAllTps(desk, 2)
    display = (
      await desk.call('POST', '/users', {
        name: 'Layar Ruang Rapat',
        role: 'display',
        phone: '081234567890',
      })
    ).body.accessCode
    // Kecamatan number k reports k of its TPS (capped), so every tile shows a different share.
    const byKec = new Map<string, string[]>()
    for (const t of tps) byKec.set(t.slice(0, 8), [...(byKec.get(t.slice(0, 8)) ?? []), t])
    for (const [kec, list] of byKec) {
      const n = Math.min(list.length, Number(kec.slice(6)) % 12)
      for (const t of list.slice(0, n))
        await send(desk, t, 'gubernur', 3, Number(kec.slice(6)) % 3 === 0 ? 50 : 0)
      for (const t of list.slice(0, Math.floor(n / 2))) {
        await send(desk, t, 'bupati', 2)
        bupatiSent.add(t)
      }
      sent.set(kec, n)
    }
    browser = await launchBrowser()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const expectedPercent = (kec: string) => {
    const total = tps.filter((t) => t.startsWith(kec + '.')).length
    return `${Math.floor(((sent.get(kec) ?? 0) / total) * 100)}%`
  }

  it('shows 31 kecamatan tiles with the right % at 1920×1080, legibly', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await openBoard(page, desk, display, '?contest=gubernur&peta=petak')
    const percents = await tilePercents(page)
    expect(Object.keys(percents)).toHaveLength(31)
    for (const kec of desk.service.regions.kecamatan)
      expect(percents[kec.code], kec.name).toBe(expectedPercent(kec.code))
    const total = [...sent.values()].reduce((a, b) => a + b, 0)
    expect(await page.textContent('[data-testid=progress-percent]')).toBe(
      `${Math.floor((total / tps.length) * 100)}%`,
    )
    await expect(page.textContent('body')).resolves.toContain('DATA CEPAT — BUKAN DATA RESMI')
    await chartsDrawn(page)
    await page.screenshot({ path: join(ARTIFACTS, 'board-1920x1080.png') })

    // Legibility, measured on the rendered page: no text under 24 px, key figures ≥ 64 px, contrast ≥ 4.5:1.
    const texts = await page.evaluate(measureText)
    expect(texts.length).toBeGreaterThan(100)
    const small = texts.filter((t) => t.px < 23.9)
    expect(small, JSON.stringify(small.slice(0, 5))).toEqual([])
    const faint = texts.filter((t) => t.contrast < 4.5)
    expect(faint, JSON.stringify(faint.slice(0, 5))).toEqual([])
    const big = await page.$eval('[data-testid=progress-percent]', (el) =>
      parseFloat(getComputedStyle(el).fontSize),
    )
    expect(big).toBeGreaterThanOrEqual(64)
    const canvases = await page.$$eval('canvas', (cs) =>
      cs.map((c) => ({ min: Number(c.dataset.minFontPx), key: Number(c.dataset.keyFontPx || 0) })),
    )
    expect(canvases).toHaveLength(2)
    for (const c of canvases) expect(c.min).toBeGreaterThanOrEqual(24)
    expect(Math.max(...canvases.map((c) => c.key))).toBeGreaterThanOrEqual(64) // vote shares
    // Nothing spills off the screen.
    expect(
      await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.scrollHeight,
      ]),
    ).toEqual([1920, 1080])
    await page.close()
  })

  it('fits 1280×720 and the public page fits a 360 px phone without personal data', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await openBoard(page, desk, display, '?peta=petak')
    const boxes = await page.$$eval('[data-tile]', (ts) =>
      ts.map((t) => t.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]),
    )
    expect(boxes).toHaveLength(31)
    for (const [l, t, r, b] of boxes) {
      expect(l).toBeGreaterThanOrEqual(0)
      expect(t).toBeGreaterThanOrEqual(0)
      expect(r).toBeLessThanOrEqual(1280)
      expect(b).toBeLessThanOrEqual(720)
    }
    await chartsDrawn(page)
    await page.screenshot({ path: join(ARTIFACTS, 'board-1280x720.png') })
    await page.close()

    const phone = await browser.newPage({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    })
    await phone.goto(`${desk.url}/publik`)
    await phone.waitForSelector('.publik-contest')
    const body = (await phone.textContent('body'))!
    expect(body).toContain('DATA CEPAT — BUKAN DATA RESMI')
    expect(body).toContain('KPU')
    expect(body).not.toContain('Layar Ruang Rapat')
    expect(body).not.toContain('081234567890')
    expect(await phone.$$('.publik-contest')).toHaveLength(2)
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    )
    await phone.screenshot({ path: join(ARTIFACTS, 'publik-360x740.png'), fullPage: true })
    await phone.close()
  })

  it('a new Jember desk opens on the geographic map it ships with, no import needed', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await openBoard(page, desk, display, '?contest=gubernur')
    await page.waitForSelector('path[data-shape]')
    const shapes = await page.$$eval('path[data-shape]', (ps) =>
      ps.map((p) => ({
        code: p.getAttribute('data-shape'),
        percent: p.getAttribute('data-percent'),
      })),
    )
    expect(shapes).toHaveLength(31)
    for (const s of shapes) expect(`${s.percent}%`).toBe(expectedPercent(s.code!))
    await chartsDrawn(page)
    await page.screenshot({ path: join(ARTIFACTS, 'board-geo-bundled-1920x1080.png') })
    await page.close()
  })

  it('draws the 31 shapes of the kecamatan GeoJSON imported by the admin', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await admin.goto(`${desk.url}/papan?batas#token=${desk.adminToken}`)
    await admin.setInputFiles('#boundary-file', join(FIXTURES, 'jember-kecamatan.geojson'))
    await admin.waitForSelector('#boundary-property')
    expect(await admin.$eval('#boundary-property', (s) => (s as HTMLSelectElement).value)).toBe(
      'kode',
    )
    await admin.click('button[type=submit]')
    await admin.waitForSelector('[data-testid=import-result]')
    expect(await admin.textContent('[data-testid=import-result]')).toContain('kecamatan: 31')
    await admin.screenshot({ path: join(ARTIFACTS, 'board-boundary-import.png'), fullPage: true })
    await admin.close()

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await openBoard(page, desk, display, '?contest=gubernur')
    await page.waitForSelector('[data-shape]')
    const shapes = await page.$$eval('path[data-shape]', (ps) =>
      ps.map((p) => ({
        code: p.getAttribute('data-shape'),
        percent: p.getAttribute('data-percent'),
        box: p.getBoundingClientRect().toJSON() as DOMRect,
      })),
    )
    expect(shapes).toHaveLength(31)
    const map = await page.$eval(
      'svg.geo-map',
      (s) => s.getBoundingClientRect().toJSON() as DOMRect,
    )
    // Wound the wrong way, a region would be drawn as the whole globe minus itself: a map-sized box.
    for (const s of shapes)
      expect(s.box.width * s.box.height).toBeLessThan(map.width * map.height * 0.25)
    for (const s of shapes) expect(`${s.percent}%`).toBe(expectedPercent(s.code!))
    await chartsDrawn(page)
    await page.screenshot({ path: join(ARTIFACTS, 'board-geo-1920x1080.png') })
    const texts = await page.evaluate(measureText)
    expect(texts.filter((t) => t.px < 23.9 || t.contrast < 4.5)).toEqual([])
    await page.close()
    await desk.call('DELETE', '/board/boundaries')
  })

  it('shows a result sent through the API without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await openBoard(page, desk, display, '?contest=gubernur&peta=petak')
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
    const kec = '35.09.19'
    const next = tps.filter((t) => t.startsWith(kec + '.'))[sent.get(kec)!]!
    const before = await page.textContent(`[data-tile="${kec}"] .tile-pct`)
    await send(desk, next, 'gubernur', 3)
    sent.set(kec, sent.get(kec)! + 1)
    await page.waitForFunction(
      ([code, pct]) =>
        document.querySelector(`[data-tile="${code}"] .tile-pct`)?.textContent === pct,
      [kec, expectedPercent(kec)] as const,
      { timeout: 5_000 },
    )
    expect(expectedPercent(kec)).not.toBe(before)
    expect(await page.textContent('[data-testid=ticker]')).toContain(`TPS ${next.slice(-3)}`)
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42)
    await page.close()
  })

  it("counts a kecamatan's own conflicts in its view, and the regency's in the overview", async () => {
    const firstOf = (kec: string) => tps.find((t) => t.startsWith(kec + '.'))!
    // Jombang and Kaliwates each get a conflict: the first TPS reported again with other numbers.
    for (const kec of ['35.09.01', '35.09.19'])
      expect((await send(desk, firstOf(kec), 'gubernur', 3, 5)).status).toBe(202)
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await openBoard(page, desk, display, '?contest=gubernur&peta=petak&kec=35.09.01')
    const shows = (n: string) =>
      page.waitForFunction(
        (want) => document.querySelector('[data-testid=conflicts] strong')?.textContent === want,
        n,
        { timeout: 5_000 },
      )
    await shows('1')
    await page.screenshot({ path: join(ARTIFACTS, 'board-kecamatan-conflicts.png') })
    // A new conflict elsewhere leaves Jombang's count alone; one in Jombang moves it, live.
    expect((await send(desk, firstOf('35.09.19'), 'gubernur', 3, 6)).status).toBe(202)
    // Wait for the board to have taken the new conflict in: Jombang's figure read again after the
    // regency's count moved (a board that missed it, or is slow, fails here instead of passing).
    const regencyWaiting = (await desk.call<BoardSummaryDto>('GET', '/board/summary')).body
      .conflictsWaiting
    expect(regencyWaiting).toBe(3)
    await page.waitForSelector(`[data-testid=conflicts][data-regency-count="${regencyWaiting}"]`, {
      timeout: 10_000,
    })
    expect(await page.textContent('[data-testid=conflicts] strong')).toBe('1')
    const jombangNext = tps.filter((t) => t.startsWith('35.09.01.'))[1]!
    await send(desk, jombangNext, 'gubernur', 3)
    sent.set('35.09.01', sent.get('35.09.01')! + 1)
    expect((await send(desk, jombangNext, 'gubernur', 3, 7)).status).toBe(202)
    await shows('2')
    // One opens in Jombang while one in Kaliwates is decided, at once: the regency's count does not
    // move, Jombang's does. Then the other way round.
    const openIn = (kec: string) =>
      desk
        .call<{ conflicts: { id: number; tps: { code: string } }[] }>('GET', '/conflicts')
        .then((r) => r.body.conflicts.filter((c) => c.tps.code.startsWith(kec + '.')))
    const decide = async (kec: string) => {
      const [c] = await openIn(kec)
      const r = await desk.call('POST', `/conflicts/${c!.id}/resolve`, {
        keep: 'standing',
        reason: 'Lembar C.Hasil dicek: hasil awal benar',
      })
      expect(r.status).toBe(200)
    }
    const jombangThird = tps.filter((t) => t.startsWith('35.09.01.'))[2]!
    await send(desk, jombangThird, 'gubernur', 3)
    sent.set('35.09.01', sent.get('35.09.01')! + 1)
    await Promise.all([
      send(desk, jombangThird, 'gubernur', 3, 8).then((r) => expect(r.status).toBe(202)),
      decide('35.09.19'),
    ])
    await shows('3')
    const kaliwatesSecond = tps.filter((t) => t.startsWith('35.09.19.'))[1]!
    await Promise.all([
      decide('35.09.01'),
      send(desk, kaliwatesSecond, 'gubernur', 3, 9).then((r) => expect(r.status).toBe(202)),
    ])
    await shows('2')
    expect((await openIn('35.09.01')).length).toBe(2)
    // Back to the whole regency: every conflict waiting.
    await page.keyboard.press('Escape')
    await shows('4')
    await page.close()
  })

  it('says "Koneksi terputus sejak HH:MM" when the stream drops, and misses nothing when it is back', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await openBoard(page, desk, display, '?contest=gubernur&peta=petak')
    await page.waitForFunction(
      () => document.querySelector('[data-testid=connection-lost]') === null,
    )

    // 1. The desk cuts every stream; a result committed before the board reconnects reaches it
    //    on reconnect (Last-Event-ID replay).
    const kec = '35.09.20'
    const list = tps.filter((t) => t.startsWith(kec + '.'))
    desk.server.closeAllConnections() // as a network drop would
    await new Promise((r) => setTimeout(r, 100)) // let the test's own pooled sockets see the close
    await send(desk, list[sent.get(kec)!]!, 'gubernur', 3)
    sent.set(kec, sent.get(kec)! + 1)
    await page.waitForSelector('[data-testid=connection-lost]', { timeout: 5_000 })
    expect(await page.textContent('[data-testid=connection-lost]')).toMatch(
      /^Koneksi terputus sejak \d\d:\d\d WIB/,
    )
    await page.waitForFunction(
      ([code, pct]) =>
        document.querySelector(`[data-tile="${code}"] .tile-pct`)?.textContent === pct,
      [kec, expectedPercent(kec)] as const,
      {
        timeout: 10_000,
      },
    )
    await page.waitForSelector('[data-testid=connection-lost]', {
      state: 'detached',
      timeout: 10_000,
    })

    // 2. The desk stops altogether, and comes back on the same port and data.
    const port = desk.port
    await desk.close()
    await page.waitForSelector('[data-testid=connection-lost]', { timeout: 10_000 })
    await page.screenshot({ path: join(ARTIFACTS, 'board-connection-lost.png') })
    desk = await startDesk({ staticDir: builtUi(), dataDir, port })
    await send(desk, list[sent.get(kec)!]!, 'gubernur', 3)
    sent.set(kec, sent.get(kec)! + 1)
    await page.waitForFunction(
      ([code, pct]) =>
        document.querySelector(`[data-tile="${code}"] .tile-pct`)?.textContent === pct,
      [kec, expectedPercent(kec)] as const,
      {
        timeout: 15_000,
      },
    )
    await page.waitForSelector('[data-testid=connection-lost]', {
      state: 'detached',
      timeout: 10_000,
    })
    await page.close()
  }, 60_000)

  it('runs unattended: cycles views, hides the cursor, and does not grow with hundreds of events', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await openBoard(page, desk, display, '?auto=5&peta=petak')
    expect(await page.$eval('.board', (b) => getComputedStyle(b).cursor)).toBe('none')
    expect(await page.$$('.map-controls button')).toHaveLength(0)
    const first = await page.textContent('.map-head h2')
    await page.waitForFunction(
      (h) => document.querySelector('.map-head h2')?.textContent !== h,
      first,
      { timeout: 8_000 },
    )
    expect(await page.textContent('.map-head h2')).toMatch(/^Kecamatan /)

    const cdp = await page.context().newCDPSession(page)
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage')
      return (await cdp.send('Runtime.getHeapUsage')).usedSize
    }
    const rest = tps.filter((t) => !bupatiSent.has(t))
    const burst = async (list: string[]) =>
      Promise.all(
        list.map((t) =>
          desk.call('POST', '/results', {
            submissionId: `b-${t}-${Math.random()}`,
            tps: t,
            contest: 'bupati',
            votes: { '1': 3, '2': 4 },
            invalid: 1,
          }),
        ),
      )
    // The board has applied every event the desk has committed so far (no sleeping on a guess).
    const caughtUp = async () => {
      const last = (await desk.call<BoardSummaryDto>('GET', '/board/summary')).body.lastEventId
      await page.waitForFunction(
        (id) => Number(document.querySelector('.board')?.getAttribute('data-event-id')) >= id,
        last,
        { timeout: 20_000 },
      )
    }
    await burst(rest.slice(0, 10))
    await caughtUp()
    const before = await heap()
    expect(rest.length).toBeGreaterThan(300)
    await burst(rest.slice(10))
    await caughtUp()
    const after = await heap()
    expect(after - before).toBeLessThan(3_000_000)
    expect(await page.$$('.ticker-item')).toHaveLength(2)
    expect(await page.$$('canvas')).toHaveLength(2)
    await page.close()
  }, 60_000)
})
