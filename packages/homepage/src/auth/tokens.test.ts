import { describe, expect, test } from 'vitest'
import {
  createCsrfToken,
  hashSessionId,
  isWellFormedSessionId,
  newCsrfSecret,
  newSessionId,
  verifyCsrfToken,
} from './tokens.js'

describe('session ids', () => {
  test('carry 256 bits from the CSPRNG and look random (bit balance over 2,000 ids)', () => {
    const ids = Array.from({ length: 2000 }, newSessionId)
    expect(new Set(ids).size).toBe(ids.length)
    let ones = 0
    for (const id of ids) {
      const bytes = Buffer.from(id, 'base64url')
      expect(bytes).toHaveLength(32)
      expect(isWellFormedSessionId(id)).toBe(true)
      for (const b of bytes) {
        for (let i = 0; i < 8; i++) {
          ones += (b >> i) & 1
        }
      }
    }
    const bits = ids.length * 256
    // 512,000 fair bits: the share of ones is 0.5 within ~7 standard deviations.
    expect(Math.abs(ones / bits - 0.5)).toBeLessThan(0.005)
  })

  test('only the hash of an id is stored, and it is stable', () => {
    const id = newSessionId()
    expect(hashSessionId(id)).toBe(hashSessionId(id))
    expect(hashSessionId(id)).not.toContain(id)
    expect(isWellFormedSessionId(id + 'x')).toBe(false)
    expect(isWellFormedSessionId('../../etc')).toBe(false)
  })
})

describe('CSRF tokens', () => {
  test('bind to the secret, differ on every page, and reject anything else', () => {
    const secret = newCsrfSecret()
    const a = createCsrfToken(secret)
    const b = createCsrfToken(secret)
    expect(a).not.toBe(b)
    expect(verifyCsrfToken(secret, a)).toBe(true)
    expect(verifyCsrfToken(secret, b)).toBe(true)
    expect(verifyCsrfToken(newCsrfSecret(), a)).toBe(false)
    for (const bad of [
      undefined,
      null,
      42,
      '',
      '.',
      'abc',
      a + 'x',
      'x'.repeat(500),
      a.split('.')[0],
    ]) {
      expect(verifyCsrfToken(secret, bad)).toBe(false)
    }
  })
})
