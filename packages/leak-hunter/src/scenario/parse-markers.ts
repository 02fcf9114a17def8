// `markers`: free-text columns (`columns`), id columns (`ids`, matched only where the page says
// they are ids: @crosstalk/detect), case and minimum length; then, once the CSV is read,
// the checks that need its columns and values.
import type { IdMarkerSpec } from '@crosstalk/detect'
import { textMarkerNoise } from '../detect/marker-noise.js'
import type { Account, MarkerOptions } from '../detect/types.js'
import {
  asArray,
  asBoolean,
  asNonEmptyString,
  asNumber,
  asObject,
  asStringList,
  describe,
  fail,
  join,
} from './fields.js'

export function parseMarkers(value: unknown, path: string): MarkerOptions {
  const mk = asObject(value, path, ['columns', 'ids', 'caseInsensitive', 'minLength'])
  const columns = mk.columns === undefined ? [] : asStringList(mk.columns, join(path, 'columns'))
  const ids = mk.ids === undefined ? [] : parseIds(mk.ids, join(path, 'ids'))
  if (columns.length === 0 && ids.length === 0) {
    fail(join(path, 'columns'), 'expected at least one marker column (or an id in markers.ids)')
  }
  return {
    columns,
    ids,
    caseInsensitive:
      mk.caseInsensitive === undefined
        ? false
        : asBoolean(mk.caseInsensitive, join(path, 'caseInsensitive')),
    minLength:
      mk.minLength === undefined
        ? 3
        : asNumber(mk.minLength, join(path, 'minLength'), { min: 1, integer: true }),
  }
}

/** `[userId]` (the JSON field of the same name) or `[{ column, json, attribute, path }]`. */
function parseIds(value: unknown, path: string): IdMarkerSpec[] {
  const list = typeof value === 'string' ? asStringList(value, path) : asArray(value, path)
  return list.map((item, i) => {
    const p = join(path, i)
    if (typeof item === 'string') {
      const column = asNonEmptyString(item, p)
      return { column, json: [column], attributes: [], pathSegments: [] }
    }
    const o = asObject(item, p, ['column', 'json', 'attribute', 'path'])
    const spec: Required<IdMarkerSpec> = {
      column: asNonEmptyString(o.column, join(p, 'column')),
      json: o.json === undefined ? [] : asStringList(o.json, join(p, 'json')),
      attributes: o.attribute === undefined ? [] : asStringList(o.attribute, join(p, 'attribute')),
      pathSegments: o.path === undefined ? [] : asStringList(o.path, join(p, 'path')),
    }
    spec.attributes.forEach((name, j) => {
      if (!/^[^\s"'>/=]+$/.test(name)) {
        fail(join(join(p, 'attribute'), j), `not an attribute name: ${describe(name)}`)
      }
    })
    spec.pathSegments.forEach((segment, j) => {
      if (!/^[^/?#\s]+$/.test(segment)) {
        fail(
          join(join(p, 'path'), j),
          `expected one path segment such as "users" (for /users/104/), got ${describe(segment)}`
        )
      }
    })
    if (spec.json.length + spec.attributes.length + spec.pathSegments.length === 0) {
      fail(p, 'expected where the id stands: json, attribute or path (e.g. json: [userId])')
    }
    return spec
  })
}

/** Checks against the CSV: the columns exist, are no credentials, and free text is no noise. */
export function checkMarkerColumns(
  markers: MarkerOptions,
  header: readonly string[],
  credentials: readonly string[],
  accounts: readonly Account[]
): void {
  const columns = new Set(header)
  const named = [
    ...markers.columns.map((c, i) => ({ column: c, path: join('markers.columns', i) })),
    ...(markers.ids ?? []).map((s, i) => ({
      column: s.column,
      path: join(join('markers.ids', i), 'column'),
    })),
  ]
  const seen = new Set<string>()
  for (const { column, path } of named) {
    if (!columns.has(column)) {
      fail(path, `the accounts CSV has no column "${column}"; columns: ${header.join(', ')}`)
    }
    if (credentials.includes(column)) {
      fail(path, `"${column}" is a credential column; credentials are never markers`)
    }
    if (seen.has(column)) {
      fail(path, `"${column}" is listed twice (a column is free text or an id, not both)`)
    }
    seen.add(column)
  }
  markers.columns.forEach((column, i) => {
    const problem = textMarkerNoise(accounts, column, markers.minLength)
    if (problem !== undefined) {
      fail(join('markers.columns', i), problem)
    }
  })
}
