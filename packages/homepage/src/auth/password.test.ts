import { describe, expect, test } from 'vitest'
import {
  DEMO_SCRYPT,
  OWASP_SCRYPT,
  dummyHash,
  hashPassword,
  parseHash,
  verifyPassword,
} from './password.js'

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

describe('scrypt password hashing', () => {
  test('defaults to OWASP parameters N=2^17, r=8, p=1 and records them in the hash', async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 })
    const stored = await hashPassword('correct horse battery staple')
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(parseHash(stored).params).toEqual(OWASP_SCRYPT)
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false)
  }, 30_000)

  test('salts are random: the same password never hashes the same twice', async () => {
    const a = await hashPassword('pw', DEMO_SCRYPT)
    const b = await hashPassword('pw', DEMO_SCRYPT)
    expect(a).not.toBe(b)
  })

  test('verify reads the cost from the stored hash (demo accounts use a lower N)', async () => {
    const stored = await hashPassword('pw', DEMO_SCRYPT)
    expect(stored.startsWith(`scrypt$${DEMO_SCRYPT.N}$8$1$`)).toBe(true)
    expect(await verifyPassword('pw', stored)).toBe(true)
    expect(await verifyPassword('pW', stored)).toBe(false)
  })

  test('malformed or out-of-range stored hashes are HOME_ERR_BAD_HASH', async () => {
    const good = await hashPassword('pw', DEMO_SCRYPT)
    const parts = good.split('$')
    const bad = [
      '',
      'bcrypt$10$abc',
      good.replace('scrypt$', 'scryp$'),
      [...parts.slice(0, 1), '1000', ...parts.slice(2)].join('$'), // N not a power of two
      [...parts.slice(0, 1), String(2 ** 22), ...parts.slice(2)].join('$'), // N too large
      [...parts.slice(0, 2), '0', ...parts.slice(3)].join('$'),
      [...parts.slice(0, 5), 'AAAA'].join('$'), // key too short
    ]
    for (const stored of bad) {
      await expect(verifyPassword('pw', stored), stored).rejects.toMatchObject({
        code: 'HOME_ERR_BAD_HASH',
      })
    }
  })

  test('invalid parameters for a new hash are HOME_ERR_BAD_OPTION', async () => {
    await expect(hashPassword('pw', { N: 3, r: 8, p: 1 })).rejects.toMatchObject({
      code: 'HOME_ERR_BAD_OPTION',
    })
  })

  test('the dummy hash for unknown users costs one OWASP-strength verify and matches nothing', async () => {
    expect(parseHash(dummyHash()).params).toEqual(OWASP_SCRYPT)
    const real = await hashPassword('pw')
    // Warm up once, then compare the two verifies' cost.
    await verifyPassword('pw', real)
    const realMs = await timed(() => verifyPassword('pw', real))
    const dummyMs = await timed(async () =>
      expect(await verifyPassword('pw', dummyHash())).toBe(false)
    )
    expect(dummyMs / realMs).toBeGreaterThan(0.5)
    expect(dummyMs / realMs).toBeLessThan(2)
  }, 30_000)
})
