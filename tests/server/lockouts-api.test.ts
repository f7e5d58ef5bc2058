import { afterEach, describe, expect, it } from 'vitest'
import { Lockout } from '../../src/server/rate-limit'
import type { LockoutListDto } from '../../src/shared/lockouts'
import { DESA_A, sameHandle, startDesk, type TestDesk } from '../helpers/desk'

// Lifting a sign-in lockout from the desk (the review of issue 11): many phones behind one
// carrier-grade NAT address share a lock that one clumsy phone set; the admin sees it and lifts it.

const from = (ip: string) => ({ 'x-forwarded-for': ip })
const desks: TestDesk[] = []
afterEach(async () => {
  for (const d of desks.splice(0)) await d.stop()
})

async function deskWithLockout() {
  const desk = await startDesk({
    trustProxy: ['127.0.0.1'],
    lockout: new Lockout(5, 10 * 60_000, 10 * 60_000),
  })
  desks.push(desk)
  return desk
}

async function person(desk: TestDesk, name: string, role = 'reporter', region = DESA_A) {
  const r = await desk.call('POST', '/users', { name, role, region })
  expect(r.status).toBe(201)
  return r.body as { id: string; accessCode: string }
}

async function wrongCodes(desk: TestDesk, ip: string, n = 5) {
  for (let i = 0; i < n; i++) {
    const r = await desk.call(
      'POST',
      '/auth/login',
      { accessCode: `${'QRSTU'[i]}QQQ-2345-6789` },
      null,
      from(ip),
    )
    expect(r.status).toBe(401)
  }
}

const login = (desk: TestDesk, code: string, ip: string) =>
  desk.call('POST', '/auth/login', { accessCode: code }, null, from(ip))

