import { describe, expect, test } from 'vitest'
import { FIRST_NAMES, LAST_NAMES, asciiFold, displayNames } from './names.js'
import { createPrng } from './prng.js'

describe('displayNames', () => {
  test('10,000 distinct names, with apostrophes, accents and names inside other names', () => {
    expect(FIRST_NAMES).toHaveLength(100)
    expect(LAST_NAMES).toHaveLength(100)
    const names = displayNames(10_000, createPrng(1))
    expect(new Set(names).size).toBe(10_000)
    expect(names.slice(0, 3)).toEqual(['Mary Smith', 'Ann Lee', 'Ann Leeds'])
    expect(names).toContain('José Núñez')
    expect(names.some((n) => n.includes("O'Brien"))).toBe(true)
    expect(names.some((n) => n.startsWith('Zoë'))).toBe(true)
    // "Ann Lee" is a prefix of "Ann Leeds": detectors must match whole names, not substrings.
    expect(names.filter((n) => n.startsWith('Ann Lee')).length).toBeGreaterThan(1)
  })

  test('beyond 10,000 pairs, middle initials keep names distinct', () => {
    const names = displayNames(12_000, createPrng(2))
    expect(new Set(names).size).toBe(12_000)
    expect(names[11_999]).toMatch(/^\S+ [A-Z]\. \S+$/)
  })

  test('the same seed gives the same names; another seed another order', () => {
    expect(displayNames(500, createPrng(9))).toEqual(displayNames(500, createPrng(9)))
    expect(displayNames(500, createPrng(9))).not.toEqual(displayNames(500, createPrng(10)))
  })

  test('asciiFold removes accents for usernames and emails', () => {
    expect(asciiFold("José Núñez Søren Đorđe O'Brien")).toBe("jose nunez soren dorde o'brien")
  })
})
