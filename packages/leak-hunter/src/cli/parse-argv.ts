// `leak-hunter run|init … [flags]` parsed into what a command needs; flags are defined in flags.ts.
import { ArgsInvalidError, HuntError } from '../errors.js'
import { asDurationMs } from '../scenario/fields.js'
import type { ScenarioOverrides } from '../scenario/load-scenario.js'
import { closestName } from './closest-name.js'
import { COMMAND_NAMES, parseFlags } from './flags.js'
import { parseAgent, parseCoordinate, parseMerge } from './parse-scale-argv.js'
import type { CliAgent, CliCoordinate, CliMerge } from './parse-scale-argv.js'

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
  junit: string | undefined
  sarif: string | undefined
  quiet: boolean
  color: boolean | undefined
  /** Worker processes; `auto` unless --workers says. */
  workers: number | 'auto'
  /** --shard I/N and --shards N as given (resolved with the environment when the run starts). */
  shard: string | undefined
  shards: string | undefined
  abortOnFail: boolean
}

export interface QuickScenario {
  loginPath: string
  csrfField: string
  usernameColumn: string
  passwordColumn: string
  loginStatus: number
  pages: string[]
}

export interface CliInit {
  command: 'init'
  /** Probe this login page (the form, its fields and the CSRF token's source). */
  target: string | undefined
  /** Build the scenario from this browser recording. */
  har: string | undefined
  /** Scenario file to write; `-` prints it to stdout. */
  out: string
  /** Accounts CSV to write (its header only); relative to the scenario file's folder. */
  accounts: string
  markers: string[] | undefined
  force: boolean
  quiet: boolean
}

export type CliCommand =
  | CliRun
  | CliInit
  | CliMerge
  | CliCoordinate
  | CliAgent
  | { command: 'help' }
  | { command: 'version' }

export function positiveInt(flag: string, value: string | undefined): number | undefined {
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

/**
 * Durations stay strings ("30s"); plain numbers from the command line mean seconds. Checked
 * here so that `--duration 2x` blames the flag rather than the scenario's `load.duration`.
 */
export function duration(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined
  }
  const text = /^\d+(\.\d+)?$/.test(value) ? `${value}s` : value
  try {
    asDurationMs(text, `--${flag}`, flag !== 'duration')
  } catch (err) {
    if (err instanceof HuntError) {
      throw new ArgsInvalidError(
        `--${flag}: expected a duration such as 30s, 500ms, 2m or 1m30s, got "${value}"`
      )
    }
    throw err
  }
  return text
}

