// Incremental detection. A VU that fetches a page again mostly gets the same bytes (its own name,
// the same template) and a few that change (a CSRF token, a timestamp, a counter). A pass over a
// body leaves checkpoints: its state at whitespace-run ends, every CHECKPOINT_SPACING bytes or
// so. The next body of that (VU, page) is compared with the last one, 8 or 4 bytes at a time.
// Where the bytes are equal, the last pass's output between two checkpoints is copied. Only the
// bytes around a difference are normalised and scanned, until the pass's state matches a
// checkpoint of the last pass again. The text, the candidates and the matches are exactly those
// of a full pass (rescan.property.test.ts).
import type { Automaton, AutomatonMatch } from './aho-corasick.js'
import { PASS_LOOKAHEAD, composeNfc, normalizePass, passEnd } from './normalize.js'
import type { PassHooks } from './normalize.js'
import { UnitBuffer } from './unit-buffer.js'

/** Bytes between a pass's checkpoints, at least: a smaller gap rescans less and stores more. */
export const CHECKPOINT_SPACING = 64

// Read through local names: a transpiler may turn each use of an import into a getter call.
const pass = passEnd
const LOOKAHEAD = PASS_LOOKAHEAD

/** Ints per checkpoint: byte offset, unit offset, automaton state, candidate entries so far. */
const CP = 4

/** One body as a pass left it: its bytes, text, candidates, checkpoints and matches. */
export class PageScan {
  /** The body's bytes from offset 0 of their own buffer, viewed 4 and 8 at a time too. */
  bytes: Buffer = Buffer.alloc(0)
  words: Int32Array = new Int32Array(0)
  doubles: Float64Array = new Float64Array(0)
  size = 0
  readonly text = new UnitBuffer(0)
  pairs = new Int32Array(0)
  pairCount = 0
  cps = new Int32Array(0)
  cpCount = 0
  matches: AutomatonMatch[] = []
  /** False after NFC rewrote the text: the checkpoints no longer describe it. */
  reusable = false
  /** The text holds a character that may compose under NFC: a body built on it is checked. */
  composes = false

