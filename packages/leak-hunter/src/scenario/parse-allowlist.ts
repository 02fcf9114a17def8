// Allowlists in a scenario: scenario-wide (`allowlist`), per login step and per page. Each rule is
// text, a CSS selector or a JSON path (@crosstalk/detect); a step checks the scenario's rules
// and its own.
import * as v from 'valibot'
import { Allowlist, allowlistRuleProblem } from '@crosstalk/detect'
import type { AllowlistRule } from '@crosstalk/detect'
import { nonEmpty, strict, oneOf } from './fields.js'
import { describe, fail, join } from './problems.js'

const ruleObject = strict({
  text: v.optional(nonEmpty('Text, found like a marker (with the same boundaries)')),
  selector: v.optional(
    nonEmpty('Elements a CSS selector matches in an HTML body, with their content')
  ),
  json: v.optional(nonEmpty('Values a JSON path names: names, [index], [*], .*')),
})

const rule = oneOf(
  [nonEmpty(), ruleObject],
  (i) => `expected text or one of { text }, { selector }, { json }, got ${describe(i.input)}`
)

/**
 * Rules from a comma-separated string of texts, one rule (`{ selector: 'aside#team' }`), or a
 * list of texts and rules.
 */
export const allowlistSchema = (doc: string) =>
  v.pipe(
    oneOf(
      [v.string(), ruleObject, v.array(rule)],
      (i) => `expected text, a rule or a list of them, got ${describe(i.input)}`
    ),
    v.metadata({ description: doc })
  )

export type AllowlistInput = v.InferOutput<ReturnType<typeof allowlistSchema>>

/** Compiles one step's allowlist (its `allowlist` field at `path`) with the scenario-wide rules. */
export type StepAllowlist = (value: AllowlistInput | undefined, path: string) => Allowlist

/** The checks a schema cannot make: one kind per rule, and a selector or path that parses. */
function checkedRules(value: AllowlistInput | undefined, path: string): AllowlistRule[] {
  if (value === undefined) {
    return []
  }
  if (typeof value === 'string') {
    // The older form: texts separated by commas. A text holding a comma needs { text }.
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((text) => ({ text }))
  }
  if (!Array.isArray(value)) {
    return [checkedRule(value, path)]
  }
  return value.map((item, i) => checkedRule(item, join(path, i)))
}

function checkedRule(item: string | v.InferOutput<typeof ruleObject>, path: string): AllowlistRule {
  if (typeof item === 'string') {
    return checked({ text: item }, path, false)
  }
  const kinds = (['text', 'selector', 'json'] as const).filter((k) => item[k] !== undefined)
  if (kinds.length !== 1) {
    fail(path, 'expected exactly one of text, selector, json')
  }
  const kind = kinds[0]!
  return checked({ [kind]: item[kind] } as AllowlistRule, path, true)
}

/** `rule` when it can be used; else fails at its field (`inObject`) or at the bare text. */
function checked(rule: AllowlistRule, path: string, inObject: boolean): AllowlistRule {
  const problem = allowlistRuleProblem(rule)
  if (problem !== undefined) {
    fail(inObject ? join(path, problem.field) : path, problem.problem)
  }
  return rule
}

/** The compiler steps use: the scenario's rules (at `scenarioPath`) plus the step's own. */
export function stepAllowlists(
  scenarioValue: AllowlistInput | undefined,
  scenarioPath: string,
  caseInsensitive: boolean
): StepAllowlist {
  const shared = checkedRules(scenarioValue, scenarioPath)
  const sharedOnly =
    shared.length === 0 ? Allowlist.EMPTY : new Allowlist(shared, { caseInsensitive })
  return (value, path) => {
    const own = checkedRules(value, path)
    return own.length === 0 ? sharedOnly : new Allowlist([...shared, ...own], { caseInsensitive })
  }
}
