import { pbkdf2 } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/db'
import { WalFileSync } from '../../src/store/wal-sync'
import { DiskFailedError, GroupCommitWriter } from '../../src/store/writer'
import { HeldDurability } from '../helpers/held-durability'

function setup() {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
  let commits = 0
  const writer = new GroupCommitWriter(db, {
    afterCommit: () => {
      commits++
    },
  })
  return { db, writer, commits: () => commits }
}

describe('group commit writer', () => {
  it('commits concurrent writes together in one transaction', async () => {
    const { db, writer, commits } = setup()
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => writer.run(() => ins.run(i).changes)),
    )
    expect(results).toEqual(Array(50).fill(1))
    expect(commits()).toBe(1)
    expect(writer.batches).toBe(1)
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(50)
  })

  it('rolls back only the failing job of a batch', async () => {
    const { db, writer } = setup()
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    const outcomes = await Promise.allSettled([
      writer.run(() => ins.run(1)),
      writer.run(() => {
        ins.run(2)
        ins.run(1) // duplicate key: this job fails, and its insert of 2 must be undone
      }),
      writer.run(() => ins.run(3)),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(
      (db.prepare('SELECT x FROM t ORDER BY x').all() as { x: number }[]).map((r) => r.x),
    ).toEqual([1, 3])
  })

  it('answers no job of a batch whose COMMIT fails, and publishes nothing of it', async () => {
    // A deferred foreign key is checked at COMMIT, after every job's own savepoint succeeded: the
    // writer must reject every job of the batch, not resolve them from inside the transaction.
    const db = new Database(':memory:')
    db.exec(`PRAGMA foreign_keys = ON;
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);`)
    const collected: string[] = []
    const published: string[] = []
    let rolledBack = 0
    const writer = new GroupCommitWriter(db, {
      afterCommit: () => {
        published.push(...collected.splice(0))
      },
      afterRollback: () => {
        rolledBack++
        collected.length = 0
      },
    })
    const ok = db.prepare('INSERT INTO parent (id) VALUES (?)')
    const orphan = db.prepare('INSERT INTO child (id, pid) VALUES (?, ?)')
    const outcomes = await Promise.allSettled([
      writer.run(() => (ok.run(1), collected.push('parent 1'))),
      writer.run(() => (orphan.run(1, 99), collected.push('orphan'))),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    expect(rolledBack).toBe(1)
    expect(published).toEqual([])
    expect(db.inTransaction).toBe(false)
    expect(db.prepare('SELECT count(*) AS n FROM parent').get()).toEqual({ n: 0 })
    // The writer goes on: the next batch commits and is published.
    await writer.run(() => (ok.run(2), collected.push('parent 2')))
    expect(published).toEqual(['parent 2'])
  })

  it("drops a failed job's side data and keeps the rest of its batch", async () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
    let pending: string[] = []
    let mark = 0
    const published: string[] = []
    const writer = new GroupCommitWriter(db, {
      beforeJob: () => (mark = pending.length),
      afterJobFailed: () => (pending = pending.slice(0, mark)),
      afterCommit: () => {
        published.push(...pending.splice(0))
      },
    })
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    await Promise.allSettled([
      writer.run(() => (ins.run(1), pending.push('one'))),
      writer.run(() => {
        pending.push('dup')
        ins.run(1)
      }),
      writer.run(() => (ins.run(3), pending.push('three'))),
    ])
    expect(published).toEqual(['one', 'three'])
  })

  it('splits very large bursts into bounded batches', async () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
    const writer = new GroupCommitWriter(db, { maxBatch: 10 })
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    await Promise.all(Array.from({ length: 35 }, (_, i) => writer.run(() => ins.run(i))))
    expect(writer.batches).toBe(4)
  })
})

const settledYet = async (p: Promise<unknown>) => {
  let settled = false
  void p.then(
    () => (settled = true),
    () => (settled = true),
  )
  // Several turns of the event loop: a commit, its answers and any follow-up batch.
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
  return settled
}

