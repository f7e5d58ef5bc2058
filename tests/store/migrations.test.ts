import Database from 'better-sqlite3'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate, NewerDatabaseError, openDatabase, schemaVersion } from '../../src/store/db'
import { MIGRATIONS } from '../../src/store/migrations'

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string
    }[]
  ).map((r) => r.name)

describe('migrations', () => {
  it('are numbered in increasing order', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    expect([...versions].sort((a, b) => a - b)).toEqual(versions)
    expect(new Set(versions).size).toBe(versions.length)
  })

  it('0010 creates the registry tables, and the audit log refuses edits', () => {
    const db = new Database(':memory:')
    expect(migrate(db, MIGRATIONS, 10)).toBe(10)
    expect(tables(db)).toEqual(
      expect.arrayContaining(['meta', 'contests', 'tps', 'users', 'audit']),
    )
    db.prepare("INSERT INTO audit (at, actor, action) VALUES ('t', 'a', 'x')").run()
    expect(() => db.prepare("UPDATE audit SET actor = 'b'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO tps (code, desa, number, dpt, updated_at) VALUES ('x', 'd', 1, 2000, 't')",
        )
        .run(),
    ).toThrow(/CHECK/)
  })

  it('0020 adds submissions (append-only, idempotency key unique), results and conflicts, keeping 0010 data', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 10)
    db.prepare("INSERT INTO meta (key, value) VALUES ('regency', '35.09')").run()
    expect(migrate(db, MIGRATIONS, 20)).toBe(20)
    expect(db.prepare("SELECT value FROM meta WHERE key = 'regency'").get()).toEqual({
      value: '35.09',
    })
    const insert = db.prepare(
      "INSERT INTO submissions (submission_id, actor, channel, received_at, address, tps, contest, payload, hash, outcome, answer) VALUES ('s1', 'u1', 'api', 't', 'a', 'x', 'c', '{}', 'h', 'accepted', '{}')",
    )
    insert.run()
    expect(() => insert.run()).toThrow(/UNIQUE/)
    expect(() => db.prepare("UPDATE submissions SET outcome = 'conflict'").run()).toThrow(
      /append-only/,
    )
    expect(() => db.prepare('DELETE FROM submissions').run()).toThrow(/append-only/)
    expect(tables(db)).toEqual(expect.arrayContaining(['submissions', 'results', 'conflicts']))
  })

  it('0030 adds the event log with ids that only grow', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 20)
    expect(migrate(db, MIGRATIONS, 30)).toBe(30)
    const ins = db.prepare("INSERT INTO events (at, type, data) VALUES ('t', 'x', '{}')")
    const a = Number(ins.run().lastInsertRowid)
    db.prepare('DELETE FROM events').run()
    const b = Number(ins.run().lastInsertRowid)
    expect(b).toBeGreaterThan(a) // AUTOINCREMENT: never reuse an id a board may have seen
  })

  it('0080 adds the refusals log (append-only, no idempotency key), keeping the submissions', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 70)
    db.prepare(
      "INSERT INTO submissions (submission_id, actor, channel, received_at, address, tps, contest, payload, hash, outcome, answer) VALUES ('s1', 'u1', 'api', 't', 'a', 'x', 'c', '{}', 'h', 'accepted', '{}')",
    ).run()
    expect(migrate(db, MIGRATIONS, 80)).toBe(80)
    expect(db.prepare('SELECT count(*) AS n FROM submissions').get()).toEqual({ n: 1 })
    const insert = db.prepare(
      "INSERT INTO refusals (submission_id, actor, channel, received_at, address, tps, contest, payload, hash, status, code, fields) VALUES ('s1', 'u1', 'web', 't', 'a', 'x', 'c', '{}', 'h', 400, 'invalid', '{}')",
    )
    insert.run()
    insert.run() // the same submissionId may be refused twice (a sheet resent still wrong)
    expect(() => db.prepare("UPDATE refusals SET code = 'x'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM refusals').run()).toThrow(/append-only/)
  })

  it('0150 adds SMS codes (one per person) and the SMS log (a gateway message stored once)', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 80)
    db.prepare(
      "INSERT INTO users (id, name, role, region, code_id, code_hash, created_at) VALUES ('u1', 'Siti', 'reporter', '35.09.01.2001', 'K7PQ', 'h', 't')",
    ).run()
    expect(migrate(db, MIGRATIONS, 150)).toBe(150)
    const code = db.prepare(
      "INSERT INTO sms_codes (user_id, code_hash, issued_at) VALUES (?, 'scrypt$x', 't')",
    )
    code.run('u1')
    expect(() => code.run('u1')).toThrow(/UNIQUE|PRIMARY/)
    db.pragma('foreign_keys = ON')
    expect(() => code.run('nobody')).toThrow(/FOREIGN KEY/)
    const msg = db.prepare(
      "INSERT INTO sms_messages (direction, gateway, phone, at, text, status, message_key) VALUES ('in', 'gammu', '62812', 't', '****', 'received', ?)",
    )
    msg.run('k1')
    expect(() => msg.run('k1')).toThrow(/UNIQUE/)
    msg.run(null)
    msg.run(null) // replies carry no key
    expect(() =>
      db
        .prepare(
          "INSERT INTO sms_messages (direction, gateway, phone, at, text, status) VALUES ('in', 'whatsapp', '62812', 't', 'x', 'received')",
        )
        .run(),
    ).toThrow(/CHECK/)
  })

  it('0160 gives a chase call the desa it was about, keeping the calls logged before', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 150)
    db.prepare(
      "INSERT INTO users (id, name, role, region, code_id, code_hash, created_at) VALUES ('u1', 'Petugas', 'reporter', '35.09.01', 'K7PQ', 'h', 't')",
    ).run()
    db.prepare(
      "INSERT INTO chase_calls (reporter, actor, at, outcome, note) VALUES ('u1', 'admin', 't', 'reached', 'lama')",
    ).run()
    expect(migrate(db, MIGRATIONS, 160)).toBe(160)
    expect(db.prepare('SELECT note, desa FROM chase_calls').get()).toEqual({
      note: 'lama',
      desa: null,
    })
    db.prepare(
      "INSERT INTO chase_calls (reporter, actor, at, outcome, note, desa) VALUES ('u1', 'admin', 't', 'no_answer', '', '35.09.01.2001')",
    ).run()
    expect(
      db.prepare('SELECT count(*) AS n FROM chase_calls WHERE desa IS NOT NULL').get(),
    ).toEqual({ n: 1 })
    expect(() => db.prepare("UPDATE chase_calls SET desa = '35.09.01.2002'").run()).toThrow(
      /append-only/,
    )
  })

  it('applies everything on a new file, durably configured, and is idempotent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-mig-'))
    const db = openDatabase(join(dir, 'd.sqlite'))
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    db.close()
    const again = openDatabase(join(dir, 'd.sqlite'))
    expect(schemaVersion(again)).toBe(MIGRATIONS.at(-1)!.version)
    again.close()
  })

  it('refuses a database written by a newer version, without changing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-mig-'))
    const file = join(dir, 'd.sqlite')
    const raw = new Database(file)
    raw.pragma('user_version = 9999')
    raw.close()
    expect(() => openDatabase(file)).toThrow(NewerDatabaseError)
    const check = new Database(file)
    expect(check.pragma('user_version', { simple: true })).toBe(9999)
    check.close()
  })

  it('rolls a failing migration back entirely', () => {
    const db = new Database(':memory:')
    const broken = [
      ...MIGRATIONS.filter((m) => m.version <= 10),
      {
        version: 20,
        name: 'broken',
        up: 'CREATE TABLE ok (x INTEGER); SELECT nonsense FROM nowhere;',
      },
    ]
    expect(() => migrate(db, broken)).toThrow()
    expect(schemaVersion(db)).toBe(0)
    expect(tables(db)).toEqual([])
  })
})
