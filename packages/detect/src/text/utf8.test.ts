import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { normalizeText as normalizeBody } from '../pass/normalize.js'
import { CODE_POINT_MASK, LENGTH_SHIFT, decodeUtf8At } from './utf8.js'

/** Decodes all of `bytes` with decodeUtf8At (ASCII passed through), as the normaliser walks them. */
function decodeAll(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) {
      out += String.fromCharCode(b)
      i++
      continue
    }
    const packed = decodeUtf8At(bytes, i, bytes.length)
    out += String.fromCodePoint(packed & CODE_POINT_MASK)
    i += packed >> LENGTH_SHIFT
  }
  return out
}

// Valid text, and bytes that break UTF-8 in every way: stray continuations, overlongs,
// surrogates, truncated sequences, bytes that never occur.
const edgeByte = fc.constantFrom(0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0)
const lead = fc.constantFrom(0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff)
const bytes = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => Buffer.from(s)),
      fc.uint8Array({ maxLength: 4 }),
      fc.tuple(lead, edgeByte, edgeByte).map((t) => Uint8Array.from(t)),
      edgeByte.map((b) => Uint8Array.of(b))
    ),
    { maxLength: 20 }
  )
  .map((parts) => Buffer.concat(parts))

describe('decodeUtf8At', () => {
  test('decodes like TextDecoder, one U+FFFD per maximal invalid subpart', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        expect(decodeAll(b)).toBe(new TextDecoder().decode(b))
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 1000) }
    )
  })

  test('a truncated sequence at the end is one U+FFFD', () => {
    expect(decodeAll(Uint8Array.of(0x41, 0xf0, 0x9f, 0x98))).toBe('A\ufffd')
    expect(decodeAll(Uint8Array.of(0xe2, 0x82, 0xac))).toBe('€')
  })
})

describe('normalising bytes', () => {
  test('gives what normalising the decoded text gives', () => {
    const escapes = fc.constantFrom('&#233;', '&amp;', '<!-- -->', '\\u00e9', ' \n ', '\u00a0')
    const body = fc
      .array(
        fc.oneof(
          bytes,
          escapes.map((s) => Buffer.from(s))
        ),
        { maxLength: 10 }
      )
      .map((parts) => Buffer.concat(parts))
    fc.assert(
      fc.property(body, (b) => {
        expect(normalizeBody(b)).toBe(normalizeBody(new TextDecoder().decode(b)))
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 1000) }
    )
  })
})
