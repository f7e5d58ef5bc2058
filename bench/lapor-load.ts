// bench/lapor-load: the reporter form's first load over a 2G/EDGE-like link. A desk serves the
// built UI on 127.0.0.1; Debian's Chromium, with a cold cache and Chromium's own network emulation
// (CDP Network.emulateNetworkConditions: 250 kbit/s down and up, 300 ms round trip), opens /lapor
// and the clock stops when the sign-in code field is on screen (the form is usable). The console
// page (React, the same desk, the same link) is a baseline measured in the same run; with --react
// the same form built on React (DESK_LAPOR_RUNTIME=react, a temp build) is measured too.
//
//   npx tsx bench/lapor-load.ts [--dir out/renderer] [--runs 3] [--kbps 250] [--rtt 300] [--react]
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser } from 'playwright-core'
import { createDesk } from '../src/host/desk'
import { silentLogger } from '../src/server/logger'
import { launchBrowser } from '../tests/helpers/browser'

interface Load {
  /** Navigation start → the code field visible. */
  ms: number
  /** Bytes on the wire (compressed, with headers) for every request of the page. */
  bytes: number
  requests: number
}

async function firstLoad(
  browser: Browser,
  url: string,
  field: string,
  kbps: number,
  rttMs: number,
): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: 'id-ID',
  })
  try {
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
    const bytesPerSecond = (kbps * 1000) / 8
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: rttMs,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    })
    let bytes = 0
    let requests = 0
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength
      requests++
    })
    const start = performance.now()
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 })
    await page.locator(field).first().waitFor({ state: 'visible', timeout: 120_000 })
    const ms = performance.now() - start
    return { ms, bytes, requests }
  } finally {
    await context.close()
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: 'out/renderer' },
      runs: { type: 'string', default: '3' },
      kbps: { type: 'string', default: '250' },
      rtt: { type: 'string', default: '300' },
      react: { type: 'boolean', default: false },
    },
  })
  const runs = Math.max(1, Math.min(20, Number(values.runs) || 3))
  const kbps = Number(values.kbps) || 250
  const rtt = Number(values.rtt) || 300
  let dir = values.dir!
  let temp: string | null = null
  if (!existsSync(join(dir, 'lapor.html'))) {
    temp = mkdtempSync(join(tmpdir(), 'lapor-load-'))
    process.stdout.write(`Tidak ada build di ${dir}; membangun ke ${temp}…\n`)
    execFileSync('npx', ['electron-vite', 'build', '--outDir', temp], {
      stdio: 'ignore',
      cwd: join(import.meta.dirname, '..'),
    })
    dir = join(temp, 'renderer')
  }
  let reactDir: string | null = null
  if (values.react) {
    reactDir = mkdtempSync(join(tmpdir(), 'lapor-load-react-'))
    execFileSync('npx', ['electron-vite', 'build', '--outDir', reactDir], {
      stdio: 'ignore',
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, DESK_LAPOR_RUNTIME: 'react' },
    })
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'lapor-load-data-'))
  const token = 'bench-admin-token-0123456789abcdef'
  const desk = await createDesk({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    adminToken: token,
    logger: silentLogger,
    staticDir: dir,
  })
  const reactData = mkdtempSync(join(tmpdir(), 'lapor-load-data-'))
  const reactDesk = reactDir
    ? await createDesk({
        dataDir: reactData,
        port: 0,
        host: '127.0.0.1',
        adminToken: token,
        logger: silentLogger,
        staticDir: join(reactDir, 'renderer'),
      })
    : null
  const browser = await launchBrowser()
  try {
    const lapor: Load[] = []
    const konsol: Load[] = []
    const laporReact: Load[] = []
    for (let i = 0; i < runs; i++) {
      lapor.push(await firstLoad(browser, `${desk.url}/lapor`, '#code', kbps, rtt))
      konsol.push(await firstLoad(browser, `${desk.url}/`, 'form.sign-in input', kbps, rtt))
      if (reactDesk)
        laporReact.push(await firstLoad(browser, `${reactDesk.url}/lapor`, '#code', kbps, rtt))
    }
    const line = (name: string, xs: Load[]) =>
      `${name.padEnd(22)} median ${s(median(xs.map((x) => x.ms)))} (${xs.map((x) => s(x.ms)).join(', ')}), ${kb(median(xs.map((x) => x.bytes)))} di jaringan, ${median(xs.map((x) => x.requests))} permintaan\n`
    process.stdout.write(
      `Muat pertama, cache kosong, ${kbps} kbit/s, RTT ${rtt} ms, ${runs}× tiap halaman:\n`,
    )
    process.stdout.write(line('/lapor (Preact)', lapor))
    process.stdout.write(line('konsol / (React)', konsol))
    if (reactDesk) process.stdout.write(line('/lapor di atas React', laporReact))
    process.stdout.write(
      `/lapor = ${(median(lapor.map((x) => x.ms)) / median(konsol.map((x) => x.ms))).toFixed(2)}× waktu konsol${reactDesk ? `, ${(median(lapor.map((x) => x.ms)) / median(laporReact.map((x) => x.ms))).toFixed(2)}× waktu form yang sama di atas React` : ''}\n`,
    )
  } finally {
    await browser.close()
    await desk.close()
    if (reactDesk) {
      await reactDesk.close()
    }
    rmSync(reactData, { recursive: true, force: true })
    rmSync(dataDir, { recursive: true, force: true })
    if (reactDir) rmSync(reactDir, { recursive: true, force: true })
    if (temp) rmSync(temp, { recursive: true, force: true })
  }
}

await main()
