// `leak-hunter run <scenario> [flags]` parsed with node:util parseArgs into what a run needs.
import { parseArgs } from 'node:util'
import { ArgsInvalidError } from '../errors.js'
import type { ScenarioOverrides } from '../scenario/load-scenario.js'

export interface CliRun {
  command: 'run'
  /** Scenario file; undefined when the scenario comes from flags alone (--target, --accounts). */
  scenarioFile: string | undefined
  overrides: ScenarioOverrides
  /** Set when there is no scenario file: the built-in form-login scenario. */
  quick: QuickScenario | undefined
  json: string | undefined
  events: string | undefined
  html: string | undefined
  quiet: boolean
  color: boolean | undefined
}

export interface QuickScenario {
  loginPath: string
  csrfField: string
  usernameColumn: string
  passwordColumn: string
  loginStatus: number
  pages: string[]
}

export type CliCommand = CliRun | { command: 'help' } | { command: 'version' }

const OPTIONS = {
  target: { type: 'string' },
  accounts: { type: 'string' },
  markers: { type: 'string' },
  'id-markers': { type: 'string' },
  vus: { type: 'string' },
  duration: { type: 'string' },
  iterations: { type: 'string' },
  'ramp-up': { type: 'string' },
  rate: { type: 'string' },
  seed: { type: 'string' },
  'share-connections': { type: 'boolean' },
  'login-path': { type: 'string' },
  'csrf-field': { type: 'string' },
  'username-column': { type: 'string' },
  'password-column': { type: 'string' },
  'login-status': { type: 'string' },
  page: { type: 'string', multiple: true },
  json: { type: 'string' },
  events: { type: 'string' },
  html: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined
  }
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new ArgsInvalidError(`--${flag}: expected a whole number above 0, got "${value}"`)
  }
  return Number(value)
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined
  }
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new ArgsInvalidError(`--${flag}: expected a number above 0, got "${value}"`)
  }
  return n
}

/** Durations stay strings ("30s"); plain numbers from the command line mean seconds. */
function duration(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined
  }
  return /^\d+(\.\d+)?$/.test(value) ? `${value}s` : value
}

export function parseArgv(argv: readonly string[]): CliCommand {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    throw new ArgsInvalidError((err as Error).message)
  }
  const { values: v, positionals } = parsed
  if (v.help === true || positionals[0] === 'help') {
    return { command: 'help' }
  }
  if (v.version === true) {
    return { command: 'version' }
  }
  const [command, scenarioFile, ...extra] = positionals
  if (command === undefined) {
    throw new ArgsInvalidError(
      'missing command: use "leak-hunter run <scenario.yaml>" (see --help)'
    )
  }
  if (command !== 'run') {
    throw new ArgsInvalidError(`unknown command "${command}": the command is "run" (see --help)`)
  }
  if (extra.length > 0) {
    throw new ArgsInvalidError(`unexpected argument "${extra[0]}": run takes one scenario file`)
  }
  if (scenarioFile === undefined && (v.target === undefined || v.accounts === undefined)) {
    throw new ArgsInvalidError(
      'give a scenario file, or --target and --accounts for the built-in form login'
    )
  }
  if (scenarioFile === undefined && v.markers === undefined && v['id-markers'] === undefined) {
    throw new ArgsInvalidError(
      '--markers is required without a scenario file, e.g. --markers displayName,email'
    )
  }
  const quickFlags = [
    'login-path',
    'csrf-field',
    'username-column',
    'password-column',
    'login-status',
    'page',
  ] as const
  const usedQuick = quickFlags.find((f) => v[f] !== undefined)
  if (scenarioFile !== undefined && usedQuick !== undefined) {
    throw new ArgsInvalidError(
      `--${usedQuick} only applies without a scenario file (the file has its own login)`
    )
  }
  if (v.color === true && v['no-color'] === true) {
    throw new ArgsInvalidError('--color and --no-color contradict each other')
  }
  const list = (value: string | undefined): string[] | undefined =>
    value
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
  const markers = list(v.markers)
  const idMarkers = list(v['id-markers'])
  const overrides: ScenarioOverrides = {
    ...(v.target === undefined ? {} : { target: v.target }),
    ...(v.accounts === undefined ? {} : { accountsFile: v.accounts }),
    ...(markers === undefined ? {} : { markers }),
    ...(idMarkers === undefined ? {} : { idMarkers }),
    ...optional('vus', positiveInt('vus', v.vus)),
    ...optional('duration', duration(v.duration)),
    ...optional('iterations', positiveInt('iterations', v.iterations)),
    ...optional('rampUp', duration(v['ramp-up'])),
    ...optional('arrivalRate', positiveNumber('rate', v.rate)),
    ...optional('seed', v.seed),
    ...(v['share-connections'] === true ? { shareConnections: true } : {}),
  }
  const loginStatus = positiveInt('login-status', v['login-status']) ?? 303
  if (loginStatus < 100 || loginStatus > 599) {
    throw new ArgsInvalidError(`--login-status: expected an HTTP status, got ${loginStatus}`)
  }
  return {
    command: 'run',
    scenarioFile,
    overrides,
    quick:
      scenarioFile !== undefined
        ? undefined
        : {
            loginPath: v['login-path'] ?? '/login',
            csrfField: v['csrf-field'] ?? '_csrf',
            usernameColumn: v['username-column'] ?? 'username',
            passwordColumn: v['password-column'] ?? 'password',
            loginStatus,
            pages: v.page ?? ['/'],
          },
    json: v.json,
    events: v.events,
    html: v.html,
    quiet: v.quiet === true,
    color: v['no-color'] === true ? false : v.color === true ? true : undefined,
  }
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T }
}

/** The scenario the quick flags describe: the @crosstalk/homepage style form login. */
export function quickScenario(q: QuickScenario): Record<string, unknown> {
  return {
    accounts: { file: 'accounts.csv', credentials: [q.usernameColumn, q.passwordColumn] },
    markers: { columns: [] },
    login: [
      {
        name: 'login-form',
        path: q.loginPath,
        expect: 200,
        extract: { csrf: { selector: `input[name="${q.csrfField}"]`, attribute: 'value' } },
      },
      {
        name: 'login-submit',
        method: 'POST',
        path: q.loginPath,
        form: {
          username: `{{account.${q.usernameColumn}}}`,
          password: `{{account.${q.passwordColumn}}}`,
          [q.csrfField]: '{{csrf}}',
        },
        expect: q.loginStatus,
      },
      { name: 'verify', path: q.pages[0] ?? '/', verify: true },
    ],
    pages: q.pages.map((path, i) => ({ name: `page-${i + 1}`, path })),
    load: { vus: 1, duration: '10s' },
  }
}
