import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, PHONE } from '../helpers/browser'
import { builtApp } from '../helpers/build-ui'
import { DESA_A, DESA_C, tpsCsv } from '../helpers/desk'
import { CSV_HEADER } from '../intake/fixtures'

// Zero loss after a failover (issue 13 item 8), end to end: two phones and an operator's console
// report to a desk; the desk takes a backup into its --backup-dir; more reports are
// acknowledged; the desk is killed (SIGKILL); `restore` brings the backup into a new data folder and
// a desk on it starts on the same address;
// the phones reconnect and resend what it lacks, the console lists its own entries for re-entry —
// and every acknowledged report is back exactly once.

const SHOTS = join(__dirname, '..', '.artifacts', 'failover')
const TOKEN = 'failover-admin-token-0123456789abcdef'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

/** `serve` from the build, as on the night; resolves once it prints its address. */
function serve(
  dataDir: string,
  port: number,
  extra: string[] = [],
): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const cli = join(builtApp(), 'main', 'cli.js')
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1', ...extra],
    {
      env: { ...process.env, DESK_ADMIN_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const exited = new Promise((r) => child.on('exit', r))
  let out = ''
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`desk did not start:\n${out}`)), 60_000)
    child.stderr!.on('data', (d) => (out += d))
    child.stdout!.on('data', (d) => {
      out += d
      const m = /siap di (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(t)
        resolve({ child, url: m[1]!, exited })
      }
    })
    child.on('exit', () => reject(new Error(`desk exited:\n${out}`)))
  })
}

interface Row {
  actor: string
  submission_id: string
  tps: string
  contest: string
  payload: string
}

function submissions(dataDir: string): Row[] {
  const db = new Database(join(dataDir, 'desk.sqlite'), { readonly: true })
  try {
    return db
      .prepare('SELECT actor, submission_id, tps, contest, payload FROM submissions ORDER BY seq')
      .all() as Row[]
  } finally {
    db.close()
  }
}

async function sendFromPhone(
  page: Page,
  tps: string,
  contest: 'bupati' | 'gubernur',
  votes: number[],
  invalid: number,
): Promise<string> {
  const valid = votes.reduce((a, b) => a + b, 0)
  await page.locator(`.tps-card[data-tps="${tps}"]`).click()
  await page
    .getByRole('button', { name: contest === 'bupati' ? 'Isi hasil Bupati' : 'Isi hasil Gubernur' })
    .click()
  await page.fill('#dpt', String(valid + invalid))
  await page.fill('#dptb', '0')
  await page.fill('#dpk', '0')
  await page.fill('#votersTotal', String(valid + invalid))
  for (let i = 0; i < votes.length; i++) await page.fill(`#votes-${i + 1}`, String(votes[i]))
  await page.fill('#valid', String(valid))
  await page.fill('#invalid', String(invalid))
  await page.fill('#total', String(valid + invalid))
  await page.getByRole('button', { name: 'Periksa sebelum kirim' }).click()
  await page.getByRole('button', { name: 'Kirim ke desk' }).click()
  await page
    .locator('[data-testid="receipt"][data-outcome="accepted"]')
    .waitFor({ timeout: 30_000 })
  const receipt = await page.getByTestId('receipt-number').innerText()
  await page.getByRole('button', { name: 'Daftar TPS' }).click()
  return receipt
}

/** A phoned-in result typed in the console by keyboard, as an operator does. */
async function enterFromConsole(page: Page, query: string, values: string[]): Promise<void> {
  await page
    .getByRole('link', { name: /Entri telepon/ })
    .first()
    .click()
  const again = page.getByRole('button', { name: /^(Entri baru|TPS lain)/ })
  if (await again.count()) await again.click()
  await page.locator('#tps-search').focus()
  await page.keyboard.type(query)
  await page.locator('.suggestions li.active').waitFor()
  await page.keyboard.press('Enter')
  await page.locator('input[name=contest][value=bupati]').check()
  await page.locator('#caller-name').fill('Pak Lurah')
  await page.locator('#sheet-dpt').focus()
  for (const v of values) {
    await page.keyboard.type(v)
    await page.keyboard.press('Enter')
  }
  await page.locator('#entry-note').focus()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await page.locator('table.readback').waitFor()
  await page.keyboard.press('Enter')
  await page.locator('.done-step.status-accepted').waitFor({ timeout: 30_000 })
}

