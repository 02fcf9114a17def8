// Where in a recorded response a value came from, as an extract rule that the hunter's own
// extraction (scenario/extract.ts) is checked to read back from that response.
import { selectAll } from 'css-select'
import { getAttributeValue, textContent } from 'domutils'
import { parseDocument } from 'htmlparser2'
import { extractValue } from '../../scenario/extract.js'
import type { ExtractRule } from '../../scenario/types.js'
import type { HarEntry } from './read-har.js'

/** An extract rule as written in the scenario file. */
export type RuleSpec =
  | { selector: string; attribute?: string }
  | { regex: string; group?: number }
  | { json: string }
  | { header: string }
  | { cookie: string }

export interface Source {
  rule: RuleSpec
  /** Where the value was found, for comments: `the hidden input _csrf`. */
  where: string
  /** A variable name suggested by the source (`csrf`, `token`). */
  nameHint: string
}

type Element = Parameters<typeof getAttributeValue>[0]

const SIMPLE_NAME = /^[\w:.-]+$/

export function setCookies(e: HarEntry): Map<string, string> {
  const out = new Map<string, string>()
  for (const [name, value] of e.responseHeaders) {
    if (name === 'set-cookie') {
      // HAR writers join several Set-Cookie headers with newlines in one value.
      for (const line of value.split('\n')) {
        const pair = line.split(';', 1)[0]!
        const eq = pair.indexOf('=')
        if (eq > 0) {
          out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
        }
      }
    }
  }
  return out
}

function compile(rule: RuleSpec): ExtractRule {
  if ('selector' in rule) {
    return { from: 'css', selector: rule.selector, attribute: rule.attribute }
  }
  if ('regex' in rule) {
    return { from: 'regex', pattern: new RegExp(rule.regex), group: rule.group ?? 1 }
  }
  if ('json' in rule) {
    return { from: 'json', path: rule.json }
  }
  if ('header' in rule) {
    return { from: 'header', name: rule.header }
  }
  return { from: 'cookie', name: rule.cookie }
}

/** True when the hunter's extraction reads exactly `value` from this response with `rule`. */
export function readsBack(rule: RuleSpec, e: HarEntry, value: string): boolean {
  const cookies = setCookies(e)
  const headers: Record<string, string> = {}
  for (const [n, v] of e.responseHeaders) {
    headers[n] ??= v
  }
  try {
    const got = extractValue(compile(rule), {
      headers,
      body: e.responseBody,
      cookie: (n) => cookies.get(n),
    })
    return got === value || decodeURIComponentSafe(got) === value
  } catch {
    return false
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function fromCookie(value: string, e: HarEntry): Source | undefined {
  for (const [name, v] of setCookies(e)) {
    if (v === value || decodeURIComponentSafe(v) === value) {
      return { rule: { cookie: name }, where: `the cookie ${name}`, nameHint: name }
    }
  }
  return undefined
}

function fromHeader(value: string, e: HarEntry): Source | undefined {
  const hit = e.responseHeaders.find(([n, v]) => n !== 'set-cookie' && v === value)
  return hit === undefined
    ? undefined
    : { rule: { header: hit[0] }, where: `the ${hit[0]} header`, nameHint: hit[0] }
}

function jsonPathTo(node: unknown, value: string, path: string): string | undefined {
  if (typeof node === 'string' || typeof node === 'number') {
    return String(node) === value ? path : undefined
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const found = jsonPathTo(node[i], value, `${path}[${i}]`)
      if (found !== undefined) {
        return found
      }
    }
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (/^[^.[\]]+$/.test(k)) {
        const found = jsonPathTo(v, value, path === '$' ? k : `${path}.${k}`)
        if (found !== undefined) {
          return found
        }
      }
    }
  }
  return undefined
}

function fromJson(value: string, e: HarEntry): Source | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(e.responseBody)
  } catch {
    return undefined
  }
  const path = jsonPathTo(parsed, value, '$')
  if (path === undefined || path === '$') {
    return undefined
  }
  const last = /([^.[\]]+)(?:\[\d+\])*$/.exec(path)?.[1] ?? 'value'
  return { rule: { json: path }, where: `the JSON field ${path}`, nameHint: last }
}

