import Database from 'better-sqlite3'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { restoreBackup } from '../../src/host/restore'
import { DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// Issue 13 item 8, the SMS half (docs/OPERATIONS.md, failover): SMS reports acknowledged after the
// last backup come back by copying the dead laptop's gammu `processed/` files into the restored
// desk's inbox. Already-counted messages are in that folder too: each must count exactly once.

const REPORTER_PHONE = '0812-1111-0001'

function sms(dataDir: string): {
  submissions: { submission_id: string; tps: string; contest: string }[]
} {
  const db = new Database(join(dataDir, 'desk.sqlite'), { readonly: true })
  try {
    return {
      submissions: db
        .prepare(
          "SELECT submission_id, tps, contest FROM submissions WHERE channel = 'sms' ORDER BY seq",
        )
        .all() as never,
    }
  } finally {
    db.close()
  }
}

describe('SMS reports acknowledged after the last backup, replayed into a restored desk', () => {
  const dirs: string[] = []
  const desks: TestDesk[] = []
  afterAll(async () => {
    for (const d of desks) await d.stop()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('counts every replayed inbox file exactly once: those in the backup and those after it', async () => {
    let clock = Date.parse('2024-11-27T07:00:00Z')
    const now = () => new Date(clock)
    const rootA = mkdtempSync(join(tmpdir(), 'desk-sms-a-'))
    const rootB = mkdtempSync(join(tmpdir(), 'desk-sms-b-'))
    dirs.push(rootA, rootB)
    const gammu = (root: string) => {
      mkdirSync(join(root, 'inbox'), { recursive: true })
      return { inbox: join(root, 'inbox'), outbox: join(root, 'outbox'), pollMs: 0, settleMs: 2000 }
    }
    const a = await startDesk({ dataDir: join(rootA, 'data'), now, sms: { gammu: gammu(rootA) } })
    desks.push(a)
    expect((await a.call('POST', '/tps/import', tpsCsv([DESA_A], 5, 400))).status).toBe(200)
    const rep = await a.call('POST', '/users', {
      name: 'Siti Padomasan',
      phone: REPORTER_PHONE,
      role: 'reporter',
      region: DESA_A,
    })
    const code = rep.body.smsCode as string

    let serial = 0
    const deliver = async (desk: TestDesk, inbox: string, text: string, stamp: string) => {
      writeFileSync(
        join(inbox, `IN${stamp}_${String(serial++).padStart(2, '0')}_+6281211110001_00.txt`),
        text,
      )
      await desk.gammu!.scan()
      clock += 2500
      return desk.gammu!.scan()
    }
    expect(
      await deliver(a, join(rootA, 'inbox'), `${code} 1 B 100 120 TS 4`, '20241127_140000'),
    ).toBe(1)
    expect(
      await deliver(a, join(rootA, 'inbox'), `${code} 2 B 110 90 TS 2`, '20241127_140500'),
    ).toBe(1)

    // The last backup, then one more SMS acknowledged by the desk that is about to die.
    const backup = join(rootA, 'desk-backup.sqlite')
    await a.store.db.backup(backup)
    expect(
      await deliver(a, join(rootA, 'inbox'), `${code} 3 B 130 70 TS 1`, '20241127_141000'),
    ).toBe(1)
    const acknowledged = sms(a.dataDir).submissions
    expect(acknowledged).toHaveLength(3)
    await a.stop()
    desks.splice(desks.indexOf(a), 1)

    // The standby restores the backup; it lacks the third report.
    const dataB = join(rootB, 'data')
    restoreBackup({ file: backup, dataDir: dataB })
    const b = await startDesk({ dataDir: dataB, now, sms: { gammu: gammu(rootB) } })
    desks.push(b)
    expect(sms(dataB).submissions).toHaveLength(2)

    // Copy every file of the dead laptop's processed/ into the restored desk's inbox — twice over,
    // as an operator unsure what was copied might.
    const processed = readdirSync(join(rootA, 'processed')).filter((n) => n.startsWith('IN'))
    expect(processed).toHaveLength(3)
    for (const name of processed)
      copyFileSync(join(rootA, 'processed', name), join(rootB, 'inbox', name))
    await b.gammu!.scan()
    clock += 2500
    await b.gammu!.scan()
    for (const name of processed)
      copyFileSync(join(rootA, 'processed', name), join(rootB, 'inbox', name))
    await b.gammu!.scan()
    clock += 2500
    await b.gammu!.scan()

    const restored = sms(dataB)
    expect(restored.submissions).toHaveLength(3)
    expect(restored.submissions.map((s) => s.submission_id).sort()).toEqual(
      acknowledged.map((s) => s.submission_id).sort(),
    )
    const tps3 = (await b.call('GET', `/tps/${DESA_A}.003`)).body.results.find(
      (r: { contest: string }) => r.contest === 'bupati',
    )
    expect(tps3).toMatchObject({ votes: { '1': 130, '2': 70 }, invalid: 1 })
    expect(readdirSync(join(rootB, 'inbox')).filter((n) => n.startsWith('IN'))).toEqual([])
  })
})
