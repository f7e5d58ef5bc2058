import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Debian's Chromium, headless, with no background traffic (this machine has no internet);
 * `extraArgs` for a test's own needs (a self-signed certificate, a host name mapped to loopback).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  })
}

/** A reporter's phone: 360×740, touch, Indonesian locale (`browser.newContext(PHONE)`). */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'id-ID',
}

/** An operations-room laptop: 1366×768, Indonesian, WIB. */
export const LAPTOP: BrowserContextOptions = {
  viewport: { width: 1366, height: 768 },
  locale: 'id-ID',
  timezoneId: 'Asia/Jakarta',
}

/**
 * A new page signed in with `token` as the desktop window is (no code typed: the token is in
 * sessionStorage before the UI loads); `timeout` for each step, `context` for other screens.
 */
export async function signedInPage(
  browser: Browser,
  token: string,
  options: { timeout?: number; context?: BrowserContextOptions } = {},
): Promise<Page> {
  const context = await browser.newContext(options.context ?? LAPTOP)
  await context.addInitScript((t) => sessionStorage.setItem('desk.token', t), token)
  context.setDefaultTimeout(options.timeout ?? 15_000)
  return context.newPage()
}
