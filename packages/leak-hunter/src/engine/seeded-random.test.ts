import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { assignAccounts } from '../run-hunt.js'
import { createRandom, pickWeighted, shuffledIndexes } from './seeded-random.js'

describe('seeded randomness', () => {
  test('the same seed gives the same stream; another seed or label another', () => {
    const take = (seed: string, label = ''): number[] => {
      const r = createRandom(seed, label)
      return Array.from({ length: 20 }, () => r.next())
    }
    expect(take('s1')).toEqual(take('s1'))
    expect(take('s1')).not.toEqual(take('s2'))
    expect(take('s1', 'vu:1')).not.toEqual(take('s1', 'vu:2'))
    for (const x of take('range')) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
  })

  test('account assignment is an exclusive, seed-determined checkout', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        (seed, accounts, extra) => {
          const vus = Math.max(1, accounts - extra)
          const a = assignAccounts(accounts, vus, seed)
          expect(a).toEqual(assignAccounts(accounts, vus, seed))
          expect(a).toHaveLength(vus)
          expect(new Set(a).size).toBe(vus)
          for (const i of a) {
            expect(i).toBeGreaterThanOrEqual(0)
            expect(i).toBeLessThan(accounts)
          }
        }
      )
    )
    expect(assignAccounts(100, 10, 'a')).not.toEqual(assignAccounts(100, 10, 'b'))
  })

  test('shuffle is a permutation', () => {
    const s = shuffledIndexes(1000, createRandom('p'))
    expect([...s].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
  })

  test('weighted picks follow the weights and never pick a zero weight', () => {
    const r = createRandom('w')
    const counts = [0, 0, 0]
    for (let i = 0; i < 30_000; i++) {
      counts[pickWeighted([1, 0, 3], r)]!++
    }
    expect(counts[1]).toBe(0)
    // 1:3 within a few percent for 30,000 draws (binomial sd ~ 0.25%).
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.8)
    expect(counts[2]! / counts[0]!).toBeLessThan(3.2)
  })
})
