import { caseFoldTable, wordCharTable } from './char-tables.js'
import { longestOnly, touchesWord } from './match-bounds.js'
import { UnitBuffer } from './unit-buffer.js'

// Aho-Corasick over UTF-16 code units in flat typed arrays, nodes numbered breadth-first so that a
// node's children are contiguous: children of v are first[v] .. first[v+1]-1, sorted by label
// (binary search); the root has a direct 64 K table. About 18 bytes per trie node, no object per node.

/**
 * Patterns whose matches count only in some context (id markers, id-context.ts): finish() keeps
 * a match of a pattern with `needs[pattern] === 1` only when `accepts` says so.
 */
export interface MatchContext {
  readonly needs: Uint8Array
  accepts(pattern: number, start: number, end: number, units: Uint16Array, length: number): boolean
}

/** A boundary-aware match of pattern `pattern` over text[start, end). */
export interface AutomatonMatch {
  pattern: number
  start: number
  end: number
}

export class Automaton {
  readonly nodeCount: number
  private readonly label: Uint16Array
  private readonly first: Int32Array
  private readonly fail: Int32Array
  private readonly outPattern: Int32Array
  private readonly outLink: Int32Array
  private readonly rootGoto: Int32Array
  /** rootGoto indexed by the unfolded character: the scan folds only off the root. */
  readonly scanRoot: Int32Array
  /** Flat (pattern, end) pairs recorded by step() since begin(). */
  private candidates = new Int32Array(64)
  private candidateCount = 0
  /** ASCII pairs (c1 << 7 | c2) that can begin a match; see pairTable(). */
  private readonly pairs: Uint8Array
  private readonly patternLength: Int32Array
  private readonly fold: Uint16Array | undefined
  private readonly context: MatchContext | undefined

  /** `patterns` must be distinct, non-empty, already case-folded when `caseInsensitive`. */
  constructor(patterns: readonly string[], caseInsensitive: boolean, context?: MatchContext) {
    this.context = context
    this.fold = caseInsensitive ? caseFoldTable() : undefined
    wordCharTable()
    const order = patterns.map((_, i) => i).sort((a, b) => compare(patterns[a], patterns[b]))
    const keys = order.map((i) => patterns[i] ?? '')
    let total = 0
    this.patternLength = new Int32Array(patterns.length)
    patterns.forEach((p, i) => {
      total += p.length
      this.patternLength[i] = p.length
    })
    const cap = total + 1
    const label = new Uint16Array(cap)
    const first = new Int32Array(cap + 1)
    const outPattern = new Int32Array(cap).fill(-1)
    const lo = new Int32Array(cap)
    const hi = new Int32Array(cap)
    const depth = new Int32Array(cap)
    hi[0] = keys.length
    let count = 1
    for (let v = 0; v < count; v++) {
      let a = lo[v] ?? 0
      const b = hi[v] ?? 0
      const d = depth[v] ?? 0
      // Keys are distinct and sorted, so at most one ends here and it sorts first in the range.
      if (a < b && (keys[a] ?? '').length === d) {
        outPattern[v] = order[a] ?? -1
        a++
      }
      first[v] = count
      while (a < b) {
        const c = (keys[a] ?? '').charCodeAt(d)
        let e = a + 1
        while (e < b && (keys[e] ?? '').charCodeAt(d) === c) {
          e++
        }
        label[count] = c
        lo[count] = a
        hi[count] = e
        depth[count] = d + 1
        count++
        a = e
      }
    }
    first[count] = count
    this.nodeCount = count
    this.label = label.slice(0, count)
    this.first = first.slice(0, count + 1)
    this.outPattern = outPattern.slice(0, count)
    this.rootGoto = new Int32Array(0x10000)
    for (let ch = this.first[0] ?? 0; ch < (this.first[1] ?? 0); ch++) {
      this.rootGoto[this.label[ch] ?? 0] = ch
    }
    this.fail = new Int32Array(count)
    this.outLink = new Int32Array(count)
    this.outLink[0] = -1
    this.linkFailures()
    const fold = this.fold
    this.scanRoot =
      fold === undefined ? this.rootGoto : this.rootGoto.map((_, c) => this.rootGoto[fold[c]!]!)
    this.pairs = this.pairTable()
  }

