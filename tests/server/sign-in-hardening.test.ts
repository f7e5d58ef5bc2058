import { afterEach, describe, expect, it } from 'vitest'
import { FailureBudget, Lockout } from '../../src/server/rate-limit'
import { ADMIN_TOKEN, DESA_A, sameHandle, startDesk, type TestDesk } from '../helpers/desk'

// Sign-in hardening (issue 11, item 6): what a security review asked for, each seen from outside.

const from = (ip: string) => ({ 'x-forwarded-for': ip })
const desks: TestDesk[] = []
afterEach(async () => {
  for (const d of desks.splice(0)) await d.stop()
})

async function deskWith(options: Parameters<typeof startDesk>[0]) {
  const desk = await startDesk({ trustProxy: ['127.0.0.1'], ...options })
  desks.push(desk)
  return desk
}

async function reporter(desk: TestDesk, name = 'Pelapor'): Promise<string> {
  const r = await desk.call('POST', '/users', { name, role: 'reporter', region: DESA_A })
  expect(r.status).toBe(201)
  return r.body.accessCode
}

describe('sign-in hardening', () => {
  it('keeps a phone already signed in working while others lock its handle with wrong codes', async () => {
    const desk = await deskWith({ lockout: new Lockout(5, 10 * 60_000, 10 * 60_000) })
    const code = await reporter(desk)
    // The phone signs in from its own address and works.
    expect(
      (await desk.call('POST', '/auth/login', { accessCode: code }, null, from('198.51.100.10')))
        .status,
    ).toBe(200)
    // Someone else types five wrong codes against the same public handle, from five addresses.
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await desk.call(
            'POST',
            '/auth/login',
            { accessCode: sameHandle(code, i) },
            null,
            from(`203.0.113.${i + 1}`),
          )
        ).status,
      ).toBe(401)
    }
    // The handle is locked: a sixth guess is not even checked…
    const sixth = await desk.call(
      'POST',
      '/auth/login',
      { accessCode: sameHandle(code, 6) },
      null,
      from('203.0.113.6'),
    )
    expect(sixth.status).toBe(429)
    expect(sixth.body.error.code).toBe('locked')
    // …and a code of that handle never verified on this desk cannot sign in (see the lockout tests).
    // …but the phone that already signed in goes on: its list and a report both work.
    expect(
      (await desk.call('GET', '/intake/tps', undefined, code, from('198.51.100.10'))).status,
    ).toBe(200)
    expect((await desk.call('GET', '/me', undefined, code, from('198.51.100.10'))).status).toBe(200)
  })

  it('takes as long for a wrong code whose handle does not exist as for one whose handle does', async () => {
    const desk = await deskWith({
      lockout: new Lockout(10_000, 60_000, 60_000),
      failureBudget: new FailureBudget(10_000, 60_000),
    })
    const code = await reporter(desk)
    const time = async (accessCode: string, ip: string) => {
      const t = performance.now()
      expect((await desk.call('POST', '/auth/login', { accessCode }, null, from(ip))).status).toBe(
        401,
      )
      return performance.now() - t
    }
    const existing: number[] = []
    const missing: number[] = []
    for (let i = 0; i < 7; i++) {
      existing.push(await time(sameHandle(code, i), `203.0.113.${i + 1}`))
      // handle "ZZZ?" is nobody's (codes are random; this one was just checked to be free)
      missing.push(await time(`ZZZ${'23456789'[i]}-2345-6789`, `203.0.113.${i + 101}`))
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    // Without the decoy hash a missing handle answers in ~1 ms against scrypt's tens of ms.
    expect(median(missing)).toBeGreaterThan(median(existing) * 0.5)
    expect(median(missing)).toBeLessThan(median(existing) * 2)
  })

  it('counts wrong admin-token guesses towards the address lockout', async () => {
    const desk = await deskWith({ lockout: new Lockout(5, 10 * 60_000, 10 * 60_000) })
    const code = await reporter(desk)
    const office = '192.168.1.77'
    for (let i = 0; i < 5; i++) {
      const r = await desk.call(
        'GET',
        '/users',
        undefined,
        `not-the-admin-token-${i}-xxxxxxxx`,
        from(office),
      )
      expect(r.status).toBe(401)
    }
    // That address may now try nothing new: no code, and not even the right admin token.
    expect(
      (await desk.call('POST', '/auth/login', { accessCode: code }, null, from(office))).body.error
        .code,
    ).toBe('locked')
    const admin = await desk.call('GET', '/users', undefined, ADMIN_TOKEN, from(office))
    expect(admin.status).toBe(429)
    expect(admin.body.error.code).toBe('locked')
    // Others are not affected; the desk's own machine keeps its admin window.
    expect(
      (await desk.call('POST', '/auth/login', { accessCode: code }, null, from('192.168.1.78')))
        .status,
    ).toBe(200)
    expect((await desk.call('GET', '/users')).status).toBe(200)
  })

  it('stops new sign-ins from outside once the desk-wide failure budget is spent, and lets them in again after the window', async () => {
    let now = Date.parse('2024-11-27T13:00:00Z')
    const clock = () => now
    const desk = await deskWith({
      lockout: new Lockout(5, 10 * 60_000, 10 * 60_000, clock),
      failureBudget: new FailureBudget(12, 10 * 60_000, clock),
    })
    const signedIn = await reporter(desk, 'Sudah masuk')
    const later = await reporter(desk, 'Belum masuk')
    expect(
      (await desk.call('POST', '/auth/login', { accessCode: signedIn }, null, from('198.51.100.1')))
        .status,
    ).toBe(200)
    // Twelve addresses, one wrong guess each: no address reaches its own limit of five.
    for (let i = 0; i < 12; i++) {
      expect(
        (
          await desk.call(
            'POST',
            '/auth/login',
            { accessCode: `${'23456789ABCD'[i]}XYZ-2345-6789` },
            null,
            from(`203.0.113.${i + 1}`),
          )
        ).status,
      ).toBe(401)
    }
    const refused = await desk.call(
      'POST',
      '/auth/login',
      { accessCode: later },
      null,
      from('198.51.100.2'),
    )
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('busy_locked')
    expect(refused.body.error.message).toMatch(/Coba lagi dalam 10 menit/)
    // a 13th guess is not even tried (it would be refused the same way, wrong or right)
    expect(
      (
        await desk.call(
          'POST',
          '/auth/login',
          { accessCode: 'QQQQ-2345-6789' },
          null,
          from('203.0.113.99'),
        )
      ).status,
    ).toBe(429)
    // The phone already signed in goes on; staff on the office LAN can still sign in.
    expect((await desk.call('GET', '/me', undefined, signedIn, from('198.51.100.1'))).status).toBe(
      200,
    )
    expect(
      (await desk.call('POST', '/auth/login', { accessCode: later }, null, from('192.168.1.5')))
        .status,
    ).toBe(200)
    // Ten minutes on, the budget is back.
    now += 10 * 60_000 + 1
    const other = await reporter(desk, 'Pelapor lain')
    expect(
      (await desk.call('POST', '/auth/login', { accessCode: other }, null, from('198.51.100.3')))
        .status,
    ).toBe(200)
  })

  it('does not let guesses sent all at once slip past the budget while their checks run', async () => {
    const desk = await deskWith({
      lockout: new Lockout(5, 10 * 60_000, 10 * 60_000),
      failureBudget: new FailureBudget(5, 10 * 60_000),
    })
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        desk.call(
          'POST',
          '/auth/login',
          { accessCode: `${'23456789ABCDEFGHJKMNPQRSTU'[i]}QQQ-2345-6789` },
          null,
          from(`203.0.113.${i + 1}`),
        ),
      ),
    )
    const statuses = answers.map((a) => a.status)
    // at most five were checked (401); the rest were refused before any check
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15)
  })

  it('gives the budget back for every right code: only failures use it up', async () => {
    const desk = await deskWith({ failureBudget: new FailureBudget(2, 10 * 60_000) })
    const codes = [
      await reporter(desk, 'A'),
      await reporter(desk, 'B'),
      await reporter(desk, 'C'),
      await reporter(desk, 'D'),
    ]
    for (const [i, c] of codes.slice(0, 3).entries())
      expect(
        (
          await desk.call(
            'POST',
            '/auth/login',
            { accessCode: c },
            null,
            from(`198.51.100.${i + 1}`),
          )
        ).status,
      ).toBe(200)
    expect(
      (
        await desk.call(
          'POST',
          '/auth/login',
          { accessCode: 'QQQQ-2345-6789' },
          null,
          from('203.0.113.1'),
        )
      ).status,
    ).toBe(401)
    expect(
      (await desk.call('POST', '/auth/login', { accessCode: codes[3] }, null, from('198.51.100.9')))
        .status,
    ).toBe(200)
    expect(
      (
        await desk.call(
          'POST',
          '/auth/login',
          { accessCode: 'RRRR-2345-6789' },
          null,
          from('203.0.113.2'),
        )
      ).status,
    ).toBe(401)
    expect(
      (
        await desk.call(
          'POST',
          '/auth/login',
          { accessCode: 'SSSS-2345-6789' },
          null,
          from('203.0.113.3'),
        )
      ).body.error.code,
    ).toBe('busy_locked')
  })
})
