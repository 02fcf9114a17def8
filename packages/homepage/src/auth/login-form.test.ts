import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import {
  createLoginFormToken,
  newPreSession,
  preSessionIssuedAt,
  verifyLoginFormToken,
} from './login-form.js'

describe('login-form tokens', () => {
  const key = randomBytes(32)

  test('bind to the pre-session value and the server key', () => {
    const pre = newPreSession(1_700_000_000_000)
    const token = createLoginFormToken(key, pre)
    expect(verifyLoginFormToken(key, pre, token)).toBe(true)
    expect(verifyLoginFormToken(key, newPreSession(1_700_000_000_000), token)).toBe(false)
    expect(verifyLoginFormToken(randomBytes(32), pre, token)).toBe(false)
    // The issue time is covered too: changing it breaks the binding.
    const later = pre.replace(/\.[0-9a-z]+$/, `.${(1_800_000_000_000).toString(36)}`)
    expect(verifyLoginFormToken(key, later, token)).toBe(false)
    for (const bad of [undefined, '', 'x.y', token + 'x']) {
      expect(verifyLoginFormToken(key, pre, bad)).toBe(false)
    }
  })

  test('the pre-session value carries its issue time and nothing else parses', () => {
    expect(preSessionIssuedAt(newPreSession(123_456_789))).toBe(123_456_789)
    for (const bad of [undefined, '', 'abc.1', `${'a'.repeat(43)}.`, `${'a'.repeat(43)}.ZZ`]) {
      expect(preSessionIssuedAt(bad)).toBeUndefined()
    }
  })
})
