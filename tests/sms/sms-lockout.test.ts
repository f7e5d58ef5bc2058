import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESA_A, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// The wrong-code lockout (issue 15 review): read from the SMS log, so a restart of the desk does
// not forgive a number; an operator lifts it with "Buka blokir" (audited).
describe('lockout of wrong SMS codes across restarts, and Buka blokir', () => {
  let dataDir: string
  let desk: TestDesk
  let clock = Date.parse('2024-11-27T08:00:00Z')
  let code: string
  let n = 0
  const PHONE = '+6281211110001'
  const start = () => startDesk({ dataDir, now: () => new Date(clock) })
  const send = (text: string) => {
    clock += 10_000
    n++
    return desk.features.sms.receive({
      gateway: 'gammu',
      from: PHONE,
      sentAt: `2024-11-27T15:${String(n).padStart(2, '0')}:00`,
      text,
    })
  }
  const wrongCode = () => (code === 'ZZZZ' ? 'YYYY' : 'ZZZZ')

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'desk-sms-lock-'))
    desk = await start()
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 9, 400))
    code = (
      await desk.call('POST', '/users', {
        name: 'Siti Padomasan',
        phone: '0812-1111-0001',
        role: 'reporter',
        region: DESA_A,
      })
    ).body.smsCode
  })
  afterAll(async () => {
    await desk.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('keeps counting wrong codes after a restart, and keeps the block', async () => {
    for (let i = 0; i < 3; i++)
      expect((await send(`${wrongCode()} 1 B 1 2 TS 0`)).status).toBe('wrong_code')
    await desk.stop()
    desk = await start()
    // Two tries were left before the restart; still two after it.
    const fourth = await send(`${wrongCode()} 1 B 1 2 TS 0`)
    expect(fourth.reply).toMatch(/Sisa 1 kali/)
    const fifth = await send(`${wrongCode()} 1 B 1 2 TS 0`)
    expect(fifth.reply).toMatch(/^DIBLOKIR 10 menit/)
    await desk.stop()
    desk = await start()
    expect((await send(`${code} 1 B 1 2 TS 0`)).status).toBe('locked')
    const overview = (await desk.call('GET', '/sms')).body
    expect(overview.blocked).toEqual([{ phone: '6281211110001', until: expect.any(String) }])
  })

  it('lets an operator lift the block, audited; the right code then counts', async () => {
    const op = await desk.call('POST', '/users', {
      name: 'Operator Satu',
      phone: '0812-9999-0001',
      role: 'operator',
      region: '35.09',
    })
    const lifted = await desk.call(
      'POST',
      '/sms/unblock',
      { phone: '0812-1111-0001' },
      op.body.accessCode,
    )
    expect(lifted).toMatchObject({ status: 200, body: { unblocked: true } })
    expect((await desk.call('GET', '/sms')).body.blocked).toEqual([])
    const audit = (await desk.call('GET', '/audit')).body.entries as {
      action: string
      actor: string
      target: string
    }[]
    expect(audit.find((a) => a.action === 'sms.unblock')).toMatchObject({
      actor: op.body.id,
      target: '6281211110001',
    })
    expect((await send(`${code} 1 B 1 2 TS 0`)).status).toBe('counted')
    // Nothing left to lift; a bad number is named.
    expect((await desk.call('POST', '/sms/unblock', { phone: '0812-1111-0001' })).body).toEqual({
      unblocked: false,
    })
    const bad = await desk.call('POST', '/sms/unblock', { phone: 'abc' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields.phone).toMatch(/Nomor HP/)
  })

  it('a right code starts the count again; an empty message does not', async () => {
    for (let i = 0; i < 4; i++) await send(`${wrongCode()} 2 B 1 2 TS 0`)
    expect((await send('')).status).toBe('refused')
    expect((await send(`${wrongCode()} 2 B 1 2 TS 0`)).reply).toMatch(/^DIBLOKIR/)
    clock += 10 * 60_000 + 1000
    for (let i = 0; i < 4; i++) await send(`${wrongCode()} 3 B 1 2 TS 0`)
    expect((await send(`${code} 3 B 1 2 TS 0`)).status).toBe('counted')
    expect((await send(`${wrongCode()} 3 B 1 2 TS 0`)).reply).toMatch(/Sisa 4 kali/)
  })
})
