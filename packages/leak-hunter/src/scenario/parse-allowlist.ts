// Allowlists in a scenario: scenario-wide (`allowlist`), per login step and per page. Each rule is
// text, a CSS selector or a JSON path (@crosstalk/detect); a step checks the scenario's rules
// and its own.
import { Allowlist, allowlistRuleProblem } from '@crosstalk/detect'
import type { AllowlistRule } from '@crosstalk/detect'
import { asArray, asNonEmptyString, asObject, describe, fail, join } from './fields.js'

/** Compiles one step's allowlist (its `allowlist` field at `path`) with the scenario-wide rules. */
export type StepAllowlist = (value: unknown, path: string) => Allowlist

/**
 * Rules from a comma-separated string of texts, one rule (`{ selector: 'aside#team' }`), or a
 * list of texts and rules.
 */
export function parseAllowlistRules(value: unknown, path: string): AllowlistRule[] {
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
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return [parseRule(value, path)]
  }
  return asArray(value, path).map((item, i) => parseRule(item, join(path, i)))
}

function parseRule(value: unknown, path: string): AllowlistRule {
  if (typeof value === 'string') {
    return checked({ text: asNonEmptyString(value, path) }, path, false)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(path, `expected text or one of { text }, { selector }, { json }, got ${describe(value)}`)
  }
  const o = asObject(value, path, ['text', 'selector', 'json'])
  const kinds = Object.keys(o)
  if (kinds.length !== 1) {
    fail(path, 'expected exactly one of text, selector, json')
  }
  const kind = kinds[0] as 'text' | 'selector' | 'json'
  const rule = { [kind]: asNonEmptyString(o[kind], join(path, kind)) } as AllowlistRule
  return checked(rule, path, true)
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
  scenarioValue: unknown,
  scenarioPath: string,
  caseInsensitive: boolean
): StepAllowlist {
  const shared = parseAllowlistRules(scenarioValue, scenarioPath)
  const sharedOnly =
    shared.length === 0 ? Allowlist.EMPTY : new Allowlist(shared, { caseInsensitive })
  return (value, path) => {
    const own = parseAllowlistRules(value, path)
    return own.length === 0 ? sharedOnly : new Allowlist([...shared, ...own], { caseInsensitive })
  }
}