  /**
   * 1 where entering the state of ASCII c1 is worth it given the next ASCII c2: a marker starts
   * with c1c2 (folded), or c1 alone is one. Otherwise the automaton would fail straight back to
   * the root on c2 and land where rootGoto[c2] does, so the scan stays at the root: false starts
   * (the "u" of "ipsum" for "user1@...") cost no branchy child search.
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
        const worth = (this.outPattern[s1] as number) >= 0 || this.child(s1, d) >= 0
        pairs[(c1 << 7) | c2] = worth ? 1 : 0
      }
    }
    return pairs
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

  private linkFailures(): void {
    const { first, label, fail, outLink, outPattern, rootGoto } = this
    for (let v = 0; v < this.nodeCount; v++) {
      const end = first[v + 1] ?? 0
      for (let ch = first[v] ?? 0; ch < end; ch++) {
        let target = 0
        if (v !== 0) {
          const c = label[ch] ?? 0
          let f = fail[v] ?? 0
          for (;;) {
            if (f === 0) {
              target = rootGoto[c] ?? 0
              break
            }
            const g = this.child(f, c)
            if (g >= 0) {
              target = g
              break
            }
            f = fail[f] ?? 0
          }
        }
        fail[ch] = target
        outLink[ch] = (outPattern[ch] ?? -1) >= 0 ? ch : (outLink[target] ?? -1)
      }
    }
  }

  private child(s: number, c: number): number {
    const { label } = this
    let a = this.first[s] ?? 0
    let b = (this.first[s + 1] ?? 0) - 1
    while (a <= b) {
      const m = (a + b) >>> 1
      const l = label[m] ?? 0
      if (l === c) {
        return m
      }
      if (l < c) {
        a = m + 1
      } else {
        b = m - 1
      }
    }
    return -1
  }

  /**
   * The state after `c` from state `s`, recording every marker that ends there as a candidate
   * ending at `end`. Callers skip it while at the root on a character no marker starts with
   * (`scanRoot[c] === 0`): that is nearly every character of a page.
   */
  step(s: number, c: number, end: number): number {
    if (s === 0) {
      s = this.scanRoot[c] as number
    } else {
      const { fold, first, label, fail } = this
      if (fold !== undefined) {
        c = fold[c] as number
      }
      // The goto of `s` on `c` (binary search of its sorted children), else its failure link.
      for (;;) {
        let a = first[s] as number
        let b = (first[s + 1] as number) - 1
        let t = -1
        while (a <= b) {
          const m = (a + b) >>> 1
          const l = label[m] as number
          if (l === c) {
            t = m
            break
          }
          if (l < c) {
            a = m + 1
          } else {
            b = m - 1
          }
        }
        if (t >= 0) {
          s = t
          break
        }
        s = fail[s] as number
        if (s === 0) {
          s = this.rootGoto[c] as number
          break
        }
      }
    }
    for (let o = this.outLink[s] as number; o >= 0; o = this.outLink[this.fail[o]!]!) {
      if (this.candidates.length < this.candidateCount + 2) {
        const grown = new Int32Array(this.candidates.length * 2)
        grown.set(this.candidates)
        this.candidates = grown
      }
      this.candidates[this.candidateCount++] = this.outPattern[o] as number
      this.candidates[this.candidateCount++] = end
    }
    return s
  }

  /** Forgets the candidates of the last text: call before stepping through a new one. */
  begin(): void {
    this.candidateCount = 0
  }

  /** Entries (two per candidate) recorded since begin(). */
  get recorded(): number {
    return this.candidateCount
  }

  /** The (pattern, end) pairs recorded since begin(), up to `recorded`. */
  get recordedPairs(): Int32Array {
    return this.candidates
  }

  /** Records `pairs[from, to)` as found here, their ends moved by `shift` (an earlier pass's). */
  replay(pairs: Int32Array, from: number, to: number, shift: number): void {
    const count = this.candidateCount + to - from
    if (this.candidates.length < count) {
      const grown = new Int32Array(Math.max(count, this.candidates.length * 2))
      grown.set(this.candidates.subarray(0, this.candidateCount))
      this.candidates = grown
    }
    for (let e = from; e < to; e += 2) {
      this.candidates[this.candidateCount++] = pairs[e] as number
      this.candidates[this.candidateCount++] = (pairs[e + 1] as number) + shift
    }
  }

  /**
   * The candidates since begin() that count, over the text they came from: only when no letter,
   * digit or combining mark touches them on either side, and only the longest of nested matches
   * ("Ann Lee" inside "Lee Ann Lee"). A pattern that needs a context is checked before the
   * longest-match rule, so that a match failing its context hides nothing nested in it.
   */
  finish(units: Uint16Array, length: number): AutomatonMatch[] {
    const words = wordCharTable()
    const context = this.context
    const found: AutomatonMatch[] = []
    for (let k = 0; k < this.candidateCount; k += 2) {
      const pattern = this.candidates[k] as number
      const end = this.candidates[k + 1] as number
      const start = end - (this.patternLength[pattern] as number)
      if (
        !touchesWord(units, length, start - 1, true, words) &&
        !touchesWord(units, length, end, false, words) &&
        (context === undefined ||
          context.needs[pattern] !== 1 ||
          context.accepts(pattern, start, end, units, length))
      ) {
        found.push({ pattern, start, end })
      }
    }
    return found.length > 1 ? longestOnly(found) : found
  }

  /** One pass over `units[0, length)`: the matches that count (see finish). */
  scanUnits(units: Uint16Array, length: number): AutomatonMatch[] {
    const { scanRoot, pairs } = this
    this.begin()
    let s = 0
    for (let i = 0; i < length; i++) {
      const c = units[i] as number
      if (s === 0) {
        // Most characters of a page start no marker: one table read and on to the next. The read
        // depends on the character only, so the CPU overlaps it across characters.
        if (scanRoot[c] === 0) {
          continue
        }
        if (c < 128 && i + 1 < length) {
          const d = units[i + 1] as number
          if (d < 128 && pairs[(c << 7) | d] === 0) {
            continue
          }
        }
      }
      s = this.step(s, c, i + 1)
    }
    return this.finish(units, length)
  }

  /** scanUnits over a string's code units. */
  scan(text: string): AutomatonMatch[] {
    const buffer = new UnitBuffer(text.length)
    buffer.setString(text)
    return this.scanUnits(buffer.units, buffer.length)
  }
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? ''
  const y = b ?? ''
  return x < y ? -1 : x > y ? 1 : 0
}
