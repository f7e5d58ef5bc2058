import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto'

// Access codes are read aloud over the phone and typed on cheap phones at dusk: no 0/O, 1/l/I.
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const GROUP = 4

/**
 * An access code "K7PQ-M2XD-9RTA": the first group is a public handle (stored in clear, used for
 * lookup and lockout), the other two are the secret. Only an scrypt hash of the whole code is kept.
 */
export function generateAccessCode(): string {
  const group = () => Array.from({ length: GROUP }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
  return `${group()}-${group()}-${group()}`
}

/** Uppercase, strip spaces/dashes, regroup; null if it cannot be a code. */
export function normaliseAccessCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '')
  if (s.length !== GROUP * 3) return null
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`
}

/**
 * An SMS code "K7PQ": four characters of the same alphabet, the first word of every result SMS
 * (issue 15). Short enough to type on a keypad; guessing is stopped by the sender's registered
 * number and the lockout (5 wrong codes per number → 10 minutes). Stored only as an scrypt hash.
 */
export function generateSmsCode(): string {
  return Array.from({ length: GROUP }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
}

export function codeIdOf(code: string): string {
  return code.slice(0, GROUP)
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 }

function scryptAsync(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

export async function hashAccessCode(code: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(code, salt)
  return `scrypt$${SCRYPT.N}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyAccessCode(code: string, stored: string): Promise<boolean> {
  const [scheme, , saltB64, keyB64] = stored.split('$')
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false
  const expected = Buffer.from(keyB64, 'base64')
  const key = await scryptAsync(code, Buffer.from(saltB64, 'base64'))
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/**
 * Constant-time comparison with one fixed secret of any length (compares digests), the secret's
 * digest computed once: the admin token, checked on every request.
 */
export function secretMatcher(secret: string): (candidate: string) => boolean {
  const digest = createHash('sha256').update(secret).digest()
  return (candidate) => timingSafeEqual(createHash('sha256').update(candidate).digest(), digest)
}

export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

export function generateAdminToken(): string {
  return randomBytes(24).toString('base64url')
}
