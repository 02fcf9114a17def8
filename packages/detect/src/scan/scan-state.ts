// The buffers a scan works in, owned by the caller: no module state carries anything from one
// scan to the next.
import { Candidates } from '../automaton/candidates.js'
import { AllowlistScratch } from '../allowlist/allowlist.js'
import { Pass } from '../pass/normalize-pass.js'
import { UnitBuffer } from '../text/unit-buffer.js'

/**
 * Reusable buffers for scan(). One per thread serves a whole server, since scan() is synchronous;
 * without one, each scan allocates its own. A ScanResult's text() reads them, so it is valid
 * until the state's next scan.
 */
export class ScanState {
  /** Counts scans: a result's text() is valid while this is the count it saw. */
  generation = 0
  /** The normalised text of the last body scanned without a cache. */
  readonly text = new UnitBuffer()
  /** The fused pass; its `found` holds the base automaton's candidates. */
  readonly pass = new Pass()
  /** Candidates of a live index's overlay. */
  readonly overlayFound = new Candidates()
  readonly allowlist = new AllowlistScratch()
  /** The chunks of a streamed body, joined. */
  #joined: Buffer = Buffer.alloc(0)

  /** `body` as one run of bytes (a string as UTF-8; chunks joined into a reused buffer). */
  bytesOf(body: string | Uint8Array | readonly Uint8Array[]): Uint8Array {
    if (typeof body === 'string') {
      return Buffer.from(body, 'utf8')
    }
    if (!Array.isArray(body)) {
      return body as Uint8Array
    }
    const chunks = body as readonly Uint8Array[]
    if (chunks.length === 1) {
      return chunks[0] as Uint8Array
    }
    let size = 0
    for (const chunk of chunks) {
      size += chunk.length
    }
    if (this.#joined.length < size) {
      this.#joined = Buffer.allocUnsafeSlow(Math.max(size, this.#joined.length * 2))
    }
    let at = 0
    for (const chunk of chunks) {
      this.#joined.set(chunk, at)
      at += chunk.length
    }
    return this.#joined.subarray(0, size)
  }
}

export function createScanState(): ScanState {
  return new ScanState()
}
