import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, signedInPage } from '../helpers/browser'
import { builtUi, runCli } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, DESA_B, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

const SHOTS = join(__dirname, '..', '.artifacts', 'purge')
const sheet = (tps: string) => ({
  submissionId: sid(),
  tps,
  contest: 'bupati',
  votes: { '1': 150, '2': 120 },
  invalid: 10,
})

/** A desk with one real and two simulated reports. */
async function seed(desk: TestDesk): Promise<void> {
  expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B], 2))).status).toBe(200)
  const real = (
    await desk.call('POST', '/users', {
      name: 'Pelapor Asli',
      phone: '0812',
      role: 'reporter',
      region: DESA_A,
    })
  ).body.accessCode
  const sim = (
    await desk.call('POST', '/users?simulated=1', {
      name: 'Pelapor B (simulasi)',
      phone: '0813',
      role: 'reporter',
      region: DESA_B,
    })
  ).body.accessCode
  expect((await desk.call('POST', '/results', sheet(`${DESA_A}.001`), real)).status).toBe(201)
  expect((await desk.call('POST', '/results', sheet(`${DESA_B}.001`), sim)).status).toBe(201)
  expect((await desk.call('POST', '/results', sheet(`${DESA_B}.002`), sim)).status).toBe(201)
}

describe('purge button on the console (Chromium, 1366×768)', () => {
  let desk: TestDesk
  let browser: Browser

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    desk = await startDesk({ staticDir: builtUi() })
    await seed(desk)
    browser = await launchBrowser()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await desk?.stop()
  })

  it('lists what will go, asks again, removes it, and says so', async () => {
    const page = await signedInPage(browser, ADMIN_TOKEN)
    await page.goto(`${desk.url}/orang`)
    const card = page.locator('.purge-card')
    await card.locator('.purge-list').waitFor()
    const list = await card.locator('.purge-list').innerText()
    expect(list).toContain('2 hasil TPS dari akun simulasi')
    expect(list).toContain('1 akun simulasi')
    await card.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'purge-preview.png') })

    await card.getByRole('button', { name: 'Hapus data simulasi…' }).click()
    const confirm = card.getByRole('alertdialog')
    await confirm.waitFor()
    await page.screenshot({ path: join(SHOTS, 'purge-confirm.png') })
    // Nothing is removed before the second click.
    expect((await desk.call('GET', '/admin/purge-simulated')).body.results).toBe(2)
    await confirm.getByRole('button', { name: 'Ya, hapus data simulasi' }).click()
    await card.locator('.purge-done').waitFor()
    expect(await card.locator('.purge-done').innerText()).toContain('2 hasil, 1 akun')
    await expect.poll(() => card.innerText()).toContain('Tidak ada data simulasi di desk ini.')
    // The people list no longer has the simulated reporter.
    await expect.poll(() => page.locator('.people-table').innerText()).not.toContain('(simulasi)')
    await page.screenshot({ path: join(SHOTS, 'purge-done.png') })
    const recap = await desk.call('GET', '/recap?contest=bupati&level=kabupaten')
    expect(recap.body.rows[0].tpsReported).toBe(1)

    // The console home's latest reports keep the simulator's two reports (the log is append-only);
    // their sender, whose account is gone, reads as what it was, not as an id with "?".
    await page.goto(`${desk.url}/`)
    const arrivals = page.locator('table.arrivals')
    await arrivals.waitFor()
    const removed = arrivals.locator('td.removed-actor')
    await expect.poll(() => removed.count()).toBe(2)
    for (const text of await removed.allInnerTexts()) {
      expect(text).toContain('akun simulasi (dihapus)')
      expect(text).not.toContain('?')
    }
    const table = await arrivals.innerText()
    expect(table).toContain('Pelapor Asli')
    expect(table).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    await arrivals.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'purge-home-arrivals.png') })
    await page.context().close()
  }, 120_000)
})

describe('npm run desk -- purge-simulated', () => {
  it('shows the list, refuses to act without an answer, removes with --yes (desk stopped)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-purge-cli-'))
    const desk = await startDesk({ dataDir })
    await seed(desk)
    await desk.stop()
    const asked = await runCli(['purge-simulated', '--data-dir', dataDir])
    expect(asked.code).toBe(1)
    expect(asked.out).toContain('2 hasil TPS dari akun simulasi')
    expect(asked.out).toContain('Tidak ada yang dihapus')
    const done = await runCli(['purge-simulated', '--data-dir', dataDir, '--yes'])
    expect(done.code).toBe(0)
    expect(done.out).toContain('Data simulasi dihapus (2 hasil, 1 akun)')
    const again = await runCli(['purge-simulated', '--data-dir', dataDir])
    expect(again.out).toContain('Tidak ada data simulasi')
    const restarted = await startDesk({ dataDir })
    expect(
      (await restarted.call('GET', '/recap?contest=bupati&level=kabupaten')).body.rows[0]
        .tpsReported,
    ).toBe(1)
    await restarted.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }, 120_000)
})
