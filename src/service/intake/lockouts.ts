// Sign-in lockouts as the admin handles them: what is locked now (an address, an IPv6 /64, or a
// person's code handle — shown as the person, never the code) and lifting a lock, audited.
// The locks themselves live in the Authenticator's memory (src/server/auth.ts); it hands them in.

import {
  addressLockKey,
  type LockKind,
  type LockoutDto,
  type LockoutListDto,
  type UnlockAnswer,
  type UnlockInput,
} from '../../shared/lockouts'
import { DeskError } from '../errors'
import type { Principal } from '../principal'
import type { IntakeCore } from './core'

/** One lock as the Authenticator keeps it; for `code`, `key` is the code's handle (internal only). */
export interface SignInLockEntry {
  kind: LockKind
  key: string
  lockedAt: number
  lockedUntil: number
  failures: number
}

/** The sign-in locks of the desk (implemented by the Authenticator). */
export interface SignInLocks {
  current(): SignInLockEntry[]
  /** The locks' clock (epoch ms). */
  now(): number
  /** False when that key is not locked (any more). */
  lift(kind: LockKind, key: string): boolean
}

export class IntakeLockouts {
  constructor(private readonly core: IntakeCore) {}

  /**
   * What is locked now. A code handle nobody holds locks nobody out (a guess at a code that does
   * not exist), so it is not listed; it still runs out by itself.
   */
  list(locks: SignInLocks): LockoutListDto {
    const lockouts: LockoutDto[] = []
    for (const l of locks.current()) {
      const times = {
        lockedAt: new Date(l.lockedAt).toISOString(),
        lockedUntil: new Date(l.lockedUntil).toISOString(),
        failures: l.failures,
      }
      if (l.kind === 'address') {
        lockouts.push({ kind: 'address', target: l.key, address: l.key, person: null, ...times })
        continue
      }
      const user = this.core.desk.userByCodeId(l.key)
      if (!user) continue
      lockouts.push({
        kind: 'code',
        target: user.id,
        address: null,
        person: {
          id: user.id,
          name: user.name,
          role: user.role,
          region: user.region,
          regionName: this.core.regionRef(user.region).name,
        },
        ...times,
      })
    }
    return { lockouts, now: new Date(locks.now()).toISOString() }
  }

  /**
   * Lift one lock (after the admin has called the desa: "kode saya terkunci"). `target` is what
   * the list gave: an address (an IPv6 address finds its /64) or a person's id. Audited with who
   * lifted what; staff screens hear `auth.unlocked`. 404 when it is not locked.
   */
  async unlock(actor: Principal, input: UnlockInput, locks: SignInLocks): Promise<UnlockAnswer> {
    let key: string
    let target: string
    if (input.kind === 'address') {
      key = target = addressLockKey(input.target)
    } else {
      const user = this.core.desk.userById(input.target)
      if (!user)
        throw new DeskError(404, 'not_found', `Orang dengan id ${input.target} tidak ada`, {
          target: 'Id orang tidak dikenal',
        })
      key = user.codeId
      target = user.id
    }
    const lock = locks.current().find((l) => l.kind === input.kind && l.key === key)
    if (!lock) {
      const what = input.kind === 'address' ? `Alamat ${target}` : 'Kode orang ini'
      throw new DeskError(404, 'not_locked', `${what} tidak sedang terkunci`, {
        target: 'Tidak sedang terkunci (mungkin sudah habis masanya)',
      })
    }
    const remainingMs = Math.max(0, lock.lockedUntil - locks.now())
    await this.core.desk.write(() => {
      this.core.store.audit(actor.id, 'auth.unlock', target, {
        kind: input.kind,
        lockedAt: new Date(lock.lockedAt).toISOString(),
        lockedUntil: new Date(lock.lockedUntil).toISOString(),
        failures: lock.failures,
        remainingMs,
      })
      this.core.store.appendEvent('auth.unlocked', { kind: input.kind })
    })
    // Lifted once the record of it is durable; a lock that ran out meanwhile is gone either way.
    locks.lift(input.kind, key)
    return { unlocked: true, kind: input.kind, target }
  }

  /** A new lock (from the Authenticator): audited, and staff screens hear `auth.locked`. */
  recordLock(lock: { kind: LockKind; target: string; address: string }): Promise<void> {
    return this.core.desk.write(() => {
      this.core.store.audit('system', 'auth.lockout', lock.target, lock)
      this.core.store.appendEvent('auth.locked', { kind: lock.kind })
    })
  }
}
