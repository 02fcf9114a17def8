// A session's next page mostly differs from its last one in tokens: a CSRF token, a nonce, a
// timestamp, ASCII of the same length. Such a change cannot change what a scan finds unless a
// match could touch it, and that is decided on the bytes alone, without normalising or scanning:
//
// - A changed byte is a token byte (a letter, a digit, or one of `-_.+/=`) in both bodies, and
//   sits in a run of token bytes (the same run in both: every other byte is equal) whose
//   neighbours are plain: no escape (`&`, `\`, `;`, `&#`), empty comment (`<!`, `->`), or
//   non-ASCII byte (a letter, an invisible or combining character) that could join the run to
//   its neighbours in the text, or decode differently, next to it; and the run is not where the
//   dashes of an empty comment's `<!--` or `-->` stand (after `<!`, before `>`), which a change
//   could make or unmake.
// - In the text, a run's words (its letters and digits) and punctuation are its bytes, one unit
//   each, at the same offsets in both bodies. A match never splits a word (no letter or digit may
//   touch it), so a match that covers or touches a changed byte holds a whole word of that run,
//   unless it reaches the changed byte through punctuation only from beyond the run's ends (it
//   then holds the byte beyond: a changed punctuation stretch at an end is refused when some
//   pattern holds that byte) or is punctuation only (an index with such a pattern, or with an id
//   context's name that has punctuation with no word beside it, such as `"-"`: any changed
//   punctuation is refused).
// - A match that holds a word holds the units its pattern has around that word too. So when no
//   word of such a run, in either body, is a word some pattern has between the units it stands
//   between (or at the pattern's start or end), nor a one-word id's value where a context may
//   hold an id (the units around it decide: idMayStand), nor a word of an id context's name
//   (word-set.ts, CompiledIndex.wordAt), no match covers or touches a change. Contexts read their
//   names (whole words) and the punctuation around a value, which is the same in both bodies.
//   The matches are then the same, at the same offsets: token-change.property.test.ts checks
//   that against full scans.
import type { Snapshot } from '../index/snapshot.js'
import type { Identity } from '../types.js'
import { HERE, NOWHERE } from '../index/compiled-index.js'
import {
  EDGE,
  HASH_START,
  TOKEN_PUNCTUATION,
  foldAscii,
  hashEnd,
  hashStep,
} from '../index/word-set.js'
import type { PageScan } from './page-scan.js'
import { commonRun } from './page-scan.js'

/** What a byte is here: a letter or digit (WORD), token punctuation (PUNCT), or neither (0). */
const WORD = 1
const PUNCT = 2
const KIND = new Uint8Array(256)
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c)
  KIND[c] = /[A-Za-z0-9]/.test(ch) ? WORD : TOKEN_PUNCTUATION.includes(ch) ? PUNCT : 0
}
const TOKEN = WORD | PUNCT

/** Words a kept body's runs were found to hold, at most this many: no marker's, for its snapshot. */
const MAX_CLEAN = 64
/** Token runs kept for #quick, at most this many (two ints each): more go to the full check. */
const MAX_RUNS = 16
/** What a kept body's KeptTokens may hold at most: its two lists full, numbers of 8 bytes. */
export const KEPT_TOKENS_BYTES = 8 * (MAX_CLEAN + 2 * MAX_RUNS) + 64

/** What a kept body's check learnt, for the next body of its page. */
export interface KeptTokens {
  /** Hashes of words of the kept body that no pattern of its snapshot holds. */
  clean: number[]
  /**
   * The token runs [a, b) the last body that stood for it differed in, when the kept body's side
   * of them holds whatever the other bytes are: the next body is then compared outside them
   * natively and checked inside them alone. Undefined until then, and for more than MAX_RUNS.
   */
  runs: number[] | undefined
}

/** apart(): a match may touch the run; none may; none may, but only since the other body... */
const TOUCHED = 0
const APART = 1
/** ...leaves some punctuation at the run's end unchanged. */
const APART_AS_IT_IS = 2

/**
 * Decides whether a body stands for the kept one. Owned by one ScanCache: its scratch lists hold
 * the new body's words checked in one call (a CSRF token appears three times) and the runs found.
 */
export class TokenChanges {
  readonly #checked: number[] = []
  readonly #runs: number[] = []

  /**
   * Whether `body` (as long as `old`'s) must yield exactly the matches `old`'s body yielded under
   * `snapshot`, at the same offsets. False when unsure. `scratch` is a PageScan to copy the body
   * into when the quick check (outside the last runs, natively) cannot decide.
   */
  sameMatches<T extends Identity>(
    old: PageScan,
    body: Uint8Array,
    scratch: PageScan,
    snapshot: Snapshot<T>,
    kept: KeptTokens
  ): boolean {
    if (old.size !== body.length) {
      return false
    }
    this.#checked.length = 0
    const quick = kept.runs === undefined ? undefined : this.#quick(old, body, snapshot, kept.runs)
    if (quick !== undefined) {
      return quick
    }
    scratch.setBytes(body)
    return this.#full(old, scratch, snapshot, kept)
  }

