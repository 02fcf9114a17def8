import { describe, expect, test } from 'vitest'
import { buildMarkerIndex } from './marker-index.js'
import { normalizeBody } from './normalize.js'
import type { Account } from './types.js'

// Deterministic pseudo-random names: the trie is dense at the top like real name lists.
function names(count: number): Account[] {
  let seed = 12345
  // mulberry32: an LCG's low bits repeat too soon and would give thousands of shared names.
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
  const word = (len: number): string => {
    let w = String.fromCharCode(65 + (next() % 26))
    for (let i = 1; i < len; i++) {
      w += String.fromCharCode(97 + (next() % 26))
    }
    return w
  }
  const out: Account[] = []
  for (let i = 0; i < count; i++) {
    out.push({
      index: i,
      id: `user${i}`,
      fields: {
        name: `${word(4 + (next() % 5))} ${word(5 + (next() % 6))}`,
        email: `user${i}@example.com`,
        userId: String(1_000_000 + i),
      },
    })
  }
  return out
}

describe('100,000 accounts', () => {
  test('builds in seconds, stays compact and scans a page in one linear pass', () => {
    const accounts = names(100_000)
    const columns = ['name', 'email', 'userId']
    const t0 = performance.now()
    const index = buildMarkerIndex(accounts, { columns, caseInsensitive: true, minLength: 3 })
    const buildMs = performance.now() - t0
    expect(index.size).toBe(300_000)
    expect(index.ambiguities.length).toBeLessThan(100)
    // Measured 3-5 s on the shared 2-core box; 30 s still fails a quadratic build.
    expect(buildMs).toBeLessThan(30_000)
    const bytes = (index as unknown as { automaton: { byteLength: number } }).automaton.byteLength
    // About 270 bytes per account for ~36 marker characters (18 bytes per trie node); an
    // object-per-node trie with a child Map needs several KB.
    expect(bytes / accounts.length).toBeLessThan(512)

    const owner = accounts[4242] as Account
    const stranger = accounts[99_999] as Account
    const filler = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>'
    const page =
      `<header>Welcome, ${owner.fields.name} (${owner.fields.email})</header>` +
      filler.repeat(25) +
      `<footer>${stranger.fields.userId}</footer>`
    const text = normalizeBody(page)
    const hits = index.scan(text)
    expect(hits.map((h) => h.account).sort((a, b) => a - b)).toEqual([4242, 4242, 99_999])

    // Linear: a 16x longer body costs about 16x, not 16^2 (generous 64x bound for noisy CPUs).
    const time = (body: string, rounds: number): number => {
      const t = performance.now()
      for (let i = 0; i < rounds; i++) {
        index.scan(body)
      }
      return (performance.now() - t) / rounds
    }
    time(text, 50)
    const small = time(text, 200)
    const large = time(text.repeat(16), 20)
    expect(large / small).toBeLessThan(64)
  }, 120_000)
})
