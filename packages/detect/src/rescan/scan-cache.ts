// Each group's (a virtual user's, a session's) last scan of each page, within a memory budget, so
// that the next body of that page is rescanned only where it changed (rescan.ts). A group keeps
// its most recently fetched pages only (an API client fetches /orders/1, /orders/2, ... once each).
import type { Automaton } from '../automaton/automaton.js'
import { OptionsInvalidError } from '../errors.js'
import type { Snapshot } from '../index/snapshot.js'
import type { ScanResult } from '../scan/scan-result.js'
import type { Identity } from '../types.js'
import type { KeptResult } from './page-scan.js'
import { PageScan } from './page-scan.js'
import { Rescanner } from './rescan.js'
import { KEPT_TOKENS_BYTES, TokenChanges } from './token-change.js'

/** Default budget: 128 MiB, about 13 KB per group at 10,000 groups (a 2 KB page holds about 9 KB). */
export const DEFAULT_SCAN_CACHE_BYTES = 128 * 1024 * 1024
/** Default pages a group keeps: the least recently fetched one goes when a new one comes. */
export const DEFAULT_PAGES_PER_GROUP = 16

/**
 * Estimated memory, measured with the bench page (test/scan-cache-memory.test.ts): a group's entry; a
 * page it fetched; a kept result without its matches; a match.
 */
const GROUP_BYTES = 300
const SLOT_BYTES = 80
const RESULT_BYTES = 250 + KEPT_TOKENS_BYTES
const MATCH_BYTES = 80

/** A page a group has fetched: its kept scan from the second fetch on (a login page is fetched once). */
interface PageSlot {
  page: string
  scan: PageScan | undefined
}

/**
 * Keeps each (group, page)'s last scan so that the next body of it is rescanned only where it
 * changed; the result is exactly a full scan's. Pass it in ScanOptions.cache.
 */
export class ScanCache {
  readonly #byGroup = new Map<string | number, PageSlot[]>()
  readonly #rescanner = new Rescanner()
  readonly #tokens = new TokenChanges()
  readonly #budget: number
  readonly #pagesPerGroup: number
  /** Scans the next body into this one; it changes places with the scan it replaces. */
  #spare = new PageScan()
  #held = 0
  /** Counts scans: a result's text() is valid until the next one. */
  generation = 0

  constructor(options: { budgetBytes?: number; pagesPerGroup?: number } = {}) {
    const budget = options.budgetBytes ?? DEFAULT_SCAN_CACHE_BYTES
    if (!(budget >= 0)) {
      throw new OptionsInvalidError('budgetBytes', `expected a number >= 0, got ${budget}`)
    }
    const pages = options.pagesPerGroup ?? DEFAULT_PAGES_PER_GROUP
    if (!Number.isInteger(pages) || pages < 1) {
      throw new OptionsInvalidError('pagesPerGroup', `expected an integer >= 1, got ${pages}`)
    }
    this.#budget = budget
    this.#pagesPerGroup = pages
  }

  /** Bytes normalised and scanned so far; the rest were copied from a kept scan. */
  get scannedBytes(): number {
    return this.#rescanner.scannedBytes
  }

  /** Bodies answered with their kept scan's result: they differed from it only in tokens. */
  tokenChanges = 0

  /** Memory the cache holds, estimated: its kept scans and results, and the pages it noted. */
  get heldBytes(): number {
    return this.#held
  }

  /**
   * The scan of `body`, the response `group` got for `page`: valid until the next call. Kept, when
   * the budget allows, as the base for that group's next body of that page.
   */
  scan(group: string | number, page: string, body: Uint8Array, automaton: Automaton): PageScan {
    this.generation++
    const slot = this.#slot(group, page)
    const prev = slot?.scan
    const work = this.#spare
    // The spare's result was another body's.
    work.kept = undefined
    work.keptBytes = 0
    if (this.#rescanner.scan(prev, work, body, automaton) === prev) {
      return prev
    }
    if (slot === undefined) {
      return work
    }
    const grows = work.byteLength - (prev?.byteLength ?? 0)
    if (!work.reusable || this.#held + grows > this.#budget) {
      // Not kept: a stale base would hold memory for nothing.
      if (prev !== undefined) {
        slot.scan = undefined
        this.#held -= prev.byteLength
      }
      return work
    }
    slot.scan = work
    this.#held += grows
    this.#spare = prev ?? new PageScan()
    return work
  }

