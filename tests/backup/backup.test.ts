import Database from 'better-sqlite3'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { restoreBackup } from '../../src/host/restore'
import {
  backupFileName,
  backupsToKeep,
  backupTime,
  listBackups,
} from '../../src/service/backup-service'
import { checkDatabaseFile } from '../../src/store/backup'
import { ADMIN_TOKEN, DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

const desks: TestDesk[] = []
afterEach(async () => {
  for (const d of desks.splice(0)) await d.stop()
})

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A clock the test moves by hand. */
function clock(start = '2024-11-27T12:00:00.000Z') {
  let t = new Date(start).getTime()
  return { now: () => new Date(t), advance: (seconds: number) => (t += seconds * 1000) }
}

async function deskWithBackups(backupDir: string, c = clock(), interval = 60): Promise<TestDesk> {
  const desk = await startDesk({ backupDir, backupIntervalSeconds: interval, now: c.now })
  desks.push(desk)
  await desk.backups!.trigger() // the one taken at start
  expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3))).status).toBe(200)
  return desk
}

const sheet = (tps: string) => ({
  submissionId: sid(),
  tps,
  contest: 'bupati',
  votes: { '1': 150, '2': 120 },
  invalid: 10,
})

function rowsIn(file: string, table: string): number {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('rotation (pure)', () => {
  it('keeps the newest ten and the newest backup of every earlier hour', () => {
    // Every 20 minutes for 5 hours: 15 backups, hours 12..16.
    const files = Array.from({ length: 15 }, (_, i) => {
      const at = new Date(Date.UTC(2024, 10, 27, 12, 0) + i * 20 * 60_000)
      return { file: backupFileName(at), at }
    })
    const keep = backupsToKeep(files, 10)
    const kept = files.filter((f) => keep.has(f.file)).map((f) => f.at.toISOString().slice(11, 16))
    // Newest 10 are 13:40 … 16:40; 12:40 is the newest of hour 12; 13:20 is not the newest of 13.
    expect(kept).toEqual([
      '12:40',
      '13:40',
      '14:00',
      '14:20',
      '14:40',
      '15:00',
      '15:20',
      '15:40',
      '16:00',
      '16:20',
      '16:40',
    ])
  })

  it('reads the time back from a backup name and ignores other files', () => {
    const at = new Date('2024-11-27T19:42:05.120Z')
    expect(backupTime(backupFileName(at))?.toISOString()).toBe(at.toISOString())
    expect(backupTime('desk.sqlite')).toBeNull()
    expect(backupTime('desk-2024-11-27T19-42-05-120Z.sqlite.tmp')).toBeNull()
  })
})

describe('online backups', () => {
  it('copies the live database while the desk runs: checked, complete, and a restore brings every result back', async () => {
    const dir = tmp('desk-backup-')
    const c = clock()
    const desk = await deskWithBackups(dir, c)
    for (const n of ['001', '002', '003'])
      expect((await desk.call('POST', '/results', sheet(`${DESA_A}.${n}`))).status).toBe(201)
    c.advance(30)
    const made = await desk.call('POST', '/backup')
    expect(made.status).toBe(201)
    expect(made.body.state).toBe('ok')
    const file = join(dir, made.body.lastGood.file)
    expect(made.body.lastGood.at).toBe('2024-11-27T12:00:30.000Z')
    expect(checkDatabaseFile(file)).toMatchObject({ integrity: 'ok' })
    expect(rowsIn(file, 'results')).toBe(3)
    // It holds every reporter's name and phone number: readable by the desk's user only.
    expect(statSync(file).mode & 0o777).toBe(0o600)
    // A single self-contained file: nothing left beside it.
    expect(
      readdirSync(dir).filter(
        (f) => f.endsWith('-wal') || f.endsWith('.tmp') || f.endsWith('-journal'),
      ),
    ).toEqual([])

    // A result after the backup is not in it; the restored desk has exactly what was backed up.
    expect(
      (
        await desk.call('POST', '/results', {
          ...sheet(`${DESA_A}.001`),
          contest: 'gubernur',
          votes: { '1': 100, '2': 100, '3': 70 },
        })
      ).status,
    ).toBe(201)
    const restoredDir = join(tmp('desk-restore-'), 'baru')
    const r = restoreBackup({ file, dataDir: restoredDir })
    expect(r).toMatchObject({ results: 3, regency: '35.09', training: false })
    const restored = await startDesk({ dataDir: restoredDir })
    desks.push(restored)
    const recap = await restored.call('GET', '/recap?contest=bupati&level=kabupaten')
    expect(recap.body.rows[0]).toMatchObject({ tpsReported: 3, valid: 810 })
    const gub = await restored.call('GET', '/recap?contest=gubernur&level=kabupaten')
    expect(gub.body.rows[0].tpsReported).toBe(0)
    expect(statSync(join(restoredDir, 'desk.sqlite')).mode & 0o777).toBe(0o600)
  })

  it('rotates (the last ten plus one per hour) and copies photos incrementally', async () => {
    const dir = tmp('desk-backup-')
    const c = clock('2024-11-27T11:50:00.000Z')
    const desk = await deskWithBackups(dir, c)
    const photos = join(desk.dataDir, 'photos')
    mkdirSync(photos, { recursive: true })
    const photo = (ch: string) => `${ch.repeat(64)}.jpg`
    writeFileSync(join(photos, photo('a')), 'foto a')
    writeFileSync(join(photos, '.upload.tmp'), 'half an upload')
    c.advance(60)
    expect((await desk.call('POST', '/backup')).body.photos).toBe(1)
    const firstCopy = statSync(join(dir, 'photos', photo('a'))).mtimeMs
    writeFileSync(join(photos, photo('b')), 'foto b')
    // 11:50 (at start), 11:51, then every 5 minutes: 11:56, 12:01 … 12:56, 13:01.
    for (let i = 0; i < 14; i++) {
      c.advance(5 * 60)
      expect((await desk.call('POST', '/backup')).status).toBe(201)
    }
    const kept = listBackups(dir).map((b) => b.at.toISOString().slice(11, 16))
    expect(kept).toHaveLength(11)
    // The newest ten reach back to 12:16; of hour 11 its newest (11:56) stays, 11:50 and 11:51 go.
    expect(kept.slice(-2)).toEqual(['12:16', '11:56'])
    expect(kept[0]).toBe('13:01')
    expect(readdirSync(join(dir, 'photos')).sort()).toEqual([photo('a'), photo('b')])
    expect(statSync(join(dir, 'photos', photo('a'))).mtimeMs).toBe(firstCopy)
    expect(existsSync(join(dir, 'photos', '.upload.tmp'))).toBe(false)
  })

  it('closing the desk takes one last backup: a result committed just before is in it', async () => {
    const dir = tmp('desk-backup-close-')
    const c = clock()
    const desk = await deskWithBackups(dir, c)
    c.advance(5)
    expect((await desk.call('POST', '/results', sheet(`${DESA_A}.001`))).status).toBe(201)
    desks.splice(desks.indexOf(desk), 1)
    await desk.stop()
    const newest = listBackups(dir).sort((a, b) => b.at.getTime() - a.at.getTime())[0]!
    expect(rowsIn(join(dir, newest.file), 'results')).toBe(1)
  })

  it('takes a backup after a snapshot freeze without waiting for the interval', async () => {
    const dir = tmp('desk-backup-')
    const c = clock()
    const desk = await deskWithBackups(dir, c, 3600)
    const before = listBackups(dir).length
    c.advance(5)
    desk.service.bus.publish([
      {
        id: 1,
        type: 'snapshot.created',
        at: c.now().toISOString(),
        data: { id: 1, at: c.now().toISOString(), label: 'x', dataSha256: 'x', files: {} },
      },
    ])
    // No trigger from the test: the freeze's event alone starts it.
    await vi.waitFor(() => expect(listBackups(dir).length).toBe(before + 1), {
      timeout: 10_000,
      interval: 20,
    })
    expect(listBackups(dir)[0]!.at.toISOString()).toBe(c.now().toISOString())
  })

  it('turns red when the last good backup is older than two intervals', async () => {
    const dir = tmp('desk-backup-')
    const c = clock()
    const desk = await deskWithBackups(dir, c, 60)
    expect((await desk.call('GET', '/backup')).body).toMatchObject({
      state: 'ok',
      alarm: false,
      intervalSeconds: 60,
    })
    c.advance(119)
    expect((await desk.call('GET', '/backup')).body.alarm).toBe(false)
    c.advance(2)
    expect((await desk.call('GET', '/backup')).body).toMatchObject({ state: 'stale', alarm: true })
  })

  it('a missing folder is red, fails loudly, keeps the desk running and recovers when it is back', async () => {
    const dir = tmp('desk-backup-')
    const c = clock()
    const desk = await deskWithBackups(dir, c)
    rmSync(dir, { recursive: true })
    const status = await desk.call('GET', '/backup')
    expect(status.body).toMatchObject({ state: 'missing', alarm: true })
    const attempt = await desk.call('POST', '/backup')
    expect(attempt.status).toBe(503)
    expect(attempt.body.error.message).toContain('tidak ditemukan')
    expect((await desk.call('POST', '/results', sheet(`${DESA_A}.001`))).status).toBe(201)
    mkdirSync(dir)
    c.advance(10)
    const again = await desk.call('POST', '/backup')
    expect(again.status).toBe(201)
    expect(again.body).toMatchObject({ state: 'ok', lastError: null })
  })

  it('answers operators, refuses reporters, and says "off" without a backup folder', async () => {
    const desk = await startDesk()
    desks.push(desk)
    expect((await desk.call('GET', '/backup')).body).toMatchObject({ state: 'off', alarm: false })
    expect((await desk.call('POST', '/backup')).status).toBe(409)
    expect((await desk.call('GET', '/backup', undefined, null)).status).toBe(401)
    const op = await desk.call('POST', '/users', {
      name: 'Operator',
      role: 'operator',
      region: '35.09',
    })
    expect((await desk.call('GET', '/backup', undefined, op.body.accessCode)).status).toBe(200)
    expect((await desk.call('POST', '/backup', undefined, op.body.accessCode)).status).toBe(403)
  })
})

describe('restore', () => {
  it('refuses a data folder that already holds something, and a damaged file', async () => {
    const dir = tmp('desk-backup-')
    const desk = await deskWithBackups(dir)
    const file = join(dir, listBackups(dir)[0]!.file)
    const busy = tmp('desk-busy-')
    writeFileSync(join(busy, 'desk.sqlite'), 'a desk lives here')
    expect(() => restoreBackup({ file, dataDir: busy })).toThrow(/tidak kosong/)
    const bad = join(tmp('desk-bad-'), 'desk-2024-11-27T12-00-00-000Z.sqlite')
    writeFileSync(bad, Buffer.alloc(8192, 7))
    expect(() => restoreBackup({ file: bad, dataDir: join(tmp('desk-new-'), 'x') })).toThrow(
      /bukan basis data desk|rusak/,
    )
    expect(() =>
      restoreBackup({ file: join(dir, 'nope.sqlite'), dataDir: join(tmp('desk-new-'), 'x') }),
    ).toThrow(/tidak ditemukan/)
    expect(desk.adminToken).toBe(ADMIN_TOKEN)
  })
})
