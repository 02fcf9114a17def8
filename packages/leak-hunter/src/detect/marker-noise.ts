// Which free-text marker values cannot be told from noise. A value with no letter (a number, a
// date, digits with dashes) looks like the item ids, counts, prices, timestamps and token digits
// every page carries: ids of other tables come from the same sequences as user ids, so as free
// text it reports leaks on correct servers (the README's own example once reported 1,600 in 4 s).
// Such values are refused as free text; an id marker (id-context.ts) matches them where they
// are ids.
import { normalizeMarker } from './normalize.js'
import type { Account } from './types.js'

const LETTER = /\p{L}/u

/** Why `value` cannot be a free-text marker, or undefined when it can. */
export function noiseReason(value: string): string | undefined {
  return LETTER.test(value) ? undefined : 'has no letter'
}

/**
 * A message naming the values of `column` that would be free-text markers (at least minLength
 * long) but cannot be told from noise, and how to express them instead; undefined when none.
 */
export function textMarkerNoise(
  accounts: readonly Account[],
  column: string,
  minLength: number
): string | undefined {
  let count = 0
  let markers = 0
  let example: { value: string; account: string } | undefined
  for (const account of accounts) {
    const raw = account.fields[column]
    if (raw === undefined) {
      continue
    }
    const value = normalizeMarker(raw)
    if (value.length < minLength) {
      continue
    }
    markers++
    if (noiseReason(value) !== undefined) {
      count++
      example ??= { value, account: account.id }
    }
  }
  if (example === undefined) {
    return undefined
  }
  const shown = JSON.stringify(
    example.value.length > 24 ? `${example.value.slice(0, 24)}…` : example.value
  )
  return (
    `"${column}": ${count} of ${markers} values have no letter (e.g. ${shown} of account ${example.account}), ` +
    'so as free text they cannot be told from the other numbers on a page (item ids, tokens, ' +
    'counts, dates). Match them only where they are ids: ' +
    `markers.ids: [{ column: ${column}, json: [${column}] }] (the whole value of a JSON field; ` +
    'also attribute: [data-user-id] or path: [users] for /users/104/), or --id-markers ' +
    `${column} on the command line`
  )
}
