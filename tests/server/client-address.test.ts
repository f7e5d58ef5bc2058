import { describe, expect, it } from 'vitest'
import {
  DEFAULT_STAFF_NETWORKS,
  NO_NETWORKS,
  normaliseAddress,
  parseNetworks,
  resolveClientAddress,
  staffNetworkAllows,
  UNREADABLE_CLIENT,
} from '../../src/server/client-address'

describe('trusted proxies and the client address', () => {
  const proxies = parseNetworks('10.0.0.5, 192.168.10.0/24, fd00::/8', '--trust-proxy')

  it('ignores forwarding headers from a peer that is not a trusted proxy (spoofing)', () => {
    expect(resolveClientAddress('203.0.113.9', { 'x-forwarded-for': '1.2.3.4' }, proxies)).toBe(
      '203.0.113.9',
    )
    expect(resolveClientAddress('203.0.113.9', { forwarded: 'for=1.2.3.4' }, proxies)).toBe(
      '203.0.113.9',
    )
    // nothing is trusted by default
    expect(resolveClientAddress('10.0.0.5', { 'x-forwarded-for': '1.2.3.4' }, NO_NETWORKS)).toBe(
      '10.0.0.5',
    )
  })

  it('takes the client from a trusted proxy, walking the chain from the right past trusted hops only', () => {
    expect(resolveClientAddress('10.0.0.5', { 'x-forwarded-for': '198.51.100.7' }, proxies)).toBe(
      '198.51.100.7',
    )
    // The client wrote "6.6.6.6" itself; our proxies appended the real address and their own.
    expect(
      resolveClientAddress(
        '10.0.0.5',
        { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 192.168.10.20' },
        proxies,
      ),
    ).toBe('198.51.100.7')
    // All hops trusted: the leftmost is the client.
    expect(resolveClientAddress('10.0.0.5', { 'x-forwarded-for': '192.168.10.3' }, proxies)).toBe(
      '192.168.10.3',
    )
    // No header from a trusted proxy: the proxy itself.
    expect(resolveClientAddress('10.0.0.5', {}, proxies)).toBe('10.0.0.5')
    // A junk hop where the proxy should have written the client: the client is unknown — an outside,
    // non-staff address, never the proxy (which is inside the staff networks).
    expect(
      resolveClientAddress('10.0.0.5', { 'x-forwarded-for': '198.51.100.7, unknown' }, proxies),
    ).toBe(UNREADABLE_CLIENT)
    expect(
      resolveClientAddress(
        '10.0.0.5',
        { 'x-forwarded-for': '198.51.100.7, _hidden, 192.168.10.20' },
        proxies,
      ),
    ).toBe(UNREADABLE_CLIENT)
    expect(resolveClientAddress('10.0.0.5', { forwarded: 'for=unknown' }, proxies)).toBe(
      UNREADABLE_CLIENT,
    )
    expect(
      staffNetworkAllows(
        'operator',
        resolveClientAddress('10.0.0.5', { 'x-forwarded-for': 'unknown' }, proxies),
        parseNetworks(DEFAULT_STAFF_NETWORKS, '--staff-networks'),
      ),
    ).toBe(false)
    // A junk hop left of a real client address is the client's own writing: the real one stands.
    expect(
      resolveClientAddress('10.0.0.5', { 'x-forwarded-for': 'unknown, 198.51.100.7' }, proxies),
    ).toBe('198.51.100.7')
  })

  it('reads RFC 7239 Forwarded (quoted IPv6 with port), but X-Forwarded-For wins when both are there', () => {
    expect(
      resolveClientAddress(
        '10.0.0.5',
        { forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https' },
        proxies,
      ),
    ).toBe('2001:db8:cafe::17')
    expect(
      resolveClientAddress(
        '10.0.0.5',
        { forwarded: 'for=6.6.6.6, for=198.51.100.7;proto=https' },
        proxies,
      ),
    ).toBe('198.51.100.7')
    expect(
      resolveClientAddress(
        '10.0.0.5',
        { forwarded: 'for=6.6.6.6', 'x-forwarded-for': '198.51.100.7' },
        proxies,
      ),
    ).toBe('198.51.100.7')
  })

  it('treats IPv4-mapped IPv6 addresses as their IPv4 address, for peers, hops and lists', () => {
    expect(normaliseAddress('::ffff:10.0.0.5')).toBe('10.0.0.5')
    expect(
      resolveClientAddress(
        '::ffff:10.0.0.5',
        { 'x-forwarded-for': '::ffff:198.51.100.7' },
        proxies,
      ),
    ).toBe('198.51.100.7')
    const mapped = parseNetworks('::ffff:10.1.0.0/112', '--trust-proxy')
    expect(mapped.entries).toEqual(['10.1.0.0/16'])
    expect(mapped.has('10.1.2.3')).toBe(true)
    expect(mapped.has('::ffff:10.1.2.3')).toBe(true)
    expect(mapped.has('10.2.0.1')).toBe(false)
  })

  it('matches IPv6 peers and CIDRs, and hops with ports', () => {
    expect(resolveClientAddress('fd00::1', { 'x-forwarded-for': '2001:db8::9' }, proxies)).toBe(
      '2001:db8::9',
    )
    expect(
      resolveClientAddress('fd00::1', { 'x-forwarded-for': '198.51.100.7:5555' }, proxies),
    ).toBe('198.51.100.7')
    expect(resolveClientAddress('fe80::1', { 'x-forwarded-for': '1.1.1.1' }, proxies)).toBe(
      'fe80::1',
    )
  })

  it('refuses a list entry that is not an address or CIDR, naming the flag and the entry', () => {
    expect(() => parseNetworks('10.0.0.1, proxy.local', '--trust-proxy')).toThrow(
      '--trust-proxy: "proxy.local" bukan alamat IP atau CIDR',
    )
    expect(() => parseNetworks('10.0.0.0/33', '--staff-networks')).toThrow(
      /--staff-networks: panjang prefiks "33"/,
    )
    expect(() => parseNetworks('fd00::/129', '--staff-networks')).toThrow(/prefiks "129"/)
  })
})

describe('the staff-network rule per role', () => {
  const lan = parseNetworks(DEFAULT_STAFF_NETWORKS, '--staff-networks')
  const outside = ['203.0.113.9', '2001:db8::1', '100.64.0.1']
  const inside = [
    '127.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '10.1.2.3',
    '172.20.0.4',
    '192.168.1.50',
    'fd12::3',
    '169.254.10.1',
  ]

  it.each(['operator', 'supervisor', 'display', 'admin'] as const)(
    '%s: only from loopback and private ranges by default',
    (role) => {
      for (const a of inside)
        expect(staffNetworkAllows(role, a, lan), `${role} from ${a}`).toBe(true)
      for (const a of outside)
        expect(staffNetworkAllows(role, a, lan), `${role} from ${a}`).toBe(false)
      // 172.32.x is not private (172.16.0.0/12 ends at 172.31.255.255)
      expect(staffNetworkAllows(role, '172.32.0.1', lan)).toBe(false)
    },
  )

  it('reporter: from anywhere', () => {
    for (const a of [...inside, ...outside])
      expect(staffNetworkAllows('reporter', a, lan)).toBe(true)
  })

  it('follows a narrowed list (--staff-networks 192.168.5.0/24,loopback)', () => {
    const office = parseNetworks('192.168.5.0/24, loopback', '--staff-networks')
    expect(staffNetworkAllows('operator', '192.168.5.77', office)).toBe(true)
    expect(staffNetworkAllows('operator', '127.0.0.1', office)).toBe(true)
    expect(staffNetworkAllows('operator', '192.168.6.1', office)).toBe(false)
    expect(staffNetworkAllows('admin', '10.0.0.1', office)).toBe(false)
  })

  it('answers the same for an address asked again, and past thousands of addresses (its answers are remembered, boundedly)', () => {
    const office = parseNetworks('10.0.0.0/8, ::1', 'staff-networks')
    const ask = (a: string) => [office.has(a), office.has(a)]
    expect(ask('10.1.2.3')).toEqual([true, true])
    expect(ask('::ffff:10.1.2.3')).toEqual([true, true])
    expect(ask('11.1.2.3')).toEqual([false, false])
    expect(ask('bukan-alamat')).toEqual([false, false])
    for (let i = 0; i < 10_000; i++)
      expect(office.has(`${i % 2 ? 10 : 11}.0.${(i >> 8) & 255}.${i & 255}`)).toBe(i % 2 === 1)
    expect(ask('10.1.2.3')).toEqual([true, true])
    expect(ask('::1')).toEqual([true, true])
  })
})
