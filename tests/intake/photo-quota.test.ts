import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PHOTO_QUOTA, photoQuotaFromEnv } from '../../src/service/intake-service'
import { DESA_A, DESA_B, DESA_C, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { CSV_HEADER, jpegBytes } from './fixtures'

const TPS_A1 = `${DESA_A}.001`
const TPS_A2 = `${DESA_A}.002`
const TPS_B1 = `${DESA_B}.001`
const TPS_C1 = `${DESA_C}.001`
const JPEG = { 'content-type': 'image/jpeg' }
const MB = 1024 * 1024

describe('per-reporter photo quota', () => {
  let desk: TestDesk
  let reporterA: string
  let reporterB: string
  let reporterC: string
  let operator: string
  let seed = 10
  /** A JPEG no other test has sent (the desk names files by content). */
  const photo = (size = 2048) => jpegBytes(size, seed++)
  const upload = (query: string, token: string, bytes = photo()) =>
    desk.call('POST', `/photos?${query}`, bytes, token, JPEG)
  const setQuota = async (q: { perPlace: number; mbPerSheet: number; mbBase: number }) => {
    const r = await desk.call('PUT', '/intake/photo-quota', q)
    expect(r.status).toBe(200)
  }

  beforeAll(async () => {
    desk = await startDesk()
    expect(
      (await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 3, 300))).status,
    ).toBe(200)
    const csv = [
      CSV_HEADER,
      `Siti Aminah,0811,pelapor,${DESA_A}`,
      `Bambang,0812,pelapor,${DESA_B}`,
      `Citra,0813,pelapor,${DESA_C}`,
      `Rina Operator,0814,operator,`,
    ].join('\n')
    const r = await desk.call('POST', '/users/import', csv)
    expect(r.status).toBe(201)
    const code = (name: string) =>
      r.body.users.find((u: any) => u.name === name).accessCode as string
    reporterA = code('Siti Aminah')
    reporterB = code('Bambang')
    reporterC = code('Citra')
    operator = code('Rina Operator')
  })
  afterAll(() => desk.stop())

  it('sizes the default from the reporter region: TPS × contests, plus a base', async () => {
    const contests = (await desk.call('GET', '/config')).body.contests.length
    expect(contests).toBeGreaterThan(0)
    const r = await desk.call('GET', '/intake/photo-quota', undefined, reporterA)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ ...DEFAULT_PHOTO_QUOTA, source: 'default', mine: { bytes: 0 } })
    // Desa A has 3 TPS.
    expect(r.body.mine.limitBytes).toBe(
      (DEFAULT_PHOTO_QUOTA.mbBase + DEFAULT_PHOTO_QUOTA.mbPerSheet * 3 * contests) * MB,
    )
    // Staff see the limits, not a use of their own: they are not limited.
    const staff = await desk.call('GET', '/intake/photo-quota', undefined, operator)
    expect(staff.body.mine).toBeUndefined()
  })

  it('refuses the photo past the per-place limit in Indonesian, keeps what was stored, and lets others and staff send', async () => {
    await setQuota({ perPlace: 2, mbPerSheet: 0, mbBase: 0 })
    const first = await upload(`tps=${TPS_A1}&contest=bupati`, reporterA)
    const second = await upload(`tps=${TPS_A1}&contest=bupati`, reporterA)
    expect([first.status, second.status]).toEqual([201, 201])

    const third = await upload(`tps=${TPS_A1}&contest=bupati`, reporterA)
    expect(third.status).toBe(413)
    expect(third.body.error.code).toBe('photo_quota')
    expect(third.body.error.message).toMatch(
      /^Kuota foto penuh: sudah 2 foto Anda untuk C\.Hasil .* TPS 001 .*paling banyak 2\./,
    )
    expect(third.body.error.message).toMatch(/tetap tersimpan/)
    expect(third.body.error.fields.file).toMatch(/Kuota 2 foto untuk .*TPS 001.* sudah penuh/)

    // Nothing stored is lost, and a phone resending a stored photo still hears 200.
    for (const f of [first.body.photo, second.body.photo])
      expect(existsSync(join(desk.dataDir, 'photos', f))).toBe(true)
    const listed = await desk.call('GET', `/photos?tps=${TPS_A1}`, undefined, operator)
    expect(listed.body.photos.filter((p: any) => p.contest === 'bupati')).toHaveLength(2)
    const resend = await desk.call(
      'POST',
      `/photos?tps=${TPS_A1}&contest=bupati`,
      jpegBytes(2048, seed - 2),
      reporterA,
      JPEG,
    )
    expect(resend.status).toBe(200)
    expect(resend.body.photo).toBe(second.body.photo)

    // The limit is per place: the same TPS's other contest, or another TPS, still take photos.
    expect((await upload(`tps=${TPS_A1}&contest=gubernur`, reporterA)).status).toBe(201)
    expect((await upload(`tps=${TPS_A2}&contest=bupati`, reporterA)).status).toBe(201)
    // Another reporter is unaffected.
    expect((await upload(`tps=${TPS_B1}&contest=bupati`, reporterB)).status).toBe(201)
    expect((await upload(`tps=${TPS_B1}&contest=bupati`, reporterB)).status).toBe(201)
    // Desk staff (photos phoned in or brought by hand) are not limited.
    expect((await upload(`tps=${TPS_A1}&contest=bupati`, operator)).status).toBe(201)
    expect((await upload(`tps=${TPS_A1}&contest=bupati`, desk.adminToken)).status).toBe(201)

    // The numbers travel apart from the photos: the result is accepted whatever the quota.
    const result = await desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: TPS_A1,
        contest: 'bupati',
        votes: { '1': 150, '2': 120 },
        invalid: 10,
      },
      reporterA,
      { 'x-desk-channel': 'web' },
    )
    expect(result.status).toBe(201)
    // And an incident without the refused photo is taken too.
    const incident = await desk.call(
      'POST',
      '/incidents',
      {
        tps: TPS_A1,
        category: 'lainnya',
        urgency: 'rendah',
        text: 'Foto C.Hasil tidak terkirim, kuota penuh',
      },
      reporterA,
    )
    expect(incident.status).toBe(201)
  })

  it('decides the race inside the writer: of parallel uploads only the allowed number is kept', async () => {
    await setQuota({ perPlace: 2, mbPerSheet: 0, mbBase: 0 })
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => upload(`tps=${TPS_A2}&contest=gubernur`, reporterA)),
    )
    expect(answers.filter((a) => a.status === 201)).toHaveLength(2)
    expect(
      answers.filter((a) => a.status === 413 && a.body.error.code === 'photo_quota'),
    ).toHaveLength(4)
    const rows = desk.store.db
      .prepare("SELECT count(*) AS n FROM photos WHERE tps = ? AND contest = 'gubernur'")
      .get(TPS_A2) as { n: number }
    expect(rows.n).toBe(2)
  })

  it('refuses past the total size for the reporter, not for others', async () => {
    await setQuota({ perPlace: 0, mbPerSheet: 0, mbBase: 1 })
    const first = await upload(`tps=${TPS_C1}&contest=bupati`, reporterC, photo(600 * 1024))
    expect(first.status).toBe(201)
    const over = await upload(`tps=${TPS_C1}&contest=gubernur`, reporterC, photo(600 * 1024))
    expect(over.status).toBe(413)
    expect(over.body.error).toMatchObject({
      code: 'photo_quota',
      fields: { file: 'Kuota foto Anda (1 MB) sudah penuh' },
    })
    expect(over.body.error.message).toMatch(
      /^Kuota foto Anda penuh: 0,6 dari 1 MB terpakai, foto ini 0,6 MB\. .*tetap tersimpan/,
    )
    // A photo that still fits is taken.
    expect((await upload(`region=${DESA_C}`, reporterC, photo(300 * 1024))).status).toBe(201)
    const mine = await desk.call('GET', '/intake/photo-quota', undefined, reporterC)
    expect(mine.body).toMatchObject({
      source: 'admin',
      mbBase: 1,
      mine: { bytes: 900 * 1024, limitBytes: MB },
    })
    // Reporter B has used little: still room. Staff have no total.
    expect(
      (await upload(`tps=${TPS_B1}&contest=gubernur`, reporterB, photo(600 * 1024))).status,
    ).toBe(201)
    expect(
      (await upload(`tps=${TPS_C1}&contest=gubernur`, operator, photo(900 * 1024))).status,
    ).toBe(201)
  })

  it('lets the admin raise the quota during the night, and go back to the default', async () => {
    await setQuota({ perPlace: 0, mbPerSheet: 0, mbBase: 1 })
    expect(
      (await upload(`tps=${TPS_C1}&contest=gubernur`, reporterC, photo(600 * 1024))).status,
    ).toBe(413)
    await setQuota({ perPlace: 0, mbPerSheet: 0, mbBase: 2 })
    expect(
      (await upload(`tps=${TPS_C1}&contest=gubernur`, reporterC, photo(600 * 1024))).status,
    ).toBe(201)
    const reset = await desk.call('DELETE', '/intake/photo-quota')
    expect(reset.status).toBe(200)
    expect(reset.body).toMatchObject({ ...DEFAULT_PHOTO_QUOTA, source: 'default' })
    const audit = (await desk.call('GET', '/audit')).body
    expect(JSON.stringify(audit)).toMatch(/intake\.photoQuota/)
  })

  it('lets only the admin set the quota, with each wrong field named', async () => {
    expect(
      (
        await desk.call(
          'PUT',
          '/intake/photo-quota',
          { perPlace: 5, mbPerSheet: 5, mbBase: 5 },
          operator,
        )
      ).status,
    ).toBe(403)
    expect(
      (
        await desk.call(
          'PUT',
          '/intake/photo-quota',
          { perPlace: 5, mbPerSheet: 5, mbBase: 5 },
          reporterA,
        )
      ).status,
    ).toBe(403)
    expect((await desk.call('DELETE', '/intake/photo-quota', undefined, operator)).status).toBe(403)
    const bad = await desk.call('PUT', '/intake/photo-quota', { perPlace: -1, mbPerSheet: 1.5 })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields.perPlace).toMatch(/negatif/)
    expect(bad.body.error.fields.mbPerSheet).toMatch(/bulat/)
    expect(bad.body.error.fields.mbBase).toMatch(/wajib/)
    // A number sent as text is named as such, not as missing.
    const text = await desk.call('PUT', '/intake/photo-quota', {
      perPlace: '10',
      mbPerSheet: 10,
      mbBase: 100,
    })
    expect(text.status).toBe(400)
    expect(text.body.error.fields.perPlace).toBe(
      'perPlace harus bilangan bulat (angka tanpa tanda kutip), bukan teks',
    )
    expect(text.body.error.fields.mbPerSheet).toBeUndefined()
    // One MB value at 0 does not lift the total: the message says when it does.
    const missing = await desk.call('PUT', '/intake/photo-quota', { perPlace: 10, mbPerSheet: -1 })
    expect(missing.body.error.fields.mbPerSheet).toMatch(
      /tidak boleh negatif .*batas total mati hanya bila mbPerSheet dan mbBase keduanya 0/,
    )
    expect(missing.body.error.fields.mbBase).toMatch(
      /^mbBase wajib diisi: .*batas total mati hanya bila mbBase dan mbPerSheet keduanya 0/,
    )
    expect(missing.body.error.fields.mbBase).not.toMatch(/0 = tanpa batas\)/)
  })

  it('keeps on disk exactly the photos it accepted when a burst runs past the quota', async () => {
    const dir = join(desk.dataDir, 'photos')
    /** Every file in the photos folder, temp files included, against the files the rows point at. */
    const disk = () => {
      const files = readdirSync(dir).sort()
      const rows = (
        desk.store.db.prepare('SELECT DISTINCT file FROM photos ORDER BY file').all() as {
          file: string
        }[]
      ).map((r) => r.file)
      return { files, rows }
    }
    const burst = (query: string, n: number, size: number) =>
      Promise.all(Array.from({ length: n }, () => upload(query, reporterA, photo(size))))

    // Per place: 2 of 12 parallel photos of one desa are kept, the other 10 leave nothing behind.
    await setQuota({ perPlace: 2, mbPerSheet: 0, mbBase: 0 })
    const perPlace = await burst(`region=${DESA_A}`, 12, 64 * 1024)
    expect(perPlace.filter((a) => a.status === 201)).toHaveLength(2)
    expect(perPlace.filter((a) => a.status === 413)).toHaveLength(10)
    let now = disk()
    expect(now.files).toEqual(now.rows)
    for (const a of perPlace.filter((x) => x.status === 201))
      expect(now.files).toContain(a.body.photo)

    // Total size: 1 MB for reporter A, 10 parallel photos of 300 KB: what fits is kept, the rest is gone.
    await setQuota({ perPlace: 0, mbPerSheet: 0, mbBase: 1 })
    const total = await burst(`tps=${TPS_A1}`, 10, 300 * 1024)
    expect(total.filter((a) => a.status === 413)).not.toHaveLength(0)
    now = disk()
    expect(now.files).toEqual(now.rows)
    const mine = await desk.call('GET', '/intake/photo-quota', undefined, reporterA)
    expect(mine.body.mine.bytes).toBeLessThanOrEqual(MB)
    const size = now.files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
    const counted = desk.store.db
      .prepare('SELECT sum(bytes) AS n FROM (SELECT DISTINCT file, bytes FROM photos)')
      .get() as { n: number }
    expect(size).toBe(counted.n)

    // The same new picture sent twice at once (by staff, to two places): one file, both rows, both kept.
    const same = photo(4096)
    const twice = await Promise.all([
      upload(`tps=${TPS_A1}&contest=bupati`, operator, same),
      upload(`tps=${TPS_B1}&contest=bupati`, operator, same),
    ])
    expect(twice.map((a) => a.status)).toEqual([201, 201])
    expect(twice[0]!.body.photo).toBe(twice[1]!.body.photo)
    now = disk()
    expect(now.files).toEqual(now.rows)
    expect(readFileSync(join(dir, twice[0]!.body.photo)).equals(same)).toBe(true)
  })
})

