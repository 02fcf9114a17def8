// What the application tells the guard about the user a response is for, checked once per
// response: bad input from the hook is a GUARD_ERR_BAD_IDENTITY, never a silent pass.
import { GuardIdentityError } from '../errors.js'

export type MarkerValue = string | number | bigint | null | undefined

/** Who a response is for: a stable id and the values that identify that user on a page. */
export interface Identity {
  /** The user's stable id (user id, account id): the registry's key. */
  id: string | number
  /**
   * Marker values by field: display name, email, and id fields (named in the guard's `idMarkers`,
   * found only where a page says it is an id). Empty or missing values are ignored.
   */
  markers: Readonly<Record<string, MarkerValue>>
}

/** An identity as the registry holds it: the id as a string, marker values as trimmed strings. */
export interface ResolvedIdentity {
  id: string
  fields: Readonly<Record<string, string>>
}

const MAX_ID_CHARS = 256
const MAX_MARKER_CHARS = 1024
const MAX_FIELDS = 64

/** Validates and normalises what identify() returned; undefined/null mean "anonymous". */
export function resolveIdentity(value: unknown): ResolvedIdentity | undefined {
  if (value === undefined || value === null) {
    return undefined
  }
  if (typeof value !== 'object') {
    throw new GuardIdentityError(`identify() must return an identity object, got ${typeof value}`)
  }
  const { id, markers } = value as Partial<Identity>
  const key = typeof id === 'number' && Number.isFinite(id) ? String(id) : id
  if (typeof key !== 'string' || key === '' || key.length > MAX_ID_CHARS) {
    throw new GuardIdentityError(
      `identity.id must be a non-empty string (at most ${MAX_ID_CHARS} characters) or a finite number`
    )
  }
  if (typeof markers !== 'object' || markers === null) {
    throw new GuardIdentityError('identity.markers must be an object of field: value')
  }
  const fields: Record<string, string> = {}
  let count = 0
  for (const [field, raw] of Object.entries(markers)) {
    if (raw === undefined || raw === null) {
      continue
    }
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'bigint') {
      throw new GuardIdentityError(`identity.markers.${field} must be a string or a number`)
    }
    const text = String(raw).trim()
    if (text === '') {
      continue
    }
    if (text.length > MAX_MARKER_CHARS) {
      throw new GuardIdentityError(
        `identity.markers.${field} is longer than ${MAX_MARKER_CHARS} characters`
      )
    }
    if (++count > MAX_FIELDS) {
      throw new GuardIdentityError(`identity.markers has more than ${MAX_FIELDS} fields`)
    }
    fields[field] = text
  }
  return { id: key, fields }
}

/** Whether two field sets hold the same values (a renamed user needs the index rebuilt). */
export function sameFields(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>
): boolean {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) {
    return false
  }
  for (const k of keys) {
    if (a[k] !== b[k]) {
      return false
    }
  }
  return true
}

/**
 * What one identity costs the guard, estimated: its strings (UTF-16) plus a fixed overhead for the
 * registry entry and its share of the marker index. The bench compares it with measured heap.
 */
export function identityBytes(identity: ResolvedIdentity): number {
  let chars = identity.id.length
  for (const [field, value] of Object.entries(identity.fields)) {
    chars += field.length + 2 * value.length
  }
  return ENTRY_OVERHEAD_BYTES + 2 * chars
}

/** Map entry, entry object, fields object, index entries: measured by the bench (README). */
export const ENTRY_OVERHEAD_BYTES = 400
