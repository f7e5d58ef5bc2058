import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { GroupCommitWriter } from '../../src/store/writer'

function setup() {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)')
  let commits = 0
  const writer = new GroupCommitWriter(db, { afterCommit: () => commits++ })
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
      afterCommit: () => published.push(...collected.splice(0)),
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
      afterCommit: () => published.push(...pending.splice(0)),
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
