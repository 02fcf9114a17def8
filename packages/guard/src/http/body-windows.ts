// A body that streams past the guard (report mode, or block mode after a fail-open overflow) is
// scanned in windows of maxBufferBytes. Each window starts with the last OVERLAP_BYTES of the one
// before, so a marker cut by a window edge is still seen whole, as long as its encoded form
// (entities, escapes) spans at most OVERLAP_BYTES: far more than any name or email needs.
import type { BodyScan, ForeignMatch } from '../detection/body-scanner.js'

export const OVERLAP_BYTES = 4096

export class BodyWindows {
  readonly #size: number
  readonly #scan: (window: Buffer) => BodyScan
  #chunks: Buffer[] = []
  #bytes = 0
  /** Bytes at the front of #chunks already scanned (the overlap carried over). */
  #seen = 0
  ownerSeen = false
  readonly foreign: ForeignMatch[] = []
  /** Bytes that went past, in all. */
  total = 0

  constructor(size: number, scan: (window: Buffer) => BodyScan) {
    this.#size = Math.max(size, 2 * OVERLAP_BYTES)
    this.#scan = scan
  }

  add(chunk: Buffer): void {
    if (chunk.length === 0) {
      return
    }
    this.#chunks.push(chunk)
    this.#bytes += chunk.length
    this.total += chunk.length
    if (this.#bytes >= this.#size) {
      this.#scanWindow(true)
    }
  }

  /** Scans what is held now (the overflow check); the next window starts from its tail. */
  scanNow(): void {
    if (this.#bytes > this.#seen) {
      this.#scanWindow(true)
    }
  }

  /** Scans what is left; call once, at the end of the body. */
  finish(): void {
    if (this.#bytes > this.#seen) {
      this.#scanWindow(false)
    }
    this.#chunks = []
    this.#bytes = 0
  }

  #scanWindow(carry: boolean): void {
    const window =
      this.#chunks.length === 1
        ? (this.#chunks[0] as Buffer)
        : Buffer.concat(this.#chunks, this.#bytes)
    const scan = this.#scan(window)
    this.ownerSeen ||= scan.ownerSeen
    for (const f of scan.foreign) {
      // A match inside the overlap is seen twice: keep each (id, field) once.
      if (!this.foreign.some((g) => g.id === f.id && g.field === f.field)) {
        this.foreign.push(f)
      }
    }
    if (carry) {
      const tail = Buffer.from(window.subarray(Math.max(0, window.length - OVERLAP_BYTES)))
      this.#chunks = [tail]
      this.#bytes = tail.length
      this.#seen = tail.length
    }
  }
}
