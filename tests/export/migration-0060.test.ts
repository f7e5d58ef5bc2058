import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/store/db'
import { MIGRATIONS } from '../../src/store/migrations'
import { RecapQueries } from '../../src/store/recap-queries'

describe('migration 0060 (snapshots, KPU figures)', () => {
  it('applies to :memory: after 0050, and its tables keep what was stored as stored', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 50)
    expect(migrate(db, MIGRATIONS, 60)).toBe(60)
    const q = new RecapQueries(db)
    expect(q.nextSnapshotId()).toBe(1)
    q.insertSnapshot({
      id: 1,
      createdAt: 't',
      actor: 'admin',
      label: 'l',
      dataSha256: 'd',
      data: Buffer.from('x'),
      summary: [],
    })
    q.insertSnapshotFile({
      snapshot: 1,
      profile: 'berjenjang',
      filename: 'f.xlsx',
      sha256: 's',
      bytes: Buffer.from([1, 2, 3]),
    })
    expect(() =>
      q.insertSnapshotFile({
        snapshot: 1,
        profile: 'rahasia',
        filename: 'f',
        sha256: 's',
        bytes: Buffer.alloc(1),
      }),
    ).toThrow(/CHECK/)
    expect(q.snapshotFile(1, 'berjenjang')!.bytes).toEqual(Buffer.from([1, 2, 3]))
    expect(q.listSnapshots()[0]!.files).toEqual([
      { profile: 'berjenjang', filename: 'f.xlsx', sha256: 's', size: 3 },
    ])
    expect(() => db.prepare("UPDATE snapshots SET label = 'm'").run()).toThrow(/immutable/)
    expect(() => db.prepare('DELETE FROM snapshots').run()).toThrow(/immutable/)
    expect(() => db.prepare("UPDATE snapshot_files SET sha256 = 'm'").run()).toThrow(/immutable/)

    q.insertKpuImport({
      id: 1,
      at: 't',
      actor: 'a',
      source: 's',
      format: 'baris',
      level: 'tps',
      contests: ['bupati'],
      rows: 1,
      sha256: 'h',
    })
    q.insertKpuFigure(1, 'bupati', {
      region: '35.09.01.2001.001',
      votes: { '1': 3, '2': 4 },
      valid: 7,
      invalid: 0,
    })
    expect(q.kpuFigures(1, 'bupati')).toEqual([
      { region: '35.09.01.2001.001', votes: { '1': 3, '2': 4 }, valid: 7, invalid: 0 },
    ])
    expect(() => db.prepare('DELETE FROM kpu_figures').run()).toThrow(/as imported/)
    expect(() => db.prepare("UPDATE kpu_imports SET level = 'desa'").run()).toThrow(/as imported/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO kpu_imports (id, at, actor, source, format, level, contests, rows, sha256) VALUES (2, 't', 'a', 's', 'baris', 'provinsi', '[]', 0, 'h')",
        )
        .run(),
    ).toThrow(/CHECK/)
  })

  it('reads the incident log when there is one, and none on a desk without it', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS)
    const q = new RecapQueries(db)
    expect(q.incidents()).toEqual([])
    db.exec('DROP TABLE incident_submissions; DROP TABLE incidents')
    expect(new RecapQueries(db).incidents()).toBeNull()
  })
})
