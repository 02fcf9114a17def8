// The schema of a login step and of a page: method, path, headers, form or JSON body, expect and
// extract. What needs the other steps or the CSV (templates) is checked in validate-steps.ts.
import * as v from 'valibot'
import { allowlistSchema } from './parse-allowlist.js'
import {
  anyCase,
  flag,
  list,
  nonEmpty,
  num,
  oneOrList,
  record,
  rule,
  strict,
  text,
  oneOf,
} from './fields.js'
import type { JsonRule, RuleAction } from './fields.js'
import { describe } from './problems.js'

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
export const BUILTIN_VARS = ['vu', 'iteration']

const method = v.pipe(
  v.string((i) => `expected a string, got ${describe(i.input)}`),
  v.metadata({ description: 'HTTP method (any case)', examples: [...METHODS] }),
  v.regex(
    new RegExp(`^(?:${METHODS.map(anyCase).join('|')})$`),
    (i) => `expected one of ${METHODS.join(', ')}, got ${describe(i.input)}`
  ),
  v.transform((m) => m.toUpperCase())
)

const path = v.pipe(
  text(
    'Path on the target, starting with "/"; templates: {{name}}, {{account.column}}, {{env.NAME}}'
  ),
  // Absolute URLs are refused: requests go to the explicitly given target only.
  v.regex(/^\//, (i) => `expected a path starting with "/" on the target, got ${describe(i.input)}`)
)

/** A template, or a number or switch sent as its text. */
const scalar = oneOf(
  [v.string(), v.number(), v.boolean()],
  (i) => `expected a string, got ${describe(i.input)}`
)

const headerName = v.pipe(
  v.string(),
  v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name')
)

const variableName = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z_][\w-]*$/,
    'a variable name must start with a letter or _, then letters, digits, _ or -'
  ),
  v.notValues(
    BUILTIN_VARS,
    (i) => `"${String(i.input)}" is a built-in variable and cannot be extracted into`
  )
)

export const SOURCES = ['selector', 'regex', 'json', 'header', 'cookie'] as const

/** `required` with its properties named, as strict JSON Schema validators ask (Ajv). */
const has = (keys: readonly string[]): JsonRule => ({
  properties: Object.fromEntries(keys.map((k) => [k, true])),
  required: keys,
})

const given = (o: object, keys: readonly string[]): string[] =>
  keys.filter((k) => (o as Record<string, unknown>)[k] !== undefined)

const extractRule = strict(
  {
    selector: v.optional(
      nonEmpty(
        "CSS selector; the value is its attribute, else an input's value, a meta's content, else the text"
      )
    ),
    attribute: v.optional(nonEmpty('With selector: the attribute to read')),
    regex: v.optional(nonEmpty('Regular expression on the body')),
    group: v.optional(
      num(
        { min: 0, integer: true },
        'With regex: the capture group (default 1 if there is one, else 0)'
      )
    ),
    json: v.optional(nonEmpty('Simple JSON path: dotted names and [index], e.g. data.token')),
    header: v.optional(nonEmpty('Response header (case-insensitive)')),
    cookie: v.optional(nonEmpty("The VU's cookie of this name, after this response's Set-Cookie")),
  },
  'Exactly one source: selector, regex, json, header or cookie'
)
type Rule = v.InferOutput<typeof extractRule>

/** An extraction rule's `field`, which means something only beside `other`. */
function onlyWith<K extends 'attribute' | 'group'>(field: K, other: 'selector' | 'regex') {
  return v.forward<Rule, v.CheckIssue<Rule>, [K]>(
    rule<Rule>(
      (o) => o[field] === undefined || o[other] !== undefined,
      () => `only allowed with ${other}`,
      { dependencies: { [field]: [other] } }
    ),
    [field]
  )
}

