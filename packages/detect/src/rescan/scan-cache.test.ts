import { describe, expect, test } from 'vitest'
import { buildIndex } from '../index/build-index.js'
import { snapshotOf } from '../index/snapshot.js'
import type { PageScan } from './page-scan.js'
import { ScanCache } from './scan-cache.js'

const identities = ['Ann Lee', 'Bo Chen'].map((name, i) => ({ id: `u${i}`, markers: { name } }))
const { automaton } = snapshotOf(buildIndex(identities, { columns: ['name'] })).layers[0]!.index
const matched = (scan: PageScan): string[] =>
  automaton.finish(scan.found, scan.text).map((m) => scan.text.toString().slice(m.start, m.end))

function page(token: string, name = 'Ann Lee'): Buffer {
  return Buffer.from(
    `<meta content="${token}">\n${'<p>lorem ipsum dolor</p>\n'.repeat(40)}${name}\n`
  )
}

describe('ScanCache', () => {
  test("keeps a page from a group's second fetch on, not a page fetched once (a login step)", () => {
    const cache = new ScanCache({ budgetBytes: 1 << 20 })
    cache.scan(1, 'login', page('a'), automaton)
    cache.scan(1, 'home', page('a'), automaton)
    expect(cache.heldBytes).toBe(0)
    const second = cache.scan(1, 'home', page('b'), automaton)
    expect(cache.heldBytes).toBe(second.byteLength)
    expect(cache.heldBytes).toBeGreaterThan(page('b').length)
  })

  test('returns the kept scan itself for a body equal byte for byte', () => {
    const cache = new ScanCache({ budgetBytes: 1 << 20 })
    cache.scan(1, 'home', page('a'), automaton)
    const kept = cache.scan(1, 'home', page('b'), automaton)
    expect(cache.scan(1, 'home', page('b'), automaton)).toBe(kept)
    const changed = cache.scan(1, 'home', page('c', 'Bo Chen'), automaton)
    expect(changed).not.toBe(kept)
    expect(matched(changed)).toEqual(['Bo Chen'])
  })

  // Regression (issue 16, while moving the detector): the pass still pointed at the kept scan's
  // candidates and emptied them when an equal body came, so that body showed nobody.
  test("an equal body keeps the kept scan's candidates", () => {
    const cache = new ScanCache()
    for (const token of ['a', 'b', 'b', 'b']) {
      expect(matched(cache.scan(1, 'home', page(token), automaton))).toEqual(['Ann Lee'])
    }
  })

  test('keeps pages per group and per page, and forgets a group', () => {
    const cache = new ScanCache({ budgetBytes: 1 << 20 })
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
    const cache = new ScanCache({ budgetBytes: 3 * 8192 })
    for (let vu = 0; vu < 10; vu++) {
      cache.scan(vu, 'home', page('a'), automaton)
      const scan = cache.scan(vu, 'home', page('b'), automaton)
      expect(matched(scan)).toHaveLength(1)
      expect(cache.heldBytes).toBeLessThanOrEqual(3 * 8192)
    }
    expect(cache.heldBytes).toBeGreaterThan(0)
  })

  test('does not keep a page whose text NFC rewrote', () => {
    const cache = new ScanCache({ budgetBytes: 1 << 20 })
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