  /**
   * Keeps `kept` with `scanned`, what scan() just returned for (group, page), to stand for the
   * next body should it differ only in tokens; not when that scan is not kept, or past the budget.
   */
  keep(group: string | number, page: string, scanned: PageScan, kept: KeptResult): void {
    if (this.#find(group, page)?.scan !== scanned) {
      return
    }
    const before = scanned.byteLength
    const bytes = RESULT_BYTES + MATCH_BYTES * kept.result.matches.length
    const fits = this.#held - scanned.keptBytes + bytes <= this.#budget
    scanned.kept = fits ? kept : undefined
    scanned.keptBytes = fits ? bytes : 0
    this.#held += scanned.byteLength - before
  }

  /**
   * The result of the group's last scan of `page` when `body` must yield the same matches (it
   * differs from that body only in tokens no match touches: token-change.ts) and the scan was
   * made with `snapshot` for `owner`, without an allowlist; otherwise undefined.
   */
  unchanged<T extends Identity>(
    group: string | number,
    page: string,
    body: Uint8Array,
    snapshot: Snapshot<T>,
    owner: string | undefined
  ): ScanResult<T> | undefined {
    const prev = this.#find(group, page)?.scan
    const kept = prev?.kept
    if (
      prev === undefined ||
      kept === undefined ||
      kept.snapshot !== (snapshot as Snapshot<Identity>) ||
      kept.owner !== owner
    ) {
      return undefined
    }
    if (!this.#tokens.sameMatches(prev, body, this.#spare, snapshot, kept.tokens)) {
      return undefined
    }
    this.tokenChanges++
    return kept.result as ScanResult<T>
  }

  /** Drops a group's scans (a virtual user that ended, a session that logged out). */
  forget(group: string | number): void {
    const slots = this.#byGroup.get(group)
    if (slots === undefined) {
      return
    }
    this.#held -= GROUP_BYTES
    for (const slot of slots) {
      this.#held -= SLOT_BYTES + (slot.scan?.byteLength ?? 0)
    }
    this.#byGroup.delete(group)
  }

  /**
   * The group's slot for `page`; undefined the first time (the page is noted for next time, within
   * the budget, and the group's least recently fetched page goes past pagesPerGroup).
   */
  #slot(group: string | number, page: string): PageSlot | undefined {
    const slot = this.#find(group, page)
    if (slot !== undefined) {
      return slot
    }
    let slots = this.#byGroup.get(group)
    if (slots !== undefined && slots.length >= this.#pagesPerGroup) {
      this.#held -= SLOT_BYTES + ((slots.pop() as PageSlot).scan?.byteLength ?? 0)
    }
    const cost = SLOT_BYTES + (slots === undefined ? GROUP_BYTES : 0)
    if (this.#held + cost > this.#budget) {
      return undefined
    }
    if (slots === undefined) {
      slots = []
      this.#byGroup.set(group, slots)
    }
    slots.unshift({ page, scan: undefined })
    this.#held += cost
    return undefined
  }

  /** The group's slot for `page`, moved to the front: most recently fetched first. */
  #find(group: string | number, page: string): PageSlot | undefined {
    const slots = this.#byGroup.get(group)
    if (slots === undefined) {
      return undefined
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as PageSlot
      if (slot.page === page) {
        if (i > 0) {
          slots.splice(i, 1)
          slots.unshift(slot)
        }
        return slot
      }
    }
    return undefined
  }
}
