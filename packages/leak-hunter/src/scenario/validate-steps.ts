// Validate login steps and pages: method, path, headers, form/JSON body, expect, extract, templates.
import { checkSelector } from './extract.js'
import {
  asArray,
  asBoolean,
  asNonEmptyString,
  asNumber,
  asObject,
  asRecord,
  asString,
  describe,
  fail,
  join,
} from './fields.js'
import { parseJsonPath } from './json-path.js'
import { checkHeaderLiteral, checkPathLiteral, encodePathText } from './request-chars.js'
import type { StepAllowlist } from './parse-allowlist.js'
import { parseTemplate, templateRefs } from './template.js'
import type { Template } from './template.js'
import type {
  ExtractRule,
  Extraction,
  JsonTemplate,
  LoginStep,
  PageStep,
  RequestStep,
  StepBody,
} from './types.js'

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
const STEP_FIELDS = ['name', 'method', 'path', 'headers', 'form', 'json', 'expect', 'extract']
export const BUILTIN_VARS = ['vu', 'iteration']

/** What templates may refer to: account columns and variables defined so far. */
export interface TemplateContext {
  columns: ReadonlySet<string>
  vars: Set<string>
}

export function compileTemplate(value: unknown, path: string, ctx: TemplateContext): Template {
  const source = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value
  const parsed = parseTemplate(asString(source, path))
  if (typeof parsed === 'string') {
    fail(path, parsed)
  }
  for (const ref of templateRefs(parsed)) {
    if (ref.kind === 'account' && !ctx.columns.has(ref.column)) {
      fail(path, `"{{account.${ref.column}}}": the accounts CSV has no column "${ref.column}"`)
    }
    if (ref.kind === 'var' && !ctx.vars.has(ref.name)) {
      fail(path, `"{{${ref.name}}}" is not extracted by an earlier step`)
    }
  }
  return parsed
}

function parseExtractRule(value: unknown, path: string): ExtractRule {
  const o = asObject(value, path, [
    'selector',
    'attribute',
    'regex',
    'group',
    'json',
    'header',
    'cookie',
  ])
  const sources = ['selector', 'regex', 'json', 'header', 'cookie'].filter((k) => k in o)
  if (sources.length !== 1) {
    fail(
      path,
      sources.length === 0
        ? 'expected one of selector, regex, json, header, cookie'
        : `expected only one source, got ${sources.join(' and ')}`
    )
  }
  if ('attribute' in o && !('selector' in o)) {
    fail(join(path, 'attribute'), 'only allowed with selector')
  }
  if ('group' in o && !('regex' in o)) {
    fail(join(path, 'group'), 'only allowed with regex')
  }
  if ('selector' in o) {
    const selector = asNonEmptyString(o.selector, join(path, 'selector'))
    const problem = checkSelector(selector)
    if (problem !== undefined) {
      fail(join(path, 'selector'), problem)
    }
    const attribute =
      o.attribute === undefined ? undefined : asNonEmptyString(o.attribute, join(path, 'attribute'))
    return { from: 'css', selector, attribute }
  }
  if ('regex' in o) {
    const source = asNonEmptyString(o.regex, join(path, 'regex'))
    let pattern: RegExp
    try {
      pattern = new RegExp(source)
    } catch (err) {
      fail(join(path, 'regex'), `invalid regular expression: ${(err as Error).message}`)
    }
    const groups = new RegExp(`${source}|`).exec('')!.length - 1
    const group =
      o.group === undefined
        ? Math.min(1, groups)
        : asNumber(o.group, join(path, 'group'), { min: 0, integer: true })
    if (group > groups) {
      fail(
        join(path, 'group'),
        `the regex has ${groups} capture group(s), asked for group ${group}`
      )
    }
    return { from: 'regex', pattern, group }
  }
  if ('json' in o) {
    const jsonPath = asNonEmptyString(o.json, join(path, 'json'))
    const parsed = parseJsonPath(jsonPath)
    if (typeof parsed === 'string') {
      fail(join(path, 'json'), parsed)
    }
    return { from: 'json', path: jsonPath }
  }
  if ('header' in o) {
    return { from: 'header', name: asNonEmptyString(o.header, join(path, 'header')).toLowerCase() }
  }
  return { from: 'cookie', name: asNonEmptyString(o.cookie, join(path, 'cookie')) }
}

function parseExtractions(value: unknown, path: string, ctx: TemplateContext): Extraction[] {
  if (value === undefined) {
    return []
  }
  const o = asRecord(value, path)
  const extractions = Object.entries(o).map(([name, rule]) => {
    if (!/^[A-Za-z_][\w-]*$/.test(name)) {
      fail(
        join(path, name),
        'a variable name must start with a letter or _, then letters, digits, _ or -'
      )
    }
    if (BUILTIN_VARS.includes(name)) {
      fail(join(path, name), `"${name}" is a built-in variable and cannot be extracted into`)
    }
    return { name, rule: parseExtractRule(rule, join(path, name)) }
  })
  for (const e of extractions) {
    ctx.vars.add(e.name)
  }
  return extractions
}