describe('failover to a restored backup loses no acknowledged report', () => {
  let browser: Browser
  const dirs: string[] = []
  const children: ChildProcess[] = []

  beforeAll(() => {
    mkdirSync(SHOTS, { recursive: true })
    builtApp()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('phones resend and the console re-enters what the restored desk lacks: every report back exactly once', async () => {
    const primary = mkdtempSync(join(tmpdir(), 'desk-primary-'))
    const standby = mkdtempSync(join(tmpdir(), 'desk-standby-'))
    dirs.push(primary, standby)
    const backups = mkdtempSync(join(tmpdir(), 'desk-usb-'))
    dirs.push(backups)
    const port = await freePort()
    // The primary backs up to a "USB stick"; the interval is long so the test decides when.
    const a = await serve(primary, port, ['--backup-dir', backups, '--backup-interval', '3600'])
    children.push(a.child)
    const h = { authorization: `Bearer ${TOKEN}` }
    await fetch(`${a.url}/api/v1/tps/import`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'text/csv' },
      body: tpsCsv([DESA_A, DESA_C], 3, 300),
    })
    const users = (await (
      await fetch(`${a.url}/api/v1/users/import`, {
        method: 'POST',
        headers: { ...h, 'content-type': 'text/csv' },
        body: [
          CSV_HEADER,
          `Siti Aminah,0812,pelapor,${DESA_A}`,
          `Citra,0814,pelapor,${DESA_C}`,
          `Rina Operator,0815,operator,`,
        ].join('\n'),
      })
    ).json()) as { users: { name: string; accessCode: string }[] }
    const code = (name: string) => users.users.find((u) => u.name === name)!.accessCode

    browser = await launchBrowser()
    const phoneA = await (await browser.newContext(PHONE)).newPage()
    const phoneC = await (await browser.newContext(PHONE)).newPage()
    const konsol = await (
      await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'id-ID',
        timezoneId: 'Asia/Jakarta',
      })
    ).newPage()
    for (const p of [phoneA, phoneC, konsol]) p.setDefaultTimeout(20_000)
    await phoneA.goto(`${a.url}/lapor#code=${code('Siti Aminah')}`)
    await phoneC.goto(`${a.url}/lapor#code=${code('Citra')}`)
    for (const p of [phoneA, phoneC]) await p.locator('.tps-card').first().waitFor()
    await konsol.goto(`${a.url}/`)
    await konsol.locator('#code').fill(code('Rina Operator'))
    await konsol.keyboard.press('Enter')
    await konsol.locator('.console-nav').waitFor()

    // Before the backup.
    await sendFromPhone(phoneA, `${DESA_A}.001`, 'bupati', [120, 80], 10)
    await sendFromPhone(phoneC, `${DESA_C}.001`, 'bupati', [90, 95], 5)
    await enterFromConsole(konsol, 'padomasan 3', [
      '150',
      '0',
      '0',
      '150',
      '70',
      '75',
      '145',
      '5',
      '150',
    ])

    // The backup: the desk's own online backup into its --backup-dir (as every interval does).
    const made = await fetch(`${a.url}/api/v1/backup`, { method: 'POST', headers: h })
    expect(made.status).toBe(201)
    const backupFile = join(
      backups,
      ((await made.json()) as { lastGood: { file: string } }).lastGood.file,
    )

    // After the backup: acknowledged by the primary, unknown to the backup.
    const lostA1 = await sendFromPhone(phoneA, `${DESA_A}.001`, 'gubernur', [60, 70, 50], 10)
    await sendFromPhone(phoneA, `${DESA_A}.002`, 'bupati', [100, 100], 8)
    await sendFromPhone(phoneC, `${DESA_C}.001`, 'gubernur', [55, 65, 75], 3)
    await enterFromConsole(konsol, 'kaliwates 3', [
      '160',
      '0',
      '0',
      '160',
      '90',
      '65',
      '155',
      '5',
      '160',
    ])
    const acknowledged = submissions(primary)
    expect(acknowledged).toHaveLength(7)

    // The operator is typing the next call's TPS when the desk dies.
    await konsol
      .getByRole('link', { name: /Entri telepon/ })
      .first()
      .click()
    const again = konsol.getByRole('button', { name: /^(Entri baru|TPS lain)/ })
    if (await again.count()) await again.click()
    await konsol.locator('#tps-search').fill('jombang 2')
    const marker = await konsol.evaluate(
      () => ((window as unknown as { notReloaded: boolean }).notReloaded = true),
    )

    // The primary dies mid-night; the standby restores the backup (`npm run desk -- restore`) and
    // starts on it at the same address.
    a.child.kill('SIGKILL')
    await a.exited
    const restore = spawnSync(
      process.execPath,
      [join(builtApp(), 'main', 'cli.js'), 'restore', backupFile, '--data-dir', standby],
      { encoding: 'utf8' },
    )
    expect(restore.status, restore.stderr + restore.stdout).toBe(0)
    const b = await serve(standby, port)
    children.push(b.child)
    expect(b.url).toBe(a.url)
    expect(submissions(standby)).toHaveLength(3)

    // The console learns of the restored desk without a page reload: what was typed stays, and a
    // banner sends the operator to the re-entry list.
    await konsol.getByTestId('desk-restored').waitFor({ timeout: 60_000 })
    expect(await konsol.getByTestId('desk-restored').innerText()).toContain(
      'Desk dipulihkan — periksa Beranda: laporan telepon yang belum ada di desk ini tercantum di sana',
    )
    expect(await konsol.locator('#tps-search').inputValue()).toBe('jombang 2')
    expect(
      await konsol.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(marker)
    await konsol.screenshot({ path: join(SHOTS, 'console-restored-banner.png') })

    // The phones reconnect: one is reopened, the other gets its signal back.
    await phoneA.reload()
    await phoneC.evaluate(() => window.dispatchEvent(new Event('online')))
    // The console's home lists the entry the restored desk lacks, from the console's own log.
    await konsol
      .getByRole('link', { name: /Beranda/ })
      .first()
      .click()
    const panel = konsol.getByTestId('reentry')
    await panel.waitFor({ timeout: 30_000 })
    expect(await panel.locator('tbody tr').count()).toBe(1)
    expect(await panel.innerText()).toContain(`${DESA_C}.003`)
    await konsol.screenshot({ path: join(SHOTS, 'console-reentry.png') })
    await panel.getByRole('button', { name: 'Kirim ulang' }).click()
    await panel.getByTestId('reentered').waitFor()

    // Every acknowledged report is back, exactly once, with its own numbers.
    const key = (r: Row) => `${r.actor}|${r.submission_id}`
    await expect.poll(() => submissions(standby).length, { timeout: 60_000, interval: 500 }).toBe(7)
    const restored = submissions(standby)
    expect(new Set(restored.map(key)).size).toBe(7)
    expect(restored.map(key).sort()).toEqual(acknowledged.map(key).sort())
    const payloadOf = new Map(acknowledged.map((r) => [key(r), r.payload]))
    for (const r of restored) expect(r.payload).toBe(payloadOf.get(key(r)))

    // The phone shows the new receipt and the one the lost desk gave.
    await phoneA.getByRole('button', { name: /Riwayat kirim/ }).click()
    const resent = phoneA
      .getByTestId('history-item')
      .filter({ hasText: 'Dikirim ulang setelah desk dipulihkan' })
    await expect.poll(() => resent.count(), { timeout: 30_000 }).toBe(2)
    // The restored desk numbers its receipts on from the backup: the new receipt may equal the lost one.
    const gubernur = await resent.filter({ hasText: 'Gubernur · TPS 001' }).innerText()
    expect(gubernur).toMatch(
      new RegExp(
        `tanda terima lama ${lostA1}|Tanda terima ${lostA1}[\\s\\S]*nomor tanda terima tetap`,
      ),
    )
    await phoneA.screenshot({ path: join(SHOTS, 'phone-history.png') })
    // Nothing waits on any phone.
    for (const p of [phoneA, phoneC]) expect(await p.getByTestId('outbox-bar').count()).toBe(0)
    // And a later look changes nothing: no report is sent twice.
    await phoneC.reload()
    await phoneC.locator('.tps-card').first().waitFor()
    await konsol.reload()
    await konsol.locator('.console-nav').waitFor()
    expect(submissions(standby)).toHaveLength(7)
    expect(await konsol.getByTestId('reentry').count()).toBe(0)
    b.child.kill('SIGTERM')
    await b.exited
  }, 240_000)
})
