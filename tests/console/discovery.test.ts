import { describe, expect, it } from 'vitest'
import { startDiscovery, type BonjourLike, type FoundService } from '../../src/discovery/discovery'
import { lanAddresses, lanAnswer } from '../../src/discovery/lan'
import { startDesk } from '../helpers/desk'

/** A stand-in for bonjour-service that records what the desk did: no multicast needed. */
function fakeBonjour(peers: FoundService[] = []) {
  const log: string[] = []
  const published: { name: string; type: string; port: number; txt?: Record<string, string> }[] = []
  const bonjour: BonjourLike = {
    publish(o) {
      published.push(o)
      log.push(`publish ${o.type}`)
      return { published: true }
    },
    find(o) {
      log.push(`find ${o.type}`)
      return { services: peers, stop: () => log.push('browser.stop') }
    },
    unpublishAll(cb) {
      log.push('unpublishAll')
      cb?.()
    },
    destroy(cb) {
      log.push('destroy')
      cb?.()
    },
  }
  return { bonjour, log, published }
}

describe('LAN discovery', () => {
  it('advertises _desk-pilkada._tcp and http with the regency, lists other desks, says goodbye on stop', async () => {
    const fake = fakeBonjour([
      {
        name: 'Desk Pilkada Kabupaten Jember @ desk',
        host: 'desk.local',
        port: 4046,
        addresses: ['192.168.1.5'],
      },
      {
        name: 'Desk Pilkada Kabupaten Jember @ laptop-2',
        host: 'laptop-2.local',
        port: 4046,
        addresses: ['192.168.1.9', 'fe80::1'],
      },
    ])
    const d = startDiscovery({
      port: 4046,
      regencyCode: '35.09',
      regencyName: 'Kabupaten Jember',
      training: false,
      name: 'Desk Pilkada Kabupaten Jember @ desk',
      bonjour: () => fake.bonjour,
    })
    expect(fake.published.map((p) => p.type)).toEqual(['desk-pilkada', 'http'])
    expect(fake.published[0]).toMatchObject({
      port: 4046,
      txt: {
        name: 'Kabupaten Jember',
        regency: '35.09',
        training: '0',
        lapor: '/lapor',
        papan: '/papan',
      },
    })
    const state = d.state()
    expect(state).toMatchObject({
      enabled: true,
      advertising: true,
      type: '_desk-pilkada._tcp',
      error: null,
    })
    // Itself is not a peer; IPv6 addresses are left out (phones are told IPv4 addresses).
    expect(state.peers).toEqual([
      {
        name: 'Desk Pilkada Kabupaten Jember @ laptop-2',
        host: 'laptop-2.local',
        port: 4046,
        addresses: ['192.168.1.9'],
      },
    ])
    await d.stop()
    expect(fake.log.slice(-3)).toEqual(['browser.stop', 'unpublishAll', 'destroy'])
    expect(d.state().advertising).toBe(false)
  })

  it('reports a failure instead of throwing: the desk runs without discovery', () => {
    const errors: string[] = []
    const d = startDiscovery({
      port: 1,
      regencyCode: '35.09',
      regencyName: 'Kabupaten Jember',
      training: true,
      bonjour: () => {
        throw new Error('multicast tidak tersedia')
      },
      onError: (m) => errors.push(m),
    })
    expect(d.state()).toMatchObject({ advertising: false, error: 'multicast tidak tersedia' })
    expect(errors).toEqual(['multicast tidak tersedia'])
  })

  it('lists every non-internal IPv4 address, with QR codes for /lapor and /papan', async () => {
    const interfaces = {
      lo: [
        {
          address: '127.0.0.1',
          family: 'IPv4',
          internal: true,
          netmask: '255.0.0.0',
          mac: '',
          cidr: null,
        },
      ],
      wlan0: [
        {
          address: '192.168.43.10',
          family: 'IPv4',
          internal: false,
          netmask: '255.255.255.0',
          mac: '',
          cidr: null,
        },
        {
          address: 'fe80::2',
          family: 'IPv6',
          internal: false,
          netmask: '',
          mac: '',
          cidr: null,
          scopeid: 1,
        },
      ],
      eth0: [
        {
          address: '10.0.0.7',
          family: 'IPv4',
          internal: false,
          netmask: '255.0.0.0',
          mac: '',
          cidr: null,
        },
      ],
    } as any
    expect(lanAddresses(interfaces)).toEqual([
      { interface: 'eth0', address: '10.0.0.7' },
      { interface: 'wlan0', address: '192.168.43.10' },
    ])
    const all = await lanAnswer({
      host: '0.0.0.0',
      port: 4046,
      counts: { reporter: 3, display: 1, operator: 2, admin: 1 },
      activeReporters: 5,
      discovery: null,
      interfaces,
    })
    expect(all.reachable).toBe(true)
    expect(all.addresses.map((a) => a.laporUrl)).toEqual([
      'http://10.0.0.7:4046/lapor',
      'http://192.168.43.10:4046/lapor',
    ])
    expect(all.addresses[1]!.papanUrl).toBe('http://192.168.43.10:4046/papan')
    expect(Buffer.from(all.addresses[1]!.laporQr.split(',')[1]!, 'base64').toString()).toMatch(
      /^<svg/,
    )
    // No "phones": reporters' phones hold no stream, so a count of them would always read 0.
    expect(all.connected).toEqual({
      boards: 1,
      consoles: 3,
      byRole: { reporter: 3, display: 1, operator: 2, admin: 1 },
    })
    expect(all.activeReporters).toBe(5)
    const one = await lanAnswer({
      host: '192.168.43.10',
      port: 4046,
      counts: {},
      activeReporters: 0,
      discovery: null,
      interfaces,
    })
    expect(one.addresses.map((a) => a.address)).toEqual(['192.168.43.10'])
    const local = await lanAnswer({
      host: '127.0.0.1',
      port: 4046,
      counts: {},
      activeReporters: 0,
      discovery: null,
      interfaces,
    })
    expect(local.reachable).toBe(false)
    expect(local.discovery.enabled).toBe(false)
  })

  it('the desk starts discovery when told to, shows it on the LAN answer, and stops it on close', async () => {
    const fake = fakeBonjour()
    const desk = await startDesk({ discovery: { bonjour: () => fake.bonjour } })
    try {
      const lan = await desk.call('GET', '/console/lan')
      expect(lan.body.discovery).toMatchObject({
        enabled: true,
        advertising: true,
        type: '_desk-pilkada._tcp',
      })
      expect(fake.published[0]!.port).toBe(desk.port)
    } finally {
      await desk.stop()
    }
    expect(fake.log).toContain('destroy')
    // Off by default on loopback (every other test desk): no multicast from tests.
    const plain = await startDesk()
    try {
      expect((await plain.call('GET', '/console/lan')).body.discovery.enabled).toBe(false)
    } finally {
      await plain.stop()
    }
  })
})