function markerList(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

const COMMANDS = COMMAND_NAMES

export function parseArgv(argv: readonly string[]): CliCommand {
  const { values, positionals } = parseFlags(argv)
  const str = (name: string): string | undefined => values[name] as string | undefined
  const on = (name: string): boolean => values[name] === true
  if (on('help') || positionals[0] === 'help') {
    return { command: 'help' }
  }
  if (on('version')) {
    return { command: 'version' }
  }
  const [command, scenarioFile, ...extra] = positionals
  if (command === undefined) {
    throw new ArgsInvalidError(
      'missing command: use "leak-hunter run <scenario.yaml>" or "leak-hunter init" (see --help)'
    )
  }
  if (command === 'init') {
    return parseInit(values, positionals.slice(1))
  }
  if (command === 'merge') {
    return parseMerge(values, positionals.slice(1))
  }
  if (command !== 'run' && command !== 'coordinate' && command !== 'agent') {
    const near = closestName(command, [...COMMANDS])
    throw new ArgsInvalidError(
      `unknown command "${command}"${near === undefined ? '' : ` (did you mean "${near}"?)`}: the commands are ${COMMANDS.join(', ')} (see --help)`
    )
  }
  if (extra.length > 0) {
    throw new ArgsInvalidError(
      `unexpected argument "${extra[0]}": ${command} takes one scenario file`
    )
  }
  if (
    scenarioFile === undefined &&
    (str('target') === undefined || str('accounts') === undefined)
  ) {
    throw new ArgsInvalidError(
      'give a scenario file, or --target and --accounts for the built-in form login'
    )
  }
  if (
    scenarioFile === undefined &&
    str('markers') === undefined &&
    str('id-markers') === undefined
  ) {
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
  const usedQuick = quickFlags.find((f) => values[f] !== undefined)
  if (scenarioFile !== undefined && usedQuick !== undefined) {
    throw new ArgsInvalidError(
      `--${usedQuick} only applies without a scenario file (the file has its own login)`
    )
  }
  const markers = markerList(str('markers'))
  const idMarkers = markerList(str('id-markers'))
  const overrides: ScenarioOverrides = {
    ...optional('target', str('target')),
    ...optional('accountsFile', str('accounts')),
    ...(markers === undefined ? {} : { markers }),
    ...(idMarkers === undefined ? {} : { idMarkers }),
    ...loadOverrides(values),
  }
  const loginStatus = positiveInt('login-status', str('login-status')) ?? 303
  if (loginStatus < 100 || loginStatus > 599) {
    throw new ArgsInvalidError(`--login-status: expected an HTTP status, got ${loginStatus}`)
  }
  const run: CliRun = {
    command: 'run',
    scenarioFile,
    overrides,
    quick:
      scenarioFile !== undefined
        ? undefined
        : {
            loginPath: str('login-path') ?? '/login',
            csrfField: str('csrf-field') ?? '_csrf',
            usernameColumn: str('username-column') ?? 'username',
            passwordColumn: str('password-column') ?? 'password',
            loginStatus,
            pages: (values.page as string[] | undefined) ?? ['/'],
          },
    json: str('json'),
    events: str('events'),
    html: str('html'),
    junit: str('junit'),
    sarif: str('sarif'),
    quiet: on('quiet'),
    color: colorFlag(values),
    workers: workersFlag(str('workers')),
    shard: str('shard'),
    shards: str('shards'),
    abortOnFail: on('abort-on-fail'),
  }
  if (command === 'coordinate') {
    return parseCoordinate(values, run)
  }
  return command === 'agent' ? parseAgent(values, run) : run
}

/** --color / --no-color: forced on, forced off, or undefined (TTY and NO_COLOR decide). */
export function colorFlag(values: Readonly<Record<string, unknown>>): boolean | undefined {
  if (values.color === true && values['no-color'] === true) {
    throw new ArgsInvalidError('--color and --no-color contradict each other')
  }
  return values['no-color'] === true ? false : values.color === true ? true : undefined
}

/** --workers N | auto (the default). */
export function workersFlag(value: string | undefined): number | 'auto' {
  return value === undefined || value === 'auto' ? 'auto' : positiveInt('workers', value)!
}

/** The load flags (--vus, --duration, ...) as scenario overrides. */
export function loadOverrides(values: Readonly<Record<string, unknown>>): ScenarioOverrides {
  const str = (name: string): string | undefined => values[name] as string | undefined
  return {
    ...optional('vus', positiveInt('vus', str('vus'))),
    ...optional('duration', duration('duration', str('duration'))),
    ...optional('iterations', positiveInt('iterations', str('iterations'))),
    ...optional('rampUp', duration('ramp-up', str('ramp-up'))),
    ...optional('arrivalRate', positiveNumber('rate', str('rate'))),
    ...optional('seed', str('seed')),
    ...(values['share-connections'] === true ? { shareConnections: true } : {}),
  }
}

function parseInit(v: Readonly<Record<string, unknown>>, args: string[]): CliInit {
  if (args.length > 0) {
    throw new ArgsInvalidError(
      `unexpected argument "${args[0]}": init takes flags only, e.g. --har recording.har or --target URL`
    )
  }
  const str = (name: string): string | undefined => v[name] as string | undefined
  if (str('har') !== undefined && str('target') !== undefined) {
    throw new ArgsInvalidError(
      '--har and --target contradict each other: the recording already names its target'
    )
  }
  return {
    command: 'init',
    target: str('target'),
    har: str('har'),
    out: str('out') ?? 'scenario.yaml',
    accounts: str('accounts') ?? 'accounts.csv',
    markers: markerList(str('markers')),
    force: v.force === true,
    quiet: v.quiet === true,
  }
}

export function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
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
