// Aho-Corasick over UTF-16 code units in flat typed arrays (build-tables.ts): about 18 bytes per
// trie node, no object per node. The automaton is immutable; what a pass finds goes into the
// caller's Candidates, so one automaton serves every scan at once.
//
// Anchored at word starts: a match counts only where no letter, digit or mark stands before it
// (match-bounds.ts), so the scan enters the trie only there and a node fails only to a suffix that
// starts after a non-word unit. With 10,000 identities nearly every letter pair begins some
// marker, so a plain automaton never left the trie: on the homepage's real 2 KB page it took 1,757
// steps and 222 candidates, anchored 753 and 42; a full scan 37 -> 22 µs, the guard's cached
// rescan of it 15 -> 8.5 µs (a loop over captured bodies, 2026-12-02; guard docs/benchmarks.md).
import { caseFoldTable, wordCharTable } from '../text/char-tables.js'
import { UnitBuffer } from '../text/unit-buffer.js'
import type { TextView } from '../text/unit-buffer.js'
import { child, rootTable } from './build-tables.js'
import type { AutomatonTables } from './build-tables.js'
import type { Candidates } from './candidates.js'
import { longestOnly, touchesWord } from './match-bounds.js'

/**
 * Patterns whose matches count only in some context (id markers, a live index's removed entries):
 * finish() keeps a match of a pattern with `needs[pattern] === 1` only when `accepts` says so.
 */
export interface MatchContext {
  readonly needs: Uint8Array
  accepts(m: AutomatonMatch, text: TextView): boolean
}

/** A boundary-aware match of pattern `pattern` over text[start, end). */
export interface AutomatonMatch {
  pattern: number
  start: number
  end: number
}

export class Automaton {
  readonly tables: AutomatonTables
  readonly patterns: number
  private readonly label: Uint16Array
  private readonly first: Int32Array
  private readonly fail: Int32Array
  private readonly outPattern: Int32Array
  private readonly outLink: Int32Array
  private readonly patternLength: Int32Array
  private readonly rootGoto: Int32Array
  /** rootGoto indexed by the unfolded character: the scan folds only off the root. */
  readonly scanRoot: Int32Array
  /** ASCII pairs (c1 << 7 | c2) that can begin a match; see pairTable(). */
  private readonly pairs: Uint8Array
  private readonly fold: Uint16Array | undefined
  private readonly words: Uint8Array

  constructor(tables: AutomatonTables) {
    this.tables = tables
    this.patterns = tables.patternLength.length
    this.label = tables.label
    this.first = tables.first
    this.fail = tables.fail
    this.outPattern = tables.outPattern
    this.outLink = tables.outLink
    this.patternLength = tables.patternLength
    this.fold = tables.caseInsensitive ? caseFoldTable() : undefined
    this.words = wordCharTable()
    this.rootGoto = rootTable(tables)
    const fold = this.fold
    this.scanRoot =
      fold === undefined ? this.rootGoto : this.rootGoto.map((_, c) => this.rootGoto[fold[c]!]!)
    this.pairs = this.pairTable()
  }

  get nodeCount(): number {
    return this.label.length
  }

  /** Heap bytes held by the automaton's tables. */
  get byteLength(): number {
    return (
      this.label.byteLength +
      this.first.byteLength +
      this.fail.byteLength +
      this.outPattern.byteLength +
      this.outLink.byteLength +
      this.rootGoto.byteLength +
      (this.scanRoot === this.rootGoto ? 0 : this.scanRoot.byteLength) +
      this.patternLength.byteLength +
      this.pairs.byteLength
    )
  }

  /**
   * 1 where entering the state of ASCII c1 is worth it given the next ASCII c2: a marker starts
   * with c1c2 (folded), or c1 alone is one. Otherwise the automaton would fail straight back to
   * the root on c2 and land where rootGoto[c2] does, so the scan stays at the root: false starts
   * (the "u" of "ipsum" for "user1@...") cost no child search.
   */
  private pairTable(): Uint8Array {
    const pairs = new Uint8Array(128 * 128)
    const fold = this.fold
    for (let c1 = 0; c1 < 128; c1++) {
      const s1 = this.scanRoot[c1] as number
      if (s1 === 0) {
        continue
      }
      for (let c2 = 0; c2 < 128; c2++) {
        const d = fold === undefined ? c2 : (fold[c2] as number)
        const worth = (this.outPattern[s1] as number) >= 0 || child(this.tables, s1, d) >= 0
        pairs[(c1 << 7) | c2] = worth ? 1 : 0
      }
    }
    return pairs
  }

