// Reading HTML tags from a body's bytes, for html-tree.ts: names, attributes (decoded only when
// asked for), the ends of raw-text elements and comments.
import { decodeEscapeAt } from '../text/decode-escape.js'

export const LT = 0x3c
export const GT = 0x3e
export const SLASH = 0x2f

export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d
}

export function isAlpha(c: number | undefined): boolean {
  return c !== undefined && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a
}

/** bytes[from, to) as a lower-case name (names are ASCII; others stay as Latin-1, unmatched). */
function lowerName(bytes: Buffer, from: number, to: number): string {
  return bytes.toString('latin1', from, to).toLowerCase()
}

/**
 * Tag names seen before, by length and bytes: a page repeats a few dozen names. Bounded, so that
 * bodies full of made-up names cannot grow it (a guard scans what anyone sends).
 */
const names = new Map<number, string[]>()
const MAX_NAMES = 4096

/** lowerName() without building a string for a name seen before. */
export function tagName(bytes: Buffer, from: number, to: number): string {
  let hash = to - from
  for (let i = from; i < to; i++) {
    hash = (Math.imul(hash, 31) + ((bytes[i] as number) | 0x20)) | 0
  }
  const bucket = names.get(hash)
  if (bucket !== undefined) {
    for (const name of bucket) {
      if (sameName(bytes, from, to, name)) {
        return name
      }
    }
  }
  const name = lowerName(bytes, from, to)
  if (bucket === undefined) {
    if (names.size < MAX_NAMES) {
      names.set(hash, [name])
    }
  } else if (bucket.length < 4) {
    bucket.push(name)
  }
  return name
}

function sameName(bytes: Buffer, from: number, to: number, name: string): boolean {
  if (name.length !== to - from) {
    return false
  }
  for (let i = from; i < to; i++) {
    const c = bytes[i] as number
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== name.charCodeAt(i - from)) {
      return false
    }
  }
  return true
}

/** An attribute value: UTF-8 with character references decoded. */
function attributeValue(bytes: Buffer, from: number, to: number): string {
  const amp = bytes.indexOf(0x26, from)
  if (amp < 0 || amp >= to) {
    return bytes.toString('utf8', from, to)
  }
  let out = ''
  let last = from
  const decoded = { codePoint: 0, end: 0 }
  for (let i = amp; i < to; i++) {
    if (bytes[i] === 0x26 && decodeEscapeAt(bytes, i, to, decoded) && decoded.codePoint >= 0) {
      out += bytes.toString('utf8', last, i) + String.fromCodePoint(decoded.codePoint)
      last = decoded.end
      i = decoded.end - 1
    }
  }
  return out + bytes.toString('utf8', last, to)
}

/** What scanTag() found about the tag it read, besides its end. */
export interface TagInfo {
  selfClosing: boolean
}

/**
 * Reads a tag from `i` (after its name) to its `>`; returns the offset after it, or -1 when the
 * body ends inside the tag (then it is no tag). Fills `into` with the attributes when given.
 */
export function scanTag(
  bytes: Buffer,
  i: number,
  into?: Record<string, string>,
  tag: TagInfo = { selfClosing: false }
): number {
  const n = bytes.length
  tag.selfClosing = false
  for (;;) {
    while (i < n && (isSpace(bytes[i]) || (bytes[i] === SLASH && bytes[i + 1] !== GT))) {
      i++
    }
    if (i >= n) {
      return -1
    }
    if (bytes[i] === GT) {
      return i + 1
    }
    if (bytes[i] === SLASH) {
      tag.selfClosing = true
      return i + 2
    }
    // A name runs to whitespace, `/`, `>` or `=` (an `=` first is part of the name).
    const nameStart = i
    i++
    while (
      i < n &&
      !isSpace(bytes[i]) &&
      bytes[i] !== SLASH &&
      bytes[i] !== GT &&
      bytes[i] !== 0x3d
    ) {
      i++
    }
    const nameEnd = i
    while (i < n && isSpace(bytes[i])) {
      i++
    }
    let valueStart = i
    let valueEnd = i
    if (bytes[i] === 0x3d) {
      i++
      while (i < n && isSpace(bytes[i])) {
        i++
      }
      const q = bytes[i]
      if (q === 0x22 || q === 0x27) {
        let close = i + 1
        while (close < n && bytes[close] !== q) {
          close++
        }
        if (close >= n) {
          return -1
        }
        valueStart = i + 1
        valueEnd = close
        i = close + 1
      } else {
        valueStart = i
        while (i < n && !isSpace(bytes[i]) && bytes[i] !== GT) {
          i++
        }
        valueEnd = i
      }
    }
    if (into !== undefined) {
      const name = lowerName(bytes, nameStart, nameEnd)
      if (!Object.hasOwn(into, name)) {
        into[name] = attributeValue(bytes, valueStart, valueEnd)
      }
    }
  }
}

/** Offset of `</name` (any case) followed by whitespace, `/` or `>`, from `i`; -1 if none. */
export function rawTextEnd(bytes: Buffer, i: number, name: string): number {
  for (let at = bytes.indexOf('</', i); at >= 0; at = bytes.indexOf('</', at + 2)) {
    if (lowerName(bytes, at + 2, at + 2 + name.length) === name) {
      const c = bytes[at + 2 + name.length]
      if (c === undefined || isSpace(c) || c === SLASH || c === GT) {
        return at
      }
    }
  }
  return -1
}

/** Offset after the `-->` (or `--!>`) that ends a comment from `from`; -1 if none. */
export function commentEnd(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf('--', from); at >= 0; at = bytes.indexOf('--', at + 1)) {
    if (bytes[at + 2] === GT) {
      return at + 3
    }
    if (bytes[at + 2] === 0x21 && bytes[at + 3] === GT) {
      return at + 4
    }
  }
  return -1
}
