import { randomBytes, scryptSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateAccessCode, hashAccessCode, verifyAccessCode } from '../../src/service/credentials'

describe('access code hashes', () => {
  it('verifies a code against the hash made for it, and refuses any other code', async () => {
    const code = generateAccessCode()
    const stored = await hashAccessCode(code)
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/)
    expect(await verifyAccessCode(code, stored)).toBe(true)
    expect(await verifyAccessCode(generateAccessCode(), stored)).toBe(false)
  })

  it('uses the cost stored with each hash, so codes issued under other parameters keep working', async () => {
    const code = 'K7PQ-M2XD-9RTA'
    for (const params of [
      { N: 1024, r: 8, p: 1 },
      { N: 32768, r: 8, p: 1 },
      { N: 4096, r: 4, p: 2 },
    ]) {
      const stored = await hashAccessCode(code, params)
      expect(stored.startsWith(`scrypt$${params.N}$${params.r}$${params.p}$`)).toBe(true)
      expect(await verifyAccessCode(code, stored)).toBe(true)
      expect(await verifyAccessCode('K7PQ-M2XD-9RTB', stored)).toBe(false)
    }
  })

  it('still reads hashes written before r and p were stored (scrypt$N$salt$key, r = 8, p = 1)', async () => {
    const code = 'ABCD-EFGH-JKMN'
    const salt = randomBytes(16)
    const key = scryptSync(code, salt, 32, { N: 2048, r: 8, p: 1 })
    const legacy = `scrypt$2048$${salt.toString('base64')}$${key.toString('base64')}`
    expect(await verifyAccessCode(code, legacy)).toBe(true)
    expect(await verifyAccessCode('ABCD-EFGH-JKMP', legacy)).toBe(false)
  })

  it('refuses malformed hashes and absurd costs without throwing', async () => {
    const code = 'ABCD-EFGH-JKMN'
    const good = await hashAccessCode(code, { N: 1024, r: 8, p: 1 })
    const [, , , , salt, key] = good.split('$')
    for (const stored of [
      '',
      'h',
      `bcrypt$1024$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1073741824$8$1$${salt}$${key}`, // 1 TB of memory
      `scrypt$1024$8$1000$${salt}$${key}`,
      `scrypt$-1024$8$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}$`,
      `scrypt$1024$8$${salt}$${key}`,
    ]) {
      expect(await verifyAccessCode(code, stored), stored).toBe(false)
    }
    await expect(hashAccessCode(code, { N: 1000, r: 8, p: 1 })).rejects.toThrow(/scrypt/)
  })
})
