// The accounts' markers as @crosstalk/detect indexes them, with the checks and labels a hunt adds:
// a column no account has is a scenario error, and ambiguities are shown as `id (column)`.
import { DetectError, buildIndex } from '@crosstalk/detect'
import { MarkersInvalidError } from '../errors.js'
import type { Account, AccountIdentity, MarkerIndex, MarkerOptions } from './types.js'

/** An account as an identity: its row index is its id, its CSV fields its markers. */
export function accountIdentity(account: Account): AccountIdentity {
  return { id: String(account.index), markers: account.fields, account }
}

/**
 * Builds one index over every account's markers (values normalised like bodies, folded when
 * case-insensitive, free text below minLength dropped). Which free-text values are noise is the
 * scenario's policy (marker-noise.ts). Throws MarkersInvalidError.
 */
export function buildMarkerIndex(
  accounts: readonly Account[],
  options: MarkerOptions
): MarkerIndex {
  const columns = [...options.columns, ...(options.ids ?? []).map((spec) => spec.column)]
  for (const column of columns) {
    if (accounts.length > 0 && !accounts.some((a) => a.fields[column] !== undefined)) {
      throw new MarkersInvalidError(`markers.columns: no account has a column named "${column}"`)
    }
  }
  let markers
  try {
    markers = buildIndex(accounts.map(accountIdentity), options)
  } catch (err) {
    if (err instanceof DetectError && err.code !== 'DETECT_ERR_IDENTITY_INVALID') {
      throw new MarkersInvalidError(`markers.${err.message}`, { cause: err })
    }
    throw err
  }
  return {
    options: { ...options, columns: [...options.columns], ids: [...(options.ids ?? [])] },
    size: markers.size,
    ambiguities: markers.ambiguities.map((a) => ({
      marker: a.marker,
      accounts: a.holders.map((h) => `${h.identity.account.id} (${h.column})`),
    })),
    markers,
  }
}