  /**
   * The next body against the runs the last one differed in: undefined when it differs outside
   * them (then the full check decides), else whether it stands.
   */
  #quick<T extends Identity>(
    old: PageScan,
    x: Uint8Array,
    snapshot: Snapshot<T>,
    runs: readonly number[]
  ): boolean | undefined {
    const y = old.bytes
    const n = x.length
    let at = 0
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r] as number
      const b = runs[r + 1] as number
      if (a > at && y.compare(x, at, a, at, a) !== 0) {
        return undefined
      }
      // The run's neighbours are equal and were plain; its kept side holds whatever this one is.
      if (apart(x, y, a, b, n, snapshot, this.#checked, false) === TOUCHED) {
        return false
      }
      at = b
    }
    return at < n && y.compare(x, at, n, at, n) !== 0 ? undefined : true
  }

  /** Every difference found and checked, both sides; the runs kept for #quick when they may be. */
  #full<T extends Identity>(
    old: PageScan,
    now: PageScan,
    snapshot: Snapshot<T>,
    kept: KeptTokens
  ): boolean {
    const n = now.size
    const x = now.bytes
    const y = old.bytes
    const runs = this.#runs
    runs.length = 0
    let quickable = true
    let i = 0
    for (;;) {
      i += commonRun(now, i, old, i)
      if (i >= n) {
        kept.runs = quickable && runs.length <= 2 * MAX_RUNS ? [...runs] : undefined
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
      if (!plainBefore(x, a) || !plainAfter(x, b, n)) {
        return false
      }
      // One call site: an inlined copy per site would double the code a cold server fetches.
      for (let side = 0; side < 2; side++) {
        const now = side === 0
        const z = now ? x : y
        const known = now ? this.#checked : kept.clean
        const verdict = apart(z, now ? y : x, a, b, n, snapshot, known, !now)
        if (verdict === TOUCHED) {
          return false
        }
        quickable &&= now || verdict === APART
      }
      runs.push(a, b)
      i = b
    }
  }
}

/**
 * No escape, comment or non-ASCII character ends right before `a`, and the run cannot be the
 * dashes that open an empty comment (`<!--`).
 */
function plainBefore(x: Uint8Array, a: number): boolean {
  if (a === 0) {
    return true
  }
  const c = x[a - 1] as number
  if (c >= 0x80 || c === 0x26 || c === 0x5c || c === 0x3b) {
    return false
  }
  // `&#` (a character reference), `->` (the end of a comment), `<!` (the start of one). Both
  // bodies have these two bytes: no token byte changes, and the `-` of `->` ends a run right
  // before `>`, which plainAfter refuses when it changed.
  const d = a > 1 ? (x[a - 2] as number) : -1
  return !((c === 0x23 && d === 0x26) || (c === 0x3e && d === 0x2d) || (c === 0x21 && d === 0x3c))
}

/**
 * No escape, comment or non-ASCII character starts at `b`, and the run cannot be the dashes that
 * close an empty comment (`-->`: any run right before `>`; React quotes attribute values, so a
 * token rarely stands there).
 */
function plainAfter(x: Uint8Array, b: number, n: number): boolean {
  if (b === n) {
    return true
  }
  const c = x[b] as number
  return !(
    c >= 0x80 ||
    c === 0x26 ||
    c === 0x5c ||
    c === 0x3e ||
    (c === 0x3c && b + 1 < n && x[b + 1] === 0x21)
  )
}

/** The unit a plain ASCII byte becomes in the text: itself, or a space for whitespace. */
function unitOf(c: number): number {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) ? 0x20 : c
}

/** Whether some pattern holds the unit a plain ASCII byte `c` becomes. */
function held<T extends Identity>(layers: Snapshot<T>['layers'], c: number): boolean {
  const unit = unitOf(c)
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
 * Whether a match of `snapshot` may touch a changed byte of the token run z[a, b) of a body of
 * `n` bytes (`other` is the other body): TOUCHED when a match may hold a word of it where it
 * stands (CompiledIndex.wordAt), a changed punctuation stretch reaches an end of the run next to
 * a byte a pattern holds, or a byte is no token byte. Words in `known` were found in no pattern
 * before; a word found in none joins it (`keep`: for good, up to MAX_CLEAN; else for this call).
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
): number {
  let verdict = APART
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
        // The run's bytes and its plain neighbours are their own units in the text.
        const before = w > 0 ? unitOf(z[w - 1] as number) : EDGE
        const after = j < n ? unitOf(z[j] as number) : EDGE
        let where = NOWHERE
        for (const layer of layers) {
          where = Math.max(where, layer.index.wordAt(hash, j - w, before, after))
        }
        if (where === NOWHERE) {
          if (!keep || known.length < MAX_CLEAN) {
            known.push(hash)
          }
        } else if (where === HERE) {
          return TOUCHED
        }
      }
    } else if (((KIND[z[j] as number] as number) & PUNCT) !== 0) {
      const from = j
      let changed = false
      while (j < b && ((KIND[z[j] as number] as number) & PUNCT) !== 0) {
        changed ||= z[j] !== other[j]
        j++
      }
      if (
        (from === a && a > 0 && held(layers, z[a - 1] as number)) ||
        (j === b && b < n && held(layers, z[b] as number)) ||
        wordless(layers)
      ) {
        // A match may reach this punctuation from beyond the run, or be punctuation only.
        if (changed) {
          return TOUCHED
        }
        verdict = APART_AS_IT_IS
      }
    } else {
      // Not a token byte: the run is not what the kept body's was.
      return TOUCHED
    }
  }
  return verdict
}
