import { randomBytes } from 'node:crypto'
import {
  codeIdOf,
  fingerprint,
  normaliseAccessCode,
  secretMatcher,
  verifyAccessCode,
} from '../service/credentials'
import { DeskError } from '../service/errors'
import type { DeskService, UserRecord } from '../service/desk-service'
import type { SignInLocks } from '../service/intake/lockouts'
import type { Principal } from '../service/principal'
import { addressLockKey, type LockKind } from '../shared/lockouts'
import {
  DEFAULT_STAFF_NETWORKS,
  parseNetworks,
  STAFF_NETWORK_MESSAGE,
  staffNetworkAllows,
  type NetworkList,
} from './client-address'
import { FailureBudget, Lockout } from './rate-limit'

export const ADMIN_ID = 'admin'

export interface AuthOptions {
  /**
   * Let a reporter through outside the sign-in window. Only for the writes a phone's outbox replays
   * (results, photos, incidents): a report saved before closing time must still reach the desk.
   * The code itself is still checked, locked out and revocable as always.
   */
  skipReporterGate?: boolean
}

export function principalOf(user: UserRecord): Principal {
  return { id: user.id, name: user.name, role: user.role, region: user.region }
}

/** Sign-in protection: the numbers are in docs/API.md ("Sign-in and lockout"). */
export interface AuthSecurity {
  /** Addresses from which staff credentials (operator, supervisor, display, admin) work. */
  staffNetworks?: NetworkList
  /** Desk-wide cap on failed sign-ins; default 300 per 10 minutes. */
  failureBudget?: FailureBudget
  /**
   * Record a new lock in the audit log (through the desk's single writer). `target` is what is
   * locked: the address or IPv6 /64 for `address`; for `code` the id of the person holding the
   * code's handle (`-` when nobody does) — never the handle, which is part of the code.
   */
  onLock?: (lock: { kind: LockKind; target: string; address: string }) => void
  /**
   * Extra admission check for reporters (the intake feature's sign-in time window); throws to
   * refuse. Checked after the code, so wrong codes still count toward lockout first. Given at
   * construction by createDesk, so no feature can add or drop it on the side.
   */
  reporterGate?: (p: Principal) => void
}

/** Where the Authenticator finds people: by id (a code verified earlier) and by a code's handle. */
export type UserLookup = Pick<DeskService, 'userById' | 'userByCodeId'>

export const DEFAULT_LOCKOUT = { failures: 5, windowMs: 10 * 60_000, lockMs: 10 * 60_000 }
export const DEFAULT_FAILURE_BUDGET = { failures: 300, windowMs: 10 * 60_000 }

const locked = (ms: number) =>
  new DeskError(
    429,
    'locked',
    `Terlalu banyak percobaan kode yang salah. Coba lagi dalam ${Math.ceil(ms / 60_000)} menit atau hubungi desk.`,
  )

/**
 * Bearer tokens: the admin token, or a person's access code. scrypt makes guessing codes slow;
 * verified codes are remembered in memory by digest so every request does not pay scrypt again.
 * Repeated failures lock the code's handle and the address (stops guessing from one place), and a
 * desk-wide budget caps failures from everywhere together (stops guessing from many places).
 */
export class Authenticator {
  private readonly verified = new Map<string, string>() // fingerprint(code) → user id
  /**
   * scrypt checks under way, by fingerprint and stored hash: a burst of requests with one new code
   * (300 event streams opened at once) shares one check instead of queueing 300 on the thread pool.
   */
  private readonly verifying = new Map<string, Promise<boolean>>()
  readonly lockout: Lockout
  /** The locks as the admin's lockout list sees them (by kind), and lifting one. */
  readonly signInLocks: SignInLocks
  readonly failureBudget: FailureBudget
  readonly staffNetworks: NetworkList
  private readonly onLock: NonNullable<AuthSecurity['onLock']>
  private readonly reporterGate: ((p: Principal) => void) | null

