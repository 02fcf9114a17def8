// Correlation: a value a request sends that an earlier response handed out (a CSRF token, a
// bearer token, an id) becomes a variable, extracted where it first appeared, latest first.
import type { InitNote } from '../draft.js'
import { findSource, setCookies } from './find-source.js'
import type { RuleSpec } from './find-source.js'
import type { HarEntry } from './read-har.js'

const DYNAMIC_KEY = /csrf|xsrf|token|nonce|state|authenticity|signature|session|^sig$|key$/i
const BUILTIN = ['vu', 'iteration']

/** Values worth correlating: long and random-looking, or short under a token-like name. */
export function looksDynamic(key: string, value: string): boolean {
  if (
    value.length >= 8 &&
    /^[\w+/=.:~-]+$/.test(value) &&
    (/\d/.test(value) || value.length >= 20)
  ) {
    return true
  }
  return DYNAMIC_KEY.test(key) && value.length >= 4 && !/^(true|false|null|on|off)$/i.test(value)
}

export function variableName(hint: string): string {
  const parts = hint
    .replace(/^x-/i, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p.toLowerCase())
  const name = parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join('')
  return name === '' ? 'value' : /^[a-z_]/.test(name) ? name : `v${name}`
}

export interface Extraction {
  name: string
  rule: RuleSpec
  where: string
}

export class Correlator {
  readonly #entries: readonly HarEntry[]
  /** Per step: extractions, in the order they were added. */
  readonly extractions: Extraction[][]
  readonly #taken = new Set(BUILTIN)
  readonly notes: InitNote[] = []

  constructor(entries: readonly HarEntry[]) {
    this.#entries = entries
    this.extractions = entries.map(() => [])
  }

  /** `{{name}}` for a value that step `at` sends under `key` and an earlier response holds. */
  resolve(value: string, key: string, at: number, use: string): string | undefined {
    for (let j = at - 1; j >= 0; j--) {
      const e = this.#entries[j]!
      const present =
        e.responseBody.includes(value) ||
        e.responseHeaders.some(([, v]) => v.includes(value)) ||
        [...setCookies(e).values()].some((v) => v === value || v === encodeURIComponent(value))
      if (!present) {
        continue
      }
      const source = findSource(value, e, key)
      if (source === undefined) {
        continue
      }
      const same = JSON.stringify(source.rule)
      const existing = this.extractions[j]!.find((x) => JSON.stringify(x.rule) === same)
      if (existing !== undefined) {
        return `{{${existing.name}}}`
      }
      let name = variableName(source.nameHint)
      for (let n = 2; this.#taken.has(name); n++) {
        name = `${variableName(source.nameHint)}${n}`
      }
      this.#taken.add(name)
      this.extractions[j]!.push({ name, rule: source.rule, where: source.where })
      this.notes.push({
        kind: 'guessed',
        text: `${name}: ${source.where} of ${describe(e)}, sent as ${use} of ${describe(this.#entries[at]!)}`,
      })
      return `{{${name}}}`
    }
    return undefined
  }
}

export function describe(e: HarEntry): string {
  return `${e.method} ${e.url.pathname}`
}
