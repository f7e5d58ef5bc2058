import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CODE_ALPHABET } from '../../src/service/credentials'
import { cardAddresses, parsePublicUrl, selectPeople } from '../../src/shared/cards'
import { DESA_A, DESA_B, DESA_C, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'
import { CSV_HEADER } from './fixtures'

// Issue 11 (cards): the public URL (flag and run time), the order of the addresses offered for the
// cards, and new codes for many people in one run.

const CODE = new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`)
const PUBLIC = 'https://desk-pilkada.jemberkab.go.id'

describe('public URL and the card addresses', () => {
  let desk: TestDesk
  let dataDir: string
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'desk-cards-'))
    desk = await startDesk({ dataDir, publicUrl: `${PUBLIC}/` })
  })
  afterAll(async () => {
    await desk?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('--public-url is listed first, normalised to its origin; loopback-only is said', async () => {
    const r = await desk.call('GET', '/intake/addresses')
    expect(r.status).toBe(200)
    expect(r.body.urls[0]).toEqual({ interface: 'public', url: PUBLIC, kind: 'public' })
    expect(r.body).toMatchObject({
      publicUrl: PUBLIC,
      source: 'flag',
      flag: PUBLIC,
      host: '127.0.0.1',
      port: desk.port,
      loopbackOnly: true,
    })
    // Listening on loopback, no LAN address serves: none is offered.
    expect(r.body.urls).toHaveLength(1)
  })

  it('the admin sets another at run time: kept over a restart, audited, announced; DELETE goes back to the flag', async () => {
    const set = await desk.call('PUT', '/intake/public-url', {
      publicUrl: '  HTTPS://Lapor.Jemberkab.go.id:8443  ',
    })
    expect(set.status).toBe(200)
    expect(set.body).toEqual({
      publicUrl: 'https://lapor.jemberkab.go.id:8443',
      source: 'admin',
      flag: PUBLIC,
    })
    expect((await desk.call('GET', '/intake/addresses')).body.urls[0].url).toBe(
      'https://lapor.jemberkab.go.id:8443',
    )
    const audit = (await desk.call('GET', '/audit')).body.entries
    expect(audit[0]).toMatchObject({ action: 'cards.publicUrl', actor: 'admin' })

    await desk.stop()
    desk = await startDesk({ dataDir, publicUrl: PUBLIC })
    expect((await desk.call('GET', '/intake/public-url')).body).toEqual({
      publicUrl: 'https://lapor.jemberkab.go.id:8443',
      source: 'admin',
      flag: PUBLIC,
    })
    const back = await desk.call('DELETE', '/intake/public-url')
    expect(back.body).toEqual({ publicUrl: PUBLIC, source: 'flag', flag: PUBLIC })
    await desk.stop()
    desk = await startDesk({ dataDir })
    expect((await desk.call('GET', '/intake/public-url')).body).toEqual({
      publicUrl: null,
      source: null,
      flag: null,
    })
    expect((await desk.call('GET', '/intake/addresses')).body.urls).toEqual([])
  })

  it('refuses what phones could not open, naming the field, and keeps the stored address', async () => {
    await desk.call('PUT', '/intake/public-url', { publicUrl: PUBLIC })
    const bad: [unknown, RegExp][] = [
      ['desk-pilkada.jemberkab.go.id', /publicUrl harus diawali http:\/\/ atau https:\/\//],
      ['ftp://desk.go.id', /publicUrl harus diawali http:\/\/ atau https:\/\//],
      ['https://desk.go.id/lapor', /tanpa path/],
      ['https://admin:rahasia@desk.go.id', /nama pengguna atau kata sandi/],
      ['https://desk.go.id/?a=1', /\? atau #/],
      ['https://', /bukan alamat yang sah/],
      ['', /publicUrl wajib diisi/],
      [42, /publicUrl wajib diisi/],
    ]
    for (const [value, message] of bad) {
      const r = await desk.call('PUT', '/intake/public-url', { publicUrl: value })
      expect(r.status, String(value)).toBe(400)
      expect(r.body.error.fields.publicUrl).toMatch(message)
    }
    expect((await desk.call('GET', '/intake/public-url')).body.publicUrl).toBe(PUBLIC)
  })

  it('is the admin’s: staff and reporters get 403, no token 401', async () => {
    const op = await desk.call('POST', '/users', { name: 'Operator', role: 'operator' })
    expect(
      (await desk.call('GET', '/intake/addresses', undefined, op.body.accessCode)).status,
    ).toBe(403)
    expect(
      (await desk.call('PUT', '/intake/public-url', { publicUrl: PUBLIC }, op.body.accessCode))
        .status,
    ).toBe(403)
    expect((await desk.call('GET', '/intake/public-url', undefined, null)).status).toBe(401)
  })

  it('a bad --public-url stops the desk with one sentence naming the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-cards-bad-'))
    try {
      await expect(startDesk({ dataDir: dir, publicUrl: 'desk.jemberkab.go.id' })).rejects.toThrow(
        /^--public-url harus diawali http:\/\/ atau https:\/\//,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('card addresses and selections (pure rules)', () => {
  const lan = [
    { interface: 'eth0', address: '192.168.1.10' },
    { interface: 'wlan0', address: '10.0.0.7' },
  ]
  it('public URL first, then the LAN addresses the desk serves', () => {
    expect(
      cardAddresses({ publicUrl: PUBLIC, host: '0.0.0.0', port: 4046, lan }).urls.map((u) => u.url),
    ).toEqual([PUBLIC, 'http://192.168.1.10:4046', 'http://10.0.0.7:4046'])
    // A container bridge sorts after the real interfaces, so it is never the one pre-selected.
    const withDocker = [{ interface: 'docker0', address: '172.17.0.1' }, ...lan]
    expect(
      cardAddresses({ publicUrl: null, host: '0.0.0.0', port: 4046, lan: withDocker }).urls.map(
        (u) => u.interface,
      ),
    ).toEqual(['eth0', 'wlan0', 'docker0'])
    expect(cardAddresses({ publicUrl: null, host: '10.0.0.7', port: 80, lan })).toEqual({
      urls: [{ interface: 'wlan0', url: 'http://10.0.0.7:80', kind: 'lan' }],
      loopbackOnly: false,
    })
    expect(cardAddresses({ publicUrl: PUBLIC, host: '127.0.0.1', port: 4046, lan })).toEqual({
      urls: [{ interface: 'public', url: PUBLIC, kind: 'public' }],
      loopbackOnly: true,
    })
    // A desk serving TLS itself answers https only on its LAN addresses: an http:// card opens nothing.
    expect(
      cardAddresses({
        publicUrl: null,
        host: '0.0.0.0',
        port: 4046,
        lan,
        scheme: 'https',
      }).urls.map((u) => u.url),
    ).toEqual(['https://192.168.1.10:4046', 'https://10.0.0.7:4046'])
  })
  it('normalises public URLs to their origin', () => {
    expect(parsePublicUrl('http://Desk.Example:80/')).toEqual({ url: 'http://desk.example' })
    expect(parsePublicUrl('https://[2001:db8::1]:8443')).toEqual({
      url: 'https://[2001:db8::1]:8443',
    })
    expect(parsePublicUrl('https://x.go.id/desk', '--public-url')).toEqual({
      error: expect.stringMatching(/^--public-url harus alamat akar desk/),
    })
  })
  it('selects by region (whole segments), role, ids, never a revoked person', () => {
    const people = [
      { id: 'a', role: 'reporter', region: '35.09.01.2001', revokedAt: null },
      { id: 'b', role: 'reporter', region: '35.09.01', revokedAt: null },
      { id: 'c', role: 'reporter', region: '35.09.19.1001', revokedAt: null },
      { id: 'd', role: 'operator', region: '35.09', revokedAt: null },
      { id: 'e', role: 'reporter', region: '35.09.01.2002', revokedAt: '2024-11-27T00:00:00Z' },
      { id: 'f', role: 'reporter', region: '35.09.1', revokedAt: null },
    ]
    const ids = (s: Parameters<typeof selectPeople>[1]) => selectPeople(people, s).map((p) => p.id)
    expect(ids({ region: '35.09.01' })).toEqual(['a', 'b'])
    expect(ids({ region: '35.09.1' })).toEqual(['f'])
    expect(ids({ role: 'operator' })).toEqual(['d'])
    expect(ids({ all: true })).toEqual(['a', 'b', 'c', 'd', 'f'])
    expect(ids({ ids: ['a', 'e'] })).toEqual(['a'])
  })
})

describe('bulk reissue POST /users/reissue', () => {
  let desk: TestDesk
  const codes = new Map<string, string>() // name → code
  const ids = new Map<string, string>()
  beforeAll(async () => {
    desk = await startDesk()
    await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 2, 250))
    const csv = [
      CSV_HEADER,
      `Siti Aminah,0812,pelapor,${DESA_A}`,
      `Agus Salim,0813,pelapor,${DESA_B}`,
      `Budi Santoso,0814,pelapor,35.09.01`,
      `Citra Dewi,0815,pelapor,${DESA_C}`,
      `Rina Operator,0816,operator,`,
      `Layar Dinding,,display,`,
      `Dicabut Saja,0817,pelapor,${DESA_A}`,
    ].join('\n')
    const r = await desk.call('POST', '/users/import', csv)
    expect(r.status).toBe(201)
    for (const u of r.body.users) {
      codes.set(u.name, u.accessCode)
      ids.set(u.name, u.id)
    }
    await desk.call('POST', `/users/${ids.get('Dicabut Saja')}/revoke`)
  })
  afterAll(async () => {
    await desk?.stop()
  })

  it('a kecamatan: new codes in print order, old codes stop at once, others untouched, audited', async () => {
    // Signed in before: the cached verification must not outlive the new code.
    expect((await desk.call('GET', '/me', undefined, codes.get('Siti Aminah'))).status).toBe(200)
    const r = await desk.call('POST', '/users/reissue', { region: '35.09.01', expect: 3 })
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(r.body.reissued).toBe(3)
    expect(r.body.users.map((u: any) => [u.name, u.region, u.role])).toEqual([
      ['Budi Santoso', '35.09.01', 'reporter'],
      ['Siti Aminah', DESA_A, 'reporter'],
      ['Agus Salim', DESA_B, 'reporter'],
    ])
    expect(r.body.users[1]).toMatchObject({ regionName: 'Padomasan', phone: '0812' })
    for (const u of r.body.users) {
      expect(u.accessCode).toMatch(CODE)
      expect(u.accessCode).not.toBe(codes.get(u.name))
      expect((await desk.call('GET', '/me', undefined, codes.get(u.name))).status).toBe(401)
      expect(
        (await desk.call('POST', '/auth/login', { accessCode: u.accessCode }, null)).status,
      ).toBe(200)
      codes.set(u.name, u.accessCode)
    }
    expect((await desk.call('GET', '/me', undefined, codes.get('Citra Dewi'))).status).toBe(200)
    const audit = (await desk.call('GET', '/audit')).body.entries
    expect(audit[0]).toMatchObject({
      action: 'users.reissue',
      actor: 'admin',
      detail: { count: 3, selection: { region: '35.09.01' } },
    })
    expect(audit.filter((e: any) => e.action === 'user.reissue' && e.detail?.bulk)).toHaveLength(3)
    // Codes are never in the audit log.
    expect(JSON.stringify(audit)).not.toContain(codes.get('Siti Aminah'))
  })

  it('a role, and everyone — never the revoked person', async () => {
    const op = await desk.call('POST', '/users/reissue', { role: 'display', expect: 1 })
    expect(op.body.users.map((u: any) => u.name)).toEqual(['Layar Dinding'])
    const all = await desk.call('POST', '/users/reissue', { all: true, expect: 6 })
    expect(all.status).toBe(200)
    expect(all.body.users.map((u: any) => u.name).sort()).toEqual([
      'Agus Salim',
      'Budi Santoso',
      'Citra Dewi',
      'Layar Dinding',
      'Rina Operator',
      'Siti Aminah',
    ])
    const revoked = (await desk.call('GET', '/users')).body.users.find(
      (u: any) => u.name === 'Dicabut Saja',
    )
    expect(revoked.revokedAt).not.toBeNull()
    for (const u of all.body.users) codes.set(u.name, u.accessCode)
  })

  it('refuses a count the admin did not confirm, and unclear selections; nothing changes', async () => {
    const before = (await desk.call('GET', '/users')).body.users
    const cases: [unknown, number, string, RegExp][] = [
      [{ region: '35.09.01', expect: 4 }, 409, 'expect', /Sekarang 3 orang/],
      [{ region: '35.09.01' }, 400, 'expect', /expect wajib diisi/],
      [{ expect: 6 }, 400, 'all', /Pilih orangnya/],
      [{ all: true, role: 'operator', expect: 1 }, 400, 'all', /tidak boleh digabung/],
      [{ role: 'camat', expect: 1 }, 400, 'role', /Peran harus salah satu dari/],
      [{ region: '35.10.01', expect: 1 }, 400, 'region', /Kode wilayah tidak dikenal/],
      [{ region: '35.09.02', expect: 1 }, 404, 'region', /Tidak ada orang terdaftar/],
      [{ ids: [], expect: 1 }, 400, 'ids', /ids tidak boleh kosong/],
    ]
    for (const [body, status, field, message] of cases) {
      const r = await desk.call('POST', '/users/reissue', body)
      expect(r.status, JSON.stringify(body)).toBe(status)
      expect(r.body.error.fields[field], JSON.stringify(body)).toMatch(message)
    }
    const conflict = await desk.call('POST', '/users/reissue', { region: '35.09.01', expect: 4 })
    expect(conflict.body.error.message).toMatch(
      /bukan 4 yang dikonfirmasi.*Tidak ada kode yang diubah/,
    )
    expect((await desk.call('GET', '/users')).body.users).toEqual(before)
    for (const [name, code] of codes)
      if (name !== 'Dicabut Saja')
        expect((await desk.call('GET', '/me', undefined, code)).status, name).toBe(200)
  })

  it('is the admin’s alone', async () => {
    const operator = codes.get('Rina Operator')!
    const r = await desk.call('POST', '/users/reissue', { all: true, expect: 6 }, operator)
    expect(r.status).toBe(403)
    expect((await desk.call('GET', '/me', undefined, operator)).status).toBe(200)
  })
})