  private readonly isAdminToken: (token: string) => boolean
  /**
   * A well-formed hash no code matches: a handle nobody holds is checked against it, so a wrong
   * code costs one scrypt whether its handle exists or not (no timing oracle for valid handles).
   */
  private readonly decoyHash = `scrypt$16384$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`

  constructor(
    private readonly users: UserLookup,
    adminToken: string,
    private readonly regencyCode: string,
    lockout?: Lockout,
    security: AuthSecurity = {},
  ) {
    this.lockout =
      lockout ??
      new Lockout(DEFAULT_LOCKOUT.failures, DEFAULT_LOCKOUT.windowMs, DEFAULT_LOCKOUT.lockMs)
    this.failureBudget =
      security.failureBudget ??
      new FailureBudget(DEFAULT_FAILURE_BUDGET.failures, DEFAULT_FAILURE_BUDGET.windowMs)
    this.staffNetworks =
      security.staffNetworks ?? parseNetworks(DEFAULT_STAFF_NETWORKS, 'staff-networks')
    this.onLock = security.onLock ?? (() => {})
    this.reporterGate = security.reporterGate ?? null
    this.isAdminToken = secretMatcher(adminToken)
    const locks = this.lockout
    const kindOf = (key: string): LockKind | null =>
      key.startsWith('addr:') ? 'address' : key.startsWith('code:') ? 'code' : null
    this.signInLocks = {
      current: () =>
        locks.active().flatMap((l) => {
          const kind = kindOf(l.key)
          return kind ? [{ ...l, kind, key: l.key.slice(5) }] : []
        }),
      now: () => locks.now(),
      lift: (kind, key) => locks.lift(`${kind === 'address' ? 'addr' : 'code'}:${key}`),
    }
  }

  async authenticate(
    header: string | undefined,
    address: string,
    options: AuthOptions = {},
  ): Promise<Principal> {
    const m = header ? /^bearer\s+(.+)$/i.exec(header.trim()) : null
    const token = m ? m[1]!.trim() : undefined
    if (!token)
      throw new DeskError(
        401,
        'unauthorized',
        'Masuk dulu: kirim token atau kode akses di header Authorization',
      )
    return this.authenticateToken(token, address, options)
  }

