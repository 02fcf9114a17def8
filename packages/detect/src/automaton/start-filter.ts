// Which four ASCII units can begin a pattern. With 10,000 identities nearly every letter begins
// some marker, so a scan entered the trie at nearly every word and walked it letter by letter
// until it failed: each step deeper is a read from tables too large to stay in a cache shared
// with the rest of a server. One bit per hashed four-unit start (and one per two-unit start of a
// pattern shorter than four) tells the scan, before it enters, that no pattern begins here.

/** Bits in the table of four-unit starts: 32 KB, a few in a hundred set at 30,000 patterns. */
const QUAD_BITS = 18

/** Bit sets over the starts of an automaton's (folded) patterns. */
export interface StartFilter {
  /** Hashed four-unit ASCII starts of patterns of four units or more (quadBit). */
  quads: Uint32Array
  /** (c1 << 7 | c2) of patterns shorter than four units starting with ASCII c1 c2 (or c1 alone). */
  shortPairs: Uint32Array
}

function has(bits: Uint32Array, bit: number): boolean {
  return ((bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0
}

function set(bits: Uint32Array, bit: number): void {
  bits[bit >>> 5] = (bits[bit >>> 5] as number) | (1 << (bit & 31))
}

/** The bit of four ASCII units (each < 128): exact packing into 28 bits, then hashed down. */
function quadBit(c0: number, c1: number, c2: number, c3: number): number {
  return Math.imul((c0 << 21) | (c1 << 14) | (c2 << 7) | c3, 0x9e3779b1) >>> (32 - QUAD_BITS)
}

/** `patterns` already folded when the automaton folds. */
export function buildStartFilter(patterns: readonly string[]): StartFilter {
  const quads = new Uint32Array(1 << (QUAD_BITS - 5))
  const shortPairs = new Uint32Array((128 * 128) >> 5)
  for (const p of patterns) {
    const c0 = p.charCodeAt(0)
    if (p.length === 0 || c0 >= 128) {
      // A start a query of ASCII units never asks about.
      continue
    }
    if (p.length === 1) {
      for (let c1 = 0; c1 < 128; c1++) {
        set(shortPairs, (c0 << 7) | c1)
      }
      continue
    }
    const c1 = p.charCodeAt(1)
    if (c1 >= 128) {
      continue
    }
    if (p.length < 4) {
      set(shortPairs, (c0 << 7) | c1)
      continue
    }
    const c2 = p.charCodeAt(2)
    const c3 = p.charCodeAt(3)
    if (c2 < 128 && c3 < 128) {
      set(quads, quadBit(c0, c1, c2, c3))
    }
  }
  return { quads, shortPairs }
}

/**
 * False when no pattern begins with the four ASCII units c0..c3 (each < 128, folded as the
 * patterns are): no match can start there. True may be a false positive.
 */
export function mayStartWith(
  filter: StartFilter,
  c0: number,
  c1: number,
  c2: number,
  c3: number
): boolean {
  return has(filter.shortPairs, (c0 << 7) | c1) || has(filter.quads, quadBit(c0, c1, c2, c3))
}
