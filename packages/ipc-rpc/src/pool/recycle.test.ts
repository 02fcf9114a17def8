import { describe, expect, test } from 'vitest'
import { isRecycleDue, recycleLimits } from './recycle.js'

describe('recycleLimits', () => {
  test('no limits configured means never', () => {
    const limits = recycleLimits({ jitter: 0.1 })
    expect(limits).toEqual({ requests: Infinity, ageMs: Infinity })
    expect(isRecycleDue(limits, 1e9, 1e12)).toBe(false)
  })

  test('jitter draws limits from [limit * (1 - jitter), limit]', () => {
    expect(recycleLimits({ maxRequests: 1000, maxAgeMs: 60_000, jitter: 0.2 }, () => 0)).toEqual({
      requests: 1000,
      ageMs: 60_000,
    })
    expect(recycleLimits({ maxRequests: 1000, maxAgeMs: 60_000, jitter: 0.2 }, () => 0.5)).toEqual({
      requests: 900,
      ageMs: 54_000,
    })
    // random() < 1, so the lower bound is approached but never crossed.
    const low = recycleLimits({ maxRequests: 1000, maxAgeMs: 60_000, jitter: 0.2 }, () => 0.999999)
    expect(low.requests).toBeGreaterThanOrEqual(800)
    expect(low.ageMs).toBeGreaterThanOrEqual(48_000)
  })

  test('children spawned together get spread-out limits', () => {
    let seed = 1
    const random = (): number => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const ages = new Set<number>()
    for (let i = 0; i < 8; i++) {
      ages.add(recycleLimits({ maxAgeMs: 60_000, jitter: 0.1 }, random).ageMs)
    }
    expect(ages.size).toBe(8)
    for (const age of ages) {
      expect(age).toBeGreaterThanOrEqual(54_000)
      expect(age).toBeLessThanOrEqual(60_000)
    }
  })

  test('a limit never drops below one request or one ms', () => {
    expect(recycleLimits({ maxRequests: 1, maxAgeMs: 1, jitter: 1 }, () => 0.99)).toEqual({
      requests: 1,
      ageMs: 1,
    })
  })

  test('isRecycleDue fires on either limit', () => {
    const limits = { requests: 10, ageMs: 1000 }
    expect(isRecycleDue(limits, 9, 999)).toBe(false)
    expect(isRecycleDue(limits, 10, 0)).toBe(true)
    expect(isRecycleDue(limits, 0, 1000)).toBe(true)
  })
})
