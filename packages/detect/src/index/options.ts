// Checks IndexOptions and identities, and fills in the defaults.
import { IdentityInvalidError, OptionsInvalidError } from '../errors.js'
import type { Identity, IndexOptions, ResolvedIndexOptions } from '../types.js'

/** Marker columns per index: a column is one byte of each entry. */
const MAX_COLUMNS = 255

export function resolveOptions(options: IndexOptions): ResolvedIndexOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsInvalidError('options', 'expected an object with columns')
  }
  const columns = options.columns
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string' || c === '')) {
    throw new OptionsInvalidError('columns', 'expected an array of column names')
  }
  const ids = (options.ids ?? []).map((spec, i) => {
    const field = `ids[${i}]`
    if (typeof spec?.column !== 'string' || spec.column === '') {
      throw new OptionsInvalidError(`${field}.column`, 'expected a column name')
    }
    const resolved = {
      column: spec.column,
      json: [...(spec.json ?? [])],
      attributes: [...(spec.attributes ?? [])],
      pathSegments: [...(spec.pathSegments ?? [])],
    }
    if (resolved.json.length + resolved.attributes.length + resolved.pathSegments.length === 0) {
      throw new OptionsInvalidError(
        field,
        `"${spec.column}" names no json field, attribute or path segment`
      )
    }
    return resolved
  })
  const names = columns as readonly string[]
  const all = [...names, ...ids.map((spec) => spec.column)]
  if (all.length === 0) {
    throw new OptionsInvalidError('columns', 'name at least one column (free text or id)')
  }
  if (all.length > MAX_COLUMNS) {
    throw new OptionsInvalidError('columns', `at most ${MAX_COLUMNS} marker columns`)
  }
  if (new Set(all).size !== all.length) {
    throw new OptionsInvalidError('columns', 'a column is listed twice (as free text or as an id)')
  }
  const minLength = options.minLength ?? 3
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new OptionsInvalidError('minLength', `must be an integer >= 1, got ${minLength}`)
  }
  const caseInsensitive = options.caseInsensitive ?? false
  if (typeof caseInsensitive !== 'boolean') {
    throw new OptionsInvalidError('caseInsensitive', 'expected true or false')
  }
  return { columns: [...names], ids, caseInsensitive, minLength }
}

/** Marker columns in index order: free-text columns, then id columns. */
export function markerColumns(options: ResolvedIndexOptions): string[] {
  return [...options.columns, ...options.ids.map((spec) => spec.column)]
}

/** Throws unless `identity` has a string id and string (or string array) marker values. */
export function checkIdentity(identity: Identity): void {
  if (typeof identity !== 'object' || identity === null) {
    throw new IdentityInvalidError(undefined, 'expected an object with id and markers')
  }
  if (typeof identity.id !== 'string' || identity.id === '') {
    throw new IdentityInvalidError(undefined, 'id: expected a non-empty string')
  }
  if (typeof identity.markers !== 'object' || identity.markers === null) {
    throw new IdentityInvalidError(identity.id, 'markers: expected an object of column values')
  }
}

/** The values of `column` in `identity`, as a list; throws on a value that is not a string. */
export function valuesOf(identity: Identity, column: string): readonly string[] {
  const value = identity.markers[column]
  if (value === undefined) {
    return NONE
  }
  if (typeof value === 'string') {
    return [value]
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value
  }
  throw new IdentityInvalidError(identity.id, `markers.${column}: expected a string or strings`)
}

const NONE: readonly string[] = Object.freeze([])
