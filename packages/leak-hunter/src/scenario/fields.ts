// The building blocks of the scenario schema (valibot): each field kind with the words its problems
// are reported in, and its description for editors. The same definition becomes the published JSON
// Schema (scripts/scenario-json-schema.ts), so a check here must be one JSON Schema can state:
// checks it cannot (a CSV column exists, a template names an earlier extraction) run afterwards.
// A check across fields (`rule`) carries the JSON Schema keywords that say the same next to it.
import * as v from 'valibot'
import { describe, parseOrFail } from './problems.js'

type Issue = v.BaseIssue<unknown>
type Message = (issue: Issue) => string
type Schema<T> = v.GenericSchema<T>

const expected =
  (what: string): Message =>
  (issue) =>
    `expected ${what}, got ${describe(issue.input)}`

/** A description for editors (hover and completion); placed before any transformation. */
const note = <T>(doc: string | undefined): v.MetadataAction<T, Record<string, string>> =>
  v.metadata<T, Record<string, string>>(doc === undefined ? {} : { description: doc })

/** `v.pipe` over a list of actions built at run time (typed pipes take a fixed number). */
function pipe<I, O>(
  base: v.GenericSchema<I, O>,
  actions: Array<v.PipeItem<O, O, Issue>>
): v.GenericSchema<I, O> {
  return (v.pipe as unknown as (...items: unknown[]) => v.GenericSchema<I, O>)(base, ...actions)
}

const notAnObject = (what: string): v.GenericSchema<unknown, never> =>
  v.custom<never>(() => false, expected(what))

/** valibot reads an array as an object with numbered keys; a scenario never means that. */
function objectOnly<S extends v.GenericSchema>(schema: S, what = 'an object'): S {
  const refuse = notAnObject(what)
  return {
    ...schema,
    '~run'(dataset: v.UnknownDataset, config: v.Config<Issue>) {
      return Array.isArray(dataset.value)
        ? refuse['~run'](dataset, config)
        : schema['~run'](dataset, config)
    },
  }
}

/** The JSON kind of a value: which option of a `oneOf` it is for. */
function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

const KINDS: Record<string, string> = {
  strict_object: 'object',
  object: 'object',
  record: 'object',
  array: 'array',
  string: 'string',
  number: 'number',
  boolean: 'boolean',
}

/** The kinds a oneOf takes, so that one can be an option of another. */
const ONE_OF_KINDS = new WeakMap<object, string[]>()

/**
 * A union whose options have different JSON kinds (a string or a list, a number or a string): a
 * value is checked by the option of its kind only, so a problem is reported inside it
 * (`expect[1]: expected at most 599`), not as "none of the options". The JSON Schema is anyOf.
 */
export function oneOf<const O extends v.UnionOptions>(options: O, message: Message) {
  const byKind = new Map<string, O[number]>()
  for (const option of options) {
    const root = ('pipe' in option ? (option.pipe as unknown[])[0] : option) as v.GenericSchema
    for (const kind of ONE_OF_KINDS.get(root) ?? [KINDS[root.type]]) {
      if (kind === undefined || byKind.has(kind)) {
        throw new Error(`oneOf: option ${root.type} is no JSON kind, or its kind is taken`)
      }
      byKind.set(kind, option)
    }
  }
  const union = v.union(options, message)
  const schema = {
    ...union,
    '~run'(dataset: v.UnknownDataset, config: v.Config<Issue>) {
      const option = byKind.get(kindOf(dataset.value))
      return option === undefined ? union['~run'](dataset, config) : option['~run'](dataset, config)
    },
  } as typeof union
  ONE_OF_KINDS.set(schema, [...byKind.keys()])
  return schema
}

export const text = (doc?: string): Schema<string> =>
  v.pipe(v.string(expected('a string')), note<string>(doc))

export const nonEmpty = (doc?: string): Schema<string> =>
  v.pipe(
    v.string(expected('a string')),
    note<string>(doc),
    v.regex(/\S/, 'expected a non-empty string')
  )

export const flag = (doc?: string): Schema<boolean> =>
  v.pipe(v.boolean(expected('true or false')), note<boolean>(doc))

export interface Range {
  min?: number
  max?: number
  integer?: boolean
}

export function num(range: Range, doc?: string): Schema<number> {
  const actions: Array<v.PipeItem<number, number, Issue>> = [
    note<number>(doc),
    v.finite(expected('a number')),
  ]
  if (range.integer === true) {
    actions.push(v.integer((i) => `expected an integer, got ${String(i.input)}`))
  }
  if (range.min !== undefined) {
    const min = range.min
    actions.push(v.minValue(min, (i) => `expected at least ${min}, got ${String(i.input)}`))
  }
  if (range.max !== undefined) {
    const max = range.max
    actions.push(v.maxValue(max, (i) => `expected at most ${max}, got ${String(i.input)}`))
  }
  return pipe(v.number(expected('a number')), actions)
}

/** JSON Schema keywords, in a `rule`. */
export type JsonRule = Readonly<Record<string, unknown>>

/** A `rule` as the schema converter sees it: a check with the keywords that state it. */
export type RuleAction<T> = v.CheckAction<T, Message> & { readonly jsonSchema: JsonRule }

