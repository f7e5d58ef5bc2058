import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lockout } from '../../src/server/rate-limit'
import { builtUi } from '../helpers/build-ui'
import { ADMIN_TOKEN, DESA_A, sid, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

// Behind a reverse proxy (here: the test itself on 127.0.0.1, trusted with --trust-proxy) the desk
// sees each client's own address: lockouts, limits, the stored submissions/refusals and the request
// log use it, and staff credentials and screens answer 403 from outside the staff networks.

const INTERNET = '203.0.113.50'
const OTHER_INTERNET = '198.51.100.60'
const OFFICE = '192.168.1.20'
const from = (ip: string) => ({ 'x-forwarded-for': ip })

describe('behind a trusted proxy: the real client address', () => {
  let desk: TestDesk
  const lines: Record<string, unknown>[] = []
  const codes: Record<string, string> = {}

  beforeAll(async () => {
    desk = await startDesk({
      trustProxy: ['127.0.0.1', '::1'],
      lockout: new Lockout(5, 10 * 60_000, 10 * 60_000),
      logger: {
        info: (msg, f) => lines.push({ msg, ...f }),
        warn: (msg, f) => lines.push({ msg, ...f }),
        error() {},
      },
      staticDir: builtUi(),
    })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A], 3, 300))).status).toBe(200)
    for (const [name, role] of [
      ['rep', 'reporter'],
      ['rep2', 'reporter'],
      ['op', 'operator'],
      ['sup', 'supervisor'],
      ['disp', 'display'],
    ] as const) {
      const r = await desk.call('POST', '/users', {
        name,
        role,
        region: role === 'reporter' ? DESA_A : '35.09',
      })
      expect(r.status).toBe(201)
      codes[name] = r.body.accessCode
    }
  }, 120_000)
  afterAll(() => desk?.stop())

  it('lets a reporter sign in and send from the internet, storing the client’s address', async () => {
    const login = await desk.call(
      'POST',
      '/auth/login',
      { accessCode: codes.rep },
      null,
      from(INTERNET),
    )
    expect(login.status).toBe(200)
    const sent = await desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: `${DESA_A}.001`,
        contest: 'bupati',
        votes: { '1': 100, '2': 80 },
        invalid: 5,
      },
      codes.rep,
      from(INTERNET),
    )
    expect(sent.status).toBe(201)
    expect(desk.store.submissionsForTps(`${DESA_A}.001`)[0]!.address).toBe(INTERNET)
    // a refused sheet is kept with the same address
    const bad = await desk.call(
      'POST',
      '/results',
      {
        submissionId: sid(),
        tps: `${DESA_A}.002`,
        contest: 'bupati',
        votes: { '1': -1, '2': 80 },
        invalid: 5,
      },
      codes.rep,
      from(INTERNET),
    )
    expect(bad.status).toBe(400)
    expect(desk.store.refusalsForTps(`${DESA_A}.002`).map((r) => r.address)).toEqual([INTERNET])
    const logged = lines.filter((l) => l.msg === 'http' && l.path === '/api/v1/results')
    expect(logged.map((l) => l.ip)).toEqual([INTERNET, INTERNET])
  })

  it.each(['op', 'sup', 'disp'])(
    'refuses the %s’s code from the internet with 403 and an Indonesian message, but takes it from the office',
    async (who) => {
      const outside = await desk.call(
        'POST',
        '/auth/login',
        { accessCode: codes[who] },
        null,
        from(INTERNET),
      )
      expect(outside.status).toBe(403)
      expect(outside.body.error.code).toBe('staff_network')
      expect(outside.body.error.message).toMatch(/hanya bisa dipakai dari jaringan kantor desk/)
      expect((await desk.call('GET', '/me', undefined, codes[who], from(INTERNET))).status).toBe(
        403,
      )
      expect((await desk.call('GET', '/me', undefined, codes[who], from(OFFICE))).status).toBe(200)
      // signed in from the office first: still refused from outside (the cache is no way around the rule)
      expect((await desk.call('GET', '/me', undefined, codes[who], from(INTERNET))).status).toBe(
        403,
      )
    },
  )

  it('refuses the admin token from the internet, on the API and on the event stream', async () => {
    expect((await desk.call('GET', '/users', undefined, ADMIN_TOKEN, from(INTERNET))).status).toBe(
      403,
    )
    const sse = await fetch(`${desk.url}/api/v1/events?token=${ADMIN_TOKEN}`, {
      headers: from(INTERNET),
    })
    expect(sse.status).toBe(403)
    expect((await desk.call('GET', '/users', undefined, ADMIN_TOKEN, from(OFFICE))).status).toBe(
      200,
    )
  })

  it('serves /lapor and /publik to anyone, and the staff screens only to the office', async () => {
    for (const path of ['/lapor', '/publik', '/lapor-sw.js']) {
      expect((await fetch(`${desk.url}${path}`, { headers: from(INTERNET) })).status, path).toBe(
        200,
      )
    }
    expect(
      (await desk.call('GET', '/public/summary', undefined, null, from(INTERNET))).status,
    ).toBe(200)
    for (const path of ['/', '/kredensial', '/rekap', '/papan', '/papan/35.09.01', '/index.html']) {
      const res = await fetch(`${desk.url}${path}`, { headers: from(INTERNET) })
      expect(res.status, path).toBe(403)
      expect(await res.text()).toContain('Layar ini hanya untuk staf desk')
      expect((await fetch(`${desk.url}${path}`, { headers: from(OFFICE) })).status, path).toBe(200)
    }
  })

  it('locks the client that typed five wrong codes, not everyone behind the proxy', async () => {
    const guesses = [
      '2222-2222-2222',
      '3333-3333-3333',
      '4444-4444-4444',
      '5555-5555-5555',
      '6666-6666-6666',
    ]
    for (const g of guesses)
      expect(
        (await desk.call('POST', '/auth/login', { accessCode: g }, null, from(OTHER_INTERNET)))
          .status,
      ).toBe(401)
    const blocked = await desk.call(
      'POST',
      '/auth/login',
      { accessCode: codes.rep2 },
      null,
      from(OTHER_INTERNET),
    )
    expect(blocked.status).toBe(429)
    expect(blocked.body.error.code).toBe('locked')
    // another client behind the same proxy signs in as usual
    expect(
      (
        await desk.call(
          'POST',
          '/auth/login',
          { accessCode: codes.rep2 },
          null,
          from('198.51.100.61'),
        )
      ).status,
    ).toBe(200)
    // the lock is in the audit log with the client's address
    const audit = (await desk.call('GET', '/audit?limit=20')).body
    const entries = (audit.entries ?? audit) as { action: string; target: string }[]
    expect(entries.some((e) => e.action === 'auth.lockout' && e.target === OTHER_INTERNET)).toBe(
      true,
    )
  })

  it('without --trust-proxy the headers are ignored: the proxy is the client', async () => {
    const plain = await startDesk()
    try {
      const op = (
        await plain.call('POST', '/users', { name: 'op', role: 'operator', region: '35.09' })
      ).body.accessCode
      // A forged header cannot make an office client look like it is on the internet, nor the reverse.
      expect((await plain.call('GET', '/me', undefined, op, from(INTERNET))).status).toBe(200)
      for (const g of [
        '2222-2222-2222',
        '3333-3333-3333',
        '4444-4444-4444',
        '5555-5555-5555',
        '6666-6666-6666',
      ]) {
        await plain.call('POST', '/auth/login', { accessCode: g }, null, from(`198.51.100.${g[0]}`))
      }
      // five "different" forged addresses were one client: it is locked
      expect(
        (
          await plain.call(
            'POST',
            '/auth/login',
            { accessCode: '7777-7777-7777' },
            null,
            from('198.51.100.99'),
          )
        ).body.error.code,
      ).toBe('locked')
    } finally {
      await plain.stop()
    }
  })

  it('warns once when an office peer sends X-Forwarded-For without being in --trust-proxy', async () => {
    const warnings: { msg: string; fields: Record<string, unknown> }[] = []
    const logger = {
      info() {},
      warn: (msg: string, fields?: Record<string, unknown>) =>
        warnings.push({ msg, fields: fields ?? {} }),
      error() {},
    }
    const plain = await startDesk({ logger })
    try {
      expect((await plain.call('GET', '/health', undefined, null)).status).toBe(200)
      expect(warnings).toEqual([])
      // The proxy (here 127.0.0.1) forwards clients but the desk was not told to trust it.
      for (let i = 0; i < 3; i++)
        await plain.call('GET', '/health', undefined, null, from(INTERNET))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]!.msg).toBe('proxy.untrusted')
      expect(warnings[0]!.fields.peer).toBe('127.0.0.1')
      expect(String(warnings[0]!.fields.pesan)).toContain('--trust-proxy 127.0.0.1')
    } finally {
      await plain.stop()
    }
    // Trusted, the same requests warn of nothing.
    const quiet: unknown[] = []
    const trusted = await startDesk({
      trustProxy: ['127.0.0.1'],
      logger: { info() {}, warn: (m: string) => quiet.push(m), error() {} },
    })
    try {
      await trusted.call('GET', '/health', undefined, null, from(INTERNET))
      expect(quiet).toEqual([])
    } finally {
      await trusted.stop()
    }
  })

  it('a trusted proxy sending a junk hop for the client: an outside client, not the proxy (no staff rights)', async () => {
    // The proxy itself (127.0.0.1) is in the staff networks; the client it failed to name is not.
    const op = codes.op!
    expect((await desk.call('GET', '/me', undefined, op, from('unknown'))).status).toBe(403)
    expect(
      (await desk.call('GET', '/me', undefined, op, from('198.51.100.7, _hidden'))).status,
    ).toBe(403)
    expect((await desk.call('GET', '/me', undefined, op, from(OFFICE))).status).toBe(200)
  })
})