  async authenticateToken(
    token: string,
    address: string,
    options: AuthOptions = {},
  ): Promise<Principal> {
    const code = normaliseAccessCode(token)
    // Its digest and handle, worked out once: the cache, the lock and the check all use them.
    const fp = code ? fingerprint(code) : ''
    const handle = code ? codeIdOf(code) : ''
    // 1. A code this desk already verified (a phone signed in earlier) keeps working whatever
    //    locks others' wrong guesses put on its handle or its address: the locks stop new
    //    sign-ins, never phones already at work. Only the whole right code matches the digest.
    if (code) {
      const cachedId = this.verified.get(fp)
      if (cachedId) {
        const user = this.users.userById(cachedId)
        if (user && !user.revokedAt && user.codeId === handle)
          return this.admit(principalOf(user), address, options)
        this.verified.delete(fp)
      }
    }
    // 2. A locked address may try nothing new — not the admin token either, or the lock would
    //    not stop guessing it. The desk's own machine (loopback) is exempt, so a lockout never
    //    shuts the admin out of the desk's window (behind a proxy, --trust-proxy makes the
    //    proxied clients' addresses real, so they are not loopback).
    // An IPv6 client counts per /64 (one phone's prefix), IPv4 per address: see addressLockKey.
    const addrKey = `addr:${addressLockKey(address)}`
    const local = this.isLocal(address)
    const addrWait = this.lockout.lockedFor(addrKey)
    if (addrWait > 0 && !local) throw locked(addrWait)
    // 3. The desk-wide budget: once spent, no new sign-in from outside the staff networks until
    //    the oldest failure leaves the window. Staff on the LAN (each address still locked after
    //    five failures) and phones already signed in go on.
    const budgetWait = this.failureBudget.spentFor()
    if (budgetWait > 0 && !this.staffNetworks.has(address)) {
      throw new DeskError(
        429,
        'busy_locked',
        `Desk sedang menahan masuk baru karena terlalu banyak kode salah dari banyak alamat. Coba lagi dalam ${Math.ceil(budgetWait / 60_000)} menit atau hubungi desk.`,
      )
    }
    if (this.isAdminToken(token)) {
      return this.admit(
        { id: ADMIN_ID, name: 'Admin', role: 'admin', region: this.regencyCode },
        address,
        options,
      )
    }
    if (!code) {
      // Not an access code's shape: a guess at the admin token (or junk). It counts like a wrong code.
      this.failed(address, null, null)
      throw new DeskError(401, 'unauthorized', 'Token atau kode akses tidak sah')
    }
    if (addrWait > 0) throw locked(addrWait)
    // A locked handle stays locked whoever tries it: that is what stops guessing one reporter's code.
    const codeKey = `code:${handle}`
    const codeWait = this.lockout.lockedFor(codeKey)
    if (codeWait > 0) throw locked(codeWait)
    const user = this.users.userByCodeId(handle)
    // The budget's slot is taken before the (slow) check and given back on success: many guesses
    // in flight at once cannot all pass the budget check before the first of them fails. An
    // unknown handle is checked against a decoy hash, so a wrong code takes the same time either
    // way; the same code arriving many times at once is checked once.
    this.failureBudget.fail()
    const ok = (await this.verifyOnce(fp, code, user?.codeHash ?? this.decoyHash)) && !!user
    if (!ok || !user) {
      this.failed(address, handle, user?.id ?? null, false)
      throw new DeskError(401, 'unauthorized', 'Kode akses salah')
    }
    this.failureBudget.refund()
    if (user.revokedAt)
      throw new DeskError(401, 'revoked', 'Kode akses ini sudah dicabut. Minta kode baru ke desk.')
    this.lockout.succeed(codeKey)
    const principal = this.admit(principalOf(user), address, options)
    this.verified.set(fp, user.id)
    return principal
  }

  private isLocal(address: string): boolean {
    return address === '::1' || address.startsWith('127.')
  }

  /** Count a failure against the address, the handle (if any) and the desk-wide budget; audit new locks. */
  private failed(
    address: string,
    handle: string | null,
    holder: string | null,
    countBudget = true,
  ): void {
    if (countBudget) this.failureBudget.fail()
    const key = addressLockKey(address)
    if (this.lockout.fail(`addr:${key}`)) this.onLock({ kind: 'address', target: key, address })
    if (handle && this.lockout.fail(`code:${handle}`))
      this.onLock({ kind: 'code', target: holder ?? '-', address })
  }

  private verifyOnce(fp: string, code: string, codeHash: string): Promise<boolean> {
    const key = `${fp}:${codeHash}`
    let pending = this.verifying.get(key)
    if (!pending) {
      pending = verifyAccessCode(code, codeHash).finally(() => this.verifying.delete(key))
      this.verifying.set(key, pending)
    }
    return pending
  }

  private admit(p: Principal, address: string, options: AuthOptions): Principal {
    // Staff credentials are for the office: a leaked operator code or admin token is useless from
    // the internet. Checked after the credential, so a wrong guess from outside still counts.
    if (!staffNetworkAllows(p.role, address, this.staffNetworks))
      throw new DeskError(403, 'staff_network', STAFF_NETWORK_MESSAGE)
    if (p.role === 'reporter' && this.reporterGate && !options.skipReporterGate)
      this.reporterGate(p)
    return p
  }

  /** Forget cached verifications of a user (after a revoke or reissue). */
  forgetUser(userId: string): void {
    for (const [fp, id] of this.verified) if (id === userId) this.verified.delete(fp)
  }
}
