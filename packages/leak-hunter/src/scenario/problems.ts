// How a scenario problem is reported: the field's path (`login[1].extract.csrf.selector`) and what
// is wrong, as HUNT_ERR_SCENARIO_INVALID. The schema pass reports every problem it finds at once.
import * as v from 'valibot'
import { ScenarioInvalidError } from '../errors.js'

export type Obj = Record<string, unknown>

/** At most this many schema problems are listed; the rest are counted. */
const LISTED = 10

export function fail(path: string, problem: string): never {
  throw new ScenarioInvalidError(path, problem)
}

export function describe(value: unknown): string {
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return 'an array'
  }
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  }
  if (value === undefined) {
    return 'nothing'
  }
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`
  }
  return path === '' ? key : `${path}.${key}`
}

function issuePath(at: string, issue: v.BaseIssue<unknown>): string {
  let path = at
  for (const item of issue.path ?? []) {
    path = join(path, item.key as string | number)
  }
  return path
}

/** A schema without a message of its own still says what it expected, in the same words. */
const fallback = (issue: v.BaseIssue<unknown>): string =>
  `expected ${issue.expected ?? 'something else'}, got ${describe(issue.input)}`

/** `value` through `schema` (paths relative to `at`); every problem found at once otherwise. */
export function parseOrFail<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  at = ''
): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortPipeEarly: true, message: fallback })
  if (result.success) {
    return result.output
  }
  const [first, ...rest] = result.issues.map((issue) => ({
    path: issuePath(at, issue),
    problem: issue.message,
  }))
  const more = rest.slice(0, LISTED - 1).map((p) => `\n  ${p.path}: ${p.problem}`)
  const unlisted = rest.length - more.length
  fail(
    first!.path,
    `${first!.problem}${more.join('')}${unlisted > 0 ? `\n  … and ${unlisted} more` : ''}`
  )
}