describe('admin unlock of a sign-in lockout', () => {
  it('lists an address locked by five wrong codes, lifts it with an audit row, and the next sign-in works', async () => {
    const desk = await deskWithLockout()
    const siti = await person(desk, 'Siti')
    const nat = '203.0.113.7'
    const events: string[] = []
    const off = desk.service.bus.subscribe((e) => events.push(e.type))
    await wrongCodes(desk, nat)
    // Everyone behind that address is locked out now, with the right code too.
    const refused = await login(desk, siti.accessCode, nat)
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('locked')

    const list = await desk.call<LockoutListDto>('GET', '/admin/lockouts')
    expect(list.status).toBe(200)
    expect(list.headers.get('cache-control')).toBe('no-store')
    expect(list.body.lockouts).toHaveLength(1)
    const lock = list.body.lockouts[0]!
    expect(lock).toMatchObject({
      kind: 'address',
      target: nat,
      address: nat,
      person: null,
      failures: 5,
    })
    const since = Date.parse(lock.lockedAt)
    expect(Math.abs(since - Date.now())).toBeLessThan(60_000)
    expect(Date.parse(lock.lockedUntil) - since).toBe(10 * 60_000)
    // Announced once the audit row is durable (after the writer's sync).
    await expect.poll(() => events).toContain('auth.locked')

    const unlocked = await desk.call('POST', '/admin/lockouts/unlock', {
      kind: 'address',
      target: nat,
    })
    expect(unlocked.status).toBe(200)
    expect(unlocked.body).toEqual({ unlocked: true, kind: 'address', target: nat })
    expect(events).toContain('auth.unlocked')
    off()

    expect((await login(desk, siti.accessCode, nat)).status).toBe(200)
    expect((await desk.call<LockoutListDto>('GET', '/admin/lockouts')).body.lockouts).toEqual([])
    // Lifted with a clean slate: one more wrong code does not lock it again at once.
    await wrongCodes(desk, nat, 1)
    expect((await login(desk, siti.accessCode, nat)).status).toBe(200)

    const audit = (await desk.call('GET', '/audit')).body.entries as {
      actor: string
      action: string
      target: string
      at: string
      detail: Record<string, unknown>
    }[]
    const row = audit.find((e) => e.action === 'auth.unlock')
    expect(row).toMatchObject({ actor: 'admin', target: nat, detail: { kind: 'address' } })
    expect(row!.detail.failures).toBe(5)
    expect(Date.parse(row!.at)).toBeGreaterThan(since - 1)
    expect(audit.find((e) => e.action === 'auth.lockout')).toMatchObject({
      actor: 'system',
      target: nat,
    })
  })

  it("shows a locked code as its person (name, role, region name), never the code, and lifts it by the person's id", async () => {
    const desk = await deskWithLockout()
    const budi = await person(desk, 'Budi Santoso')
    // Five wrong codes against Budi's handle, from five different addresses (no address lock).
    for (let i = 0; i < 5; i++)
      expect(
        (await login(desk, sameHandle(budi.accessCode, i), `198.51.100.${i + 1}`)).status,
      ).toBe(401)
    expect((await login(desk, budi.accessCode, '198.51.100.50')).status).toBe(429)

    const list = await desk.call<LockoutListDto>('GET', '/admin/lockouts')
    expect(list.body.lockouts).toHaveLength(1)
    const lock = list.body.lockouts[0]!
    expect(lock.kind).toBe('code')
    expect(lock.target).toBe(budi.id)
    expect(lock.address).toBeNull()
    expect(lock.person).toMatchObject({ id: budi.id, name: 'Budi Santoso', role: 'reporter' })
    expect(lock.person!.regionName).not.toBe(DESA_A)
    expect(lock.person!.regionName.length).toBeGreaterThan(2)
    // Not the code, not even its handle (the first group), anywhere in the answer.
    const text = JSON.stringify(list.body)
    expect(text).not.toContain(budi.accessCode.slice(0, 4))
    const audit = (await desk.call('GET', '/audit')).body.entries as {
      action: string
      target: string
    }[]
    expect(audit.find((e) => e.action === 'auth.lockout')?.target).toBe(budi.id)
    expect(JSON.stringify(audit)).not.toContain(budi.accessCode.slice(0, 4))

    const unlocked = await desk.call('POST', '/admin/lockouts/unlock', {
      kind: 'code',
      target: budi.id,
    })
    expect(unlocked.status).toBe(200)
    expect((await login(desk, budi.accessCode, '198.51.100.50')).status).toBe(200)
  })

  it('does not list a lock on a code handle nobody holds (it shuts no one out)', async () => {
    const desk = await deskWithLockout()
    const siti = await person(desk, 'Siti')
    const handle = siti.accessCode.startsWith('ZZZZ') ? 'YYYY' : 'ZZZZ'
    for (let i = 0; i < 5; i++)
      expect(
        (await login(desk, `${handle}-${String(i + 2).repeat(4)}-2345`, `198.51.100.${i + 1}`))
          .status,
      ).toBe(401)
    expect((await login(desk, `${handle}-7777-2345`, '198.51.100.9')).body.error.code).toBe(
      'locked',
    )
    expect((await desk.call<LockoutListDto>('GET', '/admin/lockouts')).body.lockouts).toEqual([])
    expect((await login(desk, siti.accessCode, '198.51.100.9')).status).toBe(200)
  })

  it('answers 404 for what is not locked and 400 naming the field for a bad body', async () => {
    const desk = await deskWithLockout()
    const siti = await person(desk, 'Siti')
    const notLocked = await desk.call('POST', '/admin/lockouts/unlock', {
      kind: 'address',
      target: '203.0.113.99',
    })
    expect(notLocked.status).toBe(404)
    expect(notLocked.body.error.code).toBe('not_locked')
    expect(notLocked.body.error.fields.target).toMatch(/terkunci/)
    const codeNotLocked = await desk.call('POST', '/admin/lockouts/unlock', {
      kind: 'code',
      target: siti.id,
    })
    expect(codeNotLocked.status).toBe(404)
    const nobody = await desk.call('POST', '/admin/lockouts/unlock', {
      kind: 'code',
      target: 'no-such-person',
    })
    expect(nobody.status).toBe(404)
    expect(nobody.body.error.fields.target).toMatch(/tidak dikenal/)

    const badKind = await desk.call('POST', '/admin/lockouts/unlock', { kind: 'ip', target: 'x' })
    expect(badKind.status).toBe(400)
    expect(badKind.body.error.fields.kind).toMatch(/kind harus "address"/)
    const noTarget = await desk.call('POST', '/admin/lockouts/unlock', { kind: 'address' })
    expect(noTarget.status).toBe(400)
    expect(noTarget.body.error.fields.target).toMatch(/target wajib diisi/)
    const junk = await desk.call('POST', '/admin/lockouts/unlock', {
      kind: 'address',
      target: '<script>',
    })
    expect(junk.status).toBe(400)
    expect(junk.body.error.fields.target).toMatch(/alamat IP/)
  })

  it('is for the admin only: an operator or supervisor gets 403 and the lock stays', async () => {
    const desk = await deskWithLockout()
    const op = await person(desk, 'Operator', 'operator')
    const sup = await person(desk, 'Supervisor', 'supervisor')
    const nat = '203.0.113.8'
    await wrongCodes(desk, nat)
    for (const token of [op.accessCode, sup.accessCode]) {
      const list = await desk.call('GET', '/admin/lockouts', undefined, token)
      expect(list.status).toBe(403)
      const lift = await desk.call(
        'POST',
        '/admin/lockouts/unlock',
        { kind: 'address', target: nat },
        token,
      )
      expect(lift.status).toBe(403)
    }
    expect((await desk.call<LockoutListDto>('GET', '/admin/lockouts')).body.lockouts).toHaveLength(
      1,
    )
  })
})

