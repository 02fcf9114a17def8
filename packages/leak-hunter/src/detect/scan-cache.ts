// Each VU's last scan of each page, within a memory budget, so that the next body of that page
// is rescanned only where it changed (rescan.ts).
import type { Automaton } from './aho-corasick.js'
import { PageScan, Rescanner } from './rescan.js'

/** Default budget: 128 MiB, about 13 KB per VU at 10,000 VUs with one 2 KB page each. */
export const DEFAULT_SCAN_CACHE_BYTES = 128 * 1024 * 1024

/** A page a VU has fetched: its kept scan from the second fetch on (a login page is fetched once). */
interface PageSlot {
  page: string
  scan: PageScan | undefined
}

export class ScanCache {
  readonly #byVu = new Map<number, PageSlot[]>()
  readonly #rescanner = new Rescanner()
  readonly #budget: number
  /** Scans the next body into this one; it changes places with the scan it replaces. */
  #spare = new PageScan()
  #held = 0

  constructor(budgetBytes: number) {
    this.#budget = budgetBytes
  }

  /** Bytes the kept scans hold. */
  get heldBytes(): number {
    return this.#held
  }

  /**
   * The scan of `body`, the response `vu` got for `page`: valid until the next call. Kept, when the
   * budget allows, as the base for that VU's next body of that page.
   */
  scan(vu: number, page: string, body: Buffer, automaton: Automaton): PageScan {
    const slot = this.#slot(vu, page)
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

  forget(vu: number): void {
    for (const slot of this.#byVu.get(vu) ?? []) {
      this.#held -= slot.scan?.byteLength ?? 0
    }
    this.#byVu.delete(vu)
  }

  /** The VU's slot for `page`; undefined the first time (the page is noted for next time). */
  #slot(vu: number, page: string): PageSlot | undefined {
    let slots = this.#byVu.get(vu)
    if (slots === undefined) {
      slots = []
      this.#byVu.set(vu, slots)
    }
    for (const slot of slots) {
      if (slot.page === page) {
        return slot
      }
    }
    slots.push({ page, scan: undefined })
    return undefined
  }
}
