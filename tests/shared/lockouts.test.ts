import { describe, expect, it } from 'vitest'
import { addressLockKey } from '../../src/shared/lockouts'

// What one per-address lockout counts against (the review of issue 11): IPv6 per /64.
describe('addressLockKey', () => {
  it('keeps an IPv4 address, and an IPv4-mapped IPv6 address counts as its IPv4', () => {
    expect(addressLockKey('203.0.113.7')).toBe('203.0.113.7')
    expect(addressLockKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(addressLockKey('::FFFF:10.0.0.5')).toBe('10.0.0.5')
  })

  it('gives every address of one IPv6 /64 the same key, written as the prefix', () => {
    const key = '2001:db8:aa:bb::/64'
    for (const a of [
      '2001:db8:aa:bb::1',
      '2001:0db8:00aa:00bb:ffff:ffff:ffff:ffff',
      '2001:DB8:AA:BB:1:2:3:4',
      '2001:db8:aa:bb:0:0:0:0',
      '2001:db8:aa:bb::1.2.3.4',
      '2001:db8:aa:bb::1%eth0',
      '2001:db8:aa:bb::/64',
    ])
      expect(addressLockKey(a), a).toBe(key)
    expect(addressLockKey('2001:db8:aa:bc::1')).toBe('2001:db8:aa:bc::/64')
    expect(addressLockKey('2001:db8::1')).toBe('2001:db8::/64')
    expect(addressLockKey('fe80::1')).toBe('fe80::/64')
    expect(addressLockKey('1:2:3:4:5:6:7:8')).toBe('1:2:3:4::/64')
    expect(addressLockKey('::1')).toBe('::/64')
  })

  it('leaves what is not an IP address as it is (its own key)', () => {
    expect(addressLockKey('unknown')).toBe('unknown')
    expect(addressLockKey('1:2:3:4:5:6:7:8:9')).toBe('1:2:3:4:5:6:7:8:9')
    expect(addressLockKey('2001:db8::1::2')).toBe('2001:db8::1::2')
    expect(addressLockKey('999.1.1.1')).toBe('999.1.1.1')
  })
})