  /**
   * The state after `c` from state `s`, recording in `found` every pattern that ends there as a
   * candidate ending at `end`. Callers skip it while at the root on a character no pattern starts
   * with (`scanRoot[c] === 0`): that is nearly every character of a page.
   */
  step(s: number, c: number, end: number, found: Candidates): number {
    if (s === 0) {
      s = this.scanRoot[c] as number
    } else {
      if (this.fold !== undefined) {
        c = this.fold[c] as number
      }
      // The unit before c: back at the root, a match may start at c only if it is no word unit.
      const before = this.label[s] as number
      for (;;) {
        const t = child(this.tables, s, c)
        if (t >= 0) {
          s = t
          break
        }
        s = this.fail[s] as number
        if (s === 0) {
          s = this.words[before] === 1 ? 0 : (this.rootGoto[c] as number)
          break
        }
      }
    }
    for (let o = this.outLink[s] as number; o >= 0; o = this.outLink[this.fail[o]!]!) {
      found.push(this.outPattern[o] as number, end)
    }
    return s
  }

  /**
   * The candidates that count, over the text they came from: only when no letter, digit or
   * combining mark touches them on either side, and only the longest of nested matches ("Ann Lee"
   * inside "Lee Ann Lee"). A pattern that needs a context is checked before the longest-match
   * rule, so that a match failing its context hides nothing nested in it. With `nested` false the
   * longest-match rule is left to the caller (it merges the matches of several automata).
   */
  finish(
    found: Candidates,
    text: TextView,
    context?: MatchContext,
    nested = true
  ): AutomatonMatch[] {
    const { units, length } = text
    const words = wordCharTable()
    const out: AutomatonMatch[] = []
    const pairs = found.pairs
    for (let k = 0; k < found.count; k += 2) {
      const pattern = pairs[k] as number
      const end = pairs[k + 1] as number
      const start = end - (this.patternLength[pattern] as number)
      if (
        touchesWord(units, length, start - 1, true, words) ||
        touchesWord(units, length, end, false, words)
      ) {
        continue
      }
      const m = { pattern, start, end }
      if (context === undefined || context.needs[pattern] !== 1 || context.accepts(m, text)) {
        out.push(m)
      }
    }
    return nested && out.length > 1 ? longestOnly(out) : out
  }

  /** Steps through `text` into `found` (emptied first). */
  pass(text: TextView, found: Candidates): void {
    const { scanRoot, pairs, words } = this
    const { units, length } = text
    found.count = 0
    let s = 0
    for (let i = 0; i < length; i++) {
      const c = units[i] as number
      if (s === 0) {
        // Most characters of a page start no marker: one table read and on to the next. A match
        // starts only where no word unit stands before it.
        if (scanRoot[c] === 0 || (i > 0 && words[units[i - 1] as number] === 1)) {
          continue
        }
        if (c < 128 && i + 1 < length) {
          const d = units[i + 1] as number
          if (d < 128 && pairs[(c << 7) | d] === 0) {
            continue
          }
        }
      }
      s = this.step(s, c, i + 1, found)
    }
  }

  /** One pass over `text`: the matches that count (see finish). */
  scanText(text: TextView, found: Candidates, context?: MatchContext): AutomatonMatch[] {
    this.pass(text, found)
    return this.finish(found, text, context)
  }

  /** scanText over a string's code units (tests, allowlist set-up). */
  scan(text: string, found: Candidates, context?: MatchContext): AutomatonMatch[] {
    const buffer = new UnitBuffer(text.length)
    buffer.setString(text)
    return this.scanText(buffer, found, context)
  }
}
