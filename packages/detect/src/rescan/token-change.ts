// A session's next page mostly differs from its last one in tokens: a CSRF token, a nonce, a
// timestamp, ASCII of the same length. Such a change cannot change what a scan finds unless a
// match could touch it, and that is decided on the bytes alone, without normalising or scanning:
//
// - A changed byte is a token byte (a letter, a digit, or one of `-_.+/=`) in both bodies, and
//   sits in a run of token bytes (the same run in both: every other byte is equal) whose
//   neighbours are plain: no escape (`&`, `\`, `;`, `&#`), empty comment (`<!`, `->`), or
//   non-ASCII byte (a letter, an invisible or combining character) that could join the run to
//   its neighbours in the text, or decode differently, next to it.
// - In the text, a run's words (its letters and digits) and punctuation are its bytes, one unit
//   each, at the same offsets in both bodies. A match never splits a word (no letter or digit may
//   touch it), so a match that covers or touches a changed byte holds a whole word of that run,
//   unless it reaches the changed byte through punctuation only from beyond the run's ends (it
//   then holds the byte beyond: a changed punctuation stretch at an end is refused when some
//   pattern holds that byte) or is punctuation only (an index with such a pattern: any changed
//   punctuation is refused).
// - So when no word of such a run, in either body, is a word of a pattern or of an id context's
//   name (word-set.ts), no match covers or touches a change; one-word ids count only where what
//   stands before the word could open their context (`"`, `'`, `:`, `=`, `/`, a space, or a byte
//   that may decode to one). Contexts read their names (whole words) and the punctuation around
//   a value, which is the same in both bodies. The matches are then the same, at the same offsets:
//   token-change.property.test.ts checks that against full scans.
import type { Snapshot } from '../index/snapshot.js'
import type { Identity } from '../types.js'
import { HASH_START, ID_WORD, NO_WORD, foldAscii, hashEnd, hashStep } from '../index/word-set.js'
import type { PageScan } from './page-scan.js'
import { commonRun } from './page-scan.js'

/** What a byte is here: a letter or digit (WORD), token punctuation (PUNCT), or neither (0)... */
const WORD = 1
const PUNCT = 2
/** ...and whether, before a word, it may give the unit an id's context needs before its value. */
const OPENER = 4
const KIND = new Uint8Array(256)
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c)
  const kind = /[A-Za-z0-9]/.test(ch) ? WORD : '-_.+/='.includes(ch) ? PUNCT : 0
  // A space or control byte, a non-ASCII one, and what ends an escape or a comment may too.
  const opener = c <= 0x20 || c >= 0x80 || '"\':=/;>&\\<'.includes(ch)
  KIND[c] = kind | (opener ? OPENER : 0)
}
const TOKEN = WORD | PUNCT

/** Words a kept body's runs were found to hold, at most this many: no marker's, for its snapshot. */
const MAX_CLEAN = 64

/**
 * Decides whether a body stands for the kept one (sameMatches). Owned by one ScanCache: its
 * scratch list holds the new body's words checked in one call (a CSRF token appears three times).
 */
export class TokenChanges {
  readonly #checked: number[] = []

