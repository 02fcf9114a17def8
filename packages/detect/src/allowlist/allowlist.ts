// What on a response legitimately names other users (a public "team" panel, a "recently active"
// list): spans of the normalised text, and a match lying wholly inside one of them counts for
// nobody. Three kinds of rule: text (found with the same boundary rules as markers, so "Ann Lee"
// allowlisted covers nothing of "Ann Leeds"), a CSS selector (the raw extent of each matching
// element) and a JSON path (the raw extent of each value it names). Matches are filtered after
// the scan rather than the text masked before it, so a marker that only overlaps a span is still
// found whole.
import { Automaton } from '../automaton/automaton.js'
import { buildTables, run } from '../automaton/build-tables.js'
import { Candidates } from '../automaton/candidates.js'
import { AllowlistInvalidError } from '../errors.js'
import { Pass } from '../pass/normalize-pass.js'
import { normalizeMarker } from '../pass/normalize.js'
import { foldString } from '../text/char-tables.js'
import { UnitBuffer } from '../text/unit-buffer.js'
import type { TextView } from '../text/unit-buffer.js'
import { compileSelector, elementRanges } from './html-elements.js'
import type { CompiledSelector } from './html-elements.js'
import { jsonValueRanges, looksLikeJson, parseJsonPattern } from './json-values.js'
import type { JsonStep } from './json-values.js'
import { charToByteOffsets, rawRangesToText } from './raw-to-text.js'

export type AllowlistRule = { text: string } | { selector: string } | { json: string }

export interface AllowlistOptions {
  /** Text rules ignore case too (set it as the index's caseInsensitive). Default false. */
  caseInsensitive?: boolean
}

/** Buffers an allowlist works in; a ScanState holds one. */
export class AllowlistScratch {
  readonly found = new Candidates()
  readonly piece = new UnitBuffer(256)
  readonly pass = new Pass()
}

/** A span of text the rules cover, or a match to be filtered: offsets into the normalised text. */
interface Span {
  start: number
  end: number
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

/**
 * Rules compiled once (a small automaton for the text rules, compiled selectors and paths) and
 * reused for every scan; pass it in ScanOptions.allowlist.
 */
export class Allowlist {
  static readonly EMPTY = new Allowlist([])

  readonly rules: readonly AllowlistRule[]
  readonly caseInsensitive: boolean
  readonly #text: Automaton | undefined
  readonly #selectors: CompiledSelector[] = []
  readonly #json: JsonStep[][] = []

  /** Throws AllowlistInvalidError on a rule allowlistRuleProblem() refuses. */
  constructor(rules: readonly AllowlistRule[], options: AllowlistOptions = {}) {
    this.rules = [...rules]
    this.caseInsensitive = options.caseInsensitive ?? false
    const texts = new Set<string>()
    for (const rule of rules) {
      const problem = allowlistRuleProblem(rule)
      if (problem !== undefined) {
        throw new AllowlistInvalidError(problem.field, problem.problem)
      }
      if ('text' in rule) {
        const text = normalizeMarker(rule.text)
        texts.add(this.caseInsensitive ? foldString(text) : text)
      } else if ('selector' in rule) {
        this.#selectors.push(compileSelector(rule.selector) as CompiledSelector)
      } else {
        this.#json.push(parseJsonPattern(rule.json) as JsonStep[])
      }
    }
    this.#text =
      texts.size === 0
        ? undefined
        : new Automaton(run(buildTables([...texts], this.caseInsensitive)))
  }

  get size(): number {
    return this.rules.length
  }

  /** These rules and `other`'s (a scenario's and a page's), matching case as this one does. */
  concat(other: Allowlist): Allowlist {
    if (other.size === 0) {
      return this
    }
    return this.size === 0 && other.caseInsensitive === this.caseInsensitive
      ? other
      : new Allowlist([...this.rules, ...other.rules], { caseInsensitive: this.caseInsensitive })
  }

  /**
   * Flat [start, end) pairs of `text`, the normalised text of `body`, that the rules cover.
   * Structural rules give none for a body whose cuts cannot be mapped (raw-to-text.ts).
   */
  spans(body: Uint8Array, text: TextView, scratch = new AllowlistScratch()): number[] {
    const spans: number[] = []
    if (this.#text !== undefined) {
      for (const m of this.#text.scanText(text, scratch.found)) {
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
        spans.push(...(rawRangesToText(bytes, ranges, text, scratch) ?? []))
      }
    }
    return spans
  }

  /** `matches` without those lying wholly inside a span; `matches` itself when none does. */
  filter<M extends Span>(
    matches: readonly M[],
    body: Uint8Array,
    text: TextView,
    scratch?: AllowlistScratch
  ): readonly M[] {
    if (matches.length === 0 || this.rules.length === 0) {
      return matches
    }
    const spans = this.spans(body, text, scratch)
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
