/** Token buckets by key: `rate` tokens per second, up to `burst`. Memory is bounded by sweeping idle keys. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private lastSweep = 0

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Take one token; returns 0 if allowed, else the seconds to wait. */
  take(key: string): number {
    const t = this.now()
    this.sweep(t)
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate)
    b.at = t
    this.buckets.set(key, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.ceil((1 - b.tokens) / this.rate)
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < 60_000) return
    this.lastSweep = t
    const full = (this.burst / this.rate) * 1000
    for (const [k, b] of this.buckets) if (t - b.at > full) this.buckets.delete(k)
  }
}

/** A key locked now: since and until when (epoch ms), and how many failures set the lock. */
export interface ActiveLock {
  key: string
  lockedAt: number
  lockedUntil: number
  failures: number
}

/** Counts failures per key; `limit` failures within `windowMs` lock the key for `lockMs`. */
export class Lockout {
  private readonly entries = new Map<
    string,
    { failures: number[]; lockedAt: number; lockedUntil: number; lockFailures: number }
  >()

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly lockMs: number,
    /** The lockout's clock (epoch ms). */
    readonly now: () => number = () => Date.now(),
  ) {}

  /** Milliseconds until the key is unlocked, 0 if it is not locked. */
  lockedFor(key: string): number {
    const e = this.entries.get(key)
    if (!e) return 0
    return Math.max(0, e.lockedUntil - this.now())
  }

  /** Count a failure; true when this failure locked the key. */
  fail(key: string): boolean {
    const t = this.now()
    const e = this.entries.get(key) ?? {
      failures: [],
      lockedAt: 0,
      lockedUntil: 0,
      lockFailures: 0,
    }
    e.failures = e.failures.filter((f) => t - f < this.windowMs)
    e.failures.push(t)
    let locked = false
    if (e.failures.length >= this.limit) {
      e.lockedAt = t
      e.lockedUntil = t + this.lockMs
      e.lockFailures = e.failures.length
      e.failures = []
      locked = true
    }
    this.entries.set(key, e)
    if (this.entries.size > 10_000) {
      for (const [k, v] of this.entries)
        if (v.lockedUntil < t && v.failures.every((f) => t - f >= this.windowMs))
          this.entries.delete(k)
    }
    return locked
  }

  succeed(key: string): void {
    const e = this.entries.get(key)
    if (e && e.lockedUntil <= this.now()) this.entries.delete(key)
  }

  /** Every key locked now, the newest lock first. */
  active(): ActiveLock[] {
    const t = this.now()
    const out: ActiveLock[] = []
    for (const [key, e] of this.entries)
      if (e.lockedUntil > t)
        out.push({
          key,
          lockedAt: e.lockedAt,
          lockedUntil: e.lockedUntil,
          failures: e.lockFailures,
        })
    return out.sort((a, b) => b.lockedAt - a.lockedAt)
  }

  /**
   * Lift a lock now (an admin's "Buka blokir") and forget the failures counted towards the next
   * one: the person who was locked out starts with a clean slate. False when the key is not locked.
   */
  lift(key: string): boolean {
    const e = this.entries.get(key)
    if (!e || e.lockedUntil <= this.now()) return false
    this.entries.delete(key)
    return true
  }
}

/**
 * A desk-wide budget of failed sign-ins: at most `limit` failures within `windowMs`, whatever
 * address they come from. Per-address lockout alone lets a guesser with many addresses (a botnet,
 * a carrier's pool of IPv6 addresses) go on; this caps the whole desk at a few hundred guesses
 * per window, so an 8-character secret stays out of reach.
 */
export class FailureBudget {
  private readonly failures: number[] = []

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private prune(t: number): void {
    while (this.failures.length > 0 && t - this.failures[0]! >= this.windowMs) this.failures.shift()
  }

  /** Milliseconds until a failure may be made again; 0 while the budget lasts. */
  spentFor(): number {
    const t = this.now()
    this.prune(t)
    if (this.failures.length < this.limit) return 0
    return this.failures[this.failures.length - this.limit]! + this.windowMs - t
  }

  fail(): void {
    const t = this.now()
    this.prune(t)
    this.failures.push(t)
    // Failures already in flight when the budget ran out are counted, but the array stays bounded.
    if (this.failures.length > this.limit * 2)
      this.failures.splice(0, this.failures.length - this.limit * 2)
  }

  /** Give back the newest slot (a check counted in advance succeeded). */
  refund(): void {
    this.failures.pop()
  }

  /** Failures within the current window. */
  get used(): number {
    this.prune(this.now())
    return this.failures.length
  }
}
