// Escapes a reader never sees, decoded from a body's bytes: HTML character references, JSON
// string escapes and React's empty comments. All are ASCII, so they are matched byte by byte.
import { decodeCodePoint, decodeNamedEntity } from './html-entities.js'
import { isSpace } from './text-classes.js'
import { CODE_POINT_MASK, LENGTH_SHIFT, decodeUtf8At } from './utf8.js'

/** What decodeEscapeAt found, written into the caller's object: no object per escape. */
export interface Decoded {
  /** The decoded code point, or -1 when the escape stands for nothing (an empty comment). */
  codePoint: number
  /** Offset just past the escape. */
  end: number
}

const JSON_SIMPLE = new Int32Array(128).fill(-1)
for (const [c, v] of Object.entries({ '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f' })) {
  JSON_SIMPLE[c.charCodeAt(0)] = v.charCodeAt(0)
}
JSON_SIMPLE[0x6e] = 0x0a // \n
JSON_SIMPLE[0x72] = 0x0d // \r
JSON_SIMPLE[0x74] = 0x09 // \t

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) {
    return c - 0x30
  }
  const l = c | 0x20
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)
}

function startsWith(bytes: Uint8Array, at: number, ascii: string): boolean {
  for (let k = 0; k < ascii.length; k++) {
    if (bytes[at + k] !== ascii.charCodeAt(k)) {
      return false
    }
  }
  return true
}

function reference(bytes: Uint8Array, at: number, n: number, decoded: Decoded): boolean {
  if (bytes[at + 1] === 0x23) {
    const hex = ((bytes[at + 2] ?? 0) | 0x20) === 0x78
    const from = at + (hex ? 3 : 2)
    let j = from
    let code = 0
    while (j < n && j - from < 7) {
      const c = bytes[j] as number
      const digit = hex ? hexValue(c) : c >= 0x30 && c <= 0x39 ? c - 0x30 : -1
      if (digit < 0) {
        break
      }
      code = code * (hex ? 16 : 10) + digit
      j++
    }
    if (j === from) {
      return false
    }
    decoded.codePoint = decodeCodePoint(code)
    decoded.end = bytes[j] === 0x3b ? j + 1 : j
    return true
  }
  let j = at + 1
  while (j < n && j - at <= 32 && isAlnum(bytes[j] as number)) {
    j++
  }
  if (j === at + 1 || bytes[j] !== 0x3b) {
    return false
  }
  const cp = decodeNamedEntity(String.fromCharCode(...bytes.subarray(at + 1, j)))
  decoded.codePoint = cp
  decoded.end = j + 1
  return cp >= 0
}

function jsonEscape(bytes: Uint8Array, at: number, decoded: Decoded): boolean {
  const next = bytes[at + 1] ?? 0
  if (next === 0x75) {
    let unit = 0
    for (let j = at + 2; j < at + 6; j++) {
      const digit = hexValue(bytes[j] ?? 0)
      if (digit < 0) {
        return false
      }
      unit = unit * 16 + digit
    }
    // A lone surrogate here is half of an escaped pair; the next escape brings the other half.
    decoded.codePoint = unit
    decoded.end = at + 6
    return true
  }
  const simple = next < 128 ? (JSON_SIMPLE[next] as number) : -1
  decoded.codePoint = simple
  decoded.end = at + 2
  return simple >= 0
}

/** `<!-- -->` with only whitespace inside, as React puts between adjacent text nodes. */
function emptyComment(bytes: Uint8Array, at: number, n: number, decoded: Decoded): boolean {
  if (!startsWith(bytes, at, '<!--')) {
    return false
  }
  let j = at + 4
  while (j < n) {
    const c = bytes[j] as number
    const packed = c < 0x80 ? (1 << LENGTH_SHIFT) | c : decodeUtf8At(bytes, j, n)
    if (!isSpace(packed & CODE_POINT_MASK)) {
      break
    }
    j += packed >> LENGTH_SHIFT
  }
  if (!startsWith(bytes, j, '-->')) {
    return false
  }
  decoded.codePoint = -1
  decoded.end = j + 3
  return true
}

/**
 * Decodes the escape that may start at `bytes[at]` (`&`, `\` or `<`) within `bytes[0, n)`;
 * false when it is not one. The result is in `decoded`.
 */
export function decodeEscapeAt(
  bytes: Uint8Array,
  at: number,
  n: number,
  decoded: Decoded
): boolean {
  const c = bytes[at]
  if (c === 0x26) {
    return reference(bytes, at, n, decoded)
  }
  return c === 0x5c ? jsonEscape(bytes, at, decoded) : emptyComment(bytes, at, n, decoded)
}
