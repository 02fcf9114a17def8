// The fused pass: one hand-written loop over a body's UTF-8 bytes that normalises it straight into
// UTF-16 code units and steps the automaton through each unit it emits, with no string decoded or
// built per response. An escape's output is never re-read, so `&amp;lt;` becomes `&lt;` (what the
// reader saw), not `<`. Its whole state lives in a Pass the caller owns.
import type { Automaton } from '../automaton/automaton.js'
import { Candidates } from '../automaton/candidates.js'
import { decodeEscapeAt } from '../text/decode-escape.js'
import type { Decoded } from '../text/decode-escape.js'
import { wordCharTable } from '../text/char-tables.js'
import { isInvisible, isSpace, plainPunctuation } from '../text/text-classes.js'
import type { UnitBuffer } from '../text/unit-buffer.js'
import { CODE_POINT_MASK, LENGTH_SHIFT, decodeUtf8At } from '../text/utf8.js'

const PLAIN = 0
const SPACE = 1
const OTHER_SPACE = 2
const AMP = 3
const BACKSLASH = 4
const LT = 5

const ASCII = new Uint8Array(128)
ASCII[0x20] = SPACE
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d]) {
  ASCII[c] = OTHER_SPACE
}
ASCII[0x26] = AMP
ASCII[0x5c] = BACKSLASH
ASCII[0x3c] = LT

/** A root table no character leaves: normalising without scanning. */
const NO_ROOT = new Int32Array(0x10000)

/**
 * Called by a pass at some loop boundaries right after a whitespace run (its space emitted, so the
 * pass's whole state there is the automaton's state): the seam the incremental rescan uses.
 */
export interface PassHooks {
  /** The pass calls at() at the first whitespace-run end at or past this byte offset. */
  next: number
  /** Stop the pass here when true. */
  at(i: number, k: number, s: number): boolean
}

const NO_HOOKS: PassHooks = { next: Infinity, at: () => false }

/**
 * How far past a whitespace-run end (where PassHooks.at() is called) the pass may have read to get
 * there: up to 3 bytes, to see whether the character there is a (multi-byte) space, or whether an
 * `<!--` before the run is closed by `-->` after it. Every other read stops before the run. Bytes
 * past this cannot change the pass's state at the run end. The rest is margin.
 */
export const PASS_LOOKAHEAD = 8

/**
 * A pass's inputs and where it stopped. Set the inputs (or call start()), then runPass(); `i`,
 * `k`, `s` and `nfc` then say where it ended. Owned by one caller at a time.
 */
export class Pass {
  bytes: Uint8Array = new Uint8Array(0)
  /** Decode escapes (bodies); false for markers and allowlist entries. */
  decode = true
  /** Receives the text from unit `k`; must hold as many units as the bytes left (never more). */
  out: Uint16Array = new Uint16Array(0)
  /** Stepped through each unit emitted; undefined normalises only. */
  automaton: Automaton | undefined
  /** Where the automaton records the patterns it reaches. */
  found = new Candidates()
  hooks: PassHooks = NO_HOOKS
  /** Byte offset to start at; after the pass, where it stopped (the length when it ran to the end). */
  i = 0
  /** Unit offset in `out`; after the pass, its end. */
  k = 0
  /** Automaton state. */
  s = 0
  /** A space was just emitted before `i`, so whitespace at `i` folds into it. */
  folded = false
  /** Set by the pass when it emitted a character that may compose under NFC (composeNfc). */
  nfc = false
  /** Scratch for decodeEscapeAt. */
  readonly escape: Decoded = { codePoint: 0, end: 0 }

  /** Prepares a pass over the whole of `bytes` into `out` from its start. */
  start(
    bytes: Uint8Array,
    decode: boolean,
    out: UnitBuffer,
    automaton: Automaton | undefined
  ): void {
    this.bytes = bytes
    this.decode = decode
    // Every byte sequence and escape yields no more UTF-16 units than it has bytes.
    this.out = out.reserve(bytes.length)
    this.automaton = automaton
    this.found.count = 0
    this.hooks = NO_HOOKS
    this.i = 0
    this.k = 0
    this.s = 0
    this.folded = false
  }
}

/**
 * Normalises `p.bytes` from offset `p.i` into `p.out` from unit `p.k`, stepping the automaton from
 * state `p.s`. Runs to the end or until hooks.at() stops it, and leaves where it stopped in `p`.
 */
