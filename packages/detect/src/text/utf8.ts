// UTF-8 decoding of one code point straight from a response's bytes, the WHATWG way (what
// Buffer#toString and TextDecoder do): each maximal invalid subpart becomes one U+FFFD.

/** A decoded code point and the bytes it spans, packed in one small integer: no allocation. */
export const LENGTH_SHIFT = 21
export const CODE_POINT_MASK = (1 << LENGTH_SHIFT) - 1

const REPLACEMENT = 0xfffd

/**
 * Decodes the sequence starting at `bytes[at]` (a byte >= 0x80) within `bytes[0, end)`.
 * Returns `(length << LENGTH_SHIFT) | codePoint`.
 */
export function decodeUtf8At(bytes: Uint8Array, at: number, end: number): number {
  const lead = bytes[at] as number
  let need: number
  let cp: number
  let lower = 0x80
  let upper = 0xbf
  if (lead >= 0xc2 && lead <= 0xdf) {
    need = 1
    cp = lead & 0x1f
  } else if (lead >= 0xe0 && lead <= 0xef) {
    need = 2
    cp = lead & 0x0f
    if (lead === 0xe0) {
      lower = 0xa0
    } else if (lead === 0xed) {
      upper = 0x9f
    }
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 3
    cp = lead & 0x07
    if (lead === 0xf0) {
      lower = 0x90
    } else if (lead === 0xf4) {
      upper = 0x8f
    }
  } else {
    return (1 << LENGTH_SHIFT) | REPLACEMENT
  }
  let j = at + 1
  for (let k = 0; k < need; k++, j++) {
    const b = j < end ? (bytes[j] as number) : -1
    if (b < lower || b > upper) {
      // The bytes so far are one invalid subpart; `b` starts whatever comes next.
      return ((j - at) << LENGTH_SHIFT) | REPLACEMENT
    }
    cp = (cp << 6) | (b & 0x3f)
    lower = 0x80
    upper = 0xbf
  }
  return ((j - at) << LENGTH_SHIFT) | cp
}
