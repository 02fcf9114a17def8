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

/** Whether the code point that ends just before `at` (or starts at `at`) is a word character. */
export function isWordAt(text: string, at: number, before: boolean): boolean {
  if (at < 0 || at >= text.length) {
    return false
  }
  const table = wordCharTable()
  const unit = text.charCodeAt(at)
  const kind = table[unit] ?? 0
  if (kind !== 2) {
    return kind === 1
  }
  // Astral characters (CJK extension letters, emoji): test the whole code point.
  const start = before && unit >= 0xdc00 && at > 0 ? at - 1 : at
  const cp = text.codePointAt(start) ?? unit
  return WORD.test(String.fromCodePoint(cp))
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
