// Sign-in lockouts as the admin sees and lifts them (GET /admin/lockouts, POST /admin/lockouts/unlock),
// and which addresses count as one for the per-address lockout.

import { z } from 'zod'

export type LockKind = 'address' | 'code'

/** A person whose code handle is locked: who they are, never their code. */
export interface LockedPersonDto {
  id: string
  name: string
  role: string
  region: string
  regionName: string
}

export interface LockoutDto {
  kind: LockKind
  /** What to send to unlock it: the address (IPv4), the /64 prefix (IPv6) or the person's id. */
  target: string
  /** The address or IPv6 /64 prefix locked (kind `address`), null for a code. */
  address: string | null
  /** The person the locked code handle belongs to (kind `code`), null for an address. */
  person: LockedPersonDto | null
  /** ISO times. */
  lockedAt: string
  lockedUntil: string
  /** Wrong tries that set the lock. */
  failures: number
}

export interface LockoutListDto {
  lockouts: LockoutDto[]
  /** The desk's time of the answer (ISO), so a screen can count down without trusting its own clock. */
  now: string
}

export interface UnlockAnswer {
  unlocked: true
  kind: LockKind
  target: string
}

export const unlockSchema = z.object({
  kind: z.enum(['address', 'code'], {
    error: (issue) =>
      issue.input === undefined
        ? 'kind wajib diisi: "address" (alamat) atau "code" (kode seseorang)'
        : 'kind harus "address" (alamat) atau "code" (kode seseorang)',
  }),
  target: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'target wajib diisi: alamat IP, prefiks /64 atau id orang dari daftar kuncian'
          : 'target harus teks: alamat IP, prefiks /64 atau id orang',
    })
    .trim()
    .min(1, {
      error: 'target wajib diisi: alamat IP, prefiks /64 atau id orang dari daftar kuncian',
    })
    .max(100, { error: 'target terlalu panjang (paling banyak 100 karakter)' })
    .regex(/^[0-9A-Za-z:./_-]+$/, {
      error: 'target harus alamat IP, prefiks /64 atau id orang dari daftar kuncian',
    }),
})
export type UnlockInput = z.infer<typeof unlockSchema>

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** The 8 hextets of an IPv6 address (an embedded IPv4 tail counts as two), null if it is not one. */
function ipv6Hextets(address: string): number[] | null {
  let a = address
  const zone = a.indexOf('%')
  if (zone > 0) a = a.slice(0, zone)
  let tail: number[] = []
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(a)
  if (v4) {
    if (!IPV4.test(v4[2]!)) return null
    const [b0, b1, b2, b3] = v4[2]!.split('.').map(Number) as [number, number, number, number]
    tail = [(b0 << 8) | b1, (b2 << 8) | b3]
    a = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1)
  }
  const parts = a.split('::')
  if (parts.length > 2) return null
  const group = (s: string) => (s === '' ? [] : s.split(':'))
  const head = group(parts[0]!)
  const rest = parts.length === 2 ? group(parts[1]!) : []
  const hex = /^[0-9a-fA-F]{1,4}$/
  if (![...head, ...rest].every((h) => hex.test(h))) return null
  const known = head.length + rest.length + tail.length
  if (parts.length === 2 ? known > 7 : known !== 8) return null
  const zeros = Array<number>(8 - known).fill(0)
  return [
    ...head.map((h) => parseInt(h, 16)),
    ...(parts.length === 2 ? zeros : []),
    ...rest.map((h) => parseInt(h, 16)),
    ...tail,
  ]
}

/** `2001:db8:0:0` style groups → the shortest form with `::` for the longest zero run (RFC 5952). */
function compressHextets(hextets: number[]): string {
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < hextets.length;) {
    if (hextets[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < hextets.length && hextets[j] === 0) j++
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = hextets.map((h) => h.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

/**
 * What one lockout counts failures against: an IPv4 address as it is (an IPv4-mapped IPv6
 * address as its IPv4), an IPv6 address as its /64 (`2001:db8:1:2::/64`). One phone, one home or
 * one office gets a whole /64 and may pick any address in it, so counting per IPv6 address would
 * let it rotate addresses past the lock. Anything else (an unreadable client) is its own key.
 */
export function addressLockKey(address: string): string {
  const a = address.trim().toLowerCase()
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a)
  if (mapped && IPV4.test(mapped[1]!)) return mapped[1]!
  if (IPV4.test(a)) return a
  const prefix = /^(.+)\/64$/.exec(a)
  const hextets = ipv6Hextets(prefix ? prefix[1]! : a)
  if (!hextets) return a
  return `${compressHextets([...hextets.slice(0, 4), 0, 0, 0, 0])}/64`
}
