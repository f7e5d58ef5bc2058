import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { HeldDurability } from '../helpers/held-durability'

const desks: TestDesk[] = []
const disks: HeldDurability[] = []
afterEach(async () => {
  // A test that failed while a sync was held would otherwise keep its desk from closing.
  for (const d of disks.splice(0)) d.release()
  while (desks.length) await desks.pop()!.stop()
})

/** A desk whose syncs are held, with a registry of 3 TPS (that import's sync let through). */
async function heldDesk() {
  const disk = new HeldDurability(true)
  disks.push(disk)
  const desk = await startDesk({ durability: disk })
  desks.push(desk)
  const imported = desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))
  await until(() => disk.pending === 1)
  disk.finish()
  expect((await imported).status).toBe(200)
  return { desk, disk }
}

const sheet = (submissionId = sid()) => ({
  submissionId,
  tps: `${DESA_A}.001`,
  contest: 'bupati',
  votes: { '1': 120, '2': 90 },
  invalid: 3,
})

/** Resolves with the answer, or 'waiting' if none came within `ms`. */
async function within<T>(p: Promise<T>, ms = 150): Promise<T | 'waiting'> {
  return Promise.race([p, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), ms))])
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(what()).toBe(true)
}

describe('acknowledged only when on disk (the write path, issue 13)', () => {
  it('answers a report, and its retry, only after the sync that holds it; the desk answers other requests meanwhile', async () => {
    const { desk, disk } = await heldDesk()

    const body = sheet()
    const first = desk.call('POST', '/results', body)
    await until(() => disk.pending === 1)
    // Committed (readable), not answered.
    expect(desk.store.findSubmission('admin', body.submissionId)).toBeTruthy()
    expect(await within(first)).toBe('waiting')
    expect((await desk.call('GET', '/health')).status).toBe(200)
    // The phone gives up and sends again: it must not be told "kept" from storage either.
    const retry = desk.call('POST', '/results', body)
    expect(await within(retry)).toBe('waiting')
    // A request the desk would refuse, under an id already stored (here: a contest it does not
    // know) is answered from storage ("id already used", 409) — after the sync too, not at once.
    const odd = desk.call('POST', '/results', { ...body, contest: 'tidak-ada' })
    expect(await within(odd)).toBe('waiting')
    disk.finish()
    expect((await first).status).toBe(201)
    // Both wait for the next sync (the one that started after they asked).
    await until(() => disk.pending === 1)
    expect(await within(retry)).toBe('waiting')
    expect(await within(odd)).toBe('waiting')
    disk.finish()
    expect((await odd).status).toBe(409)
    const again = await retry
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ status: 'duplicate', replayOf: 'accepted' })
  })

  it('refuses with 503, and never confirms from storage, when a failed sync cannot be made good', async () => {
    const { desk, disk } = await heldDesk()

    // Another reader holds an old snapshot of the database: the checkpoint cannot empty the WAL.
    const reader = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
    reader.exec('BEGIN')
    reader.prepare('SELECT count(*) FROM tps').get()
    const body = sheet()
    const first = desk.call('POST', '/results', body)
    await until(() => disk.pending === 1)
    disk.finish(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))
    const refused = await first
    expect(refused.status).toBe(503)
    expect(refused.body.error.code).toBe('disk_failed')
    expect(refused.body.error.message).toMatch(/BELUM tersimpan/)
    // The retry (same id, found in storage) and any new report: 503 too, not 200/201.
    const retry = await desk.call('POST', '/results', body)
    expect(retry.status).toBe(503)
    expect((await desk.call('POST', '/results', { ...sheet(), tps: `${DESA_A}.002` })).status).toBe(
      503,
    )
    reader.exec('COMMIT')
    reader.close()
  })
})