describe('IPv6 clients count per /64', () => {
  it('locks the whole /64 after five wrong codes from different addresses in it; another /64 and IPv4 go on', async () => {
    const desk = await deskWithLockout()
    const siti = await person(desk, 'Siti')
    // One phone rotating its interface id within its /64: five addresses, one lock.
    for (let i = 0; i < 5; i++)
      await wrongCodes(desk, `2001:db8:aa:bb:${(i + 1).toString(16)}:1234:5678:9abc`, 1)
    const sameSlash64 = await login(desk, siti.accessCode, '2001:db8:aa:bb::42')
    expect(sameSlash64.status).toBe(429)
    expect(sameSlash64.body.error.code).toBe('locked')
    // The neighbouring /64 (another phone of the same carrier) is not locked, nor is IPv4.
    expect((await login(desk, siti.accessCode, '2001:db8:aa:bc::42')).status).toBe(200)
    expect((await login(desk, siti.accessCode, '203.0.113.9')).status).toBe(200)

    const list = await desk.call<LockoutListDto>('GET', '/admin/lockouts')
    expect(list.body.lockouts).toHaveLength(1)
    expect(list.body.lockouts[0]).toMatchObject({
      kind: 'address',
      address: '2001:db8:aa:bb::/64',
      target: '2001:db8:aa:bb::/64',
    })
    // Lifted by the prefix from the list, or by any address in it.
    const lift = await desk.call('POST', '/admin/lockouts/unlock', {
      kind: 'address',
      target: '2001:DB8:AA:BB:0:0:0:7',
    })
    expect(lift.status).toBe(200)
    expect(lift.body.target).toBe('2001:db8:aa:bb::/64')
    expect((await login(desk, siti.accessCode, '2001:db8:aa:bb::42')).status).toBe(200)
  })

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    const desk = await deskWithLockout()
    const siti = await person(desk, 'Siti')
    await wrongCodes(desk, '::ffff:203.0.113.10', 3)
    await wrongCodes(desk, '203.0.113.10', 2)
    expect((await login(desk, siti.accessCode, '203.0.113.10')).status).toBe(429)
    expect((await login(desk, siti.accessCode, '203.0.113.11')).status).toBe(200)
    const list = await desk.call<LockoutListDto>('GET', '/admin/lockouts')
    expect(list.body.lockouts.map((l) => l.address)).toEqual(['203.0.113.10'])
  })
})
