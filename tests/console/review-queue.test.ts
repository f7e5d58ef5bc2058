import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/store/db'
import { MIGRATIONS } from '../../src/store/migrations'
import { startDesk, type TestDesk } from '../helpers/desk'
import { report, seedDesk, type Seeded } from './seed'

describe('migration 0090 (review assignments)', () => {
  it('adds one assignment per kecamatan, keeping what 0080 left', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 80)
    db.prepare("INSERT INTO meta (key, value) VALUES ('regency', '35.09')").run()
    expect(migrate(db, MIGRATIONS, 90)).toBe(90)
    expect(db.prepare("SELECT value FROM meta WHERE key = 'regency'").get()).toEqual({
      value: '35.09',
    })
    const insert = db.prepare(
      "INSERT INTO review_assignments (kecamatan, supervisor, assigned_by, assigned_at) VALUES ('35.09.01', ?, 'admin', 't')",
    )
    insert.run('u1')
    expect(() => insert.run('u2')).toThrow(/UNIQUE|PRIMARY/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO review_assignments (kecamatan, supervisor, assigned_by, assigned_at) VALUES ('35.09.02', NULL, 'admin', 't')",
        )
        .run(),
    ).toThrow(/NOT NULL/)
  })
})

describe('the review queue at volume (API)', () => {
  let desk: TestDesk
  let seeded: Seeded
  let supervisor2: { id: string; code: string }
  const JOMBANG = '35.09.01'
  const KENCONG = '35.09.02'

  beforeAll(async () => {
    desk = await startDesk()
    seeded = await seedDesk(desk, { tpsPerDesa: 2 })
    const byRegion = new Map(seeded.reporters.map((r) => [r.region, r]))
    // A conflict in each of four desa (two kecamatan), and a reporter's correction in one.
    let seed = 1
    for (const desa of [...seeded.tps.keys()]
      .filter((d) => d.startsWith(JOMBANG))
      .slice(0, 2)
      .concat([...seeded.tps.keys()].filter((d) => d.startsWith(KENCONG)).slice(0, 2))) {
      const r = byRegion.get(desa)!
      const tps = seeded.tps.get(desa)![0]!
      await report(desk, r.code, tps, 'gubernur', seed)
      await report(desk, r.code, tps, 'gubernur', seed + 50, { note: 'kedua' })
      seed++
    }
    const kencongDesa = [...seeded.tps.keys()].find((d) => d.startsWith(KENCONG))!
    const kr = byRegion.get(kencongDesa)!
    const tps = seeded.tps.get(kencongDesa)![1]!
    await report(desk, kr.code, tps, 'bupati', 3)
    await report(desk, kr.code, tps, 'bupati', 4, {
      correction: { reason: 'Paslon 2 salah tulis' },
    })
    const s2 = await desk.call('POST', '/users', {
      name: 'Sari Supervisor',
      phone: '0812 9',
      role: 'supervisor',
    })
    supervisor2 = { id: s2.body.id, code: s2.body.accessCode }
  }, 120_000)

  afterAll(async () => {
    await desk?.stop()
  })

  const list = async (query = '', code = seeded.operator.code) => {
    const r = await desk.call('GET', `/conflicts${query}`, undefined, code)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body.conflicts as any[]
  }

  it('filters by kecamatan, contest and kind, and searches', async () => {
    expect(await list()).toHaveLength(5)
    expect((await list(`?kecamatan=${JOMBANG}`)).every((c) => c.tps.kecamatan === JOMBANG)).toBe(
      true,
    )
    expect(await list(`?kecamatan=${JOMBANG}`)).toHaveLength(2)
    expect(await list('?contest=bupati')).toHaveLength(1)
    const corrections = await list('?kind=correction')
    expect(corrections.map((c) => c.kind)).toEqual(['correction'])
    const one = (await list())[0]
    const found = await list(`?q=${encodeURIComponent(one.tps.desaName.toLowerCase())}`)
    expect(found.map((c) => c.id)).toContain(one.id)
    expect(
      found.every(
        (c) =>
          c.tps.desaName === one.tps.desaName || c.incoming.actor.name.includes(one.tps.desaName),
      ),
    ).toBe(true)
    const bad = await desk.call(
      'GET',
      '/conflicts?kecamatan=jombang',
      undefined,
      seeded.operator.code,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields.kecamatan).toMatch(/kode kecamatan/)
    // A code of the right shape that names no kecamatan of this regency: said, like kind=bogus.
    const unknown = await desk.call(
      'GET',
      '/conflicts?kecamatan=35.09.99',
      undefined,
      seeded.operator.code,
    )
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.fields.kecamatan).toBe(
      'Kecamatan 35.09.99 tidak ada di Kabupaten Jember',
    )
    const elsewhere = await desk.call(
      'GET',
      '/conflicts?kecamatan=35.10.01',
      undefined,
      seeded.operator.code,
    )
    expect(elsewhere.status).toBe(400)
    expect(elsewhere.body.error.fields).toHaveProperty('kecamatan')
  })

  it("gives staff the reporter's phone to call back", async () => {
    const c = (await list())[0]
    const reporter = seeded.reporters.find((r) => r.id === c.incoming.actor.id)!
    const users = (await desk.call('GET', '/users')).body.users as { id: string; phone: string }[]
    expect(c.incoming.actorPhone).toBe(users.find((u) => u.id === reporter.id)!.phone)
    expect(c.standing.actorPhone).toMatch(/^0813-/)
    // Display screens get no conflicts at all (and so no phones).
    const display = await desk.call('POST', '/users', {
      name: 'Papan',
      phone: '-',
      role: 'display',
    })
    expect((await desk.call('GET', '/conflicts', undefined, display.body.accessCode)).status).toBe(
      403,
    )
  })

  it("assigns a kecamatan's conflicts to one supervisor, who alone (or the admin) decides them", async () => {
    const before = (
      await desk.call('GET', '/console/review-assignments', undefined, seeded.operator.code)
    ).body
    expect(before.assignments).toEqual([])
    expect(before.supervisors.map((s: any) => s.name).sort()).toEqual([
      'Hadi Supervisor',
      'Sari Supervisor',
    ])
    expect(before.kecamatan).toHaveLength(31)
    // Operators cannot assign; a non-supervisor cannot be assigned.
    expect(
      (
        await desk.call(
          'PUT',
          `/console/review-assignments/${KENCONG}`,
          { supervisor: supervisor2.id },
          seeded.operator.code,
        )
      ).status,
    ).toBe(403)
    const notSup = await desk.call(
      'PUT',
      `/console/review-assignments/${KENCONG}`,
      { supervisor: seeded.operator.id },
      seeded.supervisor.code,
    )
    expect(notSup.status).toBe(400)
    expect(notSup.body.error.fields.supervisor).toBe('Bukan supervisor yang aktif')
    expect(
      (
        await desk.call(
          'PUT',
          '/console/review-assignments/35.09.99',
          { supervisor: supervisor2.id },
          seeded.supervisor.code,
        )
      ).status,
    ).toBe(404)

    const put = await desk.call(
      'PUT',
      `/console/review-assignments/${KENCONG}`,
      { supervisor: supervisor2.id },
      seeded.supervisor.code,
    )
    expect(put.status).toBe(200)
    expect(put.body.assignments).toMatchObject([
      {
        kecamatan: KENCONG,
        kecamatanName: 'Kencong',
        supervisor: { name: 'Sari Supervisor' },
        assignedBy: { name: 'Hadi Supervisor' },
      },
    ])
    const kencong = await list(`?kecamatan=${KENCONG}`)
    expect(kencong.every((c) => c.assignedTo?.name === 'Sari Supervisor')).toBe(true)
    expect((await list(`?kecamatan=${JOMBANG}`)).every((c) => c.assignedTo === null)).toBe(true)
    expect((await list('?assigned=me', supervisor2.code)).map((c) => c.id).sort()).toEqual(
      kencong.map((c) => c.id).sort(),
    )

    const target = kencong.find((c) => c.kind === 'conflict')!
    const other = await desk.call(
      'POST',
      `/conflicts/${target.id}/resolve`,
      { keep: 'standing', reason: 'Dicek dengan foto C.Hasil' },
      seeded.supervisor.code,
    )
    expect(other.status).toBe(403)
    expect(other.body.error.message).toMatch(/ditugaskan kepada Sari Supervisor/)
    const mine = await desk.call(
      'POST',
      `/conflicts/${target.id}/resolve`,
      { keep: 'standing', reason: 'Dicek dengan foto C.Hasil' },
      supervisor2.code,
    )
    expect(mine.status).toBe(200)
    // Released again: anyone may decide.
    const release = await desk.call(
      'PUT',
      `/console/review-assignments/${KENCONG}`,
      { supervisor: null },
      supervisor2.code,
    )
    expect(release.body.assignments).toEqual([])
    const history = (await desk.call('GET', `/tps/${target.tps.code}/history`)).body
    expect(history.entries.some((e: any) => e.action === 'decision.standing')).toBe(true)
  })

  it('calls a reporter\'s correction "koreksi" in the TPS history', async () => {
    const c = (await list('?kind=correction'))[0]
    const history = (await desk.call('GET', `/tps/${c.tps.code}/history`)).body
    const actions = history.entries
      .filter((e: any) => e.kind === 'submission')
      .map((e: any) => e.action)
    expect(actions).toContain('submission.correction')
    expect(actions).not.toContain('submission.conflict')
  })
})
