import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SmsService } from '../../src/service/sms-service'
import { DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// The SMS screen's "Perlu tindakan" list comes from the desk (issue 15 review): older messages
// needing action are not lost behind a page of counted ones, failed replies are in it, and a
// refused SMS fixed by a phoned-in entry leaves it, marked handled with who and when.
describe('SMS messages needing action', () => {
  let desk: TestDesk
  let sms: SmsService
  let clock = Date.parse('2024-11-27T08:00:00Z')
  let code: string
  let failing = false
  const send = (text: string, n: number) =>
    sms.receive({
      gateway: 'gammu',
      from: '+6281211110001',
      sentAt: `2024-11-27T15:${String(n).padStart(2, '0')}:00`,
      text,
    })
  const list = async (q: string) =>
    (await desk.call('GET', `/sms?${q}`)).body.messages as {
      id: number
      direction: string
      status: string
      handled?: { by: { name: string }; at: string; receipt?: string }
    }[]
  /** A bupati sheet entered by the operator from a phone call, as the admin. */
  const phonedIn = (entry: Record<string, unknown>) =>
    desk.call('POST', '/results', { contest: 'bupati', ...entry }, undefined, {
      'X-Desk-Channel': 'telepon',
    })

  beforeAll(async () => {
    desk = await startDesk({ now: () => new Date((clock += 1000)) })
    sms = desk.features.sms
    // A gateway whose replies can be made to fail.
    sms.setSender('gammu', {
      send: async () => {
        if (failing) throw new Error('modem tidak menjawab')
      },
    })
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 20, 400))
    code = (
      await desk.call('POST', '/users', {
        name: 'Siti Padomasan',
        phone: '0812-1111-0001',
        role: 'reporter',
        region: DESA_A,
      })
    ).body.smsCode
  })
  afterAll(() => desk.stop())

  it('filters on the desk with paging, replies that failed included', async () => {
    failing = true
    const refused = await send(`${code} 3 B 120 150 90 TS 6`, 0)
    expect(refused.status).toBe('refused')
    failing = false
    for (let n = 1; n <= 8; n++)
      expect((await send(`${code} ${n + 3} B 100 100 TS 2`, n)).status).toBe('counted')
    // A page of the newest 5 holds no problem at all: the client could never have found it.
    expect((await list('limit=5')).some((m) => m.status !== 'counted' && m.status !== 'sent')).toBe(
      false,
    )
    const problems = await list('problems=1&limit=5')
    expect(problems.map((m) => [m.direction, m.status])).toEqual([
      ['out', 'failed'],
      ['in', 'refused'],
    ])
    // Paged back by `before`, one at a time.
    const [first] = await list('problems=1&limit=1')
    expect(first).toMatchObject({ direction: 'out', status: 'failed' })
    const [second] = await list(`problems=1&limit=1&before=${first!.id}`)
    expect(second).toMatchObject({ id: refused.id, status: 'refused' })
    expect(await list(`problems=1&limit=1&before=${second!.id}`)).toEqual([])
  })

  it('marks a refused SMS handled when the phoned-in entry made from it is saved', async () => {
    const [refused] = (await list('problems=1')).filter((m) => m.direction === 'in')
    // Any phoned-in entry without the SMS's number changes nothing.
    const other = await phonedIn({
      submissionId: 'telepon-lain',
      tps: `${DESA_A}.015`,
      votes: { '1': 1, '2': 2 },
      invalid: 0,
      caller: { name: 'Siti' },
      note: 'ditelepon',
    })
    expect(other.status).toBe(201)
    expect((await list('problems=1')).some((m) => m.id === refused!.id)).toBe(true)
    const saved = await phonedIn({
      submissionId: 'telepon-dari-sms',
      tps: `${DESA_A}.003`,
      votes: { '1': 120, '2': 150 },
      invalid: 6,
      caller: { name: 'Siti Padomasan', phone: '0812-1111-0001' },
      note: `Dari SMS yang ditolak #${refused!.id}: jumlah paslon Bupati 2, diterima 3 angka`,
    })
    expect(saved.status).toBe(201)
    expect((await list('problems=1')).some((m) => m.id === refused!.id)).toBe(false)
    const shown = (await list('limit=50')).find((m) => m.id === refused!.id)
    expect(shown).toMatchObject({
      status: 'refused',
      handled: { by: { name: 'Admin' }, receipt: saved.body.receipt },
    })
    expect(Date.parse(shown!.handled!.at)).toBeGreaterThan(0)
    // Audited.
    const audit = (await desk.call('GET', '/audit')).body.entries as {
      action: string
      target: string
    }[]
    expect(audit.some((a) => a.action === 'sms.handled' && a.target === String(refused!.id))).toBe(
      true,
    )
  })

  it('marks it handled too when the entry is a double entry, once the second operator re-keys it', async () => {
    failing = false
    const refused = await send(`${code} 19 B 50 60`, 30)
    expect(refused.status).toBe('refused')
    const other = await desk.call('POST', '/users', {
      name: 'Operator Dua',
      phone: '0812-9999-0002',
      role: 'operator',
      region: '35.09',
    })
    const sheet = { votes: { '1': 50, '2': 60 }, invalid: 2 }
    const draft = await desk.call('POST', '/console/drafts', {
      tps: `${DESA_A}.019`,
      contest: 'bupati',
      ...sheet,
      caller: { name: 'Siti Padomasan' },
      note: `Dari SMS yang ditolak #${refused.id}: TS (suara tidak sah) Bupati tidak ada`,
    })
    expect(draft.status).toBe(201)
    // Held for the second keying: not handled yet.
    expect((await list('problems=1')).some((m) => m.id === refused.id)).toBe(true)
    const verified = await desk.call(
      'POST',
      `/console/drafts/${draft.body.draft.id}/verify`,
      sheet,
      other.body.accessCode,
    )
    expect(verified.status).toBe(201)
    expect((await list('problems=1')).some((m) => m.id === refused.id)).toBe(false)
    expect((await list('limit=100')).find((m) => m.id === refused.id)!.handled).toMatchObject({
      by: { name: 'Operator Dua' },
      receipt: verified.body.receipt,
    })
  })

  it('never marks a counted SMS from a note', async () => {
    const counted = (await list('limit=50')).find(
      (m) => m.direction === 'in' && m.status === 'counted',
    )!
    const r = await phonedIn({
      submissionId: 'telepon-salah',
      tps: `${DESA_A}.016`,
      votes: { '1': 3, '2': 4 },
      invalid: 0,
      caller: { name: 'Siti' },
      note: `SMS #${counted.id}`,
    })
    expect(r.status).toBe(201)
    expect((await list('limit=50')).find((m) => m.id === counted.id)!.handled).toBeUndefined()
  })

  it("masks the sender's SMS code wherever it stands in the stored text", async () => {
    const lower = code.toLowerCase()
    const a = await send(`${code} 17 B 10 20 TS 1 ${lower}`, 40)
    expect(a.status).toBe('refused') // the repeated code reads as an unknown contest
    const b = await send(`KOREKSI ${code} 18 B 10 20 TS 1`, 41)
    expect(b.status).toBe('wrong_code')
    const c = await send(`tps ${code}3 B`, 42)
    const texts = new Map(
      (await list('limit=100')).map((m) => [m.id, (m as unknown as { text: string }).text]),
    )
    expect(texts.get(a.id)).toBe('**** 17 B 10 20 TS 1 ****')
    expect(texts.get(b.id)).toBe('KOREKSI **** 18 B 10 20 TS 1')
    expect(texts.get(c.id)).toBe('tps ****3 B')
    for (const t of texts.values()) expect(t.toUpperCase()).not.toContain(code)
  })
})
