import Database from 'better-sqlite3'
import { join } from 'node:path'
import * as XLSX from 'xlsx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESA_A, DESA_B, DESA_C, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

const TPS_A1 = `${DESA_A}.001`
const TPS_C1 = `${DESA_C}.001`

function sheet(
  tps: string,
  contest = 'bupati',
  votes: Record<string, number> = { '1': 150, '2': 120 },
  invalid = 10,
) {
  return { submissionId: sid(), tps, contest, votes, invalid }
}

describe('API v1 core', () => {
  let desk: TestDesk
  let reporterA: string // desa A reporter
  let kecReporter: string // kecamatan officer of Jombang (desa A and B)
  let operator: string
  let display: string

  beforeAll(async () => {
    desk = await startDesk()
    const imp = await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 3, 300))
    expect(imp.status).toBe(200)
    const mk = async (role: string, region?: string) => {
      const r = await desk.call('POST', '/users', {
        name: `${role} ${region ?? ''}`,
        phone: '0812-3456-7890',
        role,
        region,
      })
      expect(r.status).toBe(201)
      return r.body.accessCode as string
    }
    reporterA = await mk('reporter', DESA_A)
    kecReporter = await mk('reporter', '35.09.01')
    operator = await mk('operator')
    display = await mk('display')
  })
  afterAll(() => desk.stop())

  it('answers health and serves the Jember configuration', async () => {
    expect((await desk.call('GET', '/health', undefined, null)).body).toMatchObject({
      status: 'ok',
      regency: '35.09',
    })
    const cfg = (await desk.call('GET', '/config', undefined, null)).body
    expect(cfg.regency).toEqual({ code: '35.09', name: 'Kabupaten Jember' })
    expect(cfg.contests.map((c: any) => [c.id, c.candidates.length])).toEqual([
      ['gubernur', 3],
      ['bupati', 2],
    ])
    expect(cfg.contests[0].candidates[1].name).toBe(
      'Khofifah Indar Parawansa - Emil Elestianto Dardak',
    )
  })

  it('lists the 31 kecamatan and 248 desa/kelurahan of Jember', async () => {
    const r = (await desk.call('GET', '/regions', undefined, null)).body
    expect(r.kecamatan).toHaveLength(31)
    expect(r.kecamatan.reduce((n: number, k: any) => n + k.desa.length, 0)).toBe(248)
  })

  it('refuses the admin API without a token, with a bad token, and for non-admins', async () => {
    const body = { name: 'x', role: 'operator' }
    const none = await desk.call('POST', '/users', body, null)
    expect(none.status).toBe(401)
    expect(none.body.error.message).toMatch(/Masuk dulu/)
    expect((await desk.call('POST', '/users', body, 'wrong-token')).status).toBe(401)
    expect((await desk.call('POST', '/users', body, operator)).status).toBe(403)
  })

  it('stores access codes only as scrypt hashes', async () => {
    const db = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
    const rows = db.prepare('SELECT * FROM users').all() as Record<string, unknown>[]
    db.close()
    const dump = JSON.stringify(rows)
    for (const code of [reporterA, kecReporter, operator]) {
      expect(dump).not.toContain(code)
      expect(dump).not.toContain(code.replace(/-/g, ''))
    }
    expect(rows.every((r) => String(r.code_hash).startsWith('scrypt$'))).toBe(true)
  })

  it('validates new users with named fields', async () => {
    const r = await desk.call('POST', '/users', { name: '', role: 'chief' })
    expect(r.status).toBe(400)
    expect(Object.keys(r.body.error.fields)).toEqual(expect.arrayContaining(['name', 'role']))
    const noRegion = await desk.call('POST', '/users', { name: 'Budi', role: 'reporter' })
    expect(noRegion.body.error.fields.region).toBeDefined()
    const outside = await desk.call('POST', '/users', {
      name: 'Budi',
      role: 'reporter',
      region: '35.78.01',
    })
    expect(outside.status).toBe(400)
  })

  it('accepts a first result (201), replays a retry (200), confirms an identical report (200)', async () => {
    const body = sheet(TPS_A1)
    const first = await desk.call('POST', '/results', body, reporterA)
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({
      status: 'accepted',
      tps: TPS_A1,
      contest: 'bupati',
      warnings: [],
    })
    const retry = await desk.call('POST', '/results', body, reporterA)
    expect(retry.status).toBe(200)
    expect(retry.body).toMatchObject({
      status: 'duplicate',
      receipt: first.body.receipt,
      replayOf: 'accepted',
    })
    const confirm = await desk.call(
      'POST',
      '/results',
      { ...body, submissionId: sid('kec') },
      kecReporter,
    )
    expect(confirm.status).toBe(200)
    expect(confirm.body.status).toBe('duplicate')
  })

  it('holds a differing report as a conflict (202) and never overwrites the accepted one', async () => {
    const tps = `${DESA_A}.002`
    expect((await desk.call('POST', '/results', sheet(tps), reporterA)).status).toBe(201)
    const other = await desk.call(
      'POST',
      '/results',
      sheet(tps, 'bupati', { '1': 100, '2': 170 }),
      kecReporter,
    )
    expect(other.status).toBe(202)
    expect(other.body.status).toBe('conflict')
    expect(other.body.conflictId).toBeGreaterThan(0)
    const detail = await desk.call('GET', `/tps/${tps}`)
    const standing = detail.body.results.find((r: any) => r.contest === 'bupati')
    expect(standing.votes).toEqual({ '1': 150, '2': 120 })
    expect(detail.body.conflicts).toHaveLength(1)
  })

  it('answers 409 when a submissionId is reused with a different body', async () => {
    const body = sheet(`${DESA_A}.003`, 'gubernur', { '1': 10, '2': 200, '3': 50 }, 5)
    expect((await desk.call('POST', '/results', body, reporterA)).status).toBe(201)
    const reused = await desk.call('POST', '/results', { ...body, invalid: 6 }, reporterA)
    expect(reused.status).toBe(409)
    expect(reused.body.error.code).toBe('submission_id_reused')
    // Whatever the other body holds: an impossible sheet, an unknown TPS.
    const impossible = await desk.call(
      'POST',
      '/results',
      { ...body, votes: { '1': -150, '2': 200, '3': 50 } },
      reporterA,
    )
    expect(impossible.status).toBe(409)
    const elsewhere = await desk.call(
      'POST',
      '/results',
      { ...body, tps: `${DESA_A}.999` },
      reporterA,
    )
    expect(elsewhere.status).toBe(409)
  })

  it('refuses impossible sheets with the field named, and stores nothing', async () => {
    const bad = await desk.call(
      'POST',
      '/results',
      sheet(`${DESA_B}.001`, 'bupati', { '1': -3, '2': 1.5 }),
      kecReporter,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields).toMatchObject({
      'votes.1': expect.stringContaining('paslon 1'),
      'votes.2': expect.stringContaining('paslon 2'),
    })
    const missing = await desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: `${DESA_B}.001`,
        contest: 'bupati',
        votes: { '1': 5 },
        invalid: 0,
      },
      kecReporter,
    )
    expect(missing.body.error.fields['votes.2']).toBe('Suara paslon 2 wajib diisi')
    const noId = await desk.call(
      'POST',
      '/results',
      { tps: `${DESA_B}.001`, contest: 'bupati', votes: {}, invalid: 0 },
      kecReporter,
    )
    expect(noId.body.error.fields.submissionId).toBeDefined()
    const detail = await desk.call('GET', `/tps/${DESA_B}.001`)
    expect(detail.body.results).toEqual([])
  })

  it('stores soft warnings with the result and flags it', async () => {
    const r = await desk.call(
      'POST',
      '/results',
      {
        ...sheet(`${DESA_B}.002`, 'bupati', { '1': 200, '2': 150 }, 10),
        voters: { dpt: 350, dptb: 5, dpk: 5 },
      },
      kecReporter,
    )
    expect(r.status).toBe(201)
    expect(r.body.warnings.map((w: any) => w.code)).toEqual(['turnout_over_dpt'])
    const detail = await desk.call('GET', `/tps/${DESA_B}.002`)
    expect(detail.body.results[0].review).toBe('flagged')
  })

  it('keeps reporters inside their region (403) and answers 404 for unknown TPS or contest', async () => {
    const out = await desk.call('POST', '/results', sheet(TPS_C1), reporterA)
    expect(out.status).toBe(403)
    expect(out.body.error.message).toContain('di luar wilayah')
    expect((await desk.call('POST', '/results', sheet(`${DESA_B}.003`), reporterA)).status).toBe(
      403,
    )
    expect((await desk.call('POST', '/results', sheet(TPS_C1), display)).status).toBe(403)
    expect((await desk.call('POST', '/results', sheet(`${DESA_A}.099`), reporterA)).status).toBe(
      404,
    )
    expect((await desk.call('POST', '/results', sheet(TPS_A1, 'dprd'), reporterA)).status).toBe(404)
    // the reporter's TPS list is their desa only
    const list = await desk.call('GET', '/tps', undefined, reporterA)
    expect(list.body.tps.map((t: any) => t.desa)).toEqual([DESA_A, DESA_A, DESA_A])
  })

  it('lets an operator enter a phoned-in result for any TPS, recorded with channel telepon', async () => {
    const r = await desk.call(
      'POST',
      '/results',
      { ...sheet(TPS_C1), caller: { name: 'Pak Slamet', phone: '0812' } },
      operator,
      {
        'X-Desk-Channel': 'telepon',
      },
    )
    expect(r.status).toBe(201)
    const db = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
    const row = db
      .prepare('SELECT channel, actor, address FROM submissions WHERE tps = ?')
      .get(TPS_C1) as any
    db.close()
    expect(row.channel).toBe('telepon')
    expect(row.address).toMatch(/127\.0\.0\.1/)
  })

  it('reports progress per contest and per kecamatan against the registry', async () => {
    const p = (await desk.call('GET', '/progress', undefined, display)).body
    const bupati = p.contests.find((c: any) => c.contest === 'bupati')
    expect(bupati).toMatchObject({ expected: 9, reported: 4 })
    expect(bupati.kecamatan).toHaveLength(31)
    expect(bupati.kecamatan.find((k: any) => k.code === '35.09.01')).toMatchObject({
      expected: 6,
      reported: 3,
      percent: 50,
    })
    expect(bupati.kecamatan.find((k: any) => k.code === '35.09.19')).toMatchObject({
      expected: 3,
      reported: 1,
    })
  })

  it('serves the recap at every level with totals that agree', async () => {
    const kab = (await desk.call('GET', '/recap?contest=bupati&level=kabupaten')).body
    expect(kab.rows).toHaveLength(1)
    const k = kab.rows[0]
    expect(k).toMatchObject({ code: '35.09', tpsTotal: 9, tpsReported: 4 })
    expect(k.votes).toEqual({ '1': 150 + 150 + 200 + 150, '2': 120 + 120 + 150 + 120 })
    expect(k.valid).toBe(k.votes['1'] + k.votes['2'])
    expect(k.total).toBe(k.valid + k.invalid)
    const kec = (await desk.call('GET', '/recap?contest=bupati&level=kecamatan')).body
    expect(kec.rows).toHaveLength(31)
    expect(kec.total.votes).toEqual(k.votes)
    const desa = (await desk.call('GET', '/recap?contest=bupati&level=desa&parent=35.09.01')).body
    expect(desa.rows.map((r: any) => [r.code, r.tpsReported])).toEqual(
      expect.arrayContaining([
        [DESA_A, 2],
        [DESA_B, 1],
      ]),
    )
    // Desa A got 150/120 (+10 invalid) twice; desa B one flagged 200/150 (+10); nothing else in Jombang.
    const desaA = desa.rows.find((r: any) => r.code === DESA_A)
    expect(desaA).toMatchObject({
      votes: { '1': 300, '2': 240 },
      valid: 540,
      invalid: 20,
      total: 560,
    })
    expect(desa.rows.find((r: any) => r.code === DESA_B)).toMatchObject({
      votes: { '1': 200, '2': 150 },
      valid: 350,
      invalid: 10,
    })
    const tps = (await desk.call('GET', `/recap?contest=bupati&level=tps&parent=${DESA_A}`)).body
    expect(
      tps.rows.map((r: any) => [
        r.code,
        r.reported,
        r.votes['1'],
        r.votes['2'],
        r.invalid,
        r.total,
      ]),
    ).toEqual([
      [`${DESA_A}.001`, true, 150, 120, 10, 280],
      [`${DESA_A}.002`, true, 150, 120, 10, 280],
      [`${DESA_A}.003`, false, 0, 0, 0, 0],
    ])
    expect(tps.total).toMatchObject({
      votes: desaA.votes,
      valid: desaA.valid,
      invalid: desaA.invalid,
    })
    // every TPS row of the regency adds up to the kabupaten row
    const allTps = (await desk.call('GET', '/recap?contest=bupati&level=tps')).body
    expect(allTps.total.votes).toEqual(k.votes)
    expect(allTps.total.total).toBe(k.total)
    const bad = await desk.call('GET', '/recap?contest=bupati&level=rt')
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields.level).toBeDefined()
    expect((await desk.call('GET', '/recap?contest=nope&level=kabupaten')).status).toBe(404)
  })

  it('takes a postponed TPS out of the denominator, with a reason, and refuses results for it', async () => {
    const tps = `${DESA_C}.003`
    const noReason = await desk.call('POST', `/tps/${tps}/status`, { status: 'postponed' })
    expect(noReason.status).toBe(400)
    expect(noReason.body.error.fields.reason).toBeDefined()
    expect(
      (
        await desk.call(
          'POST',
          `/tps/${tps}/status`,
          { status: 'postponed', reason: 'Banjir di lokasi TPS' },
          operator,
        )
      ).status,
    ).toBe(403)
    const ok = await desk.call('POST', `/tps/${tps}/status`, {
      status: 'postponed',
      reason: 'Banjir di lokasi TPS',
    })
    expect(ok.body).toMatchObject({ status: 'postponed', statusReason: 'Banjir di lokasi TPS' })
    const p = (await desk.call('GET', '/progress')).body
    expect(p.contests.find((c: any) => c.contest === 'bupati').expected).toBe(8)
    const r = await desk.call('POST', '/results', sheet(tps), operator)
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('tps_inactive')
  })

  it('merges a TPS into another with a reason; results go to the TPS it joined', async () => {
    const from = `${DESA_C}.002`
    const into = `${DESA_C}.001`
    const self = await desk.call('POST', `/tps/${from}/status`, {
      status: 'merged',
      reason: 'Digabung karena lokasi sama',
      mergedInto: from,
    })
    expect(self.status).toBe(400)
    const unknown = await desk.call('POST', `/tps/${from}/status`, {
      status: 'merged',
      reason: 'Digabung karena lokasi sama',
      mergedInto: `${DESA_C}.077`,
    })
    expect(unknown.body.error.fields.mergedInto).toBeDefined()
    const ok = await desk.call('POST', `/tps/${from}/status`, {
      status: 'merged',
      reason: 'Digabung karena lokasi sama',
      mergedInto: into,
    })
    expect(ok.body).toMatchObject({ status: 'merged', mergedInto: into })
    const refused = await desk.call(
      'POST',
      '/results',
      sheet(from, 'gubernur', { '1': 1, '2': 2, '3': 3 }),
      operator,
    )
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toContain(into)
    const recap = (await desk.call('GET', `/recap?contest=gubernur&level=desa&parent=35.09.19`))
      .body
    expect(recap.rows.find((r: any) => r.code === DESA_C)).toMatchObject({
      tpsExcluded: 2,
      tpsTotal: 1,
    })
  })

  it('refuses to change contests once results have arrived', async () => {
    const r = await desk.call('PUT', '/config', {
      contests: [{ id: 'bupati', name: 'X', candidates: [{ number: 1, name: 'A' }] }],
    })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('config_locked')
    expect(r.body.error.message).toContain('hasil pertama sudah masuk')
  })

  it('keeps an audit log of administrative actions', async () => {
    const audit = (await desk.call('GET', '/audit')).body.entries.map((e: any) => e.action)
    expect(audit).toEqual(
      expect.arrayContaining([
        'tps.import',
        'user.create',
        'tps.status',
        'result.conflict',
        'result.rejected',
      ]),
    )
    expect((await desk.call('GET', '/audit', undefined, operator)).status).toBe(403)
  })

  it('revokes a code at once and reissues a new one', async () => {
    const created = (
      await desk.call('POST', '/users', { name: 'Sari', role: 'reporter', region: DESA_C })
    ).body
    expect((await desk.call('GET', '/me', undefined, created.accessCode)).status).toBe(200)
    expect((await desk.call('POST', `/users/${created.id}/revoke`)).status).toBe(200)
    const after = await desk.call('GET', '/me', undefined, created.accessCode)
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('revoked')
    const re = (await desk.call('POST', `/users/${created.id}/reissue`)).body
    expect((await desk.call('GET', '/me', undefined, re.accessCode)).body).toMatchObject({
      role: 'reporter',
      region: { code: DESA_C },
    })
  })

  it('answers 401 on /results without a token or with a wrong one, in the usual error shape', async () => {
    const none = await desk.call('POST', '/results', sheet(TPS_A1), null)
    expect(none.status).toBe(401)
    expect(none.body.error).toMatchObject({ code: 'unauthorized', fields: {} })
    const wrong = await desk.call('POST', '/results', sheet(TPS_A1), 'not-a-token')
    expect(wrong.status).toBe(401)
  })

  it('accepts short client ids and explains a body that is not JSON, in Indonesian', async () => {
    const short = await desk.call(
      'POST',
      '/results',
      { ...sheet(`${DESA_C}.001`, 'gubernur', { '1': 1, '2': 2, '3': 3 }), submissionId: 'r1' },
      operator,
    )
    expect(short.status).toBe(201)
    const res = await fetch(`${desk.url}/api/v1/results`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
      body: 'tps=1',
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as any
    expect(body.error.message).toContain('Content-Type: application/json')
    const typed = await desk.call('POST', '/results', { ...sheet(TPS_A1), note: 5 }, operator)
    expect(typed.status).toBe(400)
    expect(typed.body.error.fields.note).toMatch(/tidak valid|harus/i)
    expect(typed.body.error.fields.note).not.toMatch(/Invalid input|expected/)
  })

  it('keeps the event stream for desk staff and boards, not reporters', async () => {
    const r = await fetch(`${desk.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${reporterA}` },
    })
    expect(r.status).toBe(403)
  })

  it('returns JSON errors with Indonesian messages for unknown paths and bad JSON', async () => {
    const nf = await desk.call('GET', '/nothing-here')
    expect(nf.status).toBe(404)
    expect(nf.body.error.message).toBeTruthy()
    const res = await fetch(`${desk.url}/api/v1/results`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      body: '{"tps": ',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.message).toContain('JSON')
  })

  it('sends security headers on every answer', async () => {
    const r = await desk.call('GET', '/health', undefined, null)
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(r.headers.get('x-powered-by')).toBeNull()
  })
})

