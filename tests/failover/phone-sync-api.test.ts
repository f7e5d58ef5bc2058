import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATA_FOLDER_ID_FILE } from '../../src/service/phone-sync-service'
import { DESA_A, DESA_C, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { CSV_HEADER } from '../intake/fixtures'

const TPS_A1 = `${DESA_A}.001`
const TPS_A2 = `${DESA_A}.002`
const sheet = (
  tps: string,
  contest = 'bupati',
  votes: Record<string, number> = { '1': 150, '2': 120 },
  invalid = 10,
) => ({
  submissionId: sid('hp'),
  tps,
  contest,
  votes,
  invalid,
})

describe('failover API: the desk identity, receipts check, standing numbers', () => {
  let desk: TestDesk
  let dataDir: string
  let reporter: string
  let other: string
  const extra: string[] = []

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'desk-sync-'))
    desk = await startDesk({ dataDir })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_C], 3, 300))).status).toBe(
      200,
    )
    const r = await desk.call(
      'POST',
      '/users/import',
      [CSV_HEADER, `Siti,0812,pelapor,${DESA_A}`, `Wati,0813,pelapor,${DESA_C}`].join('\n'),
    )
    expect(r.status).toBe(201)
    reporter = r.body.users.find((u: any) => u.name === 'Siti').accessCode
    other = r.body.users.find((u: any) => u.name === 'Wati').accessCode
  })
  afterAll(async () => {
    await desk.stop()
    rmSync(dataDir, { recursive: true, force: true })
    for (const d of extra) rmSync(d, { recursive: true, force: true })
  })

  it('names its data folder and what it holds; the name is kept in the folder across restarts', async () => {
    const a = await desk.call('GET', '/desk/identity', undefined, reporter)
    expect(a.status).toBe(200)
    expect(a.body.dataFolder).toMatch(/^[0-9a-f-]{36}$/)
    expect(readFileSync(join(dataDir, DATA_FOLDER_ID_FILE), 'utf8').trim()).toBe(a.body.dataFolder)
    const before = a.body.holds.lastSeq
    const sent = await desk.call('POST', '/results', sheet(TPS_A1), reporter)
    expect(sent.status).toBe(201)
    const b = await desk.call('GET', '/desk/identity', undefined, reporter)
    expect(b.body.holds.lastSeq).toBe(before + 1)
    expect(b.body.holds.submissions).toBe(a.body.holds.submissions + 1)
    expect(sent.body.receipt.startsWith(String(b.body.holds.lastSeq).padStart(6, '0'))).toBe(true)
    expect((await desk.call('GET', '/desk/identity', undefined, null)).status).toBe(401)

    await desk.close()
    desk = await startDesk({ dataDir })
    const c = await desk.call('GET', '/desk/identity', undefined, reporter)
    expect(c.body.dataFolder).toBe(a.body.dataFolder)
    expect(c.body.holds.lastSeq).toBe(b.body.holds.lastSeq)
  })

  it("tells a sender which of its own receipts it knows; another sender's ids are unknown to it", async () => {
    const mine = sheet(TPS_A2)
    const r = await desk.call('POST', '/results', mine, reporter)
    expect(r.status).toBe(201)
    const check = await desk.call(
      'POST',
      '/receipts/check',
      { submissionIds: [mine.submissionId, 'never-sent-1', mine.submissionId] },
      reporter,
    )
    expect(check.status).toBe(200)
    expect(check.body.known).toEqual([
      expect.objectContaining({
        submissionId: mine.submissionId,
        kind: 'result',
        receipt: r.body.receipt,
        status: 'accepted',
        tps: TPS_A2,
        contest: 'bupati',
      }),
    ])
    expect(check.body.unknown).toEqual(['never-sent-1'])
    // Another reporter cannot learn whether someone else's submission exists.
    const theirs = await desk.call(
      'POST',
      '/receipts/check',
      { submissionIds: [mine.submissionId] },
      other,
    )
    expect(theirs.body).toMatchObject({ known: [], unknown: [mine.submissionId] })
  })

  it('knows the incidents a sender reported under a submissionId too', async () => {
    const id = sid('kejadian')
    const made = await desk.call(
      'POST',
      '/incidents',
      {
        submissionId: id,
        tps: TPS_A1,
        category: 'logistik',
        urgency: 'sedang',
        text: 'Surat suara kurang 20 lembar',
      },
      reporter,
    )
    expect(made.status).toBe(201)
    const check = await desk.call('POST', '/receipts/check', { submissionIds: [id] }, reporter)
    expect(check.body.known).toEqual([
      expect.objectContaining({
        submissionId: id,
        kind: 'incident',
        receipt: `#${made.body.id}`,
        status: 'created',
        tps: TPS_A1,
        contest: null,
      }),
    ])
    expect(
      (await desk.call('POST', '/receipts/check', { submissionIds: [id] }, other)).body.unknown,
    ).toEqual([id])
  })

  it('refuses a malformed check with the field named, in Indonesian', async () => {
    const bad = await desk.call(
      'POST',
      '/receipts/check',
      { submissionIds: ['ok', 'bad id!'] },
      reporter,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/submissionId hanya boleh/)
    const many = await desk.call(
      'POST',
      '/receipts/check',
      { submissionIds: Array.from({ length: 2001 }, (_, i) => `x${i}`) },
      reporter,
    )
    expect(many.status).toBe(400)
    expect(many.body.error.message).toMatch(/paling banyak 2\.000/)
  })

  it('gives a reporter the numbers the desk holds for a TPS of their region, and no one else', async () => {
    const s = await desk.call('GET', `/intake/tps/${TPS_A1}/standing`, undefined, reporter)
    expect(s.status).toBe(200)
    expect(s.body.contests.bupati).toMatchObject({
      votes: { '1': 150, '2': 120 },
      invalid: 10,
      voters: null,
    })
    expect(s.body.contests.bupati.receipt).toMatch(/^\d{6}-[0-9A-F]{4}$/)
    expect(s.body.contests.gubernur).toBeNull()
    expect(
      (await desk.call('GET', `/intake/tps/${TPS_A1}/standing`, undefined, other)).status,
    ).toBe(403)
    expect(
      (await desk.call('GET', `/intake/tps/${DESA_A}.099/standing`, undefined, reporter)).status,
    ).toBe(404)
  })

  it('a restored backup in a new folder has another identity, holds less, and takes the resend exactly once', async () => {
    const before = sheet(`${DESA_A}.003`, 'gubernur', { '1': 50, '2': 60, '3': 70 }, 5)
    expect((await desk.call('POST', '/results', before, reporter)).status).toBe(201)
    const backupDir = mkdtempSync(join(tmpdir(), 'desk-restored-'))
    extra.push(backupDir)
    // An online backup of the running desk's database into a new data folder.
    const live = new Database(join(dataDir, 'desk.sqlite'), { readonly: true })
    await live.backup(join(backupDir, 'desk.sqlite'))
    live.close()
    const after = sheet(`${DESA_A}.003`, 'bupati', { '1': 80, '2': 90 }, 3)
    const acked = await desk.call('POST', '/results', after, reporter)
    expect(acked.status).toBe(201)
    const old = (await desk.call('GET', '/desk/identity', undefined, reporter)).body
    await desk.close()

    desk = await startDesk({ dataDir: backupDir })
    const now = (await desk.call('GET', '/desk/identity', undefined, reporter)).body
    expect(now.dataFolder).not.toBe(old.dataFolder)
    expect(now.holds.lastSeq).toBe(old.holds.lastSeq - 1)
    const check = (
      await desk.call(
        'POST',
        '/receipts/check',
        { submissionIds: [before.submissionId, after.submissionId] },
        reporter,
      )
    ).body
    expect(check.known.map((k: any) => k.submissionId)).toEqual([before.submissionId])
    expect(check.unknown).toEqual([after.submissionId])
    const resent = await desk.call('POST', '/results', after, reporter)
    expect(resent.status).toBe(201)
    expect((await desk.call('POST', '/results', after, reporter)).body.status).toBe('duplicate')
    const recap = await desk.call('GET', `/recap?contest=bupati&level=tps&parent=${DESA_A}`)
    expect(recap.body.rows.find((r: any) => r.code === `${DESA_A}.003`)).toMatchObject({
      valid: 170,
      invalid: 3,
    })
  })
})
