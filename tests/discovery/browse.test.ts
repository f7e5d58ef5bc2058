import { describe, expect, it } from 'vitest'
import {
  advertOf,
  browseDesks,
  startDiscovery,
  type BonjourLike,
  type DeskAdvert,
  type FoundService,
} from '../../src/discovery/discovery'

describe('finding desks on the LAN', () => {
  it('a real bonjour round trip: a desk advertised on this machine is found with its TXT facts and no secret', async () => {
    const port = 40000 + Math.floor(Math.random() * 20000)
    const name = `Desk Uji ${process.pid}-${port}`
    const fp = Array.from({ length: 32 }, () => 'AB').join(':')
    const desk = startDiscovery({
      port,
      regencyCode: '35.09',
      regencyName: 'Kabupaten Jember',
      training: true,
      version: '9.8.7',
      name,
      scheme: 'https',
      certFingerprint: fp,
    })
    const seen: DeskAdvert[][] = []
    const found = await new Promise<DeskAdvert | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 10_000)
      const browser = browseDesks({
        onChange: (list) => {
          seen.push(list)
          const mine = list.find((d) => d.id === name)
          if (mine) {
            clearTimeout(timer)
            browser.stop()
            resolve(mine)
          }
        },
      })
    })
    await desk.stop()
    expect(found, `desks seen: ${JSON.stringify(seen)}`).toMatchObject({
      id: name,
      name: 'Kabupaten Jember',
      regency: '35.09',
      version: '9.8.7',
      training: true,
    })
    expect(found!.url).toMatch(new RegExp(`^https://[0-9.]+:${port}$`))
    expect(found!.certFingerprint).toBe(Array.from({ length: 32 }, () => 'AB').join(':'))
  }, 20_000)

  it('follows advertisements as desks come and go, ignoring records that are not a desk', () => {
    const listeners: Record<string, (s: FoundService) => void> = {}
    const bonjour: BonjourLike = {
      publish: () => ({}),
      find: () => ({
        services: [],
        stop: () => undefined,
        on: (event, fn) => (listeners[event] = fn),
      }),
      unpublishAll: (cb) => cb?.(),
      destroy: (cb) => cb?.(),
    }
    const lists: string[][] = []
    browseDesks({
      bonjour: () => bonjour,
      onChange: (list) => lists.push(list.map((d) => `${d.name}|${d.url}`)),
    })
    listeners.up!({
      name: 'A',
      host: 'a.local',
      port: 4046,
      addresses: ['fe80::1', '192.168.1.5'],
      txt: { name: 'Kabupaten Jember', regency: '35.09', version: '0.1.0', training: '0' },
    })
    listeners.up!({ name: 'printer', host: 'p.local', port: 631, txt: { rp: 'ipp' } })
    listeners.up!({
      name: 'B',
      host: 'b.local',
      port: 4047,
      addresses: [],
      txt: { name: 'Kota Surabaya', regency: '35.78', training: '1' },
    })
    listeners.down!({ name: 'A', host: 'a.local', port: 4046 })
    expect(lists).toEqual([
      ['Kabupaten Jember|http://192.168.1.5:4046'],
      ['Kabupaten Jember|http://192.168.1.5:4046', 'Kota Surabaya|http://b.local:4047'],
      ['Kota Surabaya|http://b.local:4047'],
    ])
  })

  it('a desk serving HTTPS is opened over https, with the certificate fingerprint it advertised', () => {
    const fp = Array.from({ length: 32 }, (_, i) =>
      (i * 7).toString(16).padStart(2, '0').toUpperCase(),
    ).join(':')
    const ad = advertOf({
      name: 'A',
      host: 'a.local',
      port: 4046,
      addresses: ['192.168.1.5'],
      txt: { name: 'Kabupaten Jember', regency: '35.09', scheme: 'https', cert: fp },
    })
    expect(ad).toMatchObject({ url: 'https://192.168.1.5:4046', certFingerprint: fp })
    // A fingerprint that is not one is not pinned; plain http desks carry none.
    expect(
      advertOf({
        name: 'B',
        host: 'b.local',
        port: 4046,
        txt: { regency: '35.09', scheme: 'https', cert: 'junk' },
      })!.certFingerprint,
    ).toBeNull()
    expect(
      advertOf({ name: 'C', host: 'c.local', port: 4046, txt: { regency: '35.09', cert: fp } }),
    ).toMatchObject({ url: 'http://c.local:4046', certFingerprint: null })
  })

  it('refuses a host name that could smuggle a path or credentials into the window address', () => {
    expect(
      advertOf({ name: 'x', host: 'evil.com/@x', port: 80, txt: { regency: '35.09' } }),
    ).toBeNull()
    expect(
      advertOf({ name: 'x', host: 'ok.local', port: 70000, txt: { regency: '35.09' } }),
    ).toBeNull()
  })
})
