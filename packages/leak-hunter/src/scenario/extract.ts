// Pull a value out of a response: CSS selector + attribute, regex group, JSON path, header or cookie.
import { selectOne } from 'css-select'
import { getAttributeValue, textContent } from 'domutils'
import { parseDocument } from 'htmlparser2'
import { ExtractError } from '../errors.js'
import { parseJsonPath, readJsonPath } from './json-path.js'
import type { ExtractRule } from './types.js'

export interface ExtractSource {
  headers: Readonly<Record<string, string | string[] | undefined>>
  body: string
  /** The VU's current cookie value by name (the jar, after this response's Set-Cookie). */
  cookie: (name: string) => string | undefined
}

type Element = Parameters<typeof getAttributeValue>[0]

/** Extract one value; throws HUNT_ERR_EXTRACT_FAILED naming the rule when nothing matches. */
export function extractValue(rule: ExtractRule, source: ExtractSource): string {
  const found = tryExtract(rule, source)
  if (found === undefined) {
    throw new ExtractError(`${describeRule(rule)} found nothing in the response`)
  }
  return found
}

export function describeRule(rule: ExtractRule): string {
  switch (rule.from) {
    case 'css':
      return `selector "${rule.selector}"${rule.attribute === undefined ? '' : ` @${rule.attribute}`}`
    case 'regex':
      return `regex /${rule.pattern.source}/ group ${rule.group}`
    case 'json':
      return `json path "${rule.path}"`
    case 'header':
      return `header "${rule.name}"`
    case 'cookie':
      return `cookie "${rule.name}"`
  }
}

function tryExtract(rule: ExtractRule, source: ExtractSource): string | undefined {
  switch (rule.from) {
    case 'css':
      return extractCss(rule.selector, rule.attribute, source.body)
    case 'regex': {
      const m = rule.pattern.exec(source.body)
      return m?.[rule.group]
    }
    case 'json':
      return extractJson(rule.path, source.body)
    case 'header': {
      const value = source.headers[rule.name.toLowerCase()]
      return Array.isArray(value) ? value[0] : value
    }
    case 'cookie':
      return source.cookie(rule.name)
  }
}

function extractCss(
  selector: string,
  attribute: string | undefined,
  body: string
): string | undefined {
  const doc = parseDocument(body)
  const el = selectOne<unknown, Element>(selector, doc)
  if (el === null) {
    return undefined
  }
  if (attribute !== undefined) {
    return getAttributeValue(el, attribute)
  }
  // Without an attribute the natural value: an input's value, a meta tag's content, else its text.
  if (el.name === 'input') {
    return getAttributeValue(el, 'value')
  }
  if (el.name === 'meta') {
    return getAttributeValue(el, 'content')
  }
  return textContent(el).trim()
}

function extractJson(path: string, body: string): string | undefined {
  const segments = parseJsonPath(path)
  if (typeof segments === 'string') {
    return undefined
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const value = readJsonPath(parsed, segments)
  if (value === undefined || value === null) {
    return undefined
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Check a selector at validation time; returns a message when css-select cannot compile it. */
export function checkSelector(selector: string): string | undefined {
  try {
    selectOne(selector, [])
    return undefined
  } catch (err) {
    return `invalid CSS selector "${selector}": ${(err as Error).message}`
  }
}
