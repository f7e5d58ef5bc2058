import { codeIdOf, fingerprint, normaliseAccessCode, secretMatcher, verifyAccessCode } from '../service/credentials'
import { DeskError } from '../service/errors'
import type { Principal } from '../service/principal'
import type { DeskStore, UserRecord } from '../store/store'
import { Lockout } from './rate-limit'

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

/**
 * Bearer tokens: the admin token, or a person's access code. scrypt makes guessing codes slow;
 * verified codes are remembered in memory by digest so every request does not pay scrypt again.
 * Repeated failures lock the code and the address (stops guessing from a phone on the LAN).
 */
export class Authenticator {
  private readonly verified = new Map<string, string>() // fingerprint(code) → user id
  /**
   * scrypt checks under way, by fingerprint and stored hash: a burst of requests with one new code
   * (300 event streams opened at once) shares one check instead of queueing 300 on the thread pool.
   */
  private readonly verifying = new Map<string, Promise<boolean>>()
  readonly lockout: Lockout
  /** Extra admission check for reporters (the intake feature's sign-in time window); throws to refuse. */
  private reporterGate: ((p: Principal) => void) | null = null

  private readonly isAdminToken: (token: string) => boolean

  constructor(
    private readonly store: DeskStore,
    adminToken: string,
    private readonly regencyCode: string,
    lockout?: Lockout,
  ) {
    this.lockout = lockout ?? new Lockout(5, 10 * 60_000, 10 * 60_000)
    this.isAdminToken = secretMatcher(adminToken)
  }

  async authenticate(header: string | undefined, address: string, options: AuthOptions = {}): Promise<Principal> {
    const m = header ? /^bearer\s+(.+)$/i.exec(header.trim()) : null
    const token = m ? m[1]!.trim() : undefined
    if (!token) throw new DeskError(401, 'unauthorized', 'Masuk dulu: kirim token atau kode akses di header Authorization')
    return this.authenticateToken(token, address, options)
  }

  async authenticateToken(token: string, address: string, options: AuthOptions = {}): Promise<Principal> {
    if (this.isAdminToken(token)) {
      return { id: ADMIN_ID, name: 'Admin', role: 'admin', region: this.regencyCode }
    }
    const code = normaliseAccessCode(token)
    if (!code) throw new DeskError(401, 'unauthorized', 'Token atau kode akses tidak sah')
    const codeKey = `code:${codeIdOf(code)}`
    const addrKey = `addr:${address}`
    const locked = (ms: number) =>
      new DeskError(
        429,
        'locked',
        `Terlalu banyak percobaan kode yang salah. Coba lagi dalam ${Math.ceil(ms / 60_000)} menit atau hubungi desk.`,
      )
    // A locked code stays locked whoever holds it: that is what stops guessing one reporter's code.
    const codeWait = this.lockout.lockedFor(codeKey)
    if (codeWait > 0) throw locked(codeWait)
    const fp = fingerprint(code)
    const cachedId = this.verified.get(fp)
    if (cachedId) {
      const user = this.store.userById(cachedId)
      if (user && !user.revokedAt && user.codeId === codeIdOf(code)) return this.admit(principalOf(user), options)
      this.verified.delete(fp)
    }
    // A locked address may try no new code, but phones already signed in from behind the same
    // address (a shared hotspot, the desk's own machine) keep working.
    const addrWait = this.lockout.lockedFor(addrKey)
    if (addrWait > 0) throw locked(addrWait)
    const user = this.store.userByCodeId(codeIdOf(code))
    const ok = !!user && (await this.verifyOnce(fp, code, user.codeHash))
    if (!ok || !user) {
      this.lockout.fail(codeKey)
      this.lockout.fail(addrKey)
      throw new DeskError(401, 'unauthorized', 'Kode akses salah')
    }
    if (user.revokedAt) throw new DeskError(401, 'revoked', 'Kode akses ini sudah dicabut. Minta kode baru ke desk.')
    this.lockout.succeed(codeKey)
    this.verified.set(fp, user.id)
    return this.admit(principalOf(user), options)
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

  /** Install (or remove) the reporters' admission check. Wrong codes still count toward lockout first. */
  setReporterGate(gate: ((p: Principal) => void) | null): void {
    this.reporterGate = gate
  }

  private admit(p: Principal, options: AuthOptions): Principal {
    if (p.role === 'reporter' && this.reporterGate && !options.skipReporterGate) this.reporterGate(p)
    return p
  }

  /** Forget cached verifications of a user (after a revoke or reissue). */
  forgetUser(userId: string): void {
    for (const [fp, id] of this.verified) if (id === userId) this.verified.delete(fp)
  }
}