  /**
   * Whether `now` (a body of the same length as `old`'s, its bytes set) must yield exactly the
   * matches `old`'s body yielded under `snapshot`, at the same offsets. False when unsure.
   * `clean` holds (and gains) words of `old`'s body that no pattern of `snapshot` holds.
   */
  sameMatches<T extends Identity>(
    old: PageScan,
    now: PageScan,
    snapshot: Snapshot<T>,
    clean: number[]
  ): boolean {
    const n = now.size
    if (old.size !== n) {
      return false
    }
    const x = now.bytes
    const y = old.bytes
    this.#checked.length = 0
    let i = 0
    for (;;) {
      i += commonRun(now, i, old, i)
      if (i >= n) {
        return true
      }
      if (
        ((KIND[x[i] as number] as number) & TOKEN) === 0 ||
        ((KIND[y[i] as number] as number) & TOKEN) === 0
      ) {
        return false
      }
      // The run of token bytes around i: the same run in both bodies.
      let a = i
      while (a > 0 && ((KIND[x[a - 1] as number] as number) & TOKEN) !== 0) {
        a--
      }
      let b = i + 1
      while (b < n) {
        const c = x[b] as number
        if (c === y[b]) {
          if (((KIND[c] as number) & TOKEN) === 0) {
            break
          }
        } else if (
          ((KIND[c] as number) & TOKEN) === 0 ||
          ((KIND[y[b] as number] as number) & TOKEN) === 0
        ) {
          return false
        }
        b++
      }
      if (
        !plainBefore(x, a) ||
        !plainAfter(x, b, n) ||
        !apart(x, y, a, b, n, snapshot, this.#checked, false) ||
        !apart(y, x, a, b, n, snapshot, clean, true)
      ) {
        return false
      }
      i = b
    }
  }
}

/** No escape, comment or non-ASCII character ends right before `a`. */
function plainBefore(x: Uint8Array, a: number): boolean {
  if (a === 0) {
    return true
  }
  const c = x[a - 1] as number
  if (c >= 0x80 || c === 0x26 || c === 0x5c || c === 0x3b) {
    return false
  }
  // `&#` (a character reference), `->` (the end of a comment).
  return !((c === 0x23 && x[a - 2] === 0x26) || (c === 0x3e && x[a - 2] === 0x2d))
}

/** No escape, comment or non-ASCII character starts at `b`. */
function plainAfter(x: Uint8Array, b: number, n: number): boolean {
  if (b === n) {
    return true
  }
  const c = x[b] as number
  return !(c >= 0x80 || c === 0x26 || c === 0x5c || (c === 0x3c && x[b + 1] === 0x21))
}

/** Whether some pattern holds the unit a plain ASCII byte `c` becomes (whitespace: a space). */
function held<T extends Identity>(layers: Snapshot<T>['layers'], c: number): boolean {
  const unit = c === 0x20 || (c >= 0x09 && c <= 0x0d) ? 0x20 : c
  for (const layer of layers) {
    if (layer.index.ascii[unit] === 1) {
      return true
    }
  }
  return false
}

/** Some pattern has no word. */
function wordless<T extends Identity>(layers: Snapshot<T>['layers']): boolean {
  for (const layer of layers) {
    if (layer.index.wordless) {
      return true
    }
  }
  return false
}

/**
 * Whether no match of `snapshot` may touch a changed byte of the token run z[a, b) of a body of
 * `n` bytes (`other` is the other body): no word of it is a marker's or a context name's word,
 * and no changed punctuation stretch reaches an end of the run next to a byte a pattern holds.
 * Words in `known` were found in no pattern before; a word found in none joins it (`keep`:
 * for good, up to MAX_CLEAN; else for this call).
 */
function apart<T extends Identity>(
  z: Uint8Array,
  other: Uint8Array,
  a: number,
  b: number,
  n: number,
  snapshot: Snapshot<T>,
  known: number[],
  keep: boolean
): boolean {
  const layers = snapshot.layers
  let j = a
  while (j < b) {
    if (((KIND[z[j] as number] as number) & WORD) !== 0) {
      const w = j
      let h = HASH_START
      while (j < b && ((KIND[z[j] as number] as number) & WORD) !== 0) {
        h = hashStep(h, foldAscii(z[j] as number))
        j++
      }
      const hash = hashEnd(h)
      if (!known.includes(hash)) {
        let kind = NO_WORD
        for (const layer of layers) {
          kind = Math.max(kind, layer.index.wordKind(hash))
        }
        if (kind === NO_WORD) {
          if (!keep || known.length < MAX_CLEAN) {
            known.push(hash)
          }
        } else if (
          kind !== ID_WORD ||
          (w > 0 && ((KIND[z[w - 1] as number] as number) & OPENER) !== 0)
        ) {
          return false
        }
      }
    } else {
      const from = j
      let changed = false
      while (j < b && ((KIND[z[j] as number] as number) & PUNCT) !== 0) {
        changed ||= z[j] !== other[j]
        j++
      }
      if (
        changed &&
        ((from === a && a > 0 && held(layers, z[a - 1] as number)) ||
          (j === b && b < n && held(layers, z[b] as number)) ||
          wordless(layers))
      ) {
        return false
      }
    }
  }
  return true
}
