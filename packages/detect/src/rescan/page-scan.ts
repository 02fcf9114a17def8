// One body as a pass left it, kept for the next body of the same page: its bytes, text, candidates
// and checkpoints.
import type { Automaton } from '../automaton/automaton.js'
import { Candidates } from '../automaton/candidates.js'
import type { Snapshot } from '../index/snapshot.js'
import type { ScanResult } from '../scan/scan-result.js'
import type { Identity } from '../types.js'
import type { KeptTokens } from './token-change.js'
import { UnitBuffer } from '../text/unit-buffer.js'

/** Ints per checkpoint: byte offset, unit offset, automaton state, candidate ints so far. */
export const CP = 4

/** A scan's result and what it was made with. */
export interface KeptResult {
  snapshot: Snapshot<Identity>
  owner: string | undefined
  result: ScanResult<Identity>
  /** What checks of later bodies against this one learnt (rescan/token-change.ts). */
  tokens: KeptTokens
}

/**
 * What a kept scan holds besides its four arrays: the PageScan, its text's and candidates' objects
 * and the arrays' own headers (measured with the bench page: test/scan-cache-memory.test.ts).
 */
export const PAGE_OBJECT_BYTES = 900

export class PageScan {
  /** The body's bytes from offset 0 of their own buffer. */
  bytes: Buffer = Buffer.alloc(0)
  size = 0
  readonly text = new UnitBuffer(0)
  /** The candidates that stand for `text` (after NFC, those of a pass over the composed text). */
  readonly found = new Candidates()
  cps = new Int32Array(0)
  cpCount = 0
  /** The automaton the states and candidates belong to: another one (a swapped index) reuses nothing. */
  automaton: Automaton | undefined
  /** False after NFC rewrote the text: the checkpoints no longer describe it. */
  reusable = false
  /** The text holds a character that may compose under NFC: a body built on it is checked. */
  composes = false
  /** What scan() found in this body, without an allowlist: it stands for a body that differs only in tokens. */
  kept: KeptResult | undefined
  /** What `kept` holds, estimated when it was kept (ScanCache.keep). */
  keptBytes = 0

  /** The memory this scan holds, estimated: its arrays, its objects and its kept result. */
  get byteLength(): number {
    return (
      PAGE_OBJECT_BYTES +
      this.keptBytes +
      this.bytes.byteLength +
      this.text.units.byteLength +
      this.found.pairs.byteLength +
      this.cps.byteLength
    )
  }

  setBytes(body: Uint8Array): void {
    if (this.bytes.length < body.length) {
      this.bytes = Buffer.allocUnsafeSlow(body.length)
    }
    this.bytes.set(body)
    this.size = body.length
  }

  addCheckpoint(i: number, k: number, s: number, cc: number): void {
    const at = this.cpCount * CP
    if (this.cps.length < at + CP) {
      const grown = new Int32Array(Math.max(at + CP, this.cps.length * 2))
      grown.set(this.cps)
      this.cps = grown
    }
    this.cps[at] = i
    this.cps[at + 1] = k
    this.cps[at + 2] = s
    this.cps[at + 3] = cc
    this.cpCount++
  }
}

/**
 * Bytes equal from a.bytes[ai] and b.bytes[bi], up to either's end: natively compared spans,
 * halved until the first difference is within a few bytes. On the bench page that is 2.8x cheaper
 * than a loop over the bytes (bench/compare-run.ts, `npm run bench -w @crosstalk/detect`), and
 * a page of 100 KB costs a few native calls more than one of 2 KB.
 */
export function commonRun(a: PageScan, ai: number, b: PageScan, bi: number): number {
  const x = a.bytes
  const y = b.bytes
  let len = Math.min(a.size - ai, b.size - bi)
  let same = 0
  while (len > 16) {
    const half = len >> 1
    if (x.compare(y, bi + same, bi + same + half, ai + same, ai + same + half) === 0) {
      same += half
      len -= half
    } else {
      len = half
    }
  }
  while (len > 0 && x[ai + same] === y[bi + same]) {
    same++
    len--
  }
  return same
}
