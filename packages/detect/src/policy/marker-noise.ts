// Which free-text marker values cannot be told from noise. A value with no letter (a number, a
// date, digits with dashes) looks like the item ids, counts, prices, timestamps and token digits
// every page carries: ids of other tables come from the same sequences as user ids, so as free
// text it reports leaks on correct servers (leak-hunter's README example once reported 1,600 in
// 4 s). Such values belong in an id marker (IndexOptions.ids), which counts them where they are ids.
import { MarkerScratch, normalizeMarker } from '../pass/normalize.js'
import { valuesOf } from '../index/options.js'
import type { Identity } from '../types.js'

const LETTER = /\p{L}/u

/** Why `value` cannot be a free-text marker, or undefined when it can. */
export function noiseReason(value: string): string | undefined {
  return LETTER.test(value) ? undefined : 'has no letter'
}

/** What markerNoise() found in one column. */
export interface MarkerNoise<T extends Identity = Identity> {
  /** Values that would be free-text markers (at least minLength long, normalised). */
  markers: number
  /** Of those, the values noiseReason() refuses. */
  noisy: number
  /** The first noisy value and its identity. */
  example: { value: string; identity: T } | undefined
}

/** Counts the values of `column` that would be free-text markers but cannot be told from noise. */
export function markerNoise<T extends Identity>(
  identities: Iterable<T>,
  column: string,
  minLength: number
): MarkerNoise<T> {
  const scratch = new MarkerScratch()
  const found: MarkerNoise<T> = { markers: 0, noisy: 0, example: undefined }
  for (const identity of identities) {
    for (const raw of valuesOf(identity, column)) {
      const value = normalizeMarker(raw, scratch)
      if (value.length < minLength) {
        continue
      }
      found.markers++
      if (noiseReason(value) !== undefined) {
        found.noisy++
        found.example ??= { value, identity }
      }
    }
  }
  return found
}
