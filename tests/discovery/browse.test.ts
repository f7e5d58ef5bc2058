import { describe, expect, it } from 'vitest'
import { advertOf, browseDesks, startDiscovery, type BonjourLike, type DeskAdvert, type FoundService } from '../../src/discovery/discovery'

describe('finding desks on the LAN', () => {
  it('a real bonjour round trip: a desk advertised on this machine is found with its TXT facts and no secret', async () => {
    const port = 40000 + Math.floor(Math.random() * 20000)
    const name = `Desk Uji ${process.pid}-${port}`
    const desk = startDiscovery({ port, regencyCode: '35.09', regencyName: 'Kabupaten Jember', training: true, version: '9.8.7', name })
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
    expect(found, `desks seen: ${JSON.stringify(seen)}`).toMatchObject({ id: name, name: 'Kabupaten Jember', regency: '35.09', version: '9.8.7', training: true })
    expect(found!.url).toMatch(new RegExp(`^http://[0-9.]+:${port}$`))
  }, 20_000)

  it('follows advertisements as desks come and go, ignoring records that are not a desk', () => {
    const listeners: Record<string, (s: FoundService) => void> = {}
    const bonjour: BonjourLike = {
      publish: () => ({}),
      find: () => ({ services: [], stop: () => undefined, on: (event, fn) => (listeners[event] = fn) }),
      unpublishAll: (cb) => cb?.(),
      destroy: (cb) => cb?.(),
    }
    const lists: string[][] = []
    browseDesks({ bonjour: () => bonjour, onChange: (list) => lists.push(list.map((d) => `${d.name}|${d.url}`)) })
    listeners.up!({ name: 'A', host: 'a.local', port: 4046, addresses: ['fe80::1', '192.168.1.5'], txt: { name: 'Kabupaten Jember', regency: '35.09', version: '0.1.0', training: '0' } })
    listeners.up!({ name: 'printer', host: 'p.local', port: 631, txt: { rp: 'ipp' } })
    listeners.up!({ name: 'B', host: 'b.local', port: 4047, addresses: [], txt: { name: 'Kota Surabaya', regency: '35.78', training: '1' } })
    listeners.down!({ name: 'A', host: 'a.local', port: 4046 })
    expect(lists).toEqual([
      ['Kabupaten Jember|http://192.168.1.5:4046'],
      ['Kabupaten Jember|http://192.168.1.5:4046', 'Kota Surabaya|http://b.local:4047'],
      ['Kota Surabaya|http://b.local:4047'],
    ])
  })

  it('refuses a host name that could smuggle a path or credentials into the window address', () => {
    expect(advertOf({ name: 'x', host: 'evil.com/@x', port: 80, txt: { regency: '35.09' } })).toBeNull()
    expect(advertOf({ name: 'x', host: 'ok.local', port: 70000, txt: { regency: '35.09' } })).toBeNull()
  })
})
