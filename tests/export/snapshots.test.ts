import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRecapWorkbook } from '../../src/export/recap-workbook'
import { ADMIN_TOKEN } from '../helpers/desk'
import {
  allText,
  downloadFrom,
  PHONES,
  readWorkbook,
  rowsOf,
  seedNight,
  tpsCode,
  type Night,
} from './fixture'

let night: Night
/** The desk's clock runs ahead of the real one by this much: a test moves time on without sleeping. */
let clockAheadMs = 0

const download = (path: string, token?: string) => downloadFrom(night.desk.url, path, token)

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Freeze as the screen does: ask, and confirm the count of waiting reports the desk answered with. */
async function freezeConfirmed(body: Record<string, unknown>, token = ADMIN_TOKEN) {
  const asked = await night.desk.call('POST', '/export/snapshots', body, token)
  if (asked.status !== 409) return asked
  return night.desk.call(
    'POST',
    '/export/snapshots',
    { ...body, confirmOpenConflicts: asked.body.error.openConflicts },
    token,
  )
}

beforeAll(async () => {
  night = await seedNight({ now: () => new Date(Date.now() + clockAheadMs) })
}, 60_000)

afterAll(async () => {
  await night?.desk.stop()
})

describe('Bekukan rekap (frozen snapshots)', () => {
  it('asks for confirmation while a differing report waits for a supervisor, then freezes and records how many', async () => {
    const refused = await night.desk.call('POST', '/export/snapshots', {
      label: 'Kirim ke provinsi 20.00',
    })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('open_conflicts')
    expect(refused.body.error.message).toContain(
      '1 laporan berbeda/koreksi masih menunggu keputusan supervisor',
    )
    expect(refused.body.error.fields.confirmOpenConflicts).toContain('"confirmOpenConflicts": 1')
    // The count the operator is shown, to be sent back.
    expect(refused.body.error.openConflicts).toBe(1)
    // A yes to fewer than are waiting now (the count grew since the operator looked) is asked again.
    const stale = await night.desk.call('POST', '/export/snapshots', {
      label: 'Kirim ke provinsi 20.00',
      confirmOpenConflicts: 0,
    })
    expect(stale.status).toBe(409)
    expect(stale.body.error.openConflicts).toBe(1)
    // A bare `true` says nothing about what was seen: refused, naming the field.
    const bare = await night.desk.call('POST', '/export/snapshots', {
      label: 'Kirim ke provinsi 20.00',
      confirmOpenConflicts: true,
    })
    expect(bare.status).toBe(400)
    expect(bare.body.error.fields.confirmOpenConflicts).toContain('jumlah laporan menunggu')
    expect((await night.desk.call('GET', '/export/snapshots')).body.snapshots).toHaveLength(0)
    const r = await night.desk.call('POST', '/export/snapshots', {
      label: 'Kirim ke provinsi 20.00',
      confirmOpenConflicts: refused.body.error.openConflicts,
    })
    expect(r.status).toBe(201)
    // The first sheet of the frozen file says how many were open.
    const wb = readWorkbook((await download('/export/snapshots/1/recap.xlsx')).bytes)
    const first = Object.fromEntries(
      rowsOf(wb.Sheets[wb.SheetNames[0]!]!).map((row) => [row[0], row[1]]),
    )
    expect(wb.SheetNames[0]).toBe('Ringkasan')
    expect(first['Laporan berbeda terbuka']).toMatch(
      /^1 laporan berbeda\/koreksi menunggu keputusan supervisor saat dibekukan/,
    )
    expect(r.body).toMatchObject({ id: 1, label: 'Kirim ke provinsi 20.00' })
    expect(r.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(r.body.dataSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(r.body.files.map((f: any) => f.profile).sort()).toEqual(['berjenjang', 'lengkap'])
    expect(r.body.summary).toEqual([
      {
        contest: 'gubernur',
        reported: night.accepted.get('gubernur')!.size,
        expected: 14,
        openConflicts: 1,
      },
      {
        contest: 'bupati',
        reported: night.accepted.get('bupati')!.size,
        expected: 14,
        openConflicts: 0,
      },
    ])
    const list = await night.desk.call('GET', '/export/snapshots')
    expect(list.body.snapshots).toHaveLength(1)
    expect(list.body.snapshots[0].files[0].sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('downloading a snapshot again gives byte-identical files whose SHA-256 is the listed one', async () => {
    const listed = (await night.desk.call('GET', '/export/snapshots')).body.snapshots[0]
    for (const profile of ['berjenjang', 'lengkap']) {
      const a = await download(`/export/snapshots/1/recap.xlsx?profile=${profile}`)
      // Time passes and results keep arriving; the frozen file must not change.
      await night.desk.call('POST', '/results', {
        submissionId: `after-freeze-${profile}`,
        tps: tpsCode('35.09.01.2002', 3),
        contest: 'bupati',
        votes: { '1': 50, '2': 60 },
        invalid: profile === 'lengkap' ? 2 : 1,
      })
      clockAheadMs += 61_000 // past the next whole minute, so anything stamped with the time would differ
      const b = await download(`/export/snapshots/1/recap.xlsx?profile=${profile}`)
      expect(a.status).toBe(200)
      expect(b.bytes.equals(a.bytes)).toBe(true)
      const file = listed.files.find((f: any) => f.profile === profile)
      expect(sha(a.bytes)).toBe(file.sha256)
      expect(a.headers.get('x-desk-sha256')).toBe(file.sha256)
      expect(a.headers.get('content-disposition')).toContain(`rekap-35.09-${profile}-snapshot-1-`)
    }
    // The live recap has moved on since.
    const live = await download('/export/recap.xlsx')
    expect(sha(live.bytes)).not.toBe(
      listed.files.find((f: any) => f.profile === 'berjenjang').sha256,
    )
  })

  it('the frozen workbook says which snapshot it is and carries the data fingerprint', async () => {
    const snap = (await night.desk.call('GET', '/export/snapshots/1')).body
    const wb = readWorkbook((await download('/export/snapshots/1/recap.xlsx')).bytes)
    const notes = Object.fromEntries(rowsOf(wb.Sheets['Catatan']!).map((r) => [r[0], r[1]]))
    // berjenjang (the default) names the snapshot by number and time; its typed label stays in lengkap.
    expect(notes['Snapshot']).toMatch(/^#1 dibekukan \d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2} WIB\./)
    expect(allText((await download('/export/snapshots/1/recap.xlsx')).bytes)).not.toContain(
      'Kirim ke provinsi',
    )
    const full = readWorkbook(
      (await download('/export/snapshots/1/recap.xlsx?profile=lengkap')).bytes,
    )
    const fullNotes = Object.fromEntries(rowsOf(full.Sheets['Catatan']!).map((r) => [r[0], r[1]]))
    expect(fullNotes['Snapshot']).toMatch(
      /^#1 dibekukan \d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2} WIB — Kirim ke provinsi 20\.00/,
    )
    expect(notes['Sidik data (SHA-256)']).toBe(snap.dataSha256)
    const summary = Object.fromEntries(rowsOf(wb.Sheets['Ringkasan']!).map((r) => [r[0], r[1]]))
    expect(summary['Snapshot']).toContain('#1')
    // The berjenjang snapshot file is as free of phone numbers as a live one.
    const text = allText(
      (await download('/export/snapshots/1/recap.xlsx?profile=berjenjang')).bytes,
    )
    for (const p of PHONES) expect(text).not.toContain(p)
  })

  it('rebuilding from the stored data gives the very same bytes (the province can have it checked)', async () => {
    const v = await night.desk.call('POST', '/export/snapshots/1/verify')
    expect(v.status).toBe(200)
    expect(v.body.files).toHaveLength(2)
    for (const f of v.body.files) {
      expect(f.identical).toBe(true)
      expect(f.rebuiltSha256).toBe(f.sha256)
    }
    const data = await night.desk.call('GET', '/export/snapshots/1/data.json')
    expect(data.status).toBe(200)
    const snap = (await night.desk.call('GET', '/export/snapshots/1')).body
    const rebuilt = buildRecapWorkbook(data.body, {
      profile: 'berjenjang',
      snapshot: { id: 1, label: snap.label, frozenAt: snap.createdAt },
    })
    expect(rebuilt.bytes.equals((await download('/export/snapshots/1/recap.xlsx')).bytes)).toBe(
      true,
    )
  })

  it('same data gives the same fingerprint; a changed figure gives another', async () => {
    const second = await freezeConfirmed({})
    const third = await freezeConfirmed({ label: 'tanpa perubahan' })
    expect(second.body.id).toBe(2)
    expect(third.body.id).toBe(3)
    expect(third.body.dataSha256).toBe(second.body.dataSha256)
    const first = (await night.desk.call('GET', '/export/snapshots/1')).body
    expect(second.body.dataSha256).not.toBe(first.dataSha256) // results arrived after #1
    const list = (await night.desk.call('GET', '/export/snapshots')).body.snapshots
    expect(list.map((s: any) => s.id)).toEqual([3, 2, 1])
  })

  it('a stored snapshot cannot be changed or deleted, even from inside the desk', () => {
    const db = night.desk.store.db
    expect(() => db.prepare("UPDATE snapshots SET label = 'x' WHERE id = 1").run()).toThrow(
      /immutable/,
    )
    expect(() => db.prepare('DELETE FROM snapshot_files WHERE snapshot = 1').run()).toThrow(
      /immutable/,
    )
    expect(() =>
      db.prepare("UPDATE snapshot_files SET bytes = x'00' WHERE snapshot = 1").run(),
    ).toThrow(/immutable/)
  })

  it('freezing is recorded in the audit log and announced as an event', async () => {
    const audit = (await night.desk.call('GET', '/audit')).body.entries
    const freeze = audit.find((e: any) => e.action === 'export.freeze' && e.target === '1')
    expect(freeze.detail.files.berjenjang).toMatch(/^[0-9a-f]{64}$/)
    const events = night.desk.store
      .eventsAfter(0, 100_000)
      .filter((e) => e.type === 'snapshot.created')
    expect(events).toHaveLength(3)
  })

  it('who may do what: displays (board only) and reporters nothing; freezing needs an operator', async () => {
    const display = (await night.desk.call('POST', '/users', { name: 'Layar', role: 'display' }))
      .body.accessCode
    const reporter = (
      await night.desk.call('POST', '/users', {
        name: 'P',
        role: 'reporter',
        region: '35.09.02.2001',
      })
    ).body.accessCode
    const operator = (
      await night.desk.call('POST', '/users', { name: 'Operator', role: 'operator' })
    ).body.accessCode
    expect((await night.desk.call('GET', '/export/snapshots', undefined, display)).status).toBe(403)
    expect(
      (await download('/export/snapshots/1/recap.xlsx?profile=berjenjang', display)).status,
    ).toBe(403)
    expect((await download('/export/snapshots/1/recap.xlsx?profile=lengkap', display)).status).toBe(
      403,
    )
    expect(
      (await night.desk.call('GET', '/export/snapshots/1/data.json', undefined, display)).status,
    ).toBe(403)
    expect((await night.desk.call('POST', '/export/snapshots', {}, display)).status).toBe(403)
    expect((await night.desk.call('GET', '/export/snapshots', undefined, reporter)).status).toBe(
      403,
    )
    expect((await freezeConfirmed({ label: 'oleh operator' }, operator)).status).toBe(201)
    expect((await night.desk.call('GET', '/export/snapshots/99')).status).toBe(404)
    expect((await night.desk.call('GET', '/export/snapshots/abc')).status).toBe(400)
    expect(
      (await night.desk.call('POST', '/export/snapshots', { label: 'x'.repeat(121) })).status,
    ).toBe(400)
  })

  it('concurrent freezes get distinct numbers and files', async () => {
    const exports = night.desk.features.export
    const principal = { id: 'admin', name: 'Admin', role: 'admin' as const, region: '35.09' }
    const [a, b] = await Promise.all([
      exports.freeze(principal, 'a', 1, 10),
      exports.freeze(principal, 'b', 1, 10),
    ])
    expect(b.id).toBe(a.id + 1)
    expect(
      exports
        .snapshotFile(a.id, 'berjenjang')
        .bytes.equals(exports.snapshotFile(b.id, 'berjenjang').bytes),
    ).toBe(false)
  })
})