  get byteLength(): number {
    return (
      this.bytes.byteLength +
      this.text.units.byteLength +
      this.pairs.byteLength +
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

  keepPairs(pairs: Int32Array, count: number): void {
    if (this.pairs.length < count) {
      this.pairs = new Int32Array(count)
    }
    this.pairs.set(pairs.subarray(0, count))
    this.pairCount = count
  }
}

/**
 * Bytes equal from a.bytes[ai] and b.bytes[bi], up to either's end: 8 or 4 at a time when the two
 * offsets are equally aligned (always, unless a change altered the length by other than a
 * multiple of 4).
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
      // Equal doubles have equal bits, but for +0 and -0 (the sign, in the high word) and NaN
      // (never equal: the bytes after it are compared one by one). Four at a time while none is
      // zero, then one at a time.
      while (w + 3 < to) {
        const v0 = xd[w] as number
        const v1 = xd[w + 1] as number
        const v2 = xd[w + 2] as number
        const v3 = xd[w + 3] as number
        if (
          v0 !== yd[w + shift] ||
          v1 !== yd[w + 1 + shift] ||
          v2 !== yd[w + 2 + shift] ||
          v3 !== yd[w + 3 + shift] ||
          v0 === 0 ||
          v1 === 0 ||
          v2 === 0 ||
          v3 === 0
        ) {
          break
        }
        w += 4
      }
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

/**
 * Scans one body into a PageScan, reusing the last PageScan of the same (VU, page) when there is
 * one. Its at() is the pass's hook: it records checkpoints, and past a difference it stops the pass
 * where the state matches a checkpoint of the last body again.
 */
export class Rescanner implements PassHooks {
  next = Infinity
  /** Bytes normalised and scanned so far (the rest were copied): for tests and benchmarks. */
  scannedBytes = 0
  readonly #spacing: number
  #work = new PageScan()
  #prev: PageScan | undefined
  #automaton: Automaton | undefined
  /** Byte offset of the work's last checkpoint. */
  #lastCp = 0
  /** A pass resyncs only at or past this byte offset of the new body (where it differs). */
  #after = Infinity
  /** Alignments (new offset minus old) tried for a resync, and each one's next old checkpoint. */
  readonly #shift = [0, 0]
  readonly #cursor = [0, 0]
  /** Where the last resync landed: the old checkpoint and the alignment. */
  #syncCp = -1
  #syncShift = 0

  constructor(spacing = CHECKPOINT_SPACING) {
    this.#spacing = spacing
  }

  /**
   * Scans `body` into `work`, from `prev` (the last body of the same VU and page) when there is
   * one. Returns the scan of `body`: `prev` itself when the two are equal byte for byte.
   */
  scan(prev: PageScan | undefined, work: PageScan, body: Buffer, automaton: Automaton): PageScan {
    const n = body.length
    work.setBytes(body)
    work.text.length = 0
    const out = work.text.reserve(n)
    work.cpCount = 0
    automaton.begin()
    this.#work = work
    this.#automaton = automaton
    this.#lastCp = 0
    this.#prev = prev?.reusable === true ? prev : undefined
    this.#after = Infinity
    let k: number
    let nfc = false
    if (this.#prev === undefined) {
      this.#plan()
      normalizePass(body, true, out, 0, 0, 0, false, automaton, this)
      this.scannedBytes += n
      k = pass.k
      nfc = pass.nfc
    } else {
      const old = this.#prev
      // Synced: new offset x stands where old checkpoint `at` does (-1: both at the start).
      let x = 0
      let at = -1
      let shift = 0
      let s = 0
      k = 0
      for (;;) {
        const xOld = at < 0 ? 0 : (old.cps[at * CP] as number)
        const same = commonRun(work, x, old, xOld)
        const differsAt = x + same
        if (x + same === n && xOld + same === old.size) {
          if (at < 0) {
            // The same body byte for byte: its scan stands as it is.
            this.#prev = undefined
            return old
          }
          k = this.#copy(old, at, -1, shift, out, k)
          break
        }
        // Copy up to the last old checkpoint whose state the equal bytes still decide.
        let to = at
        while (
          to + 1 < old.cpCount &&
          (old.cps[(to + 1) * CP] as number) + LOOKAHEAD <= xOld + same
        ) {
          to++
        }
        if (to > at) {
          k = this.#copy(old, at, to, shift, out, k)
          at = to
          x = (old.cps[to * CP] as number) + shift
          s = old.cps[to * CP + 2] as number
        }
        this.#after = differsAt
        this.#shift[0] = shift
        this.#shift[1] = n - old.size
        this.#cursor[0] = this.#cursor[1] = at + 1
        this.#plan()
        normalizePass(body, true, out, x, k, s, at >= 0, automaton, this)
        this.scannedBytes += pass.i - x
        nfc ||= pass.nfc
        k = pass.k
        if (pass.i >= n) {
          break
        }
        x = pass.i
        s = pass.s
        at = this.#syncCp
        shift = this.#syncShift
      }
    }
    work.text.length = k
    // Copied text may compose with what the pass wrote next to it: check when either may.
    nfc ||= this.#prev?.composes === true
    work.composes = nfc
    if (nfc && composeNfc(work.text)) {
      work.matches = automaton.scanUnits(work.text.units, work.text.length)
      work.reusable = false
    } else {
      work.matches = automaton.finish(out, k)
      work.keepPairs(automaton.recordedPairs, automaton.recorded)
      work.reusable = true
    }
    this.#prev = undefined
    this.#automaton = undefined
    return work
  }

  at(i: number, k: number, s: number): boolean {
    const automaton = this.#automaton as Automaton
    let synced = false
    const old = this.#prev
    if (old !== undefined && i > this.#after) {
      for (let a = 0; a < 2 && !synced; a++) {
        const shift = this.#shift[a] as number
        let c = this.#cursor[a] as number
        while (c < old.cpCount && (old.cps[c * CP] as number) + shift < i) {
          c++
        }
        this.#cursor[a] = c
        if (
          c < old.cpCount &&
          (old.cps[c * CP] as number) + shift === i &&
          old.cps[c * CP + 2] === s
        ) {
          synced = true
          this.#syncCp = c
          this.#syncShift = shift
        }
      }
    }
    if (synced || i - this.#lastCp >= this.#spacing) {
      this.#work.addCheckpoint(i, k, s, automaton.recorded)
      this.#lastCp = i
    }
    this.#plan()
    return synced
  }

  /** The next offset at() wants to see: a checkpoint due, or an old checkpoint to resync at. */
  #plan(): void {
    let next = this.#lastCp + this.#spacing
    const old = this.#prev
    if (old !== undefined && this.#after !== Infinity) {
      for (let a = 0; a < 2; a++) {
        const c = this.#cursor[a] as number
        if (c < old.cpCount) {
          next = Math.min(
            next,
            Math.max(this.#after + 1, (old.cps[c * CP] as number) + this.#shift[a]!)
          )
        }
      }
    }
    this.next = next
  }

  /**
   * Appends the old pass's output between its checkpoints `from` and `to` (-1: its start; as
   * `to`, its end) to the work at unit `k`: text, candidates and checkpoints, moved by the
   * alignment `shift`. Returns the work's unit offset after it.
   */
  #copy(
    old: PageScan,
    from: number,
    to: number,
    shift: number,
    out: Uint16Array,
    k: number
  ): number {
    const automaton = this.#automaton as Automaton
    const cps = old.cps
    const fromK = from < 0 ? 0 : (cps[from * CP + 1] as number)
    const fromC = from < 0 ? 0 : (cps[from * CP + 3] as number)
    const toK = to < 0 ? old.text.length : (cps[to * CP + 1] as number)
    const toC = to < 0 ? old.pairCount : (cps[to * CP + 3] as number)
    const unitShift = k - fromK
    const pairShift = automaton.recorded - fromC
    out.set(old.text.units.subarray(fromK, toK), k)
    automaton.replay(old.pairs, fromC, toC, unitShift)
    const last = to < 0 ? old.cpCount - 1 : to
    for (let c = from + 1; c <= last; c++) {
      const i = (cps[c * CP] as number) + shift
      this.#work.addCheckpoint(
        i,
        (cps[c * CP + 1] as number) + unitShift,
        cps[c * CP + 2] as number,
        (cps[c * CP + 3] as number) + pairShift
      )
      this.#lastCp = i
    }
    return k + toK - fromK
  }
}
