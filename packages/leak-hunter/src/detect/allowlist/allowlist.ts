// What on a response legitimately names other users (a public "team" panel, a "recently active"
// list): spans of the normalised text, and a match lying wholly inside one of them counts for
// nobody. Three kinds of rule: text (found with the same boundary rules as markers, so "Ann Lee"
// allowlisted covers nothing of "Ann Leeds"), a CSS selector (the raw extent of each matching
// element) and a JSON path (the raw extent of each value it names). Matches are filtered after
// the scan rather than the text masked before it, so a marker that only overlaps a span is still
// found whole.
import { Automaton } from '../aho-corasick.js'
import type { AutomatonMatch } from '../aho-corasick.js'
import { foldString } from '../char-tables.js'
import { normalizeMarker } from '../normalize.js'
import { compileSelector, elementRanges } from './html-elements.js'
import type { CompiledSelector } from './html-elements.js'
import { jsonValueRanges, looksLikeJson, parseJsonPattern } from './json-values.js'
import type { JsonStep } from './json-values.js'
import { charToByteOffsets, rawRangesToText } from './raw-to-text.js'

export type AllowlistRule = { text: string } | { selector: string } | { json: string }

export interface AllowlistOptions {
  /** Text rules ignore case too (markers.caseInsensitive). */
  caseInsensitive: boolean
}

/** Why `rule` cannot be used (naming its field), or undefined when it can. */
export function allowlistRuleProblem(
  rule: AllowlistRule
): { field: 'text' | 'selector' | 'json'; problem: string } | undefined {
  if ('text' in rule) {
    return normalizeMarker(rule.text) === ''
      ? { field: 'text', problem: 'expected text other than whitespace' }
      : undefined
  }
  if ('selector' in rule) {
    const compiled = compileSelector(rule.selector)
    return typeof compiled === 'string' ? { field: 'selector', problem: compiled } : undefined
  }
  const steps = parseJsonPattern(rule.json)
  return typeof steps === 'string' ? { field: 'json', problem: steps } : undefined
}

export class Allowlist {
  static readonly EMPTY = new Allowlist([], { caseInsensitive: false })

  readonly rules: readonly AllowlistRule[]
  readonly #text: Automaton | undefined
  readonly #selectors: CompiledSelector[] = []
  readonly #json: JsonStep[][] = []

  /** Throws on a rule allowlistRuleProblem() refuses: validate rules first. */
  constructor(rules: readonly AllowlistRule[], options: AllowlistOptions) {
    this.rules = rules
    const texts = new Set<string>()
    for (const rule of rules) {
      const problem = allowlistRuleProblem(rule)
      if (problem !== undefined) {
        throw new TypeError(`allowlist ${problem.field}: ${problem.problem}`)
      }
      if ('text' in rule) {
        const text = normalizeMarker(rule.text)
        texts.add(options.caseInsensitive ? foldString(text) : text)
      } else if ('selector' in rule) {
        this.#selectors.push(compileSelector(rule.selector) as CompiledSelector)
      } else {
        this.#json.push(parseJsonPattern(rule.json) as JsonStep[])
      }
    }
    this.#text = texts.size === 0 ? undefined : new Automaton([...texts], options.caseInsensitive)
  }

  get size(): number {
    return this.rules.length
  }

  /**
   * Flat [start, end) pairs of `text[0, length)`, the normalised text of `body`, that the rules
   * cover. Structural rules give none for a body whose cuts cannot be mapped (raw-to-text.ts).
   */
  spans(body: Uint8Array, text: Uint16Array, length: number): number[] {
    const spans: number[] = []
    if (this.#text !== undefined) {
      for (const m of this.#text.scanUnits(text, length)) {
        spans.push(m.start, m.end)
      }
    }
    if (this.#selectors.length > 0 || this.#json.length > 0) {
      const bytes = Buffer.isBuffer(body)
        ? body
        : Buffer.from(body.buffer, body.byteOffset, body.length)
      let ranges: number[] = []
      if (this.#json.length > 0 && looksLikeJson(bytes)) {
        const raw = bytes.toString('utf8')
        ranges = charToByteOffsets(bytes, raw, jsonValueRanges(raw, this.#json))
      } else if (this.#selectors.length > 0) {
        ranges = elementRanges(bytes, this.#selectors)
      }
      if (ranges.length > 0) {
        spans.push(...(rawRangesToText(bytes, ranges, text, length) ?? []))
      }
    }
    return spans
  }

  /** `matches` without those lying wholly inside a span; `matches` itself when none does. */
  filter(
    matches: readonly AutomatonMatch[],
    body: Uint8Array,
    text: Uint16Array,
    length: number
  ): readonly AutomatonMatch[] {
    if (matches.length === 0 || this.rules.length === 0) {
      return matches
    }
    const spans = this.spans(body, text, length)
    if (spans.length === 0) {
      return matches
    }
    const kept = matches.filter((m) => !insideSome(spans, m.start, m.end))
    return kept.length === matches.length ? matches : kept
  }
}

function insideSome(spans: readonly number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 2) {
    if ((spans[i] as number) <= start && end <= (spans[i + 1] as number)) {
      return true
    }
  }
  return false
}
