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
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.run(() => ins.run(i).changes)))
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
    expect((db.prepare('SELECT x FROM t ORDER BY x').all() as { x: number }[]).map((r) => r.x)).toEqual([1, 3])
  })

  it('answers a job only after its batch is committed', async () => {
    const { db, writer } = setup()
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)')
    await writer.run(() => ins.run(7))
    expect(db.inTransaction).toBe(false)
    expect(db.prepare('SELECT x FROM t').get()).toEqual({ x: 7 })
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
