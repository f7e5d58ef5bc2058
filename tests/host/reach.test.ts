import { describe, expect, it } from 'vitest'
import { reachableUrls } from '../../src/host/reach'

const interfaces = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: '::1', family: 'IPv6', internal: true },
  ],
  wlan0: [
    { address: '192.168.1.23', family: 'IPv4', internal: false },
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '2001:db8::23', family: 'IPv6', internal: false },
  ],
  eth0: [{ address: '10.0.0.5', family: 'IPv4', internal: false }],
} as never

describe('the addresses printed at start', () => {
  it('lists every LAN address on 0.0.0.0 (IPv4), this machine last', () => {
    expect(reachableUrls('0.0.0.0', 4046, 'http', interfaces)).toEqual([
      'http://192.168.1.23:4046',
      'http://10.0.0.5:4046',
      'http://127.0.0.1:4046',
    ])
  })
  it('uses https under TLS and adds global IPv6 addresses on ::, never link-local', () => {
    expect(reachableUrls('::', 443, 'https', interfaces)).toEqual([
      'https://192.168.1.23:443',
      'https://[2001:db8::23]:443',
      'https://10.0.0.5:443',
      'https://127.0.0.1:443',
    ])
  })
  it('lists only the bound address otherwise', () => {
    expect(reachableUrls('192.168.1.23', 4046, 'http', interfaces)).toEqual([
      'http://192.168.1.23:4046',
    ])
    expect(reachableUrls('127.0.0.1', 4046, 'https', interfaces)).toEqual([
      'https://127.0.0.1:4046',
    ])
  })
})

describe('the console’s LAN screen under TLS', () => {
  it('gives https addresses and QR targets when the desk serves HTTPS', async () => {
    const { lanAnswer } = await import('../../src/discovery/lan')
    const answer = await lanAnswer({
      host: '0.0.0.0',
      port: 4046,
      counts: {},
      activeReporters: 0,
      discovery: null,
      interfaces,
      scheme: 'https',
    })
    expect(answer.addresses.map((a) => a.laporUrl)).toEqual([
      'https://10.0.0.5:4046/lapor',
      'https://192.168.1.23:4046/lapor',
    ])
    expect(answer.addresses.map((a) => a.papanUrl)).toEqual([
      'https://10.0.0.5:4046/papan',
      'https://192.168.1.23:4046/papan',
    ])
  })
})

describe('LAN discovery under TLS', () => {
  it('advertises _https._tcp and the scheme when the desk serves HTTPS', async () => {
    const { startDiscovery } = await import('../../src/discovery/discovery')
    const published: { type: string; txt?: Record<string, string> }[] = []
    const noop = () => {}
    const d = startDiscovery({
      port: 4046,
      regencyCode: '35.09',
      regencyName: 'Kabupaten Jember',
      training: false,
      scheme: 'https',
      bonjour: () =>
        ({
          publish: (o: { type: string; txt?: Record<string, string> }) => (
            published.push(o),
            { on: noop, stop: (cb?: () => void) => cb?.() }
          ),
          find: () => ({ on: noop, stop: noop, services: [] }),
          unpublishAll: (cb?: () => void) => cb?.(),
          destroy: noop,
        }) as never,
    })
    expect(published.map((p) => p.type)).toEqual(['desk-pilkada', 'https'])
    expect(published[0]!.txt).toMatchObject({ scheme: 'https', lapor: '/lapor' })
    await d.stop()
  })
})