export function runPass(p: Pass): void {
  const bytes = p.bytes
  const decode = p.decode
  const out = p.out
  const automaton = p.automaton
  const found = p.found
  const hooks = p.hooks
  const decoded = p.escape
  const n = bytes.length
  let i = p.i
  let k = p.k
  let s = p.s
  let needsNfc = false
  // Input offset right after an emitted space: whitespace starting there is folded into it.
  let spaceAt = p.folded ? i : -1
  // The automaton's state: each emitted unit goes through it, unless the state is the root and
  // no marker starts with the unit (one table read: the common case).
  const root = automaton === undefined ? NO_ROOT : automaton.scanRoot
  // A match counts only where no word character stands before it: the root is entered only there.
  const words = wordCharTable()
  while (i < n) {
    const c = bytes[i] as number
    let kind: number
    let length = 1
    if (c < 128) {
      kind = ASCII[c] as number
      if (kind === PLAIN) {
        out[k++] = c
        if (s !== 0 || (root[c] !== 0 && (k < 2 || words[out[k - 2] as number] !== 1))) {
          s = (automaton as Automaton).step(s, c, k, found)
        }
        i++
        continue
      }
    } else {
      const packed = decodeUtf8At(bytes, i, n)
      const cp = packed & CODE_POINT_MASK
      length = packed >> LENGTH_SHIFT
      if (isSpace(cp)) {
        kind = OTHER_SPACE
      } else {
        if (!isInvisible(cp)) {
          const from = k
          k = emit(out, k, cp)
          s = feed(automaton, root, found, out, from, k, s)
          // Below U+0300 nothing composes under NFC (no combining marks, no Hangul jamo).
          needsNfc ||= cp >= 0x300 && plainPunctuation(cp) < 0
        } else if (i === spaceAt) {
          // Dropped right after a space: whitespace after it still folds into that space.
          spaceAt = i + length
        }
        i += length
        continue
      }
    }
    if (kind === SPACE || kind === OTHER_SPACE) {
      let j = i + length
      while (j < n) {
        const b = bytes[j] as number
        // ASCII inline: calling the decoder here, even on a branch not taken, tripled the cost.
        if (b < 0x80) {
          if (b !== 0x20 && (b < 0x09 || b > 0x0d)) {
            break
          }
          j++
          continue
        }
        const packed = decodeUtf8At(bytes, j, n)
        if (!isSpace(packed & CODE_POINT_MASK)) {
          break
        }
        j += packed >> LENGTH_SHIFT
      }
      // Markers are trimmed: none starts with a space, so only a state off the root takes it.
      if (i !== spaceAt) {
        out[k++] = 0x20
        if (s !== 0) {
          s = (automaton as Automaton).step(s, 0x20, k, found)
        }
      }
      i = spaceAt = j
      if (j >= hooks.next && hooks.at(j, k, s)) {
        break
      }
      continue
    }
    // Most '<' open a tag: only `<!` can start the empty comment we drop.
    if (
      !decode ||
      (kind === LT && bytes[i + 1] !== 0x21) ||
      !decodeEscapeAt(bytes, i, n, decoded)
    ) {
      out[k++] = c
      if (s !== 0 || (root[c] !== 0 && (k < 2 || words[out[k - 2] as number] !== 1))) {
        s = (automaton as Automaton).step(s, c, k, found)
      }
      i++
      continue
    }
    const d = decoded.codePoint
    const end = decoded.end
    if (d >= 0 && isSpace(d)) {
      if (i !== spaceAt) {
        out[k++] = 0x20
        s = feed(automaton, root, found, out, k - 1, k, s)
      }
      spaceAt = end
    } else if (d >= 0 && isInvisible(d)) {
      if (i === spaceAt) {
        spaceAt = end
      }
    } else if (d >= 0) {
      const from = k
      k = emit(out, k, d)
      s = feed(automaton, root, found, out, from, k, s)
      needsNfc ||= d >= 0x300 && plainPunctuation(d) < 0
    } else if (i === spaceAt) {
      // An empty comment joins its neighbours and emits nothing: right after a space, whitespace
      // after it still folds into that space.
      spaceAt = end
    }
    i = end
  }
  p.i = i
  p.k = k
  p.s = s
  p.folded = i === spaceAt
  p.nfc = needsNfc
}

/** Steps the automaton through out[from, to); returns its state. Off the hot path. */
function feed(
  automaton: Automaton | undefined,
  root: Int32Array,
  found: Candidates,
  out: Uint16Array,
  from: number,
  to: number,
  s: number
): number {
  const words = wordCharTable()
  for (let k = from; k < to; k++) {
    const u = out[k] as number
    if (s !== 0 || (root[u] !== 0 && (k === 0 || words[out[k - 1] as number] !== 1))) {
      s = (automaton as Automaton).step(s, u, k + 1, found)
    }
  }
  return s
}

/** Writes `cp` (typographic punctuation as ASCII, astral as a surrogate pair); returns the new end. */
function emit(out: Uint16Array, k: number, cp: number): number {
  const plain = plainPunctuation(cp)
  if (plain >= 0) {
    out[k] = plain
    return k + 1
  }
  if (cp < 0x10000) {
    out[k] = cp
    return k + 1
  }
  out[k] = 0xd800 + ((cp - 0x10000) >> 10)
  out[k + 1] = 0xdc00 + ((cp - 0x10000) & 0x3ff)
  return k + 2
}

/**
 * Applies NFC to `buffer` after a pass flagged it (Pass.nfc: it emitted a character that may
 * compose). True when that changed the text; most flagged text (€, emoji, CJK) is NFC already.
 */
export function composeNfc(buffer: UnitBuffer): boolean {
  const text = buffer.toString()
  const composed = text.normalize('NFC')
  if (composed === text) {
    return false
  }
  buffer.setString(composed)
  return true
}

/**
 * Normalises all of `bytes` into `buffer` with `pass`, decoding escapes when `how.decode` (bodies;
 * not markers) and scanning into `pass.found` when given `how.automaton`. True when those
 * candidates stand for the text in `buffer`; false when NFC rewrote it afterwards and it must be
 * scanned anew.
 */
export function normalizeInto(
  bytes: Uint8Array,
  buffer: UnitBuffer,
  pass: Pass,
  how: { decode: boolean; automaton?: Automaton | undefined }
): boolean {
  pass.start(bytes, how.decode, buffer, how.automaton)
  runPass(pass)
  buffer.length = pass.k
  return !(pass.nfc && composeNfc(buffer))
}
