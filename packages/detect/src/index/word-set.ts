// The words of an index's markers, as hashes: what lets a cached scan tell that a changed token
// cannot touch any match (rescan/token-change.ts). A match never splits a word (no letter or
// digit may touch it), so a word of the text that is no word of any marker lies in no match.
// Hashes, not strings: a collision only sends a body down the rescan it would have taken anyway.
// A word some marker has is no proof either: the edge table says between which units the markers
// have it, and a match holds the units around a word where its marker has them.
import { caseFoldTable, wordCharTable } from '../text/char-tables.js'

const OFFSET = 0x811c9dc5
const PRIME = 0x01000193

/** One step of FNV-1a over folded UTF-16 units (ASCII bytes are their own units). */
export function hashStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, PRIME)
}

export const HASH_START = OFFSET

/** The lower-case of an ASCII byte, as caseFoldTable() folds it. */
export function foldAscii(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
}

/** What a word is to an index: no word of it, a one-word id's, or a word of anything else. */
export const NO_WORD = 0
export const ID_WORD = 1
export const TEXT_WORD = 2

const WORK_PER_YIELD = 4096

/**
 * An open-addressed table of word hashes (hashEnd) in one typed array, two bytes a slot, built
 * with a yield every few thousand words (a background build runs it in slices). A slot is found
 * by the hash's bits and holds a 15-bit fingerprint of them and the word's kind (the low bit: 1
 * for a one-word id), so that one probe answers both; 0 marks an empty slot. Words that share a
 * slot's bits are taken for one another, the stricter kind winning: a collision only sends a
 * body down the rescan it would have taken anyway (about 1 in 10,000 lookups at half load).
 */
export function* wordTable(
  text: readonly number[],
  ids: readonly number[]
): Generator<void, Uint16Array> {
  // The distinct (hash, kind) pairs first, in a scratch set of whole hashes: they size the table.
  let cap = 8
  while (cap < (text.length + ids.length) * 2) {
    cap *= 2
  }
  const pairs = new Uint32Array(cap)
  let distinct = 0
  for (let i = 0; i < text.length + ids.length; i++) {
    const pair =
      i < text.length ? pairOf(text[i] as number, 0) : pairOf(ids[i - text.length] as number, 1)
    let at = spread(pair >>> 1) & (cap - 1)
    while (pairs[at] !== 0 && pairs[at] !== pair) {
      at = (at + 1) & (cap - 1)
    }
    if (pairs[at] === 0) {
      pairs[at] = pair
      distinct++
    }
    if (i % WORK_PER_YIELD === 0) {
      yield
    }
  }
  let size = 8
  while (size < distinct * 2) {
    size *= 2
  }
  const table = new Uint16Array(size)
  for (let i = 0; i < cap; i++) {
    const pair = pairs[i] as number
    if (pair !== 0) {
      const key = pair >>> 1
      const value = (fingerprint(key) << 1) | (pair & 1)
      let at = key & (size - 1)
      while (table[at] !== 0 && table[at] !== value) {
        at = (at + 1) & (size - 1)
      }
      table[at] = value
    }
    if (i % WORK_PER_YIELD === 0) {
      yield
    }
  }
  return table
}

/**
 * A hash's key: its upper 31 bits, never 0 (the scratch set's empty slot), the same for every
 * kind. (Mapping key 0 to 1 for text words only once hid a one-word id whose hash is 1.)
 */
function keyOf(h: number): number {
  return h >>> 1 || 1
}

/** A hash and a kind in one nonzero number: the hash's key, the kind in the low bit. */
function pairOf(h: number, kind: number): number {
  return ((keyOf(h) << 1) | kind) >>> 0
}

/** Bits of a key mixed (for the scratch set, whose slots would otherwise repeat the table's). */
function spread(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 0
}

/** 15 bits of a key that its slot in the table does not already say; never 0. */
function fingerprint(key: number): number {
  return spread(key) >>> 17 || 1
}

/** NO_WORD, ID_WORD or TEXT_WORD: what the word of hash `h` is in `table` (the stricter of two). */
export function wordKind(table: Uint16Array, h: number): number {
  const key = keyOf(h)
  const mark = fingerprint(key)
  const mask = table.length - 1
  let kind = NO_WORD
  for (let at = key & mask; ; at = (at + 1) & mask) {
    const v = table[at] as number
    if (v === 0) {
      return kind
    }
    if (v >>> 1 === mark) {
      if ((v & 1) === 0) {
        return TEXT_WORD
      }
      kind = ID_WORD
    }
  }
}

/** The final form of a running hash: unsigned, and 1 instead of 0. */
export function hashEnd(h: number): number {
  return h >>> 0 || 1
}

/** Where a word has no unit before or after it: the start or end of its marker or text. */
export const EDGE = 0x10000
/**
 * The edge table holds words of at most this many units: a token's short words (the `o` of
 * O'Brien, a digit) are the ones that meet a marker's by chance. A longer word some marker has
 * counts wherever it stands, and the table stays small (a few thousand entries at 100,000
 * identities).
 */
export const EDGE_WORD_UNITS = 3
/** The edge a one-word id's value is entered with: where it counts, its contexts decide. */
export const ID_EDGE = 0x10001

/** A word's hash (hashEnd) with the units right before and after it, EDGE at an end. */
export function edgeHash(word: number, before: number, after: number): number {
  return hashEnd(hashStep(hashStep(word, before), after))
}

/**
 * Pushes the hashes of `text`'s words (runs of letters, digits and combining marks, folded;
 * anything else, surrogates included, splits) onto `out`, and onto `edges` each short word's
 * edgeHash with the folded units around it; false when it has none.
 */
export function wordHashes(text: string, out: number[], edges?: number[]): boolean {
  const fold = caseFoldTable()
  const words = wordCharTable()
  let h = HASH_START
  let start = -1
  let any = false
  for (let i = 0; i <= text.length; i++) {
    const u = i < text.length ? text.charCodeAt(i) : 0x20
    if (words[u] === 1) {
      h = hashStep(h, fold[u] as number)
      if (start < 0) {
        start = i
      }
    } else if (start >= 0) {
      const word = hashEnd(h)
      out.push(word)
      if (edges !== undefined && i - start <= EDGE_WORD_UNITS) {
        const before = start > 0 ? (fold[text.charCodeAt(start - 1)] as number) : EDGE
        const after = i < text.length ? (fold[u] as number) : EDGE
        edges.push(edgeHash(word, before, after))
      }
      h = HASH_START
      start = -1
      any = true
    }
  }
  return any
}

/** The punctuation a token's run of bytes holds besides ASCII letters and digits (token-change.ts). */
export const TOKEN_PUNCTUATION = '-_.+/='

/**
 * Whether `name` has token punctuation with no ASCII letter or digit in its stretch of token
 * characters (the `-` of a JSON member `"-"`, of `a:-`): a change of that punctuation alone may
 * make or unmake the name where a context reads it, and no word of the name is there to say so.
 */
export function hasBarePunctuation(name: string): boolean {
  const stretches = name.match(/[A-Za-z0-9\-_.+/=]+/g) ?? []
  return stretches.some((stretch) => !/[A-Za-z0-9]/.test(stretch))
}

/** Whether `text` is one word and nothing else (an id such as 104 or u7f3a). */
export function isOneWord(text: string): boolean {
  const words = wordCharTable()
  for (let i = 0; i < text.length; i++) {
    if (words[text.charCodeAt(i)] !== 1) {
      return false
    }
  }
  return text.length > 0
}