describe('photo temp files left by a crash', () => {
  it('are removed when the desk starts again; photos and other files stay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-photo-temp-'))
    try {
      let desk = await startDesk({ dataDir })
      expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 1, 300))).status).toBe(200)
      const stored = await desk.call(
        'POST',
        `/photos?tps=${TPS_A1}`,
        jpegBytes(2048, 3),
        desk.adminToken,
        JPEG,
      )
      expect(stored.status).toBe(201)
      await desk.stop()
      const dir = join(dataDir, 'photos')
      const crashed = `.${'ab'.repeat(32)}.jpg.0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.tmp`
      writeFileSync(join(dir, crashed), jpegBytes(1024, 4))
      writeFileSync(join(dir, '.keep'), '')
      desk = await startDesk({ dataDir })
      await desk.stop()
      expect(readdirSync(dir).sort()).toEqual(['.keep', stored.body.photo].sort())
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('photo quota from the environment', () => {
  it('reads DESK_PHOTO_* over the defaults and names a bad variable', () => {
    expect(photoQuotaFromEnv({})).toEqual(DEFAULT_PHOTO_QUOTA)
    expect(
      photoQuotaFromEnv({
        DESK_PHOTO_PER_PLACE: '4',
        DESK_PHOTO_MB_PER_SHEET: ' 0 ',
        DESK_PHOTO_MB_BASE: '',
      }),
    ).toEqual({
      perPlace: 4,
      mbPerSheet: 0,
      mbBase: DEFAULT_PHOTO_QUOTA.mbBase,
    })
    expect(() => photoQuotaFromEnv({ DESK_PHOTO_MB_BASE: '1e3' })).toThrow(
      /DESK_PHOTO_MB_BASE="1e3" tidak sah/,
    )
    expect(() => photoQuotaFromEnv({ DESK_PHOTO_PER_PLACE: '-2' })).toThrow(/DESK_PHOTO_PER_PLACE/)
  })
})
