import { describe, expect, test } from 'vitest'
import { recycleLimits, replacementDue } from './recycle.js'

describe('recycleLimits', () => {
  test('no limits configured means never', () => {
    const limits = recycleLimits({ jitter: 0.1 })
    expect(limits).toEqual({ requests: Infinity, ageMs: Infinity })
    expect(replacementDue(limits, 1e9, 1e12, 1e12, 1_000)).toBeUndefined()
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

  test('the replacement is due at the age, at the cap, or about one start-up before the cap', () => {
    const limits = { requests: 1_000, ageMs: 60_000 }
    expect(replacementDue(limits, 10, 59_999, 59_000, 500)).toBeUndefined()
    expect(replacementDue(limits, 10, 60_000, 59_000, 500)).toBe('age')
    expect(replacementDue(limits, 1_000, 0, 0, 500)).toBe('cap')
    // 1 call/ms and a 200 ms start-up: due once 300 or fewer calls are left.
    expect(replacementDue(limits, 699, 1_000, 699, 200)).toBeUndefined()
    expect(replacementDue(limits, 700, 1_000, 700, 200)).toBe('cap')
    // A slow child is not replaced early.
    expect(replacementDue(limits, 900, 1_000, 900_000, 200)).toBeUndefined()
  })

  test('an opening burst is not taken for the rate: it is spread over at least one start-up', () => {
    const limits = { requests: 1_000, ageMs: Infinity }
    // 100 calls in the first ms after ready, with a 500 ms start-up: 0.2 calls/ms, not 100.
    expect(replacementDue(limits, 100, 501, 1, 500)).toBeUndefined()
    // A child whose whole life is shorter than a start-up is replaced at 40 % of its cap.
    expect(replacementDue(limits, 399, 300, 200, 500)).toBeUndefined()
    expect(replacementDue(limits, 400, 300, 200, 500)).toBe('cap')
  })
})
