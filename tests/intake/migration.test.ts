import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/store/db'
import { MIGRATIONS } from '../../src/store/migrations'

describe('migration 0040 (intake)', () => {
  it('adds incidents with exactly the agreed columns and checks, keeping earlier data', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 30)
    db.prepare("INSERT INTO meta (key, value) VALUES ('regency', '35.09')").run()
    expect(migrate(db, MIGRATIONS, 40)).toBe(40)
    expect(db.prepare("SELECT value FROM meta WHERE key = 'regency'").get()).toEqual({
      value: '35.09',
    })

    const cols = db.prepare('PRAGMA table_info(incidents)').all() as {
      name: string
      type: string
      notnull: number
      dflt_value: string | null
      pk: number
    }[]
    expect(cols.map((c) => [c.name, c.type, c.notnull, c.dflt_value, c.pk])).toEqual([
      ['id', 'INTEGER', 0, null, 1],
      ['at', 'TEXT', 1, null, 0],
      ['reporter', 'TEXT', 1, null, 0],
      ['region', 'TEXT', 1, null, 0],
      ['tps', 'TEXT', 0, null, 0],
      ['category', 'TEXT', 1, null, 0],
      ['urgency', 'TEXT', 1, null, 0],
      ['text', 'TEXT', 1, null, 0],
      ['photo', 'TEXT', 0, null, 0],
      ['status', 'TEXT', 1, "'open'", 0],
      ['simulated', 'INTEGER', 1, '0', 0],
    ])
    const insert = db.prepare(
      'INSERT INTO incidents (at, reporter, region, tps, category, urgency, text) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    insert.run('2024-11-27T06:00:00Z', 'admin', '35.09.01.2001', null, 'cuaca', 'tinggi', 'Banjir')
    expect(db.prepare('SELECT status, simulated, photo FROM incidents').get()).toEqual({
      status: 'open',
      simulated: 0,
      photo: null,
    })
    expect(() => insert.run('t', 'admin', '35.09.01.2001', null, 'banjir', 'tinggi', 'x')).toThrow(
      /CHECK/,
    )
    expect(() => insert.run('t', 'admin', '35.09.01.2001', null, 'cuaca', 'gawat', 'x')).toThrow(
      /CHECK/,
    )
    expect(() => db.prepare("UPDATE incidents SET status = 'closed'").run()).toThrow(/CHECK/)
    // STRICT: a number where text belongs is refused rather than silently stored.
    expect(() =>
      insert.run('t', 'admin', '35.09.01.2001', null, 'cuaca', 'tinggi', Buffer.from('x')),
    ).toThrow(/cannot store BLOB/)
  })

  it('keeps one photo row per file and place, and one incident per idempotency key', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 40)
    const photo = db.prepare(
      "INSERT OR IGNORE INTO photos (file, type, bytes, region, tps, contest, actor, at) VALUES (?, 'image/png', 10, ?, ?, ?, 'u', 't')",
    )
    expect(photo.run('a.png', '35.09.01.2001', null, null).changes).toBe(1)
    expect(photo.run('a.png', '35.09.01.2001', null, null).changes).toBe(0)
    expect(photo.run('a.png', '35.09.01.2001', '35.09.01.2001.001', 'bupati').changes).toBe(1)
    expect(photo.run('a.png', '35.09.01.2001', '35.09.01.2001.001', 'bupati').changes).toBe(0)
    expect(() =>
      db
        .prepare(
          "INSERT INTO photos (file, type, bytes, region, actor, at) VALUES ('b', 'image/gif', 1, 'r', 'u', 't')",
        )
        .run(),
    ).toThrow(/CHECK/)

    db.prepare(
      "INSERT INTO incidents (at, reporter, region, category, urgency, text) VALUES ('t', 'u', 'r', 'lainnya', 'rendah', 'x')",
    ).run()
    const key = db.prepare(
      "INSERT INTO incident_submissions (actor, submission_id, incident, hash) VALUES ('u', 's1', 1, 'h')",
    )
    key.run()
    expect(() => key.run()).toThrow(/UNIQUE|PRIMARY KEY/)

    const mark = db.prepare(
      "INSERT INTO desa_verifications (desa, status, note, actor, at, results) VALUES ('d', ?, NULL, 'u', 't', 1)",
    )
    mark.run('verified')
    expect(() =>
      db
        .prepare(
          "INSERT INTO desa_verifications (desa, status, actor, at, results) VALUES ('e', 'ok', 'u', 't', 1)",
        )
        .run(),
    ).toThrow(/CHECK/)
  })
})
