// Which characters normalisation folds, maps or drops; shared by the body pass and escape decoding.

export function isSpace(c: number): boolean {
  if (c < 128) {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  }
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/**
 * Typographic apostrophes and dashes as their ASCII forms: "O'Brien" in the accounts file is
 * "O’Brien" on a page that uses smart quotes. Returns the ASCII code, or -1 to keep `c`.
 */
export function plainPunctuation(c: number): number {
  if (c === 0x2018 || c === 0x2019 || c === 0x02bc || c === 0x2032) {
    return 0x27
  }
  return c >= 0x2010 && c <= 0x2013 ? 0x2d : -1
}

/** Soft hyphen and zero-width characters: invisible to the reader, so dropped. */
export function isInvisible(c: number): boolean {
  return c === 0xad || (c >= 0x200b && c <= 0x200d) || c === 0x2060
}
