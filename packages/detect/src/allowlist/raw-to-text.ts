// Structural allowlists find their spans in the raw body (an element, a JSON value), but matches
// are offsets into the normalised text. Normalisation works locally, so the body cut at tag or
// value edges normalises piece by piece into the same text; each piece's length then gives the
// text offset of each cut. Every piece is compared with the text it should equal, so a cut where
// normalisation is not local (a composing character across it, say) is caught, and the spans of
// that body are not used: a false leak is better than a hidden one. Only the body up to the last
// cut is normalised again.
import { normalizeInto } from '../pass/normalize-pass.js'
import type { Pass } from '../pass/normalize-pass.js'
import type { TextView, UnitBuffer } from '../text/unit-buffer.js'

const BODY = { decode: true }

/**
 * Maps raw ranges (flat [start, end) pairs of byte offsets into `body`) onto `text`, the
 * normalised text of `body`. Returns flat pairs of text offsets, or undefined when a cut
 * does not fall where normalisation is local.
 */
export function rawRangesToText(
  body: Buffer,
  ranges: readonly number[],
  text: TextView,
  scratch: { piece: UnitBuffer; pass: Pass }
): number[] | undefined {
  const { units, length } = text
  const piece = scratch.piece
  const cuts = [...new Set(ranges)].sort((a, b) => a - b)
  const at = new Map<number, number>()
  let from = 0
  let k = 0
  for (const cut of cuts) {
    if (cut > from) {
      normalizeInto(body.subarray(from, cut), piece, scratch.pass, BODY)
      if (k + piece.length > length) {
        return undefined
      }
      for (let i = 0; i < piece.length; i++) {
        if (piece.units[i] !== units[k + i]) {
          return undefined
        }
      }
      k += piece.length
      from = cut
    }
    at.set(cut, k)
  }
  return ranges.map((r) => at.get(r) as number)
}

/** Byte offsets in `body` of UTF-16 offsets in `raw`, its text (the identity for ASCII). */
export function charToByteOffsets(body: Buffer, raw: string, offsets: readonly number[]): number[] {
  if (body.length === raw.length) {
    return [...offsets]
  }
  const sorted = [...new Set(offsets)].sort((a, b) => a - b)
  const bytes = new Map<number, number>()
  let char = 0
  let byte = 0
  for (const o of sorted) {
    byte += Buffer.byteLength(raw.slice(char, o), 'utf8')
    char = o
    bytes.set(o, byte)
  }
  return offsets.map((o) => bytes.get(o) as number)
}
