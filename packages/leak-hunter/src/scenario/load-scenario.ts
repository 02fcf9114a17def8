// Read a scenario file (YAML or JSON), apply overrides, read its accounts CSV, validate.
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { AccountsInvalidError, ScenarioReadError } from '../errors.js'
import type { Obj } from './fields.js'
import type { Scenario } from './types.js'
import { expandEnv } from './env-vars.js'
import { loadAsRun } from './validate-load.js'
import { validateScenario } from './validate-scenario.js'

/** Values that replace the scenario's own (from CLI flags); paths are `load.vus`, `target`, ... */
export interface ScenarioOverrides {
  target?: string
  accountsFile?: string
  markers?: string[]
  /** Id marker columns, each matched as the whole value of the JSON field of its name. */
  idMarkers?: string[]
  vus?: number
  duration?: string | number
  iterations?: number
  rampUp?: string | number
  arrivalRate?: number
  seed?: string
  shareConnections?: boolean
}

export interface ScenarioInput {
  /** A scenario object (as parsed from YAML/JSON) or the path of a scenario file. */
  scenario: string | Record<string, unknown>
  /** Relative paths (accounts.file) resolve against this; default the file's folder, else cwd. */
  baseDir?: string
  /** Accounts CSV text given directly; accounts.file is then only a label. */
  accountsCsv?: string
  overrides?: ScenarioOverrides
  /** Where `{{env.NAME}}` placeholders read from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>
}

export async function readScenarioFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ScenarioReadError(`cannot read scenario file ${file}: ${(err as Error).message}`, {
      cause: err,
    })
  }
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both.
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true }) as unknown
  } catch (err) {
    throw new ScenarioReadError(`cannot parse scenario file ${file}: ${(err as Error).message}`, {
      cause: err,
    })
  }
}

export function applyOverrides(raw: unknown, overrides: ScenarioOverrides): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return raw
  }
  const out: Obj = { ...(raw as Obj) }
  const load: Obj = isObj(out.load) ? { ...out.load } : {}
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) {
      load[key] = value
    }
  }
  set('vus', overrides.vus)
  set('duration', overrides.duration)
  set('iterations', overrides.iterations)
  set('rampUp', overrides.rampUp)
  set('arrivalRate', overrides.arrivalRate)
  set('seed', overrides.seed)
  set('shareConnections', overrides.shareConnections)
  if (Object.keys(load).length > 0 || out.load !== undefined) {
    out.load = load
  }
  if (overrides.target !== undefined) {
    out.target = overrides.target
  }
  if (overrides.accountsFile !== undefined) {
    out.accounts = { ...(isObj(out.accounts) ? out.accounts : {}), file: overrides.accountsFile }
  }
  if (overrides.markers !== undefined) {
    out.markers = { ...(isObj(out.markers) ? out.markers : {}), columns: overrides.markers }
  }
  if (overrides.idMarkers !== undefined) {
    out.markers = { ...(isObj(out.markers) ? out.markers : {}), ids: overrides.idMarkers }
  }
  return out
}

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Resolve everything a run needs from a scenario input, sending no request. */
export async function loadScenario(input: ScenarioInput): Promise<Scenario> {
  let raw: unknown = input.scenario
  let baseDir = input.baseDir ?? process.cwd()
  if (typeof input.scenario === 'string') {
    raw = await readScenarioFile(input.scenario)
    baseDir = input.baseDir ?? dirname(resolve(input.scenario))
  }
  raw = applyOverrides(raw, input.overrides ?? {})
  const env = expandEnv(raw, input.env ?? process.env)
  const scenario = await validateScenario(env.value, async (file) => {
    if (input.accountsCsv !== undefined) {
      return input.accountsCsv
    }
    const path = resolve(baseDir, file)
    try {
      return await readFile(path, 'utf8')
    } catch (err) {
      throw new AccountsInvalidError(
        `cannot read accounts file ${path}: ${(err as Error).message}`,
        { cause: err }
      )
    }
  })
  if (env.names.length === 0) {
    return scenario
  }
  // Reports show the placeholders, never the values (validated above, so `raw` is an object).
  const given = raw as Obj
  return {
    ...scenario,
    raw: { ...given, load: loadAsRun(given.load, scenario.load) },
    envSecrets: env.secrets,
  }
}
