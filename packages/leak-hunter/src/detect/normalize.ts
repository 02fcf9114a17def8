import type { Automaton } from './aho-corasick.js'
import { decodeEscapeAt, decoded } from './decode-escape.js'
import { isInvisible, isSpace, plainPunctuation } from './text-classes.js'
import { UnitBuffer } from './unit-buffer.js'
import { CODE_POINT_MASK, LENGTH_SHIFT, decodeUtf8At } from './utf8.js'

// One hand-written pass over the body's UTF-8 bytes, straight into UTF-16 code units: no string
// is decoded or built per response. An escape's output is never re-read, so `&amp;lt;` becomes
// `&lt;` (what the reader saw), not `<`.

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

/** Reused by the string entry points below; the detector passes its own buffer. */
const scratch = new UnitBuffer()

/**
 * Turns a response body into the text a reader would see, so markers match however the server encoded
 * them: HTML character references (named, decimal, hex), JSON string escapes, React's empty comments
 * between text nodes, invisible characters dropped, whitespace runs (incl. &nbsp;) as one space, then
 * Unicode NFC. Applied to every text content type: HTML embeds JSON state, JSON embeds HTML snippets.
 * Bytes are read as UTF-8; a string is taken as its UTF-8 encoding.
 */
export function normalizeBody(body: string | Uint8Array, contentType?: string): string {
  normalizeBodyInto(body, contentType, scratch)
  return scratch.toString()
}

/**
 * normalizeBody into `out`'s code units, with no string built (the detector's hot path). With
 * `automaton`, the text is scanned in the same pass: true when its candidates (automaton.finish)
 * then stand for `out`; false when NFC changed the text afterwards and it must be scanned anew.
 */
export function normalizeBodyInto(
  body: string | Uint8Array,
  contentType: string | undefined,
  out: UnitBuffer,
  automaton?: Automaton
): boolean {
  if (contentType !== undefined && isBinaryType(contentType)) {
    automaton?.begin()
    out.length = 0
    return true
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  return normalizeInto(bytes, true, out, automaton)
}

/** Normalises a marker or allowlist entry the way bodies are, minus escape decoding. */
export function normalizeMarker(value: string): string {
  normalizeInto(Buffer.from(value, 'utf8'), false, scratch, undefined)
  return scratch.toString().trim()
}

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

/** Where normalizePass stopped: `i` is the body's length when it ran to the end. */
export const passEnd = { i: 0, k: 0, s: 0, nfc: false }

/**
 * How far past a whitespace-run end (where PassHooks.at() is called) the pass may have read to get
 * there: up to 3 bytes, to see whether the character there is a (multi-byte) space, or whether an
 * `<!--` before the run is closed by `-->` after it. Every other read stops before the run. Bytes
 * past this cannot change the pass's state at the run end. The rest is margin.
 */
export const PASS_LOOKAHEAD = 8

function normalizeInto(
  bytes: Uint8Array,
  decode: boolean,
  buffer: UnitBuffer,
  automaton: Automaton | undefined
): boolean {
  automaton?.begin()
  // Every byte sequence and escape yields no more UTF-16 units than it has bytes.
  normalizePass(bytes, decode, buffer.reserve(bytes.length), 0, 0, 0, false, automaton, NO_HOOKS)
  buffer.length = passEnd.k
  return !(passEnd.nfc && composeNfc(buffer))
}

/**
 * Applies NFC to `buffer` after a pass flagged it (passEnd.nfc: it emitted a character that may
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
 * Normalises `bytes` from offset `i` into `out` from unit `k`, stepping the automaton from state
 * `s` (`folded`: a space was just emitted, so whitespace at `i` folds into it). Runs to the end
 * or until hooks.at() stops it; the state reached is in passEnd. `nfc` is set when the text may
 * need NFC (composeNfc).
 */
export function normalizePass(
  bytes: Uint8Array,
  decode: boolean,
  out: Uint16Array,
  i: number,
  k: number,
  s: number,
  folded: boolean,
  automaton: Automaton | undefined,
  hooks: PassHooks
): void {
  const n = bytes.length
  let needsNfc = false
  // Input offset right after an emitted space: whitespace starting there is folded into it.
  let spaceAt = folded ? i : -1
  // The automaton's state: each emitted unit goes through it, unless the state is the root and
  // no marker starts with the unit (one table read: the common case).
  const root = automaton === undefined ? NO_ROOT : automaton.scanRoot
  while (i < n) {
    const c = bytes[i] as number
    let kind: number
    let length = 1
    if (c < 128) {
      kind = ASCII[c] as number
      if (kind === PLAIN) {
        out[k++] = c
        if (s !== 0 || root[c] !== 0) {
          s = (automaton as Automaton).step(s, c, k)
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
          s = feed(automaton, root, out, from, k, s)
          // Below U+0300 nothing composes under NFC (no combining marks, no Hangul jamo).
          needsNfc ||= cp >= 0x300 && plainPunctuation(cp) < 0
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
          s = (automaton as Automaton).step(s, 0x20, k)
        }
      }
      i = spaceAt = j
      if (j >= hooks.next && hooks.at(j, k, s)) {
        break
      }
      continue
    }
    // Most '<' open a tag: only `<!` can start the empty comment we drop.
    if (!decode || (kind === LT && bytes[i + 1] !== 0x21) || !decodeEscapeAt(bytes, i, n)) {
      out[k++] = c
      if (s !== 0 || root[c] !== 0) {
        s = (automaton as Automaton).step(s, c, k)
      }
      i++
      continue
    }
    const d = decoded.codePoint
    const end = decoded.end
    if (d >= 0 && isSpace(d)) {
      if (i !== spaceAt) {
        out[k++] = 0x20
        s = feed(automaton, root, out, k - 1, k, s)
      }
      spaceAt = end
    } else if (d >= 0 && isInvisible(d)) {
      if (i === spaceAt) {
        spaceAt = end
      }
    } else if (d >= 0) {
      // An empty comment (-1) joins its neighbours and emits nothing.
      const from = k
      k = emit(out, k, d)
      s = feed(automaton, root, out, from, k, s)
      needsNfc ||= d >= 0x300 && plainPunctuation(d) < 0
    }
    i = end
  }
  passEnd.i = i
  passEnd.k = k
  passEnd.s = s
  passEnd.nfc = needsNfc
}

/** Steps the automaton through out[from, to); returns its state. Off the hot path. */
function feed(
  automaton: Automaton | undefined,
  root: Int32Array,
  out: Uint16Array,
  from: number,
  to: number,
  s: number
): number {
  for (let k = from; k < to; k++) {
    const u = out[k] as number
    if (s !== 0 || root[u] !== 0) {
      s = (automaton as Automaton).step(s, u, k + 1)
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

/** The last content type asked about: a run sees the same one or two on every response. */
let lastType: string | undefined
let lastBinary = false

export function isBinaryType(contentType: string): boolean {
  if (contentType !== lastType) {
    lastType = contentType
    lastBinary = binaryType(contentType.trim().toLowerCase())
  }
  return lastBinary
}

function binaryType(type: string): boolean {
  return (
    (type.startsWith('image/') && !type.startsWith('image/svg')) ||
    type.startsWith('audio/') ||
    type.startsWith('video/') ||
    type.startsWith('font/') ||
    type.startsWith('application/octet-stream') ||
    type.startsWith('application/zip') ||
    type.startsWith('application/pdf')
  )
}
