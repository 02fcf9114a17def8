// `{{env.NAME}}` in a scenario: expanded from the environment before validation, so every check
// the validator makes on literal text (control characters in a path or a header) applies to the
// values too. The values a run sends are secrets; `target` and `accounts.file` only say where.
import { EnvVarMissingError, ScenarioInvalidError } from '../errors.js'
import { join } from './fields.js'

const PLACEHOLDER = /\{\{\s*env\.([^}]*?)\s*\}\}/g
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Fields whose values say where the hunt goes and what it reads: shown in reports. */
const PUBLIC_FIELDS = new Set(['target', 'accounts.file'])

export interface EnvExpansion {
  /** The scenario with every placeholder replaced. */
  value: unknown
  /** Values read into fields other than target and accounts.file: redacted from every output. */
  secrets: string[]
  /** Names read, in order of first use. */
  names: string[]
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * Replaces `{{env.NAME}}` in every string of `raw` (keys are left alone). A variable that is
 * unset or empty (what an unset CI secret expands to) is an error naming each such variable and
 * the first field that reads it.
 */
export function expandEnv(raw: unknown, env: Env): EnvExpansion {
  const secrets = new Set<string>()
  const names = new Set<string>()
  /** Name -> the first field reading it, and whether it was set but empty. */
  const missing = new Map<string, { path: string; empty: boolean }>()
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      return value.includes('{{') ? expand(value, path) : value
    }
    if (Array.isArray(value)) {
      return value.map((v, i) => walk(v, join(path, i)))
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          walk(v, join(path, k)),
        ])
      )
    }
    return value
  }
  const expand = (text: string, path: string): string =>
    text.replace(PLACEHOLDER, (all, name: string) => {
      if (!NAME.test(name)) {
        throw new ScenarioInvalidError(
          path,
          `"${all}": "${name}" is not an environment variable name (letters, digits and _, not starting with a digit)`
        )
      }
      names.add(name)
      const got = env[name]
      if (got === undefined || got === '') {
        if (!missing.has(name)) {
          missing.set(name, { path, empty: got === '' })
        }
        return all
      }
      if (!PUBLIC_FIELDS.has(path)) {
        secrets.add(got)
      }
      return got
    })
  const value = walk(raw, '')
  const [first] = missing
  if (first !== undefined) {
    const list = [...missing].map(
      ([name, m]) => `${name} (${m.path}${m.empty ? ', set but empty' : ''})`
    )
    throw new EnvVarMissingError(
      first[1].path,
      [...missing.keys()],
      `"{{env.${first[0]}}}": environment variable${missing.size > 1 ? 's' : ''} not set: ${list.join(', ')}`
    )
  }
  return { value, secrets: [...secrets], names: [...names] }
}
