import { describe, expect, test } from 'vitest'
import { FailureLimiter } from './failure-limiter.js'

describe('FailureLimiter', () => {
  test('blocks a key after max failures until its window ends', () => {
    let now = 0
    const limiter = new FailureLimiter({ max: 3, windowMs: 1000, clock: () => now })
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('a')).toBe(0)
      limiter.recordFailure('a')
      now += 100
    }
    expect(limiter.retryAfterMs('a')).toBe(700)
    expect(limiter.retryAfterMs('b')).toBe(0)
    now = 1000
    expect(limiter.retryAfterMs('a')).toBe(0)
  })

  test('reset forgets a key; the key table stays bounded', () => {
    const now = 0
    const limiter = new FailureLimiter({ max: 1, windowMs: 1000, clock: () => now, maxKeys: 10 })
    limiter.recordFailure('a')
    limiter.reset('a')
    expect(limiter.retryAfterMs('a')).toBe(0)
    for (let i = 0; i < 100; i++) {
      limiter.recordFailure(`k${i}`)
    }
    expect(limiter.retryAfterMs('k99')).toBe(1000)
    expect(limiter.retryAfterMs('k0')).toBe(0)
  })
})