function parseJsonTemplate(value: unknown, path: string, ctx: TemplateContext): JsonTemplate {
  if (typeof value === 'string') {
    return { t: 'string', value: compileTemplate(value, path, ctx) }
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return { t: 'literal', value }
  }
  if (Array.isArray(value)) {
    return { t: 'array', items: value.map((v, i) => parseJsonTemplate(v, join(path, i), ctx)) }
  }
  if (typeof value === 'object') {
    return {
      t: 'object',
      entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        parseJsonTemplate(v, join(path, k), ctx),
      ]),
    }
  }
  fail(path, `expected JSON data, got ${describe(value)}`)
}

function parseBody(o: Record<string, unknown>, path: string, ctx: TemplateContext): StepBody {
  if (o.form !== undefined && o.json !== undefined) {
    fail(path, 'a step has either form or json, not both')
  }
  if (o.form !== undefined) {
    const form = asRecord(o.form, join(path, 'form'))
    return {
      kind: 'form',
      fields: Object.entries(form).map(([name, v]) => ({
        name,
        value: compileTemplate(v, join(join(path, 'form'), name), ctx),
      })),
    }
  }
  if (o.json !== undefined) {
    return { kind: 'json', value: parseJsonTemplate(o.json, join(path, 'json'), ctx) }
  }
  return { kind: 'none' }
}

function parseExpect(value: unknown, path: string): number[] {
  if (value === undefined) {
    return []
  }
  const list = Array.isArray(value) ? value : [value]
  return list.map((v, i) =>
    asNumber(v, Array.isArray(value) ? join(path, i) : path, { min: 100, max: 599, integer: true })
  )
}

function parseRequestStep(
  o: Record<string, unknown>,
  path: string,
  ctx: TemplateContext,
  fallbackName: string
): RequestStep {
  const method =
    o.method === undefined ? 'GET' : asNonEmptyString(o.method, join(path, 'method')).toUpperCase()
  if (!METHODS.includes(method)) {
    fail(join(path, 'method'), `expected one of ${METHODS.join(', ')}, got ${describe(o.method)}`)
  }
  const rawPath = asNonEmptyString(o.path, join(path, 'path'))
  if (!rawPath.startsWith('/')) {
    // Absolute URLs are refused: requests go to the explicitly given target only.
    fail(
      join(path, 'path'),
      `expected a path starting with "/" on the target, got ${describe(rawPath)}`
    )
  }
  checkPathLiteral(rawPath, join(path, 'path'))
  const headerObj = o.headers === undefined ? {} : asRecord(o.headers, join(path, 'headers'))
  const headers = Object.entries(headerObj).map(([name, v]) => {
    const at = join(join(path, 'headers'), name)
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      fail(at, 'not a valid header name')
    }
    const value = compileTemplate(v, at, ctx)
    checkHeaderLiteral(value, at)
    return { name: name.toLowerCase(), value }
  })
  const body = parseBody(o, path, ctx)
  if (body.kind !== 'none' && (method === 'GET' || method === 'HEAD')) {
    fail(path, `a ${method} step cannot have a form or json body`)
  }
  const step: RequestStep = {
    name: o.name === undefined ? fallbackName : asNonEmptyString(o.name, join(path, 'name')),
    method,
    path: encodePathText(compileTemplate(rawPath, join(path, 'path'), ctx)),
    headers,
    body,
    expect: parseExpect(o.expect, join(path, 'expect')),
    extract: [],
  }
  // Extractions come last: a step's own templates cannot read what it extracts.
  step.extract = parseExtractions(o.extract, join(path, 'extract'), ctx)
  return step
}

export function parseLoginSteps(
  value: unknown,
  path: string,
  ctx: TemplateContext,
  allowlist: StepAllowlist
): LoginStep[] {
  const list = asArray(value, path)
  if (list.length === 0) {
    fail(path, 'expected at least one login step')
  }
  const steps = list.map((item, i) => {
    const o = asObject(item, join(path, i), [...STEP_FIELDS, 'verify', 'allowlist'])
    const step = parseRequestStep(o, join(path, i), ctx, `login-${i + 1}`)
    const verify =
      o.verify === undefined ? false : asBoolean(o.verify, join(join(path, i), 'verify'))
    return { ...step, verify, allowlist: allowlist(o.allowlist, join(join(path, i), 'allowlist')) }
  })
  if (!steps.some((s) => s.verify)) {
    fail(path, "no step has verify: true; mark the response that must show the owner's marker")
  }
  return steps
}

export function parsePages(
  value: unknown,
  path: string,
  ctx: TemplateContext,
  allowlist: StepAllowlist
): PageStep[] {
  const list = asArray(value, path)
  if (list.length === 0) {
    fail(path, 'expected at least one page')
  }
  return list.map((item, i) => {
    const p = join(path, i)
    const o = asObject(item, p, [...STEP_FIELDS, 'weight', 'expectOwnMarker', 'allowlist'])
    const step = parseRequestStep(o, p, ctx, `page-${i + 1}`)
    return {
      ...step,
      weight: o.weight === undefined ? 1 : asNumber(o.weight, join(p, 'weight'), { min: 0 }),
      expectOwnMarker:
        o.expectOwnMarker === undefined
          ? true
          : asBoolean(o.expectOwnMarker, join(p, 'expectOwnMarker')),
      allowlist: allowlist(o.allowlist, join(p, 'allowlist')),
    }
  })
}
