import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as XLSX from 'xlsx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lockout } from '../../src/server/rate-limit'
import { CODE_ALPHABET } from '../../src/service/credentials'
import { DESA_A, DESA_B, DESA_C, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { openSse } from '../helpers/sse'
import { CSV_HEADER, jpegBytes, PNG_1X1, webpBytes } from './fixtures'

const TPS_A1 = `${DESA_A}.001`
const TPS_A2 = `${DESA_A}.002`
const TPS_C1 = `${DESA_C}.001`
const CODE = new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`)

const sheet = (
  tps: string,
  contest = 'bupati',
  votes: Record<string, number> = { '1': 150, '2': 120 },
  invalid = 10,
) => ({
  submissionId: sid(),
  tps,
  contest,
  votes,
  invalid,
})

describe('intake API', () => {
  let desk: TestDesk
  let reporterA: string // desa A (Jombang)
  let reporterAId: string
  let kecamatan: string // kecamatan officer of Jombang (desa A and B)
  let operator: string
  let display: string

  beforeAll(async () => {
    desk = await startDesk()
    expect(
      (await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 3, 300))).status,
    ).toBe(200)
    const csv = [
      CSV_HEADER,
      `Siti Aminah,0812-1111-2222,pelapor,${DESA_A}`,
      `Budi Santoso,+62 813 3333 4444,pelapor,35.09.01`,
      `Rina Operator,0814,operator,`,
      `Layar Dinding,,display,`,
    ].join('\n')
    const r = await desk.call('POST', '/users/import', csv)
    expect(r.status).toBe(201)
    const codes = Object.fromEntries(r.body.users.map((u: any) => [u.name, u]))
    reporterA = codes['Siti Aminah'].accessCode
    reporterAId = codes['Siti Aminah'].id
    kecamatan = codes['Budi Santoso'].accessCode
    operator = codes['Rina Operator'].accessCode
    display = codes['Layar Dinding'].accessCode
  })
  afterAll(() => desk.stop())

  describe('reporter list import', () => {
    it('creates everyone with a one-time code, the region name, and only a hash stored', async () => {
      const users = (await desk.call('GET', '/users')).body.users
      const siti = users.find((u: any) => u.name === 'Siti Aminah')
      expect(siti).toMatchObject({ role: 'reporter', region: DESA_A, phone: '0812-1111-2222' })
      expect(users.find((u: any) => u.name === 'Rina Operator')).toMatchObject({
        role: 'operator',
        region: '35.09',
      })
      for (const code of [reporterA, kecamatan, operator, display]) expect(code).toMatch(CODE)
      // The code appears nowhere in the database file.
      const db = readFileSync(join(desk.dataDir, 'desk.sqlite'))
      expect(db.includes(Buffer.from(reporterA))).toBe(false)
      expect(db.includes(Buffer.from(reporterA.replace(/-/g, '')))).toBe(false)
    })

    it('imports nothing when any row is wrong, naming each row and column', async () => {
      const before = (await desk.call('GET', '/users')).body.users.length
      const csv = [
        CSV_HEADER,
        `Andi,0811,pelapor,${DESA_B}`,
        `,0811,pelapor,${DESA_B}`,
        `Citra,0811,pelapor,35.10.01.2001`,
        `Dodi,0811,kepala,${DESA_B}`,
        `Eka,abc,pelapor,${DESA_B}`,
        `Andi,0811,pelapor,${DESA_B}`,
        `Fajar,0811,pelapor,35.09`,
      ].join('\n')
      const r = await desk.call('POST', '/users/import', csv)
      expect(r.status).toBe(400)
      expect(r.body.error.code).toBe('import_invalid')
      expect(r.body.imported).toBe(0)
      expect(r.body.users).toEqual([])
      const rows = r.body.error.rows.map((e: any) => [e.row, e.column])
      expect(rows).toEqual([
        [3, 'nama'],
        [4, 'kode_wilayah'],
        [5, 'peran'],
        [6, 'hp'],
        [7, 'nama'],
        [8, 'kode_wilayah'],
      ])
      expect(r.body.error.rows[4].message).toMatch(/ganda: sudah ada di baris 2/)
      expect((await desk.call('GET', '/users')).body.users.length).toBe(before)
    })

    it('refuses to import someone already registered, and a file without the needed columns', async () => {
      const again = await desk.call(
        'POST',
        '/users/import',
        `${CSV_HEADER}\nSiti Aminah,0812,pelapor,${DESA_A}\n`,
      )
      expect(again.status).toBe(400)
      expect(again.body.error.rows[0].message).toMatch(/sudah terdaftar/)
      const noCols = await desk.call('POST', '/users/import', 'foo,bar\n1,2\n')
      expect(noCols.status).toBe(400)
      expect(noCols.body.error.rows[0]).toMatchObject({ row: 1 })
    })

    it('reads an XLSX workbook (Indonesian or English headers) and is admin-only', async () => {
      const ws = XLSX.utils.aoa_to_sheet([
        ['Name', 'Phone', 'Role', 'Region'],
        ['Gita Lestari', '0815', 'reporter', DESA_C],
      ])
      const wb = XLSX.utils.book_new()
      XLSX.utils.book_append_sheet(wb, ws, 'Pelapor')
      const xlsx = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer
      const r = await desk.call('POST', '/users/import', xlsx, undefined, {
        'content-type': 'application/octet-stream',
      })
      expect(r.status).toBe(201)
      expect(r.body.users[0]).toMatchObject({
        name: 'Gita Lestari',
        region: DESA_C,
        regionName: expect.any(String),
      })
      expect(r.body.users[0].regionName).not.toBe(DESA_C)
      const login = await desk.call(
        'POST',
        '/auth/login',
        { accessCode: r.body.users[0].accessCode },
        null,
      )
      expect(login.body).toMatchObject({
        name: 'Gita Lestari',
        role: 'reporter',
        region: { code: DESA_C, level: 'desa' },
      })
      expect((await desk.call('POST', '/users/import', xlsx, operator)).status).toBe(403)
      expect((await desk.call('POST', '/users/import', xlsx, null)).status).toBe(401)
    })
  })

  describe('sign-in', () => {
    it('tells the form who the code belongs to, case and dashes optional', async () => {
      const r = await desk.call(
        'POST',
        '/auth/login',
        { accessCode: reporterA.toLowerCase().replace(/-/g, ' ') },
        null,
      )
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({
        id: reporterAId,
        name: 'Siti Aminah',
        role: 'reporter',
        region: { code: DESA_A, level: 'desa' },
      })
      expect(r.body.window).toEqual({ opensAt: null, closesAt: null, open: true })
      const kec = await desk.call('POST', '/auth/login', { accessCode: kecamatan }, null)
      expect(kec.body.region).toEqual({ code: '35.09.01', name: 'Jombang', level: 'kecamatan' })
    })

    it('refuses a wrong, empty or revoked code', async () => {
      expect(
        (await desk.call('POST', '/auth/login', { accessCode: 'AAAA-BBBB-CCCC' }, null)).status,
      ).toBe(401)
      const empty = await desk.call('POST', '/auth/login', { accessCode: '' }, null)
      expect(empty.status).toBe(400)
      expect(empty.body.error.fields.accessCode).toMatch(/Kode akses wajib/)
      const made = await desk.call('POST', '/users', {
        name: 'Akan Dicabut',
        role: 'reporter',
        region: DESA_B,
      })
      await desk.call('POST', `/users/${made.body.id}/revoke`)
      const revoked = await desk.call(
        'POST',
        '/auth/login',
        { accessCode: made.body.accessCode },
        null,
      )
      expect(revoked.status).toBe(401)
      expect(revoked.body.error.code).toBe('revoked')
      const reissued = await desk.call('POST', `/users/${made.body.id}/reissue`)
      expect(
        (await desk.call('POST', '/auth/login', { accessCode: reissued.body.accessCode }, null))
          .status,
      ).toBe(200)
    })
  })

  describe('sign-in time window', () => {
    const hour = 3_600_000
    const iso = (ms: number) => new Date(Date.now() + ms).toISOString()
    afterAll(async () => {
      await desk.call('PUT', '/intake/window', { opensAt: null, closesAt: null })
    })

    it('keeps reporters out before it opens and after it closes; staff are not affected', async () => {
      const set = await desk.call('PUT', '/intake/window', {
        opensAt: iso(hour),
        closesAt: iso(2 * hour),
      })
      expect(set.status).toBe(200)
      expect(set.body.open).toBe(false)
      const early = await desk.call('POST', '/auth/login', { accessCode: reporterA }, null)
      expect(early.status).toBe(403)
      expect(early.body.error.code).toBe('outside_window')
      expect(early.body.error.message).toMatch(/baru dibuka .* WIB/)
      // Already-signed-in phones use the code as a token: reading the form is refused too
      // (queued writes are let through: see 'queued reports outside the window' below).
      expect((await desk.call('GET', '/intake/tps', undefined, reporterA)).status).toBe(403)
      expect((await desk.call('POST', '/auth/login', { accessCode: operator }, null)).status).toBe(
        200,
      )
      expect(
        (await desk.call('GET', `/intake/tps?region=${DESA_A}`, undefined, operator)).status,
      ).toBe(200)

      await desk.call('PUT', '/intake/window', { opensAt: iso(-2 * hour), closesAt: iso(-hour) })
      const late = await desk.call('POST', '/auth/login', { accessCode: reporterA }, null)
      expect(late.status).toBe(403)
      expect(late.body.error.message).toMatch(/sudah ditutup/)

      const open = await desk.call('PUT', '/intake/window', {
        opensAt: iso(-hour),
        closesAt: '2099-01-01T00:00:00+07:00',
      })
      expect(open.body).toMatchObject({ open: true, closesAt: '2098-12-31T17:00:00.000Z' })
      expect((await desk.call('POST', '/auth/login', { accessCode: reporterA }, null)).status).toBe(
        200,
      )
      expect((await desk.call('GET', '/intake/window', undefined, reporterA)).body.open).toBe(true)
    })

    it('is set by the admin only, and must close after it opens', async () => {
      expect(
        (await desk.call('PUT', '/intake/window', { opensAt: null, closesAt: null }, operator))
          .status,
      ).toBe(403)
      const bad = await desk.call('PUT', '/intake/window', {
        opensAt: iso(hour),
        closesAt: iso(-hour),
      })
      expect(bad.status).toBe(400)
      expect(bad.body.error.fields.closesAt).toMatch(/sesudah jam buka/)
      const noZone = await desk.call('PUT', '/intake/window', {
        opensAt: '2024-11-27T12:00',
        closesAt: null,
      })
      expect(noZone.status).toBe(400)
      expect(noZone.body.error.fields.opensAt).toMatch(/zona waktu/)
    })
  })

  describe("the reporter's TPS list", () => {
    it('shows only their own TPS, with a state per contest, and 403 outside', async () => {
      const mine = await desk.call('GET', '/intake/tps', undefined, reporterA)
      expect(mine.status).toBe(200)
      expect(mine.body.region).toMatchObject({ code: DESA_A, level: 'desa' })
      expect(mine.body.tps.map((t: any) => t.code)).toEqual([
        `${DESA_A}.001`,
        `${DESA_A}.002`,
        `${DESA_A}.003`,
      ])
      expect(mine.body.tps[0].contests).toEqual({
        gubernur: { state: 'belum' },
        bupati: { state: 'belum' },
      })
      expect(
        (await desk.call('GET', `/intake/tps?region=${DESA_C}`, undefined, reporterA)).status,
      ).toBe(403)
      expect((await desk.call('POST', '/results', sheet(TPS_C1), reporterA)).status).toBe(403)
      const kec = await desk.call('GET', '/intake/tps', undefined, kecamatan)
      expect(kec.body.desa.map((d: any) => d.code)).toContain(DESA_B)
      expect(new Set(kec.body.tps.map((t: any) => t.desa))).toEqual(new Set([DESA_A, DESA_B]))
      expect((await desk.call('GET', '/intake/tps', undefined, operator)).status).toBe(400)
    })

    it('moves from belum to diterima, and to perlu dicek on a correction or a flagged sheet', async () => {
      expect((await desk.call('POST', '/results', sheet(TPS_A2, 'bupati'), reporterA)).status).toBe(
        201,
      )
      const state = async () =>
        (await desk.call('GET', '/intake/tps', undefined, reporterA)).body.tps.find(
          (t: any) => t.code === TPS_A2,
        ).contests
      expect((await state()).bupati).toEqual({ state: 'diterima' })
      const correction = {
        ...sheet(TPS_A2, 'bupati', { '1': 151, '2': 120 }),
        correction: { reason: 'Salah tulis suara paslon 1' },
      }
      expect((await desk.call('POST', '/results', correction, reporterA)).status).toBe(202)
      expect((await state()).bupati).toEqual({ state: 'perlu_dicek', reason: 'correction' })
      // 5 voters of 300: accepted but flagged (turnout very low).
      expect(
        (
          await desk.call(
            'POST',
            '/results',
            sheet(TPS_A2, 'gubernur', { '1': 2, '2': 2, '3': 1 }, 0),
            reporterA,
          )
        ).status,
      ).toBe(201)
      expect((await state()).gubernur).toEqual({ state: 'perlu_dicek', reason: 'flagged' })
    })
  })

  describe('evidence photos', () => {
    it('keeps JPEG, PNG and WebP under the data dir, once per content', async () => {
      const png = await desk.call(
        'POST',
        `/photos?tps=${TPS_A1}&contest=gubernur`,
        PNG_1X1,
        reporterA,
        { 'content-type': 'image/png' },
      )
      expect(png.status).toBe(201)
      expect(png.body.photo).toMatch(/^[a-f0-9]{64}\.png$/)
      expect(readFileSync(join(desk.dataDir, 'photos', png.body.photo)).equals(PNG_1X1)).toBe(true)
      const again = await desk.call(
        'POST',
        `/photos?tps=${TPS_A1}&contest=gubernur`,
        PNG_1X1,
        reporterA,
        { 'content-type': 'image/png' },
      )
      expect(again.status).toBe(200)
      expect(again.body.photo).toBe(png.body.photo)
      const jpg = await desk.call(
        'POST',
        `/photos?tps=${TPS_A1}&contest=bupati`,
        jpegBytes(),
        reporterA,
        { 'content-type': 'application/octet-stream' },
      )
      expect(jpg.status).toBe(201)
      expect(jpg.body.photo).toMatch(/\.jpg$/)
      const webp = await desk.call('POST', `/photos?region=${DESA_A}`, webpBytes(), reporterA, {
        'content-type': 'image/webp',
      })
      expect(webp.status).toBe(201)
      expect(webp.body.photo).toMatch(/\.webp$/)
    })

    it('checks the content, not the name or type, and refuses more than 5 MB', async () => {
      const fake = await desk.call(
        'POST',
        `/photos?tps=${TPS_A1}`,
        Buffer.from('<html>bukan foto, hanya bernama foto.jpg</html>'),
        reporterA,
        {
          'content-type': 'image/jpeg',
        },
      )
      expect(fake.status).toBe(415)
      expect(fake.body.error.code).toBe('bad_image')
      const big = await desk.call(
        'POST',
        `/photos?tps=${TPS_A1}`,
        jpegBytes(5 * 1024 * 1024 + 1, 3),
        reporterA,
        { 'content-type': 'image/jpeg' },
      )
      expect(big.status).toBe(413)
      expect(big.body.error.message).toMatch(/5 MB/)
      const exactly = await desk.call(
        'POST',
        `/photos?tps=${TPS_A1}`,
        jpegBytes(5 * 1024 * 1024, 4),
        reporterA,
        { 'content-type': 'image/jpeg' },
      )
      expect(exactly.status).toBe(201)
    })

    it('refuses photos outside the region and from displays', async () => {
      expect(
        (
          await desk.call('POST', `/photos?tps=${TPS_C1}`, PNG_1X1, reporterA, {
            'content-type': 'image/png',
          })
        ).status,
      ).toBe(403)
      expect(
        (
          await desk.call('POST', `/photos?tps=${TPS_A1}`, PNG_1X1, display, {
            'content-type': 'image/png',
          })
        ).status,
      ).toBe(403)
      expect(
        (
          await desk.call('POST', `/photos?tps=${TPS_A1}`, PNG_1X1, null, {
            'content-type': 'image/png',
          })
        ).status,
      ).toBe(401)
    })

    it('shows photos to operators only, with a label, and serves the bytes with their type', async () => {
      const list = await desk.call('GET', `/photos?tps=${TPS_A1}`, undefined, operator)
      expect(list.status).toBe(200)
      const png = list.body.photos.find((p: any) => p.type === 'image/png')
      expect(png).toMatchObject({
        tps: TPS_A1,
        contest: 'gubernur',
        url: `/api/v1/photos/${png.file}`,
        by: { name: 'Siti Aminah' },
      })
      expect(png.label).toMatch(/^C\.Hasil Pemilihan Gubernur .* — TPS 001 /)
      const res = await fetch(`${desk.url}${png.url}`, {
        headers: { authorization: `Bearer ${operator}` },
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG_1X1)).toBe(true)
      expect((await desk.call('GET', `/photos/${png.file}`, undefined, reporterA)).status).toBe(403)
      expect((await desk.call('GET', `/photos/${png.file}`, undefined, display)).status).toBe(403)
      expect((await desk.call('GET', `/photos?tps=${TPS_A1}`, undefined, reporterA)).status).toBe(
        403,
      )
      expect((await desk.call('GET', '/photos/..%2Fdesk.sqlite', undefined, operator)).status).toBe(
        404,
      )
      expect(
        (await desk.call('GET', `/photos/${'0'.repeat(64)}.png`, undefined, operator)).status,
      ).toBe(404)
    })
  })

  describe('incidents', () => {
    it('records a reporter incident inside the region and announces it live, without personal data', async () => {
      const sse = await openSse(`${desk.url}/api/v1/events`, display)
      try {
        const r = await desk.call(
          'POST',
          '/incidents',
          {
            tps: TPS_A1,
            category: 'logistik',
            urgency: 'tinggi',
            text: 'Surat suara kurang 20 lembar',
          },
          reporterA,
        )
        expect(r.status).toBe(201)
        expect(r.body.id).toBeGreaterThan(0)
        await sse.until((m) => m.some((x) => x.event === 'incident.created'))
        const event = JSON.parse(sse.messages.find((x) => x.event === 'incident.created')!.data!)
        expect(event.data).toMatchObject({
          id: r.body.id,
          region: DESA_A,
          tps: TPS_A1,
          category: 'logistik',
          urgency: 'tinggi',
          status: 'open',
        })
        expect(JSON.stringify(event)).not.toMatch(/Siti|0812/)
      } finally {
        await sse.close()
      }
      const row = desk.store.db
        .prepare('SELECT * FROM incidents ORDER BY id DESC LIMIT 1')
        .get() as any
      expect(row).toMatchObject({
        reporter: reporterAId,
        region: DESA_A,
        tps: TPS_A1,
        status: 'open',
        simulated: 0,
        photo: null,
      })
    })

    it('defaults a desa reporter to their desa, attaches their photo, and refuses other places', async () => {
      const photo = (
        await desk.call('POST', `/photos?region=${DESA_A}`, jpegBytes(4096, 9), reporterA, {
          'content-type': 'image/jpeg',
        })
      ).body.photo
      const r = await desk.call(
        'POST',
        '/incidents',
        { category: 'cuaca', urgency: 'sedang', text: 'Hujan deras, TPS 002 tergenang', photo },
        reporterA,
      )
      expect(r.status).toBe(201)
      const row = desk.store.db
        .prepare('SELECT region, tps, photo FROM incidents WHERE id = ?')
        .get(r.body.id)
      expect(row).toEqual({ region: DESA_A, tps: null, photo })
      const statusOf = async (body: object, token: string) =>
        (await desk.call('POST', '/incidents', body, token)).status
      const ricuh = { category: 'keamanan', urgency: 'tinggi', text: 'Ricuh' }
      expect(await statusOf({ tps: TPS_C1, ...ricuh }, reporterA)).toBe(403)
      expect(await statusOf({ region: DESA_C, ...ricuh }, reporterA)).toBe(403)
      expect(await statusOf(ricuh, kecamatan)).toBe(400)
      expect(
        await statusOf(
          { region: DESA_B, category: 'keamanan', urgency: 'rendah', text: 'Ada keributan kecil' },
          kecamatan,
        ),
      ).toBe(201)
      expect(
        await statusOf(
          { region: DESA_A, category: 'lainnya', urgency: 'rendah', text: 'x x x' },
          display,
        ),
      ).toBe(403)
      const badPhoto = await desk.call(
        'POST',
        '/incidents',
        {
          category: 'lainnya',
          urgency: 'rendah',
          text: 'lihat foto',
          photo: `${'a'.repeat(64)}.jpg`,
        },
        reporterA,
      )
      expect(badPhoto.status).toBe(400)
      expect(badPhoto.body.error.fields.photo).toBeTruthy()
    })

    it('names the fields that are wrong', async () => {
      const r = await desk.call(
        'POST',
        '/incidents',
        { tps: TPS_A1, category: 'banjir', urgency: 'gawat', text: '' },
        reporterA,
      )
      expect(r.status).toBe(400)
      expect(Object.keys(r.body.error.fields).sort()).toEqual(['category', 'text', 'urgency'])
      expect(r.body.error.fields.category).toMatch(/Jenis kejadian/)
    })

    it('is safe to resend with the same submissionId', async () => {
      const body = {
        submissionId: sid('inc'),
        tps: TPS_A2,
        category: 'protes',
        urgency: 'sedang',
        text: 'Saksi paslon 2 keberatan',
      }
      const first = await desk.call('POST', '/incidents', body, reporterA)
      const second = await desk.call('POST', '/incidents', body, reporterA)
      expect(first.status).toBe(201)
      expect(second.status).toBe(200)
      expect(second.body).toEqual({ id: first.body.id, status: 'duplicate' })
      const n = desk.store.db
        .prepare('SELECT count(*) AS n FROM incidents WHERE tps = ? AND category = ?')
        .get(TPS_A2, 'protes') as any
      expect(n.n).toBe(1)
      expect(
        (await desk.call('POST', '/incidents', { ...body, text: 'lain' }, reporterA)).status,
      ).toBe(409)
    })

    it('lists incidents: operators with the reporter, reporters only their own; displays are board-only', async () => {
      const op = (await desk.call('GET', '/incidents', undefined, operator)).body.incidents
      expect(op.length).toBeGreaterThanOrEqual(4)
      expect(op[0].id).toBeGreaterThan(op[1].id)
      const mine = op.find((i: any) => i.category === 'logistik')
      expect(mine.reporter).toEqual({
        id: reporterAId,
        name: 'Siti Aminah',
        phone: '0812-1111-2222',
      })
      expect(mine.regionName).not.toBe(DESA_A)
      // A display account shows the wall board and nothing else (issue 5).
      expect((await desk.call('GET', '/incidents', undefined, display)).status).toBe(403)
      const own = (await desk.call('GET', '/incidents', undefined, kecamatan)).body.incidents
      expect(own.map((i: any) => i.region)).toEqual([DESA_B])
    })

    it('lets an operator mark one handled', async () => {
      const id = (await desk.call('GET', '/incidents?status=open', undefined, operator)).body
        .incidents[0].id
      expect(
        (await desk.call('POST', `/incidents/${id}/status`, { status: 'handled' }, reporterA))
          .status,
      ).toBe(403)
      const r = await desk.call('POST', `/incidents/${id}/status`, { status: 'handled' }, operator)
      expect(r.status).toBe(200)
      expect(r.body.status).toBe('handled')
      expect(
        (await desk.call('GET', '/incidents?status=open', undefined, operator)).body.incidents.map(
          (i: any) => i.id,
        ),
      ).not.toContain(id)
      expect(
        (await desk.call('POST', '/incidents/99999/status', { status: 'handled' }, operator))
          .status,
      ).toBe(404)
    })

    it('takes a photo sent later for an incident: its reporter or staff, one photo per incident', async () => {
      const jpeg = { 'content-type': 'image/jpeg' }
      const created = await desk.call(
        'POST',
        '/incidents',
        {
          submissionId: sid('inc'),
          tps: TPS_A2,
          category: 'keamanan',
          urgency: 'tinggi',
          text: 'Massa berkumpul',
        },
        reporterA,
      )
      expect(created.status).toBe(201)
      const id = created.body.id as number
      const first = (
        await desk.call('POST', `/photos?tps=${TPS_A2}`, jpegBytes(4096, 21), reporterA, jpeg)
      ).body.photo as string
      const second = (
        await desk.call('POST', `/photos?tps=${TPS_A2}`, jpegBytes(4096, 22), reporterA, jpeg)
      ).body.photo as string
      // Another reporter (the kecamatan officer over desa A) with a photo of their own: not their incident.
      const theirs = (
        await desk.call('POST', `/photos?tps=${TPS_A2}`, jpegBytes(4096, 23), kecamatan, jpeg)
      ).body.photo as string
      const other = await desk.call('POST', `/incidents/${id}/photo`, { photo: theirs }, kecamatan)
      expect(other.status).toBe(403)
      expect(other.body.error.message).toMatch(/Kejadian #\d+ dilaporkan orang lain/)
      // A reporter cannot claim someone else's picture for their own incident.
      const claimed = await desk.call(
        'POST',
        `/incidents/${id}/photo`,
        { photo: theirs },
        reporterA,
      )
      expect(claimed.status).toBe(400)
      expect(claimed.body.error.fields.photo).toBe('Foto tidak ditemukan')
      const bad = await desk.call(
        'POST',
        `/incidents/${id}/photo`,
        { photo: 'foto.jpg' },
        reporterA,
      )
      expect(bad.status).toBe(400)
      expect(bad.body.error.fields.photo).toMatch(/^photo tidak sah/)
      expect(
        (await desk.call('POST', `/incidents/${id}/photo`, {}, reporterA)).body.error.fields.photo,
      ).toMatch(/^photo wajib diisi/)
      expect(
        (await desk.call('POST', '/incidents/99999/photo', { photo: first }, reporterA)).status,
      ).toBe(404)
      expect(
        (await desk.call('POST', `/incidents/${id}/photo`, { photo: first }, display)).status,
      ).toBe(403)

      const sse = await openSse(`${desk.url}/api/v1/events`, display)
      try {
        const attached = await desk.call(
          'POST',
          `/incidents/${id}/photo`,
          { photo: first },
          reporterA,
        )
        expect(attached.status).toBe(200)
        expect(attached.body).toMatchObject({
          outcome: 'attached',
          incident: { id, hasPhoto: true },
        })
        // The reporter's view carries no file name or personal data.
        expect(attached.body.incident.photo).toBeUndefined()
        await sse.until((m) => m.some((x) => x.event === 'incident.updated'))
        const event = JSON.parse(sse.messages.find((x) => x.event === 'incident.updated')!.data!)
        expect(event.data).toEqual({ id, status: 'open', hasPhoto: true })
      } finally {
        await sse.close()
      }
      const listed = (
        await desk.call('GET', '/incidents', undefined, operator)
      ).body.incidents.find((i: any) => i.id === id)
      expect(listed).toMatchObject({ hasPhoto: true, photo: first })
      expect((await desk.call('GET', `/photos/${first}`, undefined, operator)).status).toBe(200)
      expect(
        (await desk.call('GET', '/incidents', undefined, reporterA)).body.incidents.find(
          (i: any) => i.id === id,
        ).hasPhoto,
      ).toBe(true)

      // The phone resending after a lost answer: same photo, same answer, nothing added.
      const again = await desk.call('POST', `/incidents/${id}/photo`, { photo: first }, reporterA)
      expect(again.status).toBe(200)
      expect(again.body.outcome).toBe('duplicate')
      const swap = await desk.call('POST', `/incidents/${id}/photo`, { photo: second }, reporterA)
      expect(swap.status).toBe(409)
      expect(swap.body.error).toMatchObject({
        code: 'photo_exists',
        fields: { photo: 'Kejadian ini sudah punya foto' },
      })
      expect(swap.body.error.message).toMatch(/^Kejadian #\d+ sudah punya foto lain/)
      // Staff too cannot swap it silently.
      expect(
        (await desk.call('POST', `/incidents/${id}/photo`, { photo: second }, operator)).status,
      ).toBe(409)
      expect(
        (await desk.call('GET', '/incidents', undefined, operator)).body.incidents.find(
          (i: any) => i.id === id,
        ).photo,
      ).toBe(first)
      const audit = (await desk.call('GET', '/audit')).body.entries.filter(
        (e: any) => e.action === 'incident.photo',
      )
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ actor: reporterAId, target: TPS_A2 })

      // An operator may attach a stored photo to a reporter's incident that has none.
      const plain = await desk.call(
        'POST',
        '/incidents',
        { tps: TPS_A1, category: 'logistik', urgency: 'rendah', text: 'Tinta habis' },
        reporterA,
      )
      const byOperator = await desk.call(
        'POST',
        `/incidents/${plain.body.id}/photo`,
        { photo: second },
        operator,
      )
      expect(byOperator.status).toBe(200)
      expect(byOperator.body.incident).toMatchObject({
        hasPhoto: true,
        photo: second,
        reporter: { name: 'Siti Aminah' },
      })
    })
  })

  describe('kecamatan verification', () => {
    it('lets the kecamatan officer mark a desa, announces it, and shows it in the lists', async () => {
      const sse = await openSse(`${desk.url}/api/v1/events`, operator)
      try {
        const r = await desk.call(
          'POST',
          `/verification/${DESA_A}`,
          { status: 'verified' },
          kecamatan,
        )
        expect(r.status).toBe(200)
        expect(r.body).toMatchObject({
          status: 'verified',
          note: null,
          stale: false,
          by: { name: 'Budi Santoso' },
        })
        await sse.until((m) => m.some((x) => x.event === 'verification.changed'))
        const event = JSON.parse(
          sse.messages.find((x) => x.event === 'verification.changed')!.data!,
        )
        expect(event.data).toMatchObject({
          desa: DESA_A,
          kecamatan: '35.09.01',
          status: 'verified',
        })
      } finally {
        await sse.close()
      }
      const list = await desk.call('GET', '/verification', undefined, kecamatan)
      expect(list.body.kecamatan).toEqual({ code: '35.09.01', name: 'Jombang' })
      const rowA = list.body.rows.find((r: any) => r.desa === DESA_A)
      expect(rowA).toMatchObject({ tpsActive: 3, verification: { status: 'verified' } })
      expect(rowA.contests.bupati).toEqual({ reported: 1, needsCheck: 1 })
      expect(list.body.rows.every((r: any) => r.kecamatan === '35.09.01')).toBe(true)
      const states = await desk.call('GET', '/intake/tps', undefined, reporterA)
      expect(states.body.desa[0].verification).toMatchObject({ status: 'verified' })
      expect(
        (await desk.call('GET', '/verification?kecamatan=35.09.01', undefined, display)).status,
      ).toBe(403)
    })

    it('goes stale when a new result arrives after the mark; a flag needs a note', async () => {
      expect(
        (await desk.call('POST', '/results', sheet(`${DESA_A}.003`, 'bupati'), reporterA)).status,
      ).toBe(201)
      const row = (await desk.call('GET', '/verification', undefined, kecamatan)).body.rows.find(
        (r: any) => r.desa === DESA_A,
      )
      expect(row.verification.stale).toBe(true)
      const noNote = await desk.call(
        'POST',
        `/verification/${DESA_A}`,
        { status: 'flagged' },
        kecamatan,
      )
      expect(noNote.status).toBe(400)
      expect(noNote.body.error.fields.note).toMatch(/Catatan wajib/)
      const flagged = await desk.call(
        'POST',
        `/verification/${DESA_A}`,
        { status: 'flagged', note: 'TPS 003: suara paslon 2 tertukar' },
        kecamatan,
      )
      expect(flagged.body).toMatchObject({
        status: 'flagged',
        note: 'TPS 003: suara paslon 2 tertukar',
        stale: false,
      })
      const audit = (await desk.call('GET', '/audit')).body.entries.filter(
        (e: any) => e.action === 'desa.verification',
      )
      expect(audit.length).toBe(2)
    })

    it('refuses desa reporters, other kecamatan, operators and desa without results', async () => {
      expect(
        (await desk.call('POST', `/verification/${DESA_A}`, { status: 'verified' }, reporterA))
          .status,
      ).toBe(403)
      expect((await desk.call('GET', '/verification', undefined, reporterA)).status).toBe(403)
      expect(
        (await desk.call('POST', `/verification/${DESA_C}`, { status: 'verified' }, kecamatan))
          .status,
      ).toBe(403)
      expect(
        (await desk.call('GET', '/verification?kecamatan=35.09.19', undefined, kecamatan)).status,
      ).toBe(403)
      expect(
        (await desk.call('POST', `/verification/${DESA_A}`, { status: 'verified' }, operator))
          .status,
      ).toBe(403)
      const none = await desk.call(
        'POST',
        `/verification/${DESA_B}`,
        { status: 'verified' },
        kecamatan,
      )
      expect(none.status).toBe(409)
      expect(none.body.error.code).toBe('no_results')
      expect(
        (await desk.call('POST', '/verification/35.09.01.9999', { status: 'verified' })).status,
      ).toBe(404)
    })

    it("feeds the console's review evidence", async () => {
      // As createDesk wired it: the console's evidence is the intake's.
      const evidence = desk.features.console.evidence
      expect(evidence.verification(`${DESA_A}.003`, 'bupati')).toMatchObject({
        status: 'ditandai kecamatan',
        actor: { name: 'Budi Santoso' },
      })
      const photos = evidence.photos(TPS_A1, 'gubernur', [])
      expect(photos.length).toBeGreaterThan(0)
      expect(photos[0]!.url).toMatch(/^\/api\/v1\/photos\//)
      expect(existsSync(join(desk.dataDir, 'photos'))).toBe(true)
    })
  })
})

describe('sign-in lockout', () => {
  let desk: TestDesk
  beforeAll(async () => {
    desk = await startDesk({ lockout: new Lockout(5, 10 * 60_000, 10 * 60_000) })
  })
  afterAll(() => desk.stop())

  it('locks a code for 10 minutes after 5 wrong tries, even for the right code', async () => {
    const made = await desk.call('POST', '/users', {
      name: 'Pelapor',
      role: 'reporter',
      region: DESA_A,
    })
    const code: string = made.body.accessCode
    const prefix = code.slice(0, 5)
    // Wrong codes sharing the public first group: these target this code.
    for (let i = 0; i < 5; i++) {
      const wrong = `${prefix}${code[5] === '2' ? '3' : '2'}${code.slice(6, 9)}-${i + 2}${code.slice(11)}`
      expect((await desk.call('POST', '/auth/login', { accessCode: wrong }, null)).status).toBe(401)
    }
    const locked = await desk.call('POST', '/auth/login', { accessCode: code }, null)
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('locked')
    expect(locked.body.error.message).toMatch(/10 menit/)
    expect((await desk.call('GET', '/intake/tps', undefined, code)).status).toBe(429)
    // The admin token is not subject to the code lockout.
    expect((await desk.call('GET', '/users')).status).toBe(200)
  })
})

describe('queued reports outside the window', () => {
  let desk: TestDesk
  let code: string
  beforeAll(async () => {
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 2, 300))).status).toBe(200)
    code = (
      await desk.call('POST', '/users', { name: 'Pelapor', role: 'reporter', region: DESA_A })
    ).body.accessCode
    // The phone signed in while the window was open, then closing time passed with reports still queued.
    expect((await desk.call('POST', '/auth/login', { accessCode: code }, null)).status).toBe(200)
    const closed = await desk.call('PUT', '/intake/window', {
      opensAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      closesAt: new Date(Date.now() - 3_600_000).toISOString(),
    })
    expect(closed.body.open).toBe(false)
  })
  afterAll(() => desk.stop())

  it('refuses signing in and reading the form, but delivers the result, photo and incident the phone kept', async () => {
    const login = await desk.call('POST', '/auth/login', { accessCode: code }, null)
    expect(login.status).toBe(403)
    expect(login.body.error.code).toBe('outside_window')
    expect((await desk.call('GET', '/intake/tps', undefined, code)).status).toBe(403)
    expect((await desk.call('GET', '/me', undefined, code)).status).toBe(403)

    const result = await desk.call('POST', '/results', sheet(TPS_A1), code)
    expect(result.status).toBe(201)
    expect(desk.store.resultsForTps(TPS_A1)).toHaveLength(1)
    const photo = await desk.call('POST', `/photos?tps=${TPS_A1}&contest=bupati`, jpegBytes(), code)
    expect(photo.status).toBe(201)
    const incident = await desk.call(
      'POST',
      '/incidents',
      {
        submissionId: sid(),
        tps: TPS_A1,
        category: 'logistik',
        urgency: 'sedang',
        text: 'Kotak suara terlambat',
      },
      code,
    )
    expect(incident.status).toBe(201)
    // A wrong code is still refused on those paths.
    expect((await desk.call('POST', '/results', sheet(TPS_A2), 'AAAA-BBBB-CCCC')).status).toBe(401)
  })
})

describe('verification going stale', () => {
  let desk: TestDesk
  let reporter: string
  let officer: string
  const verification = async () =>
    (await desk.call('GET', '/verification', undefined, officer)).body.rows.find(
      (r: any) => r.desa === DESA_A,
    ).verification
  beforeAll(async () => {
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 2, 300))).status).toBe(200)
    reporter = (
      await desk.call('POST', '/users', { name: 'Pelapor', role: 'reporter', region: DESA_A })
    ).body.accessCode
    officer = (
      await desk.call('POST', '/users', { name: 'Camat', role: 'reporter', region: '35.09.01' })
    ).body.accessCode
  })
  afterAll(() => desk.stop())

  it('shows the officer the standing numbers per TPS and contest', async () => {
    expect(
      (
        await desk.call(
          'POST',
          '/results',
          sheet(TPS_A1, 'bupati', { '1': 150, '2': 120 }, 10),
          reporter,
        )
      ).status,
    ).toBe(201)
    const row = (await desk.call('GET', '/verification', undefined, officer)).body.rows.find(
      (r: any) => r.desa === DESA_A,
    )
    expect(row.tps.map((t: any) => t.code)).toEqual([TPS_A1, TPS_A2])
    expect(row.tps[0].contests.bupati).toEqual({
      votes: { '1': 150, '2': 120 },
      valid: 270,
      invalid: 10,
      needsCheck: false,
    })
    expect(row.tps[0].contests.gubernur).toBeNull()
    expect(row.tps[1].contests.bupati).toBeNull()
    // The kabupaten-wide list stays light: numbers only for one kecamatan.
    const all = (await desk.call('GET', '/verification')).body.rows
    expect(all.find((r: any) => r.desa === DESA_A).tps).toBeUndefined()
  })

  it("goes stale when a supervisor's decision changes a TPS's votes, though no result row is added", async () => {
    // A correction held for the supervisor, then another TPS reports (a later submission), then the mark.
    const held = await desk.call(
      'POST',
      '/results',
      {
        ...sheet(TPS_A1, 'bupati', { '1': 151, '2': 120 }, 10),
        correction: { reason: 'salah ketik paslon 1' },
      },
      reporter,
    )
    expect(held.status).toBe(202)
    expect(
      (
        await desk.call(
          'POST',
          '/results',
          sheet(TPS_A2, 'bupati', { '1': 90, '2': 100 }, 5),
          reporter,
        )
      ).status,
    ).toBe(201)
    expect(
      (await desk.call('POST', `/verification/${DESA_A}`, { status: 'verified' }, officer)).body
        .stale,
    ).toBe(false)
    expect((await verification()).stale).toBe(false)

    // Adopting the held correction brings back an older submission: same row count, same highest
    // submission number in the desa, but different votes.
    const conflict = (await desk.call('GET', '/conflicts')).body.conflicts.find(
      (c: any) => c.tps.code === TPS_A1,
    )
    const decided = await desk.call('POST', `/conflicts/${conflict.id}/resolve`, {
      keep: 'new',
      reason: 'Dicek dengan C.Hasil',
    })
    expect(decided.status).toBe(200)
    expect(desk.store.resultsForTps(TPS_A1)[0]!.votes['1']).toBe(151)
    expect((await verification()).stale).toBe(true)

    // Marking again covers the new numbers.
    expect(
      (await desk.call('POST', `/verification/${DESA_A}`, { status: 'verified' }, officer)).body
        .stale,
    ).toBe(false)
    expect((await verification()).stale).toBe(false)
  })
})
