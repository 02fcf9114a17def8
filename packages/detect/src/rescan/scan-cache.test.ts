import { describe, expect, test } from 'vitest'
import { buildMarkerIndex } from './marker-index.js'
import { ScanCache } from './scan-cache.js'
import type { Account } from './types.js'

const accounts: Account[] = ['Ann Lee', 'Bo Chen'].map((name, i) => ({
  index: i,
  id: `u${i}`,
  fields: { name },
}))
const { automaton } = buildMarkerIndex(accounts, {
  columns: ['name'],
  caseInsensitive: false,
  minLength: 2,
})

function page(token: string, name = 'Ann Lee'): Buffer {
  return Buffer.from(
    `<meta content="${token}">\n${'<p>lorem ipsum dolor</p>\n'.repeat(40)}${name}\n`
  )
}

describe('ScanCache', () => {
  test("keeps a page from a VU's second fetch on, not a page fetched once (a login step)", () => {
    const cache = new ScanCache(1 << 20)
    cache.scan(1, 'login', page('a'), automaton)
    cache.scan(1, 'home', page('a'), automaton)
    expect(cache.heldBytes).toBe(0)
    const second = cache.scan(1, 'home', page('b'), automaton)
    expect(cache.heldBytes).toBe(second.byteLength)
    expect(cache.heldBytes).toBeGreaterThan(page('b').length)
  })

  test('returns the kept scan itself for a body equal byte for byte', () => {
    const cache = new ScanCache(1 << 20)
    cache.scan(1, 'home', page('a'), automaton)
    const kept = cache.scan(1, 'home', page('b'), automaton)
    expect(cache.scan(1, 'home', page('b'), automaton)).toBe(kept)
    const changed = cache.scan(1, 'home', page('c', 'Bo Chen'), automaton)
    expect(changed).not.toBe(kept)
    expect(changed.matches.map((m) => changed.text.toString().slice(m.start, m.end))).toEqual([
      'Bo Chen',
    ])
  })

  test('keeps pages per VU and per page, and forgets a VU', () => {
    const cache = new ScanCache(1 << 20)
    for (const vu of [1, 2]) {
      for (const name of ['home', 'profile']) {
        cache.scan(vu, name, page('a'), automaton)
        cache.scan(vu, name, page(`${vu}${name}`), automaton)
      }
    }
    const four = cache.heldBytes
    cache.forget(1)
    expect(cache.heldBytes).toBe(four / 2)
    cache.forget(2)
    expect(cache.heldBytes).toBe(0)
  })

  test('stays within its budget: past it, pages are scanned in full and not kept', () => {
    const cache = new ScanCache(3 * 8192)
    for (let vu = 0; vu < 10; vu++) {
      cache.scan(vu, 'home', page('a'), automaton)
      const scan = cache.scan(vu, 'home', page('b'), automaton)
      expect(scan.matches).toHaveLength(1)
      expect(cache.heldBytes).toBeLessThanOrEqual(3 * 8192)
    }
    expect(cache.heldBytes).toBeGreaterThan(0)
  })

  test('does not keep a page whose text NFC rewrote', () => {
    const cache = new ScanCache(1 << 20)
    const decomposed = (token: string): Buffer => page(token, 'Ann Lee Jose\u0301')
    cache.scan(1, 'home', decomposed('a'), automaton)
    const scan = cache.scan(1, 'home', decomposed('b'), automaton)
    expect(scan.reusable).toBe(false)
    expect(scan.text.toString()).toContain('José')
    expect(cache.heldBytes).toBe(0)
    // A kept page followed by one NFC rewrites is dropped.
    cache.scan(2, 'home', page('a'), automaton)
    cache.scan(2, 'home', page('b'), automaton)
    expect(cache.heldBytes).toBeGreaterThan(0)
    cache.scan(2, 'home', decomposed('c'), automaton)
    expect(cache.heldBytes).toBe(0)
  })
})
