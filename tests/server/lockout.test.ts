import { describe, expect, it } from 'vitest'
import { Lockout } from '../../src/server/rate-limit'

// The lockout's own list and lift, on an injected clock (what GET /admin/lockouts and the unlock read).
describe('Lockout: active locks and lifting one', () => {
  it('lists a lock with since, until and its failures until it runs out', () => {
    let now = 1_000_000
    const l = new Lockout(3, 60_000, 600_000, () => now)
    expect(l.fail('addr:a')).toBe(false)
    now += 1_000
    l.fail('addr:a')
    l.fail('addr:b')
    now += 1_000
    expect(l.fail('addr:a')).toBe(true)
    expect(l.active()).toEqual([
      { key: 'addr:a', lockedAt: now, lockedUntil: now + 600_000, failures: 3 },
    ])
    now += 600_000
    expect(l.active()).toEqual([])
    expect(l.lift('addr:a')).toBe(false)
  })

  it('lifts a lock at once and forgets the failures counted toward the next one', () => {
    let now = 0
    const l = new Lockout(2, 60_000, 600_000, () => now)
    l.fail('code:K7PQ')
    l.fail('code:K7PQ')
    expect(l.lockedFor('code:K7PQ')).toBe(600_000)
    expect(l.lift('code:K7PQ')).toBe(true)
    expect(l.lockedFor('code:K7PQ')).toBe(0)
    expect(l.active()).toEqual([])
    // A clean slate: one more failure does not lock it again.
    now += 1
    expect(l.fail('code:K7PQ')).toBe(false)
    expect(l.lift('code:K7PQ')).toBe(false)
    expect(l.lift('code:none')).toBe(false)
  })
})
