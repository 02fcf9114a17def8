import { describe, expect, it } from 'vitest'
import { median, medianInterval } from './bench-args.js'

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })
})

describe('medianInterval', () => {
  it('takes the second and eighth of nine values: 96 % coverage', () => {
    const { lo, hi, coverage } = medianInterval([9, 1, 8, 2, 7, 3, 6, 4, 5])
    expect([lo, hi]).toEqual([2, 8])
    // 1 - 2 * P(B <= 1), B ~ Binomial(9, 1/2) = 1 - 2 * 10 / 512
    expect(coverage).toBeCloseTo(1 - 20 / 512, 10)
  })

  it('falls back to the whole range when too few values reach the level', () => {
    const { lo, hi, coverage } = medianInterval([0.9, 0.8, 1.0, 0.7, 0.85])
    expect([lo, hi]).toEqual([0.7, 1.0])
    expect(coverage).toBeCloseTo(1 - 2 / 32, 10)
  })

  it('takes the narrowest order statistics that reach 95 % for 30 values', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i * 7919) % 31)
    const { lo, hi, coverage } = medianInterval(values)
    expect(coverage).toBeGreaterThanOrEqual(0.95)
    expect(lo).toBeLessThanOrEqual(median(values))
    expect(hi).toBeGreaterThanOrEqual(median(values))
    const sorted = [...values].sort((x, y) => x - y)
    // n = 30: j = 10 is the largest with 1 - 2 P(B <= j - 1) >= 0.95 (0.957; j = 11 gives 0.901).
    expect([lo, hi]).toEqual([sorted[9], sorted[20]])
  })

  it('gives no interval for no values', () => {
    expect(medianInterval([]).coverage).toBe(0)
  })
})
