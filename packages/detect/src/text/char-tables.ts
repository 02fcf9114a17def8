// 64 K-entry lookup tables over UTF-16 code units, built once per process (about 200 KB, a few ms):
// the scan loop then folds case and tests word characters with one array read each.

let foldTable: Uint16Array | undefined
let wordTable: Uint8Array | undefined

const WORD = /[\p{L}\p{N}\p{M}]/u

/** Lower-case fold per code unit; characters whose lower case is longer than one unit are kept. */
export function caseFoldTable(): Uint16Array {
  if (foldTable === undefined) {
    foldTable = new Uint16Array(0x10000)
    for (let c = 0; c < 0x10000; c++) {
      const lower = String.fromCharCode(c).toLowerCase()
      foldTable[c] = lower.length === 1 ? lower.charCodeAt(0) : c
    }
  }
  return foldTable
}

/** 1 for letters, digits and combining marks (a marker may not touch one); surrogates are 2. */
export function wordCharTable(): Uint8Array {
  if (wordTable === undefined) {
    wordTable = new Uint8Array(0x10000)
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) {
        wordTable[c] = 2
      } else if (WORD.test(String.fromCharCode(c))) {
        wordTable[c] = 1
      }
    }
  }
  return wordTable
}

/**
 * Whether the code point that ends at `units[at]` (`before`) or starts there is a word character:
 * for an astral character (CJK extension letters, emoji) the whole pair is tested.
 */
export function isWordUnitAt(
  units: Uint16Array,
  length: number,
  at: number,
  before: boolean
): boolean {
  if (at < 0 || at >= length) {
    return false
  }
  const unit = units[at] as number
  const kind = wordCharTable()[unit] as number
  if (kind !== 2) {
    return kind === 1
  }
  const high = before ? (at > 0 ? (units[at - 1] as number) : 0) : unit
  const low = before ? unit : at + 1 < length ? (units[at + 1] as number) : 0
  if (high < 0xd800 || high > 0xdbff || low < 0xdc00 || low > 0xdfff) {
    // A lone surrogate is no letter.
    return false
  }
  return WORD.test(String.fromCodePoint(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)))
}

/** Folds a string with caseFoldTable(), keeping its length (offsets stay valid). */
export function foldString(text: string): string {
  const table = caseFoldTable()
  const units = new Uint16Array(text.length)
  for (let i = 0; i < text.length; i++) {
    units[i] = table[text.charCodeAt(i)] as number
  }
  let out = ''
  for (let i = 0; i < units.length; i += 8192) {
    out += String.fromCharCode(...units.subarray(i, i + 8192))
  }
  return out
}