function selectorFor(el: Element, attribute: string): [string, string] | undefined {
  const name = getAttributeValue(el, 'name') ?? getAttributeValue(el, 'property')
  const key = getAttributeValue(el, 'name') !== undefined ? 'name' : 'property'
  if (name !== undefined && SIMPLE_NAME.test(name)) {
    return [`${el.name}[${key}="${name}"]`, name]
  }
  const id = getAttributeValue(el, 'id')
  if (id !== undefined && /^[A-Za-z][\w-]*$/.test(id)) {
    return [`#${id}`, id]
  }
  if (attribute.startsWith('data-')) {
    return [`${el.name}[${attribute}]`, attribute.slice(5)]
  }
  return undefined
}

/** Elements holding the value: the one named like the request field first, then inputs, then meta tags. */
function fromHtml(value: string, e: HarEntry, key: string): Source | undefined {
  if (!/<[a-z!]/i.test(e.responseBody)) {
    return undefined
  }
  const doc = parseDocument(e.responseBody)
  const candidates: Array<Source & { rank: number }> = []
  for (const el of selectAll<unknown, Element>('*', doc)) {
    for (const [attribute, v] of Object.entries(el.attribs)) {
      const sel = v === value ? selectorFor(el, attribute) : undefined
      if (sel === undefined) {
        continue
      }
      const input = el.name === 'input' && attribute === 'value'
      const meta = el.name === 'meta' && attribute === 'content'
      const rule: RuleSpec = input
        ? { selector: sel[0], attribute: 'value' }
        : meta
          ? { selector: sel[0] }
          : { selector: sel[0], attribute }
      const where = input
        ? `the ${getAttributeValue(el, 'type') === 'hidden' ? 'hidden ' : ''}input ${sel[1]}`
        : meta
          ? `<meta ${sel[0].slice(5, -1)}>`
          : `${sel[0]} @${attribute}`
      const rank = (sel[1] === key ? 0 : 10) + (input ? 0 : meta ? 1 : 2)
      candidates.push({ rule, where, nameHint: sel[1], rank })
    }
    const id = getAttributeValue(el, 'id')
    if (id !== undefined && /^[A-Za-z][\w-]*$/.test(id) && textContent(el).trim() === value) {
      candidates.push({
        rule: { selector: `#${id}` },
        where: `the text of #${id}`,
        nameHint: id,
        rank: 20,
      })
    }
  }
  candidates.sort((a, b) => a.rank - b.rank)
  const found = candidates.find((c) => readsBack(c.rule, e, value))
  return found === undefined
    ? undefined
    : { rule: found.rule, where: found.where, nameHint: found.nameHint }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

function fromText(value: string, e: HarEntry, nameHint: string): Source | undefined {
  const at = e.responseBody.indexOf(value)
  if (at < 0) {
    return undefined
  }
  const capture = /^[\w-]+$/.test(value)
    ? '([\\w-]+)'
    : /^[\w+/=.~:-]+$/.test(value)
      ? '([\\w+/=.~:-]+)'
      : undefined
  if (capture === undefined) {
    return undefined
  }
  for (const width of [12, 24, 48]) {
    const before = e.responseBody
      .slice(Math.max(0, at - width), at)
      .split('\n')
      .at(-1)!
    if (before.length < 3) {
      continue
    }
    const rule: RuleSpec = { regex: `${escapeRegex(before)}${capture}` }
    if (readsBack(rule, e, value)) {
      return { rule, where: `the text after ${JSON.stringify(before)}`, nameHint }
    }
  }
  return undefined
}

/** The best rule that reads `value` back from `e`'s response, or undefined. */
export function findSource(value: string, e: HarEntry, nameHint: string): Source | undefined {
  return (
    fromCookie(value, e) ??
    fromHeader(value, e) ??
    fromJson(value, e) ??
    fromHtml(value, e, nameHint) ??
    fromText(value, e, nameHint)
  )
}
