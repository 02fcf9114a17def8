// One body as a pass left it, kept for the next body of the same page: its bytes (viewed 4 and 8
// at a time for the comparison), text, candidates and checkpoints.
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

export class PageScan {
  /** The body's bytes from offset 0 of their own buffer, viewed 4 and 8 at a time too. */
  bytes: Buffer = Buffer.alloc(0)
  words: Int32Array = new Int32Array(0)
  doubles: Float64Array = new Float64Array(0)
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

  get byteLength(): number {
    return (
      this.bytes.byteLength +
      this.text.units.byteLength +
      this.found.pairs.byteLength +
      this.cps.byteLength
    )
  }

  setBytes(body: Uint8Array): void {
    if (this.bytes.length < body.length) {
      this.bytes = Buffer.allocUnsafeSlow((body.length + 7) & ~7)
      this.words = new Int32Array(this.bytes.buffer, 0, this.bytes.length >> 2)
      this.doubles = new Float64Array(this.bytes.buffer, 0, this.bytes.length >> 3)
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
 * Bytes equal from a.bytes[ai] and b.bytes[bi], up to either's end: 8 or 4 at a time when the two
 * offsets are equally aligned (always, unless a change altered the length by other than a
 * multiple of 4). The 8-byte path makes a cached scan of the bench page 8 % cheaper than 4 bytes
 * at a time (0.50 against 0.66 µs of a 1.98 µs scan; 4 at a time is 4x cheaper than 1 at a
 * time): bench/compare-run.ts, `npm run bench -w @crosstalk/detect`.
 */
export function commonRun(a: PageScan, ai: number, b: PageScan, bi: number): number {
  const len = Math.min(a.size - ai, b.size - bi)
  const x = a.bytes
  const y = b.bytes
  const align = ((ai - bi) & 7) === 0 ? 8 : ((ai - bi) & 3) === 0 ? 4 : 1
  let i = 0
  if (align > 1) {
    while (i < len && ((ai + i) & (align - 1)) !== 0) {
      if (x[ai + i] !== y[bi + i]) {
        return i
      }
      i++
    }
    const from = (ai + i) / align
    const shift = (bi + i) / align - from
    const to = from + Math.floor((len - i) / align)
    const xw = a.words
    const yw = b.words
    let w = from
    if (align === 8) {
      const xd = a.doubles
      const yd = b.doubles
      // Equal doubles have equal bits, but for +0 and -0 (the sign is in the high word) and NaN
      // (never equal: the bytes after it are compared one by one).
      while (w < to) {
        const v = xd[w] as number
        if (v !== yd[w + shift] || (v === 0 && xw[2 * w + 1] !== yw[2 * (w + shift) + 1])) {
          break
        }
        w++
      }
    } else {
      while (w < to && xw[w] === yw[w + shift]) {
        w++
      }
    }
    i += (w - from) * align
  } else if (len > 64 && y.compare(x, ai, ai + len, bi, bi + len) === 0) {
    return len
  }
  while (i < len && x[ai + i] === y[bi + i]) {
    i++
  }
  return i
}
