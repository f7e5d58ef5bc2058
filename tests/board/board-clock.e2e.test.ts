import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../helpers/browser'
import { builtUi } from '../helpers/build-ui'
import { startDesk, type TestDesk } from '../helpers/desk'
import { report, seedDesk } from '../console/seed'

// A training desk plays the election night faster than real time (a demo: hours in minutes).
// The wall board shows the desk's clock and grows its arrivals chart on it, not on its own.

const SHOTS = join(__dirname, '..', '.artifacts', 'ops-board')
/** Desk seconds per real second. */
const SPEED = 360
const WIB_MS = 7 * 3_600_000
/** The board's clock ticks once a second: give a loaded machine room beyond that. */
const WAIT = { timeout: 10_000 }
/** 13:00 WIB on 27-11-2024, when counting starts. */
const DESK_START = Date.parse('2024-11-27T06:00:00Z')

/** Seconds since midnight WIB of a desk time. */
const wibSeconds = (ms: number) => Math.floor(((ms + WIB_MS) % 86_400_000) / 1000)
/** "15:04:05 WIB" → seconds since midnight. */
function clockSeconds(text: string): number {
  const m = /^(\d\d):(\d\d):(\d\d) WIB$/.exec(text.trim())
  if (!m) throw new Error(`not a clock: ${text}`)
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])
}

describe('the wall board keeps a desk clock that runs faster than real time (issue 16)', () => {
  let desk: TestDesk
  let browser: Browser
  let display: string
  // Stands still at 13:00 while the desk is seeded, then runs SPEED× from `realStart`.
  let realStart: number | null = null
  const deskNow = () =>
    realStart === null ? DESK_START : DESK_START + (Date.now() - realStart) * SPEED
  let reporters: { code: string; region: string }[] = []
  let tps = new Map<string, string[]>()

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi(), now: () => new Date(deskNow()) })
    const seeded = await seedDesk(desk, { kecamatan: ['35.09.01'], tpsPerDesa: 2 })
    reporters = seeded.reporters
    tps = seeded.tps
    display = (await desk.call('POST', '/users', { name: 'Papan', phone: '-', role: 'display' }))
      .body.accessCode
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('the clock and the arrivals chart follow the desk through results and a conflict', async () => {
    const page: Page = await browser.newPage({
      viewport: { width: 1920, height: 1080 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
    })
    page.setDefaultTimeout(20_000)
    realStart = Date.now()
    await page.goto(
      `${desk.url}/papan?contest=gubernur&peta=petak#token=${encodeURIComponent(display)}`,
    )
    await page.waitForSelector('[data-tile]')
    const clock = page.getByTestId('clock')
    const eventId = async () => Number(await page.locator('.board').getAttribute('data-event-id'))
    const lastEventId = async () =>
      (await desk.call('GET', '/board/summary')).body.lastEventId as number

    // A result: the board's clock is at least the desk's time of that result.
    const [first, second] = reporters
    const firstTps = tps.get(first!.region)![0]!
    const before = deskNow()
    await report(desk, first!.code, firstTps, 'gubernur', 1)
    let id = await lastEventId()
    await expect.poll(eventId, WAIT).toBeGreaterThanOrEqual(id)
    await expect
      .poll(async () => clockSeconds(await clock.innerText()), WAIT)
      .toBeGreaterThanOrEqual(wibSeconds(before))

    // Past 14:00 on the desk (ten real seconds at 360×), a conflict arrives, and no result: the
    // clock jumps with it and the chart gains its empty quarter hours up to it.
    while (deskNow() < DESK_START + 75 * 60_000) await page.waitForTimeout(250)
    const atConflict = deskNow()
    await report(desk, first!.code, firstTps, 'gubernur', 7)
    id = await lastEventId()
    await expect.poll(eventId, WAIT).toBeGreaterThanOrEqual(id)
    await expect
      .poll(async () => clockSeconds(await clock.innerText()), WAIT)
      .toBeGreaterThanOrEqual(wibSeconds(atConflict))
    // …and never ahead of the desk.
    expect(clockSeconds(await clock.innerText())).toBeLessThanOrEqual(wibSeconds(deskNow()))
    // The chart's hours run 13:00, 14:00 (the board ticks its chart every minute at most, so this
    // comes from the conflict's time, not from the screen's clock).
    const canvas = page.locator('.arrivals-chart canvas')
    await expect
      .poll(async () => (await canvas.getAttribute('data-hour-labels'))?.split(','), WAIT)
      .toEqual(['13:00', '14:00'])

    // Another result later still: counted in its own quarter hour, the clock with it.
    while (deskNow() < DESK_START + 110 * 60_000) await page.waitForTimeout(250)
    const atLast = deskNow()
    await report(desk, second!.code, tps.get(second!.region)![0]!, 'gubernur', 3)
    id = await lastEventId()
    await expect.poll(eventId, WAIT).toBeGreaterThanOrEqual(id)
    await expect
      .poll(async () => clockSeconds(await clock.innerText()), WAIT)
      .toBeGreaterThanOrEqual(wibSeconds(atLast))
    await page.waitForTimeout(300) // the chart draws on the next frame
    await page.screenshot({ path: join(SHOTS, 'board-accelerated-clock.png') })
    await page.close()
  }, 120_000)
})