/**
 * A check across the fields of a value (exactly one of them, not both), and `json`: the JSON Schema
 * keywords that state the same, which scripts/scenario-json-schema.ts writes in its place (the
 * converter cannot read a function). test/scenario-json-schema.test.ts holds the two to one verdict.
 */
export function rule<T>(
  holds: (value: T) => boolean,
  problem: (value: T) => string,
  json: JsonRule
): RuleAction<T> {
  return { ...v.check<T, Message>(holds, (issue) => problem(issue.input as T)), jsonSchema: json }
}

/** A list, optionally refusing an empty one with `emptyProblem`. */
export function list<S extends v.GenericSchema>(
  item: S,
  doc?: string,
  emptyProblem?: string
): v.GenericSchema<Array<v.InferInput<S>>, Array<v.InferOutput<S>>> {
  type T = v.InferOutput<S>
  const actions: Array<v.PipeItem<T[], T[], Issue>> = [note<T[]>(doc)]
  if (emptyProblem !== undefined) {
    actions.push(v.minLength(1, emptyProblem))
  }
  return pipe(v.array(item, expected('a list')), actions)
}

/** An object with these fields only; a missing required field says what it expected. */
export function strict<E extends v.ObjectEntries>(entries: E, doc?: string) {
  const known = Object.keys(entries).join(', ')
  const message: Message = (issue) => {
    if (issue.expected === 'never') {
      return `unknown field (expected one of: ${known})`
    }
    const key = issue.path?.[0]?.key
    if (issue.expected?.startsWith('"') === true && typeof key === 'string') {
      // The field's own complaint about nothing: "expected a string, got nothing".
      const missing = v.safeParse(entries[key]!, undefined, { message: expected('a value') })
      return missing.issues?.[0].message ?? 'required field'
    }
    return expected('an object')(issue)
  }
  const root = v.strictObject(entries, message)
  return objectOnly(v.pipe(root, note<v.InferOutput<typeof root>>(doc)))
}

/** An object whose keys are the user's names (headers, form fields, variables). */
export function record<K extends v.GenericSchema<string>, S extends v.GenericSchema>(
  key: K,
  value: S,
  doc?: string
) {
  const root = v.record(key, value, expected('an object'))
  return objectOnly(v.pipe(root, note<v.InferOutput<typeof root>>(doc)))
}

/** `a, b` as `['a', 'b']`: a list written as one comma-separated string (what flags look like). */
export const splitList = (value: string | string[]): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : value

/** A string list, also as one comma-separated string. */
export const stringList = (doc?: string): v.GenericSchema<string | string[], string[]> =>
  v.pipe(
    oneOf([v.string(), v.array(nonEmpty())], expected('a list')),
    note<string | string[]>(doc),
    v.transform(splitList)
  )

/** One value or a list of them, as a list. */
export const oneOrList = <T>(
  item: Schema<T>,
  what: string,
  doc?: string
): v.GenericSchema<T | T[], T[]> =>
  v.pipe(
    oneOf([item, v.array(item)], expected(`${what} or a list of them`)),
    note<T | T[]>(doc),
    v.transform((value) => (Array.isArray(value) ? value : [value]))
  )

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const DURATION = /^\s*(?:\d+(?:\.\d+)?(?:ms|s|m|h))+\s*$/
/** The same, with a digit other than 0 somewhere: a duration above zero. */
const NONZERO_DURATION = /^\s*(?=[^1-9]*[1-9])(?:\d+(?:\.\d+)?(?:ms|s|m|h))+\s*$/
const DURATION_HINT = 'expected a duration such as "30s", "500ms" or "2m"'

function durationMs(text: string): number {
  let ms = 0
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(m[1]) * (UNITS[m[2]!] ?? 1)
  }
  return ms
}

/** Milliseconds (a number) or a string such as `500ms`, `30s`, `2m`, `1h`, `1m30s`; as ms. */
export function duration(o: {
  aboveZero: boolean
  doc?: string
}): v.GenericSchema<number | string, number> {
  const numeric: Array<v.PipeItem<number, number, Issue>> = [
    v.finite(expected('a number')),
    v.minValue(0, (i) => `expected at least 0, got ${String(i.input)}`),
  ]
  if (o.aboveZero) {
    numeric.push(v.gtValue(0, 'expected a duration above zero'))
  }
  const written = v.pipe(
    v.string(),
    v.regex(o.aboveZero ? NONZERO_DURATION : DURATION, (i) => {
      const value = i.input
      if (value.trim() === '') {
        return DURATION_HINT
      }
      return DURATION.test(value)
        ? 'expected a duration above zero'
        : `${DURATION_HINT}, got ${describe(value)}`
    })
  )
  return v.pipe(
    oneOf(
      [pipe(v.number(), numeric), written],
      expected('a duration (milliseconds or a string such as "30s")')
    ),
    note<number | string>(o.doc),
    v.transform((value) => (typeof value === 'number' ? value : durationMs(value)))
  )
}

/** A duration as milliseconds; throws HUNT_ERR_SCENARIO_INVALID naming `path`. */
export function asDurationMs(value: unknown, path: string, allowZero = true): number {
  return parseOrFail(duration({ aboveZero: !allowZero }), value, path)
}

/** `[Gg][Ee][Tt]`: a case-insensitive pattern JSON Schema can state (it has no flags). */
export function anyCase(word: string): string {
  return [...word]
    .map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c))
    .join('')
}
