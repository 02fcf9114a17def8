// Builds an automaton's tables from its patterns as a generator: it yields every few thousand
// units of work, so that a caller can run it in slices between requests (build-index.ts) or all
// at once (run()). Nodes are numbered breadth-first from the sorted patterns, so that a node's
// children are contiguous and sorted by label.
import { wordCharTable } from '../text/char-tables.js'

/** The tables an Automaton is made of; typed arrays only, so a worker can transfer them. */
export interface AutomatonTables {
  caseInsensitive: boolean
  patternLength: Int32Array
  /** Label of the edge into each node. */
  label: Uint16Array
  /** Children of node v are first[v] .. first[v + 1] - 1. */
  first: Int32Array
  fail: Int32Array
  /** The pattern ending at each node, or -1. */
  outPattern: Int32Array
  /** The nearest node on the failure chain (itself included) where a pattern ends, or -1. */
  outLink: Int32Array
}

/** Units of work (comparisons, nodes) between two yields. */
const WORK_PER_YIELD = 4096

/** Runs a build generator to its end at once. */
export function run<T>(build: Generator<void, T>): T {
  for (;;) {
    const step = build.next()
    if (step.done === true) {
      return step.value
    }
  }
}

/** `patterns` must be distinct, non-empty, already case-folded when `caseInsensitive`. */
export function* buildTables(
  patterns: readonly string[],
  caseInsensitive: boolean
): Generator<void, AutomatonTables> {
  const order = yield* sortedOrder(patterns)
  const keys: string[] = new Array<string>(patterns.length)
  let total = 0
  const patternLength = new Int32Array(patterns.length)
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[order[i] as number] as string
    keys[i] = p
    total += p.length
    patternLength[order[i] as number] = p.length
  }
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
    let a = lo[v] as number
    const b = hi[v] as number
    const d = depth[v] as number
    // Keys are distinct and sorted, so at most one ends here and it sorts first in the range.
    if (a < b && (keys[a] as string).length === d) {
      outPattern[v] = order[a] as number
      a++
    }
    first[v] = count
    while (a < b) {
      const c = (keys[a] as string).charCodeAt(d)
      let e = a + 1
      while (e < b && (keys[e] as string).charCodeAt(d) === c) {
        e++
      }
      label[count] = c
      lo[count] = a
      hi[count] = e
      depth[count] = d + 1
      count++
      a = e
    }
    if ((v & (WORK_PER_YIELD - 1)) === 0) {
      yield
    }
  }
  first[count] = count
  const tables: AutomatonTables = {
    caseInsensitive,
    patternLength,
    label: label.slice(0, count),
    first: first.slice(0, count + 1),
    fail: new Int32Array(count),
    outPattern: outPattern.slice(0, count),
    outLink: new Int32Array(count),
  }
  yield* linkFailures(tables)
  return tables
}

/**
 * Failure links and output links, breadth-first (a node's failure is shallower than it). A match
 * counts only where no word unit (letter, digit, mark) stands before it, so a node fails to its
 * longest proper suffix that starts right after a unit that is not one: "Ann" stays reachable
 * from "Lee Ann", but "nn" is never reached from "Ann" (it cannot count there).
 */
function* linkFailures(tables: AutomatonTables): Generator<void, void> {
  const { first, label, fail, outLink, outPattern } = tables
  const nodes = label.length
  const rootGoto = rootTable(tables)
  const words = wordCharTable()
  outLink[0] = -1
  for (let v = 0; v < nodes; v++) {
    const end = first[v + 1] as number
    // The suffix of one unit starts after v's own label: allowed unless that is a word unit.
    const afterWord = v !== 0 && words[label[v] as number] === 1
    for (let ch = first[v] as number; ch < end; ch++) {
      let target = 0
      if (v !== 0) {
        const c = label[ch] as number
        let f = fail[v] as number
        for (;;) {
          if (f === 0) {
            target = afterWord ? 0 : (rootGoto[c] as number)
            break
          }
          const g = child(tables, f, c)
          if (g >= 0) {
            target = g
            break
          }
          f = fail[f] as number
        }
      }
      fail[ch] = target
      outLink[ch] = (outPattern[ch] as number) >= 0 ? ch : (outLink[target] as number)
    }
    if ((v & (WORK_PER_YIELD - 1)) === 0) {
      yield
    }
  }
}

/** The root's goto for every code unit (0: no pattern starts with it). */
export function rootTable(tables: AutomatonTables): Int32Array {
  const root = new Int32Array(0x10000)
  for (let ch = tables.first[0] as number; ch < (tables.first[1] as number); ch++) {
    root[tables.label[ch] as number] = ch
  }
  return root
}

/** The child of `s` labelled `c` (binary search of its sorted children), or -1. */
export function child(tables: AutomatonTables, s: number, c: number): number {
  const { label, first } = tables
  let a = first[s] as number
  let b = (first[s + 1] as number) - 1
  while (a <= b) {
    const m = (a + b) >>> 1
    const l = label[m] as number
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

/** Indexes of `keys` in sorted order: a bottom-up merge sort, yielding between runs. */
function* sortedOrder(keys: readonly string[]): Generator<void, Int32Array> {
  const n = keys.length
  const RUN = 2048
  let order = new Int32Array(n)
  const compare = (a: number, b: number): number => {
    const x = keys[a] as string
    const y = keys[b] as string
    return x < y ? -1 : x > y ? 1 : 0
  }
  for (let a = 0; a < n; a += RUN) {
    const run = Array.from({ length: Math.min(n, a + RUN) - a }, (_, i) => a + i).sort(compare)
    order.set(run, a)
    yield
  }
  let into = new Int32Array(n)
  for (let width = RUN; width < n; width *= 2) {
    let work = 0
    for (let a = 0; a < n; a += 2 * width) {
      const mid = Math.min(a + width, n)
      const end = Math.min(a + 2 * width, n)
      let i = a
      let j = mid
      for (let o = a; o < end; o++) {
        into[o] =
          j >= end || (i < mid && compare(order[i] as number, order[j] as number) <= 0)
            ? (order[i++] as number)
            : (order[j++] as number)
        if (++work === WORK_PER_YIELD) {
          work = 0
          yield
        }
      }
    }
    const t = order
    order = into
    into = t
  }
  return order
}