describe('TPS import', () => {
  let desk: TestDesk
  beforeAll(async () => {
    desk = await startDesk()
  })
  afterAll(() => desk.stop())

  it('imports nothing from a file with any bad row, and lists every bad row', async () => {
    const csv = [
      'kode_desa,nomor_tps,dpt',
      `${DESA_A},1,300`,
      '35.09.99.9999,1,300',
      `${DESA_A},1,200`,
      `${DESA_B},2,abc`,
    ].join('\n')
    const r = await desk.call('POST', '/tps/import', csv)
    expect(r.status).toBe(400)
    expect(r.body.imported).toBe(0)
    expect(r.body.errors.map((e: any) => e.row)).toEqual([3, 4, 5])
    expect(r.body.error).toMatchObject({
      code: 'import_invalid',
      fields: { file: '3 baris bermasalah' },
    })
    expect(r.body.error.rows.map((e: any) => e.row)).toEqual([3, 4, 5])
    expect((await desk.call('GET', '/tps')).body.tps).toEqual([])
  })

  it('imports CSV, then updates on re-import, keeping prison TPS numbers', async () => {
    const csv = `kode_desa,nomor_tps,dpt\n${DESA_A},1,300\n${DESA_A},901,150\n`
    expect((await desk.call('POST', '/tps/import', csv)).body).toEqual({
      imported: 2,
      updated: 0,
      errors: [],
    })
    expect((await desk.call('POST', '/tps/import', csv.replace('300', '310'))).body).toEqual({
      imported: 0,
      updated: 2,
      errors: [],
    })
    const list = (await desk.call('GET', '/tps')).body.tps
    expect(list.map((t: any) => [t.code, t.dpt])).toEqual([
      [`${DESA_A}.001`, 310],
      [`${DESA_A}.901`, 150],
    ])
  })

  it('imports an XLSX workbook with optional columns', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['kode_desa', 'nomor_tps', 'dpt', 'dpt_l', 'dpt_p', 'lokasi'],
      [DESA_C, 1, 400, 210, 190, 'SDN 1 Kaliwates'],
      [DESA_C, 2, 380, '', '', ''],
    ])
    const wb = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(wb, ws, 'TPS')
    const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer
    const r = await desk.call('POST', '/tps/import', buf, undefined, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    })
    expect(r.status).toBe(200)
    expect(r.body.imported).toBe(2)
    const t = (await desk.call('GET', `/tps/${DESA_C}.001`)).body.tps
    expect(t).toMatchObject({ dpt: 400, dptL: 210, dptP: 190, location: 'SDN 1 Kaliwates' })
  })

  it('explains a file that is neither CSV nor XLSX', async () => {
    const r = await desk.call('POST', '/tps/import', Buffer.from([0, 1, 2, 3, 0, 0]), undefined, {
      'content-type': 'application/octet-stream',
    })
    expect(r.status).toBe(400)
    expect(r.body.error.message).toMatch(/CSV atau XLSX/)
  })

  /** An XLSX of `rows`, each cell in `formats` given that Excel number format (the `z` of SheetJS). */
  const xlsx = (rows: unknown[][], formats: Record<string, string> = {}): Buffer => {
    const ws = XLSX.utils.aoa_to_sheet(rows)
    for (const [address, z] of Object.entries(formats)) ws[address]!.z = z
    const wb = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(wb, ws, 'TPS')
    return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer
  }
  const xlsxType = {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  }

  it('reads XLSX numbers by value whatever their display format, and text cells as typed', async () => {
    const header = ['kode_desa', 'nomor_tps', 'dpt', 'dpt_l', 'dpt_p']
    const file = xlsx(
      [header, [DESA_B, '001', 1000, 600, 400], [DESA_B, 2, 250, '', '']],
      { C2: '#,##0', D2: '#,##0', E2: '0.00', C3: '0.00' }, // Excel shows "1,000", "600", "400.00", "250.00"
    )
    const r = await desk.call('POST', '/tps/import', file, undefined, xlsxType)
    expect(r.body.errors).toEqual([])
    expect(r.status).toBe(200)
    expect((await desk.call('GET', `/tps/${DESA_B}.001`)).body.tps).toMatchObject({
      number: 1,
      dpt: 1000,
      dptL: 600,
      dptP: 400,
    })
    expect((await desk.call('GET', `/tps/${DESA_B}.002`)).body.tps).toMatchObject({ dpt: 250 })
    const fraction = await desk.call(
      'POST',
      '/tps/import',
      xlsx([header, [DESA_B, 3, 250.5, '', '']], { C2: '0' }),
      undefined,
      xlsxType,
    )
    expect(fraction.status).toBe(400)
    expect(fraction.body.errors).toEqual([
      { row: 2, column: 'dpt', message: expect.stringContaining('"250.5" harus bilangan bulat') },
    ])
  })

  it('takes XLSX dates and TRUE/FALSE as values: refused where a column needs a number, harmless elsewhere', async () => {
    const header = ['kode_desa', 'nomor_tps', 'dpt', 'diperbarui']
    const date = await desk.call(
      'POST',
      '/tps/import',
      xlsx([header, [DESA_B, 5, 300, ''], [DESA_B, 6, new Date(2024, 10, 27), '']]),
      undefined,
      xlsxType,
    )
    expect(date.status).toBe(400)
    expect(date.body.errors).toEqual([
      { row: 3, column: 'dpt', message: expect.stringContaining('dpt') },
    ])
    const bool = await desk.call(
      'POST',
      '/tps/import',
      xlsx([header, [DESA_B, true, 300, '']]),
      undefined,
      xlsxType,
    )
    expect(bool.status).toBe(400)
    expect(bool.body.errors).toEqual([
      { row: 2, column: 'nomor_tps', message: expect.stringContaining('TRUE') },
    ])
    expect((await desk.call('GET', `/tps/${DESA_B}.005`)).status).toBe(404)
    // A column no import reads (a timestamp in a KPU-style export) does no harm.
    const stamped = await desk.call(
      'POST',
      '/tps/import',
      xlsx([header, [DESA_B, 7, 300, new Date(2024, 10, 27, 13, 5)]]),
      undefined,
      xlsxType,
    )
    expect(stamped.status).toBe(200)
    expect((await desk.call('GET', `/tps/${DESA_B}.007`)).body.tps.dpt).toBe(300)
  })

  it('keeps phone numbers Excel stores as numbers whole in the people import', async () => {
    const file = xlsx([
      ['nama', 'hp', 'peran', 'kode_wilayah'],
      ['Sari Excel', 81234567890, 'pelapor', DESA_B], // the leading 0 lost to Excel, as typed
      ['Budi Excel', 6281234567890, 'pelapor', DESA_C], // shown by Excel as 6.28123E+12
    ])
    const r = await desk.call('POST', '/users/import', file, undefined, xlsxType)
    expect(r.body.errors).toEqual([])
    expect(r.status).toBe(201)
    expect(r.body.users.map((u: any) => [u.name, u.phone])).toEqual([
      ['Sari Excel', '81234567890'],
      ['Budi Excel', '6281234567890'],
    ])
  })

  it('lets the admin change contests before the first result', async () => {
    const r = await desk.call('PUT', '/config', {
      contests: [
        { id: 'bupati', name: 'Pemilihan Bupati', candidates: [{ number: 1, name: 'Tunggal' }] },
      ],
    })
    expect(r.status).toBe(200)
    expect(r.body.contests[0].candidates).toEqual([
      { number: 1, name: 'Tunggal' },
      { number: 0, name: 'Kolom Kosong' },
    ])
    const bad = await desk.call('PUT', '/config', {
      contests: [{ id: 'Bad Id', name: '', candidates: [] }],
    })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['contests.0.id', 'contests.0.name']),
    )
  })

  it('refuses a pair numbered 0 naming the entry sent, and takes back GET /config unchanged', async () => {
    const before = (await desk.call('GET', '/config', undefined, null)).body.contests
    const zero = await desk.call('PUT', '/config', {
      contests: [
        {
          id: 'bupati',
          name: 'Pemilihan Bupati',
          candidates: [
            { number: 0, name: 'A' },
            { number: 2, name: 'B' },
          ],
        },
      ],
    })
    expect(zero.status).toBe(400)
    expect(zero.body.error.fields).toEqual({
      'contests.0.candidates.0.number': expect.stringMatching(
        /paslon "A" harus bernomor 1 sampai 99/,
      ),
    })
    const late = await desk.call('PUT', '/config', {
      contests: [
        {
          id: 'bupati',
          name: 'Pemilihan Bupati',
          candidates: [
            { number: 0, name: 'A' },
            { number: 2, name: 'B' },
            { number: 2, name: 'C' },
          ],
        },
      ],
    })
    expect(Object.keys(late.body.error.fields).sort()).toEqual([
      'contests.0.candidates.0.number',
      'contests.0.candidates.2.number',
    ])
    expect((await desk.call('GET', '/config', undefined, null)).body.contests).toEqual(before)
    // A single-pair contest comes back with its Kolom Kosong (number 0): saving it again changes nothing.
    const same = await desk.call('PUT', '/config', { contests: before })
    expect(same.status).toBe(200)
    expect(same.body.contests).toEqual(before)
  })
})

