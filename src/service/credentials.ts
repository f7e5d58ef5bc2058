import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto'

// Access codes are read aloud over the phone and typed on cheap phones at dusk: no 0/O, 1/l/I.
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const GROUP = 4

/**
 * An access code "K7PQ-M2XD-9RTA": the first group is a public handle (stored in clear, used for
 * lookup and lockout), the other two are the secret. Only an scrypt hash of the whole code is kept.
 */
export function generateAccessCode(): string {
  const group = () =>
    Array.from({ length: GROUP }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')
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
  return Array.from({ length: GROUP }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(
    '',
  )
}

export function codeIdOf(code: string): string {
  return code.slice(0, GROUP)
}

/** scrypt's cost parameters; every hash carries the ones it was made with. */
export interface ScryptParams {
  N: number
  r: number
  p: number
}

const SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 }
const KEYLEN = 32
// Hashes written before r and p were stored ("scrypt$N$salt$key") were all made with these.
const LEGACY_R = 8
const LEGACY_P = 1
// A stored hash is trusted data, but bounded anyway: a corrupted or planted cost must not make
// one sign-in eat the desk's memory or CPU (about 128·N·r bytes, p passes).
const MAX_MEMORY = 256 * 1024 * 1024
const MAX_P = 16

function scryptAsync(
  secret: string,
  salt: Buffer,
  params: ScryptParams,
  keylen: number,
): Promise<Buffer> {
  // What OpenSSL allocates (V and B), with room to spare; Node's default cap (32 MB) would refuse a higher N.
  const maxmem = 128 * params.r * (params.N + params.p + 2) + 1024 * 1024
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keylen, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

function acceptable({ N, r, p }: ScryptParams): boolean {
  const ints = [N, r, p].every((v) => Number.isSafeInteger(v) && v >= 1)
  return ints && N >= 2 && (N & (N - 1)) === 0 && p <= MAX_P && 128 * N * r <= MAX_MEMORY
}

/** "scrypt$N$r$p$salt$key" (base64 salt and key). */
export async function hashAccessCode(code: string, params: ScryptParams = SCRYPT): Promise<string> {
  if (!acceptable(params)) throw new Error('Parameter scrypt tidak sah')
  const salt = randomBytes(16)
  const key = await scryptAsync(code, salt, params, KEYLEN)
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Reads the parameters from the stored hash, so a change of SCRYPT leaves older codes valid. */
function parseStoredHash(
  stored: string,
): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$')
  if (parts[0] !== 'scrypt') return null
  const legacy = parts.length === 4
  if (!legacy && parts.length !== 6) return null
  const fields = legacy ? [parts[1]!, String(LEGACY_R), String(LEGACY_P)] : parts.slice(1, 4)
  const [saltB64, keyB64] = parts.slice(-2)
  if (!fields.every((f) => /^[1-9][0-9]{0,9}$/.test(f)) || !saltB64 || !keyB64) return null
  const [N, r, p] = fields.map(Number) as [number, number, number]
  const params = { N, r, p }
  const key = Buffer.from(keyB64, 'base64')
  if (!acceptable(params) || key.length < 16 || key.length > 64) return null
  return { params, salt: Buffer.from(saltB64, 'base64'), key }
}

/** A person's fresh access code and SMS code, with their scrypt hashes. */
export interface IssuedCodes {
  code: string
  codeId: string
  codeHash: string
  smsCode: string
  smsHash: string
}

/**
 * Fresh codes for `count` people: access codes distinct from each other and from every code whose
 * public handle `inUse` knows, and SMS codes (issued together: a lost card gives away both).
 * Hashed here, outside the writer, 8 at a time: scrypt is slow on purpose and must not hold up
 * other writes. The writer job checks again that each code is still free.
 */
export async function issueCodes(
  count: number,
  inUse: (codeId: string) => boolean,
): Promise<IssuedCodes[]> {
  const codes: string[] = []
  const taken = new Set<string>()
  for (let i = 0; i < count; i++) {
    let code = generateAccessCode()
    while (taken.has(codeIdOf(code)) || inUse(codeIdOf(code))) code = generateAccessCode()
    taken.add(codeIdOf(code))
    codes.push(code)
  }
  const hashes = await hashEach(codes)
  const smsCodes = codes.map(() => generateSmsCode())
  const smsHashes = await hashEach(smsCodes)
  return codes.map((code, i) => ({
    code,
    codeId: codeIdOf(code),
    codeHash: hashes[i]!,
    smsCode: smsCodes[i]!,
    smsHash: smsHashes[i]!,
  }))
}

async function hashEach(codes: string[]): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < codes.length; i += 8)
    out.push(...(await Promise.all(codes.slice(i, i + 8).map((c) => hashAccessCode(c)))))
  return out
}

export async function verifyAccessCode(code: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored)
  if (!parsed) return false
  const key = await scryptAsync(code, parsed.salt, parsed.params, parsed.key.length)
  return timingSafeEqual(key, parsed.key)
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
