// `markers`: free-text columns (`columns`), id columns (`ids`, matched only where the page says
// they are ids: @crosstalk/detect), case and minimum length; then, once the CSV is read,
// the checks that need its columns and values.
import * as v from 'valibot'
import type { IdMarkerSpec } from '@crosstalk/detect'
import { textMarkerNoise } from '../detect/marker-noise.js'
import type { Account, MarkerOptions } from '../detect/types.js'
import { flag, nonEmpty, num, oneOf, splitList, strict, stringList } from './fields.js'
import { describe, fail, join } from './problems.js'

const idObject = strict({
  column: nonEmpty('The accounts CSV column holding the id'),
  json: v.optional(stringList('JSON members whose whole value is the id: "userId": 104')),
  attribute: v.optional(stringList('Attributes whose whole value is the id: data-user-id="104"')),
  path: v.optional(stringList('Path segments the id follows: users for /users/104')),
})

const ids = oneOf(
  [
    v.string(),
    v.array(
      oneOf(
        [nonEmpty(), idObject],
        (i) => `expected a column or { column, json, attribute, path }, got ${describe(i.input)}`
      )
    ),
  ],
  (i) => `expected a list, got ${describe(i.input)}`
)

export const markersSchema = strict(
  {
    columns: v.optional(
      stringList('Columns whose values identify an account anywhere on a page (free text)')
    ),
    ids: v.optional(
      v.pipe(
        ids,
        v.metadata({
          description:
            'Columns whose values count only where the page says they are an id (json, attribute, path)',
        })
      )
    ),
    caseInsensitive: v.optional(flag('Match markers regardless of case'), false),
    minLength: v.optional(
      num({ min: 1, integer: true }, 'Ignore marker values shorter than this'),
      3
    ),
  },
  'What identifies an account on a page: columns of the accounts CSV'
)

export type MarkersInput = v.InferOutput<typeof markersSchema>

/** The marker options, once the schema has passed: something to find, and ids that say where. */
export function resolveMarkers(mk: MarkersInput, path: string): MarkerOptions {
  const columns = mk.columns ?? []
  const specs = mk.ids === undefined ? [] : resolveIds(mk.ids, join(path, 'ids'))
  if (columns.length === 0 && specs.length === 0) {
    fail(join(path, 'columns'), 'expected at least one marker column (or an id in markers.ids)')
  }
  return { columns, ids: specs, caseInsensitive: mk.caseInsensitive, minLength: mk.minLength }
}

/** `[userId]` (the JSON field of the same name) or `[{ column, json, attribute, path }]`. */
function resolveIds(value: NonNullable<MarkersInput['ids']>, path: string): IdMarkerSpec[] {
  const list = typeof value === 'string' ? splitList(value) : value
  return list.map((item, i) => {
    const p = join(path, i)
    if (typeof item === 'string') {
      return { column: item, json: [item], attributes: [], pathSegments: [] }
    }
    const spec: Required<IdMarkerSpec> = {
      column: item.column,
      json: item.json ?? [],
      attributes: item.attribute ?? [],
      pathSegments: item.path ?? [],
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