describe('group commit writer, durable off the thread', () => {
  const dirs: string[] = []
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

  it('answers a batch only once the disk has it, and the desk keeps working meanwhile', async () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
    const disk = new HeldDurability(true)
    const announced: string[] = []
    const writer = new GroupCommitWriter(db, {
      durability: disk,
      afterCommit: () => () => announced.push('batch'),
    })
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    const first = writer.run(() => ins.run(1).changes)
    expect(await settledYet(first)).toBe(false)
    // Committed and readable, not yet answered nor announced to the screens.
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 })
    expect(announced).toEqual([])
    // The thread is free: a second batch commits while the first one's sync runs…
    const second = writer.run(() => ins.run(2).changes)
    const third = writer.run(() => ins.run(3).changes)
    expect(await settledYet(second)).toBe(false)
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3 })
    expect(disk.pending).toBe(1)
    disk.finish()
    expect(await first).toBe(1)
    expect(announced).toEqual(['batch'])
    // …and both later jobs wait for the one sync that follows, then are answered together.
    expect(await settledYet(second)).toBe(false)
    expect(disk.pending).toBe(1)
    disk.finish()
    expect(await Promise.all([second, third])).toEqual([1, 1])
    expect(writer.batches).toBe(2)
    expect(writer.syncs).toBe(2)
  })

  /** A WAL database file with one table, in a folder removed after the test. */
  function fileDb() {
    const dir = mkdtempSync(join(tmpdir(), 'desk-wal-'))
    dirs.push(dir)
    const path = join(dir, 'desk.sqlite')
    const db = openDatabase(path, { migrations: [] })
    db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
    return { db, path }
  }
  const eio = () => Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })
  /** A writer over a file database whose syncs are held: what it told of disk errors, and batches announced. */
  function heldWriter() {
    const { db, path } = fileDb()
    const disk = new HeldDurability(true)
    const told: boolean[] = []
    let batches = 0
    const writer = new GroupCommitWriter(db, {
      durability: disk,
      afterCommit: () => () => batches++,
      onDiskError: (_e, recovered) => told.push(recovered),
    })
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    return { db, path, disk, told, writer, ins, announced: () => batches }
  }

  it('after a failed sync makes the data safe by a checkpoint into the database file, then answers', async () => {
    const { db, path, disk, told, writer, ins, announced } = heldWriter()
    const job = writer.run(() => ins.run(1).changes)
    await settledYet(job)
    // A second fsync after a failed one may "succeed" without the lost pages: the writer does not
    // ask again, it checkpoints (synchronous = FULL) and the WAL is emptied.
    disk.finish(eio())
    expect(await job).toBe(1)
    expect(told).toEqual([true])
    expect(announced()).toBe(1)
    expect(statSync(`${path}-wal`).size).toBe(0)
    const reader = new Database(path, { readonly: true })
    expect(reader.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 })
    reader.close()
    // And it goes on as before.
    const next = writer.run(() => ins.run(2).changes)
    await settledYet(next)
    disk.finish()
    expect(await next).toBe(1)
    writer.close()
    db.close()
  })

  it('stops taking writes, and confirms nothing from storage, when a failed sync cannot be made good', async () => {
    const { db, path, disk, told, writer, ins, announced } = heldWriter()
    // A reader holding an old snapshot: the checkpoint cannot empty the WAL.
    const reader = new Database(path, { readonly: true })
    reader.exec('BEGIN')
    reader.prepare('SELECT count(*) FROM t').get()
    const first = writer.run(() => ins.run(1))
    await settledYet(first)
    const queued = writer.run(() => ins.run(2))
    disk.finish(eio())
    await expect(first).rejects.toBeInstanceOf(DiskFailedError)
    await expect(queued).rejects.toBeInstanceOf(DiskFailedError)
    expect(told).toEqual([false])
    expect(announced()).toBeGreaterThanOrEqual(1) // committed and readable: the screens agree
    await expect(writer.run(() => ins.run(3))).rejects.toBeInstanceOf(DiskFailedError)
    // A retry answered from storage would claim what the disk may not hold.
    await expect(writer.durable()).rejects.toBeInstanceOf(DiskFailedError)
    expect(writer.diskFailure).toBeInstanceOf(DiskFailedError)
    reader.exec('COMMIT')
    reader.close()
    writer.close()
    db.close()
  })

  it('gives an answer read from storage only after the commit that stored it is on disk', async () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
    const disk = new HeldDurability(true)
    const writer = new GroupCommitWriter(db, { durability: disk })
    const stored = writer.run(() => db.prepare('INSERT INTO t (x) VALUES (1)').run())
    await settledYet(stored)
    // A retry answered from what is stored (outside the writer) must not overtake the sync.
    const retry = writer.durable()
    expect(await settledYet(retry)).toBe(false)
    disk.finish()
    await stored
    expect(await settledYet(retry)).toBe(false) // it waits for a sync that starts after it asked
    disk.finish()
    await retry
    // Nothing pending: no wait at all.
    expect(await settledYet(writer.durable())).toBe(true)
    await writer.drain()
  })

  it('syncs the WAL of a real database file and keeps synchronous = FULL for every other write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-wal-'))
    dirs.push(dir)
    const path = join(dir, 'desk.sqlite')
    const db = openDatabase(path, { migrations: [] })
    db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
    const wal = new WalFileSync(path)
    let synced = 0
    const writer = new GroupCommitWriter(db, {
      durability: {
        sync: (done) =>
          wal.sync((error) => {
            if (!error) synced++
            done(error)
          }),
        close: () => wal.close(),
      },
    })
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.run(() => ins.run(i))))
    expect(synced).toBeGreaterThanOrEqual(1)
    expect(wal.lastSynced).toBe(`${path}-wal`) // the WAL itself, where the commits are
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL outside the writer's commits
    // Another connection (what a restored copy would read) sees every answered row.
    const reader = new Database(path, { readonly: true })
    expect(reader.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 20 })
    reader.close()
    writer.close()
    db.close()
  })

  it('syncs the WAL file it finds each time: a replaced one is opened again, a missing one falls back to the database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-wal-'))
    dirs.push(dir)
    const path = join(dir, 'desk.sqlite')
    writeFileSync(path, 'db')
    writeFileSync(`${path}-wal`, 'first')
    const wal = new WalFileSync(path)
    const sync = () => new Promise<Error | null>((resolve) => wal.sync(resolve))
    expect(await sync()).toBeNull()
    rmSync(`${path}-wal`)
    writeFileSync(`${path}-wal`, 'second') // a new file under the same name
    expect(await sync()).toBeNull()
    rmSync(`${path}-wal`)
    expect(await sync()).toBeNull() // nothing to sync but the database itself
    rmSync(path)
    // Neither file: the caller is told, not answered as if the data were safe.
    expect(await sync()).toBeInstanceOf(Error)
    wal.close()
  })

  it('syncs on a thread of its own: a busy thread pool (sign-in checks are scrypt there) does not hold it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-wal-'))
    dirs.push(dir)
    const path = join(dir, 'desk.sqlite')
    writeFileSync(path, 'db')
    writeFileSync(`${path}-wal`, 'frames')
    const wal = new WalFileSync(path)
    const sync = () => new Promise<Error | null>((resolve) => wal.sync(resolve))
    expect(await sync()).toBeNull() // its thread is started
    // Every thread of libuv's pool (4) busy for a good while.
    let poolDone = 0
    const pool = Array.from(
      { length: 4 },
      () =>
        new Promise<void>((resolve) =>
          pbkdf2('x', 'salt', 1_000_000, 32, 'sha256', () => {
            poolDone++
            resolve()
          }),
        ),
    )
    expect(await sync()).toBeNull()
    expect(poolDone).toBe(0)
    wal.close()
    await Promise.all(pool)
  })
})
