import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, signedInPage } from '../helpers/browser'
import { builtUi, runCli } from '../helpers/build-ui'
import { ADMIN_TOKEN, startDesk, type TestDesk } from '../helpers/desk'
import { listBackups } from '../../src/service/backup-service'

const SHOTS = join(__dirname, '..', '.artifacts', 'backup')

describe('backup indicator on the console home (Chromium, 1366×768)', () => {
  let desk: TestDesk
  let browser: Browser
  let backupDir: string
  let t = Date.parse('2024-11-27T12:00:00.000Z')

  async function home(): Promise<Page> {
    const page = await signedInPage(browser, ADMIN_TOKEN)
    await page.goto(`${desk.url}/`)
    await page.locator('.backup-line').waitFor()
    return page
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    backupDir = mkdtempSync(join(tmpdir(), 'desk-backup-ui-'))
    desk = await startDesk({
      staticDir: builtUi(),
      backupDir,
      backupIntervalSeconds: 60,
      now: () => new Date(t),
    })
    await desk.backups!.trigger()
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
    rmSync(backupDir, { recursive: true, force: true })
  })

  it('shows the last good backup in WIB, then turns red when it is older than two intervals', async () => {
    t += 30_000
    const page = await home()
    const line = page.locator('.backup-line')
    await expect.poll(() => line.getAttribute('data-state')).toBe('ok')
    // 12:00 UTC is 19:00 WIB, written day-month-year.
    expect(await line.innerText()).toContain('terakhir berhasil 27-11-2024 19:00 WIB')
    expect(await line.getAttribute('class')).not.toContain('alarm')
    await page.screenshot({ path: join(SHOTS, 'home-backup-ok.png') })

    t += 3 * 60_000 // no backup for 3½ minutes (the timer's real minute has not passed in the test)
    await page.reload()
    await expect.poll(() => line.getAttribute('data-state')).toBe('stale')
    expect(await line.getAttribute('role')).toBe('alert')
    expect(await line.innerText()).toContain('CADANGAN BERMASALAH')
    expect(await line.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(254, 226, 226)',
    )
    await page.screenshot({ path: join(SHOTS, 'home-backup-stale.png') })
    await page.context().close()
  }, 120_000)

  it('says plainly when the backup folder is gone', async () => {
    rmSync(backupDir, { recursive: true, force: true })
    const page = await home()
    const line = page.locator('.backup-line')
    await expect.poll(() => line.getAttribute('data-state')).toBe('missing')
    expect(await line.innerText()).toContain(`folder cadangan ${backupDir} tidak ditemukan`)
    await page.screenshot({ path: join(SHOTS, 'home-backup-missing.png') })
    await page.context().close()
  }, 120_000)
})

describe('npm run desk -- restore FILE --data-dir DIR', () => {
  it('restores into a new folder, refuses a folder in use, and lists the flags in --help', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-backup-cli-'))
    const desk = await startDesk({ backupDir: dir })
    await desk.backups!.trigger()
    await desk.stop()
    const file = join(dir, listBackups(dir)[0]!.file)
    writeFileSync(join(dir, 'admin-token'), 'restored-admin-token-0123456789\n', { mode: 0o600 })
    const target = join(mkdtempSync(join(tmpdir(), 'desk-restore-cli-')), 'desk')
    const ok = await runCli(['restore', file, '--data-dir', target])
    expect(ok.code).toBe(0)
    expect(ok.out).toContain(`Dipulihkan ke ${target}: 0 hasil`)
    expect(ok.out).toContain(`--data-dir ${target} --regency 35.09`)
    expect(readdirSync(target).sort()).toEqual(['admin-token', 'desk.sqlite'])
    const again = await runCli(['restore', file, '--data-dir', target])
    expect(again.code).toBe(1)
    expect(again.out).toContain('tidak kosong')
    const noDir = await runCli(['restore', file])
    expect(noDir.code).toBe(1)
    expect(noDir.out).toContain('--data-dir')
    const help = await runCli(['--help'])
    expect(help.out).toContain('--backup-dir DIR')
    expect(help.out).toContain('restore FILE')
    const badInterval = await runCli([
      'serve',
      '--data-dir',
      join(target, 'x'),
      '--backup-dir',
      dir,
      '--backup-interval',
      '0',
    ])
    expect(badInterval.code).toBe(1)
    expect(badInterval.out).toContain('--backup-interval')
    expect(existsSync(join(target, 'x'))).toBe(false)
  }, 120_000)
})