describe('another regency', () => {
  it('loads Kota Surabaya (35.78) from idn-area-data with its own contest', async () => {
    const desk = await startDesk({ regency: '35.78' })
    try {
      const cfg = (await desk.call('GET', '/config', undefined, null)).body
      expect(cfg.regency).toEqual({ code: '35.78', name: 'Kota Surabaya' })
      expect(cfg.contests[0].id).toBe('walikota')
      const regions = (await desk.call('GET', '/regions', undefined, null)).body
      expect(regions.kecamatan.length).toBe(31)
      expect(regions.kecamatan.every((k: any) => k.code.startsWith('35.78.'))).toBe(true)
      const csv = `kode_desa,nomor_tps,dpt\n${regions.kecamatan[0].desa[0].code},1,300\n${DESA_A},1,300\n`
      const r = await desk.call('POST', '/tps/import', csv)
      expect(r.body.errors).toEqual([
        { row: 3, column: 'kode_desa', message: expect.stringContaining('Kota Surabaya') },
      ])
    } finally {
      await desk.stop()
    }
  })
})

describe('POST /results: replays and refusals', () => {
  let desk: TestDesk
  let reporter: string
  beforeAll(async () => {
    desk = await startDesk()
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_C], 8, 300))).status).toBe(
      200,
    )
    reporter = (
      await desk.call('POST', '/users', {
        name: 'Pelapor A',
        phone: '0812-3456-7890',
        role: 'reporter',
        region: DESA_A,
      })
    ).body.accessCode
  })
  afterAll(() => desk.stop())

  it('replays a conflict (202) as a duplicate naming the same conflict, and opens no second one', async () => {
    const tps = `${DESA_A}.005`
    expect((await desk.call('POST', '/results', sheet(tps), reporter)).status).toBe(201)
    const differing = sheet(tps, 'bupati', { '1': 151, '2': 120 })
    const first = await desk.call('POST', '/results', differing, reporter)
    expect(first.status).toBe(202)
    const again = await desk.call('POST', '/results', differing, reporter)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({
      status: 'duplicate',
      replayOf: 'conflict',
      conflictId: first.body.conflictId,
      receipt: first.body.receipt,
    })
    expect((await desk.call('GET', `/tps/${tps}`)).body.conflicts).toHaveLength(1)
  })

  it('keeps every refused submission whole in the refusals log, and a corrected sheet may reuse its submissionId', async () => {
    const tps = `${DESA_A}.006`
    const bad = sheet(tps, 'bupati', { '1': -1, '2': 120 })
    const refused = await desk.call('POST', '/results', bad, reporter, {
      'x-forwarded-for': '10.9.9.9',
    })
    expect(refused.status).toBe(400)
    const outside = await desk.call('POST', '/results', sheet(TPS_C1), reporter)
    expect(outside.status).toBe(403)
    const [kept] = desk.store.refusalsForTps(tps)
    expect(kept).toMatchObject({
      submissionId: bad.submissionId,
      tps,
      contest: 'bupati',
      status: 400,
      code: 'invalid',
    })
    expect(JSON.parse(kept!.payload).votes).toEqual({ '1': -1, '2': 120 })
    expect(kept!.fields['votes.1']).toBeDefined()
    expect(kept!.address).toBeTruthy()
    expect(desk.store.refusalsForTps(TPS_C1)).toEqual([
      expect.objectContaining({ status: 403, code: 'forbidden' }),
    ])
    const fixed = await desk.call(
      'POST',
      '/results',
      { ...bad, votes: { '1': 1, '2': 120 } },
      reporter,
    )
    expect(fixed.status).toBe(201)
  })

  it('asks before a TPS with results is postponed; confirmed, its figures leave recap and list alike', async () => {
    const tps = `${DESA_C}.004`
    expect((await desk.call('POST', '/results', sheet(tps))).status).toBe(201)
    const kabupaten = async () =>
      (await desk.call('GET', '/recap?contest=bupati&level=kabupaten')).body.rows[0]
    const before = await kabupaten()
    const asked = await desk.call('POST', `/tps/${tps}/status`, {
      status: 'postponed',
      reason: 'Kotak suara rusak',
    })
    expect(asked.status).toBe(409)
    expect(asked.body.error.code).toBe('tps_has_result')
    expect(asked.body.error.message).toContain('Pemilihan Bupati')
    expect((await desk.call('GET', `/tps/${tps}`)).body.tps.status).toBe('active')
    const done = await desk.call('POST', `/tps/${tps}/status`, {
      status: 'postponed',
      reason: 'Kotak suara rusak',
      confirmResults: true,
    })
    expect(done.status).toBe(200)
    const listed = (await desk.call('GET', `/tps?region=${DESA_C}`)).body.tps.find(
      (t: any) => t.code === tps,
    )
    expect(listed.reported.bupati).toBe(false)
    const after = await kabupaten()
    expect(after.tpsReported).toBe(before.tpsReported - 1)
    expect(after.votes['1']).toBe(before.votes['1'] - 150)
    // Kept, and counted again once the TPS is active again.
    expect((await desk.call('POST', `/tps/${tps}/status`, { status: 'active' })).status).toBe(200)
    expect((await kabupaten()).votes['1']).toBe(before.votes['1'])
  })
})
