// Each group's (a virtual user's, a session's) last scan of each page, within a memory budget, so
// that the next body of that page is rescanned only where it changed (rescan.ts).
import type { Automaton } from '../automaton/automaton.js'
import { OptionsInvalidError } from '../errors.js'
import type { Snapshot } from '../index/snapshot.js'
import type { ScanResult } from '../scan/scan-result.js'
import type { Identity } from '../types.js'
import { PageScan } from './page-scan.js'
import { Rescanner } from './rescan.js'
import { TokenChanges } from './token-change.js'

/** Default budget: 128 MiB, about 13 KB per group at 10,000 groups with one 2 KB page each. */
export const DEFAULT_SCAN_CACHE_BYTES = 128 * 1024 * 1024

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
  /** Scans the next body into this one; it changes places with the scan it replaces. */
  #spare = new PageScan()
  #held = 0
  /** Counts scans: a result's text() is valid until the next one. */
  generation = 0

  constructor(options: { budgetBytes?: number } = {}) {
    const budget = options.budgetBytes ?? DEFAULT_SCAN_CACHE_BYTES
    if (!(budget >= 0)) {
      throw new OptionsInvalidError('budgetBytes', `expected a number >= 0, got ${budget}`)
    }
    this.#budget = budget
  }

  /** Bytes normalised and scanned so far; the rest were copied from a kept scan. */
  get scannedBytes(): number {
    return this.#rescanner.scannedBytes
  }

  /** Bodies answered with their kept scan's result: they differed from it only in tokens. */
  tokenChanges = 0

  /** Bytes the kept scans hold. */
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
    for (const slot of this.#byGroup.get(group) ?? []) {
      this.#held -= slot.scan?.byteLength ?? 0
    }
    this.#byGroup.delete(group)
  }

  /** The group's slot for `page`; undefined the first time (the page is noted for next time). */
  #slot(group: string | number, page: string): PageSlot | undefined {
    const slot = this.#find(group, page)
    if (slot === undefined) {
      let slots = this.#byGroup.get(group)
      if (slots === undefined) {
        slots = []
        this.#byGroup.set(group, slots)
      }
      slots.push({ page, scan: undefined })
    }
    return slot
  }

  #find(group: string | number, page: string): PageSlot | undefined {
    for (const slot of this.#byGroup.get(group) ?? []) {
      if (slot.page === page) {
        return slot
      }
    }
    return undefined
  }
}
