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
    // Only noted: a few hundred bytes, no scan.
    const noted = cache.heldBytes
    expect(noted).toBeGreaterThan(0)
    expect(noted).toBeLessThan(page('a').length)
    const second = cache.scan(1, 'home', page('b'), automaton)
    expect(cache.heldBytes).toBe(noted + second.byteLength)
    // Its bytes, its text (two bytes a unit), candidates and checkpoints, and its objects.
    expect(second.byteLength).toBeGreaterThan(3 * page('b').length)
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
    // Groups past the budget are not even noted: nothing of them is held.
    const full = cache.heldBytes
    for (let vu = 10; vu < 1000; vu++) {
      cache.scan(vu, 'home', page('a'), automaton)
    }
    expect(cache.heldBytes).toBeLessThanOrEqual(3 * 8192)
    expect(cache.heldBytes).toBeGreaterThanOrEqual(full)
  })

  test("keeps a group's most recently fetched pages only (pagesPerGroup), in its budget's count", () => {
    const cache = new ScanCache({ budgetBytes: 1 << 24, pagesPerGroup: 3 })
    const twice = (name: string): PageScan => {
      cache.scan(1, name, page('a'), automaton)
      return cache.scan(1, name, page('b'), automaton)
    }
    twice('/orders/0')
    const one = cache.heldBytes
    // An API client fetching page after page: the cache holds three of them, never more.
    for (let i = 1; i < 50; i++) {
      twice(`/orders/${i}`)
      expect(cache.heldBytes).toBeLessThanOrEqual(3 * one)
    }
    expect(cache.heldBytes).toBeGreaterThan(2 * one)
    // The oldest went: /orders/0 is scanned in full again (its bytes all counted once more).
    const before = cache.scannedBytes
    cache.scan(1, '/orders/0', page('c'), automaton)
    expect(cache.scannedBytes - before).toBe(page('c').length)
    // A page fetched between the others stays the most recent: /orders/49 was, and is rescanned.
    cache.scan(1, '/orders/49', page('d'), automaton)
    expect(cache.scannedBytes - before).toBeLessThan(page('c').length + page('d').length / 2)
    cache.forget(1)
    expect(cache.heldBytes).toBe(0)
  })

  test('rejects a pagesPerGroup or budgetBytes that is no count, naming it', () => {
    for (const [options, field] of [
      [{ pagesPerGroup: 0 }, 'pagesPerGroup'],
      [{ pagesPerGroup: 2.5 }, 'pagesPerGroup'],
      [{ budgetBytes: -1 }, 'budgetBytes'],
      [{ budgetBytes: Number.NaN }, 'budgetBytes'],
    ] as const) {
      expect(() => new ScanCache(options)).toThrow(
        expect.objectContaining({ code: 'DETECT_ERR_OPTIONS_INVALID', field })
      )
    }
  })

  test('does not keep a page whose text NFC rewrote', () => {
    const cache = new ScanCache({ budgetBytes: 1 << 20 })
    const decomposed = (token: string): Buffer => page(token, 'Ann Lee Jose\u0301')
    cache.scan(1, 'home', decomposed('a'), automaton)
    const scan = cache.scan(1, 'home', decomposed('b'), automaton)
    expect(scan.reusable).toBe(false)
    expect(scan.text.toString()).toContain('José')
    // Noted only.
    const noted = cache.heldBytes
    expect(noted).toBeLessThan(page('a').length)
    // A kept page followed by one NFC rewrites is dropped.
    cache.scan(2, 'home', page('a'), automaton)
    const notedBoth = cache.heldBytes
    cache.scan(2, 'home', page('b'), automaton)
    expect(cache.heldBytes).toBeGreaterThan(notedBoth + page('b').length)
    cache.scan(2, 'home', decomposed('c'), automaton)
    expect(cache.heldBytes).toBe(notedBoth)
  })
})