/** Exactly one source per rule; what needs the value parsed (selector, regex) is in validate-steps. */
export const extractRuleSchema = v.pipe(
  extractRule,
  rule<Rule>(
    (o) => given(o, SOURCES).length === 1,
    (o) =>
      given(o, SOURCES).length === 0
        ? `expected one of ${SOURCES.join(', ')}`
        : `expected only one source, got ${given(o, SOURCES).join(' and ')}`,
    { oneOf: SOURCES.map((k) => has([k])) }
  ),
  onlyWith('attribute', 'selector'),
  onlyWith('group', 'regex')
)

const status = num({ min: 100, max: 599, integer: true })

const stepFields = {
  name: v.optional(nonEmpty('Shown in reports; default login-N or page-N')),
  method: v.optional(method, 'GET'),
  path,
  headers: v.optional(record(headerName, scalar, 'Request headers; values are templates')),
  form: v.optional(
    record(v.string(), scalar, 'Body sent application/x-www-form-urlencoded; values are templates')
  ),
  json: v.optional(
    v.pipe(v.unknown(), v.metadata({ description: 'JSON body; string leaves are templates' }))
  ),
  expect: v.optional(
    oneOrList(status, 'a status', 'Accepted status or statuses; default any 2xx or 3xx')
  ),
  extract: v.optional(
    record(variableName, extractRuleSchema, 'Variables read from the response for later steps')
  ),
}

const BODIES = ['form', 'json']
const NO_BODY = ['GET', 'HEAD']

interface Bodied {
  method: string
  form?: unknown
  json?: unknown
}

/** A body is form or json, and never on a GET or HEAD (the method is upper case by now). */
function bodyRules<T extends Bodied>(): [RuleAction<T>, RuleAction<T>] {
  return [
    rule<T>(
      (o) => given(o, BODIES).length < 2,
      () => 'a step has either form or json, not both',
      { not: has(BODIES) }
    ),
    rule<T>(
      (o) => !NO_BODY.includes(o.method) || given(o, BODIES).length === 0,
      (o) => `a ${o.method} step cannot have a form or json body`,
      {
        // `properties` holds when there is no method: GET, the default.
        if: {
          properties: {
            method: { type: 'string', pattern: `^(?:${NO_BODY.map(anyCase).join('|')})$` },
          },
        },
        then: { not: { anyOf: BODIES.map((k) => has([k])) } },
      }
    ),
  ]
}

const loginStep = strict(
  {
    ...stepFields,
    verify: v.optional(
      flag("The owner's marker must appear in this response for the login to count"),
      false
    ),
    allowlist: v.optional(allowlistSchema("This step's own allowlist, added to the scenario's")),
  },
  'A login step: run once per virtual user before the load'
)

const page = strict(
  {
    ...stepFields,
    weight: v.optional(num({ min: 0 }, 'With order: weighted, how often this page is picked'), 1),
    expectOwnMarker: v.optional(flag('The page should show its owner (default true)'), true),
    allowlist: v.optional(allowlistSchema("This page's own allowlist, added to the scenario's")),
  },
  'A page of the load phase; each response is checked'
)

export const loginStepSchema = v.pipe(loginStep, ...bodyRules<v.InferOutput<typeof loginStep>>())
export const pageSchema = v.pipe(page, ...bodyRules<v.InferOutput<typeof page>>())

export const loginSchema = v.pipe(
  list(
    loginStepSchema,
    'Request steps run once per virtual user; at least one has verify: true',
    'expected at least one login step'
  ),
  rule<LoginStepInput[]>(
    (steps) => steps.some((s) => s.verify),
    () => "no step has verify: true; mark the response that must show the owner's marker",
    { contains: { type: 'object', properties: { verify: { const: true } }, required: ['verify'] } }
  )
)

export const pagesSchema = list(
  pageSchema,
  'The requests of the load phase',
  'expected at least one page'
)

export type LoginStepInput = v.InferOutput<typeof loginStepSchema>
export type PageInput = v.InferOutput<typeof pageSchema>
export type StepInput = LoginStepInput | PageInput
export type ExtractRuleInput = v.InferOutput<typeof extractRuleSchema>
