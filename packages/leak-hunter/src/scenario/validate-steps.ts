// Login steps and pages once the schema has passed: templates compiled in step order (a step reads
// only what earlier steps extract), extraction rules, bodies, CR/LF in literal request text.
import { checkSelector } from './extract.js'
import { parseJsonPath } from './json-path.js'
import { describe, fail, join } from './problems.js'
import { checkHeaderLiteral, checkPathLiteral, encodePathText } from './request-chars.js'
import type { StepAllowlist } from './parse-allowlist.js'
import type { ExtractRuleInput, LoginStepInput, PageInput, StepInput } from './step-schema.js'
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

/** What templates may refer to: account columns and variables defined so far. */
export interface TemplateContext {
  columns: ReadonlySet<string>
  vars: Set<string>
}

export function compileTemplate(
  value: string | number | boolean,
  path: string,
  ctx: TemplateContext
): Template {
  const parsed = parseTemplate(String(value))
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

// The schema pass saw to exactly one source and its options; what is left needs the values parsed.
function parseExtractRule(o: ExtractRuleInput, path: string): ExtractRule {
  if (o.selector !== undefined) {
    const problem = checkSelector(o.selector)
    if (problem !== undefined) {
      fail(join(path, 'selector'), problem)
    }
    return { from: 'css', selector: o.selector, attribute: o.attribute }
  }
  if (o.regex !== undefined) {
    let pattern: RegExp
    try {
      pattern = new RegExp(o.regex)
    } catch (err) {
      fail(join(path, 'regex'), `invalid regular expression: ${(err as Error).message}`)
    }
    const groups = new RegExp(`${o.regex}|`).exec('')!.length - 1
    const group = o.group ?? Math.min(1, groups)
    if (group > groups) {
      fail(
        join(path, 'group'),
        `the regex has ${groups} capture group(s), asked for group ${group}`
      )
    }
    return { from: 'regex', pattern, group }
  }
  if (o.json !== undefined) {
    const parsed = parseJsonPath(o.json)
    if (typeof parsed === 'string') {
      fail(join(path, 'json'), parsed)
    }
    return { from: 'json', path: o.json }
  }
  if (o.header !== undefined) {
    return { from: 'header', name: o.header.toLowerCase() }
  }
  return { from: 'cookie', name: o.cookie! }
}

function parseExtractions(
  rules: Record<string, ExtractRuleInput> | undefined,
  path: string,
  ctx: TemplateContext
): Extraction[] {
  const extractions = Object.entries(rules ?? {}).map(([name, rule]) => ({
    name,
    rule: parseExtractRule(rule, join(path, name)),
  }))
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

function parseBody(o: StepInput, path: string, ctx: TemplateContext): StepBody {
  if (o.form !== undefined) {
    return {
      kind: 'form',
      fields: Object.entries(o.form).map(([name, v]) => ({
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

function parseRequestStep(
  o: StepInput,
  path: string,
  ctx: TemplateContext,
  fallbackName: string
): RequestStep {
  checkPathLiteral(o.path, join(path, 'path'))
  const headers = Object.entries(o.headers ?? {}).map(([name, v]) => {
    const at = join(join(path, 'headers'), name)
    const value = compileTemplate(v, at, ctx)
    checkHeaderLiteral(value, at)
    return { name: name.toLowerCase(), value }
  })
  const body = parseBody(o, path, ctx)
  const step: RequestStep = {
    name: o.name ?? fallbackName,
    method: o.method,
    path: encodePathText(compileTemplate(o.path, join(path, 'path'), ctx)),
    headers,
    body,
    expect: o.expect ?? [],
    extract: [],
  }
  // Extractions come last: a step's own templates cannot read what it extracts.
  step.extract = parseExtractions(o.extract, join(path, 'extract'), ctx)
  return step
}

export function parseLoginSteps(
  list: LoginStepInput[],
  path: string,
  ctx: TemplateContext,
  allowlist: StepAllowlist
): LoginStep[] {
  return list.map((o, i) => {
    const at = join(path, i)
    const step = parseRequestStep(o, at, ctx, `login-${i + 1}`)
    return { ...step, verify: o.verify, allowlist: allowlist(o.allowlist, join(at, 'allowlist')) }
  })
}

export function parsePages(
  list: PageInput[],
  path: string,
  ctx: TemplateContext,
  allowlist: StepAllowlist
): PageStep[] {
  return list.map((o, i) => {
    const at = join(path, i)
    return {
      ...parseRequestStep(o, at, ctx, `page-${i + 1}`),
      weight: o.weight,
      expectOwnMarker: o.expectOwnMarker,
      allowlist: allowlist(o.allowlist, join(at, 'allowlist')),
    }
  })
}
