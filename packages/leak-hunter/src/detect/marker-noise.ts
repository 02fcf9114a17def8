// A scenario refuses free-text marker columns whose values cannot be told from noise
// (@crosstalk/detect's markerNoise): this says which, and how to write them as id markers instead.
import { markerNoise } from '@crosstalk/detect'
import { accountIdentity } from './marker-index.js'
import type { Account } from './types.js'

/**
 * A message naming the values of `column` that would be free-text markers (at least minLength
 * long) but cannot be told from noise, and how to express them instead; undefined when none.
 */
export function textMarkerNoise(
  accounts: readonly Account[],
  column: string,
  minLength: number
): string | undefined {
  const { markers, noisy, example } = markerNoise(accounts.map(accountIdentity), column, minLength)
  if (example === undefined) {
    return undefined
  }
  const shown = JSON.stringify(
    example.value.length > 24 ? `${example.value.slice(0, 24)}…` : example.value
  )
  return (
    `"${column}": ${noisy} of ${markers} values have no letter (e.g. ${shown} of account ${example.identity.account.id}), ` +
    'so as free text they cannot be told from the other numbers on a page (item ids, tokens, ' +
    'counts, dates). Match them only where they are ids: ' +
    `markers.ids: [{ column: ${column}, json: [${column}] }] (the whole value of a JSON field; ` +
    'also attribute: [data-user-id] or path: [users] for /users/104/), or --id-markers ' +
    `${column} on the command line`
  )
}
