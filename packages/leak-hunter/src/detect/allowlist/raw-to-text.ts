// Structural allowlists find their spans in the raw body (an element, a JSON value), but matches
// are offsets into the normalised text. Normalisation works locally, so the body cut at tag or
// value edges normalises piece by piece into the same text; each piece's length then gives the
// text offset of each cut. Every piece is compared with the text it should equal, so a cut where
// normalisation is not local (a whitespace run or a composing character across it) is caught,
// and the spans of that body are not used: a false leak is better than a hidden one.
import { normalizeBodyInto } from '../normalize.js'
import { UnitBuffer } from '../unit-buffer.js'

const piece = new UnitBuffer()

/**
 * Maps raw ranges (flat [start, end) pairs of UTF-16 offsets into `raw`) onto `text[0, length)`,
 * the normalised text of `raw`. Returns flat pairs of text offsets, or undefined when a cut
 * does not fall where normalisation is local.
 */
export function rawRangesToText(
  raw: string,
  ranges: readonly number[],
  text: Uint16Array,
  length: number
): number[] | undefined {
  const cuts = [...new Set(ranges)].sort((a, b) => a - b)
  const at = new Map<number, number>()
  let from = 0
  let k = 0
  for (const cut of [...cuts, raw.length]) {
    if (cut > from) {
      normalizeBodyInto(raw.slice(from, cut), undefined, piece)
      if (k + piece.length > length) {
        return undefined
      }
      for (let i = 0; i < piece.length; i++) {
        if (piece.units[i] !== text[k + i]) {
          return undefined
        }
      }
      k += piece.length
      from = cut
    }
    at.set(cut, k)
  }
  if (k !== length) {
    return undefined
  }
  return ranges.map((r) => at.get(r) as number)
}
