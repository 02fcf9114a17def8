// Every command-line flag, defined once: parseArgs options, the commands that accept it, --help.
import { parseArgs } from 'node:util'
import { ArgsInvalidError } from '../errors.js'
import { closestName } from './closest-name.js'

export type CommandName = 'run' | 'init' | 'merge' | 'coordinate' | 'agent'

export const COMMAND_NAMES: readonly CommandName[] = ['run', 'init', 'merge', 'coordinate', 'agent']

export type FlagSection = 'load' | 'quick' | 'scale' | 'init' | 'output' | 'general'

export interface FlagSpec {
  name: string
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
  /** Placeholder for the value in --help, e.g. `N` or `FILE`. */
  value?: string
  help: string
  section: FlagSection
  commands: readonly CommandName[]
}

const RUN: readonly CommandName[] = ['run']
const INIT: readonly CommandName[] = ['init']
const BOTH: readonly CommandName[] = ['run', 'init']
/** Commands that set the load: one machine, or the coordinator of many. */
const LOAD: readonly CommandName[] = ['run', 'coordinate']
/** Commands that write the run's report. */
const REPORT: readonly CommandName[] = ['run', 'merge', 'coordinate']
/** Commands that run VUs from a scenario (its file, or the built-in form login). */
const HUNT: readonly CommandName[] = ['run', 'coordinate', 'agent']
/** The two sides of a coordinated run. */
const LINKED: readonly CommandName[] = ['coordinate', 'agent']

export const FLAGS: readonly FlagSpec[] = [
  {
    name: 'vus',
    type: 'string',
    value: 'N',
    section: 'load',
    commands: LOAD,
    help: 'virtual users, one account each (exclusive)',
  },
  {
    name: 'duration',
    type: 'string',
    value: 'D',
    section: 'load',
    commands: LOAD,
    help: 'how long the load phase runs: 30s, 2m, 500ms (a bare number is seconds)',
  },
  {
    name: 'iterations',
    type: 'string',
    value: 'N',
    section: 'load',
    commands: LOAD,
    help: 'iterations per VU (closed model) or in total (with --rate)',
  },
  {
    name: 'ramp-up',
    type: 'string',
    value: 'D',
    section: 'load',
    commands: LOAD,
    help: 'spread VU starts (or ramp the arrival rate) over D',
  },
  {
    name: 'rate',
    type: 'string',
    value: 'N',
    section: 'load',
    commands: LOAD,
    help: 'open model: start N iterations per second',
  },
  {
    name: 'seed',
    type: 'string',
    value: 'S',
    section: 'load',
    commands: LOAD,
    help: 'same seed, same account assignment and request order',
  },
  {
    name: 'share-connections',
    type: 'boolean',
    section: 'load',
    commands: LOAD,
    help: 'one shared connection pool for all VUs (provokes keep-alive mix-ups)',
  },
  {
    name: 'workers',
    type: 'string',
    value: 'N',
    section: 'scale',
    commands: ['run', 'agent'],
    help: 'run the VUs in N worker processes (accounts split between them); auto (default): one per core, half the cores for a target on this host, at most one per 32 VUs; 1: in this process',
  },
  {
    name: 'shard',
    type: 'string',
    value: 'I/N',
    section: 'scale',
    commands: RUN,
    help: "run the I-th of N slices of the run (its VUs, their accounts, its share of --rate); its --json report is what 'merge' reads",
  },
  {
    name: 'shards',
    type: 'string',
    value: 'N',
    section: 'scale',
    commands: RUN,
    help: 'N shards, this one JOB_COMPLETION_INDEX + 1 (a Kubernetes Indexed Job); also LEAK_HUNTER_SHARDS',
  },
  {
    name: 'redis',
    type: 'string',
    value: 'URL',
    section: 'scale',
    commands: LINKED,
    help: 'coordinate, agent: the Redis server that links them (redis://host:6379/0); also LEAK_HUNTER_REDIS',
  },
  {
    name: 'run-id',
    type: 'string',
    value: 'ID',
    section: 'scale',
    commands: LINKED,
    help: 'coordinate, agent: names the run in Redis, so that runs can share a server (default "default"); also LEAK_HUNTER_RUN_ID',
  },
  {
    name: 'agents',
    type: 'string',
    value: 'N',
    section: 'scale',
    commands: ['coordinate'],
    help: 'coordinate: the agents to wait for before the start; also LEAK_HUNTER_AGENTS',
  },
  {
    name: 'wait',
    type: 'string',
    value: 'D',
    section: 'scale',
    commands: LINKED,
    help: 'coordinate: how long to wait for every agent to join; agent: for the coordinator (default 5m)',
  },
  {
    name: 'heartbeat-timeout',
    type: 'string',
    value: 'D',
    section: 'scale',
    commands: LINKED,
    help: 'coordinate: an agent silent this long is lost; agent: the coordinator silent this long stops it (default 10s)',
  },
  {
    name: 'abort-on-fail',
    type: 'boolean',
    section: 'scale',
    commands: LOAD,
    help: 'stop as soon as the live figures fail a threshold (leaks at once; error rate and latency after the first second of load)',
  },
  {
    name: 'target',
    type: 'string',
    value: 'URL',
    section: 'quick',
    commands: ['run', 'init', 'coordinate', 'agent'],
    help: 'run: the server to hunt (only this origin is ever requested); init: the login page to probe',
  },
  {
    name: 'accounts',
    type: 'string',
    value: 'FILE',
    section: 'quick',
    commands: ['run', 'init', 'coordinate', 'agent'],
    help: 'run: accounts CSV with a header row; init: where to write its header (default accounts.csv)',
  },
  {
    name: 'markers',
    type: 'string',
    value: 'COLS',
    section: 'quick',
    commands: ['run', 'init', 'coordinate', 'agent'],
    help: 'comma-separated free-text marker columns, e.g. displayName,email',
  },
  {
    name: 'id-markers',
    type: 'string',
    value: 'COLS',
    section: 'quick',
    commands: HUNT,
    help: 'id columns, found only as the whole value of the JSON field of the same name ("userId": 104); with a scenario file, markers.ids says more',
  },
  {
    name: 'login-path',
    type: 'string',
    value: 'P',
    section: 'quick',
    commands: HUNT,
    help: 'login form path (default /login), GET then POST',
  },
  {
    name: 'csrf-field',
    type: 'string',
    value: 'NAME',
    section: 'quick',
    commands: HUNT,
    help: 'hidden input holding the CSRF token (default _csrf)',
  },
  {
    name: 'username-column',
    type: 'string',
    value: 'C',
    section: 'quick',
    commands: HUNT,
    help: 'CSV column posted as username (default username)',
  },
  {
    name: 'password-column',
    type: 'string',
    value: 'C',
    section: 'quick',
    commands: HUNT,
    help: 'CSV column posted as password (default password)',
  },
  {
    name: 'login-status',
    type: 'string',
    value: 'N',
    section: 'quick',
    commands: HUNT,
    help: 'status the POST must return (default 303)',
  },
  {
    name: 'page',
    type: 'string',
    multiple: true,
    value: 'P',
    section: 'quick',
    commands: HUNT,
    help: 'page to visit and check, repeatable (default /); the first verifies login',
  },
  {
    name: 'har',
    type: 'string',
    value: 'FILE',
    section: 'init',
    commands: INIT,
    help: 'build the scenario from a browser recording (log in, visit pages, save as HAR)',
  },
  {
    name: 'out',
    type: 'string',
    value: 'FILE',
    section: 'init',
    commands: INIT,
    help: 'scenario file to write (default scenario.yaml; - prints it to stdout)',
  },
  {
    name: 'force',
    type: 'boolean',
    section: 'init',
    commands: INIT,
    help: 'overwrite the scenario and accounts files if they exist',
  },
  {
    name: 'json',
    type: 'string',
    value: 'FILE',
    section: 'output',
    commands: REPORT,
    help: 'the report as JSON (schema crosstalk.leak-hunter/report@2)',
  },
  {
    name: 'events',
    type: 'string',
    value: 'FILE',
    section: 'output',
    commands: ['run', 'coordinate'],
    help: 'NDJSON event stream (run-start, login, finding, progress, run-end)',
  },
  {
    name: 'html',
    type: 'string',
    value: 'FILE',
    section: 'output',
    commands: REPORT,
    help: 'one self-contained HTML report',
  },
  {
    name: 'junit',
    type: 'string',
    value: 'FILE',
    section: 'output',
    commands: REPORT,
    help: 'JUnit XML: a test case per page, login step and threshold; leaks fail with evidence',
  },
  {
    name: 'sarif',
    type: 'string',
    value: 'FILE',
    section: 'output',
    commands: REPORT,
    help: 'SARIF 2.1.0: a result per finding group, located at its request URL',
  },
  {
    name: 'quiet',
    type: 'boolean',
    short: 'q',
    section: 'output',
    commands: ['run', 'init', 'coordinate', 'agent'],
    help: 'run: no progress lines; init: no summary of guesses',
  },
  {
    name: 'color',
    type: 'boolean',
    section: 'output',
    commands: REPORT,
    help: 'colour the summary even when stdout is not a TTY (NO_COLOR still wins)',
  },
  {
    name: 'no-color',
    type: 'boolean',
    section: 'output',
    commands: REPORT,
    help: 'no colour (also when NO_COLOR is set or stdout is not a TTY)',
  },
  {
    name: 'help',
    type: 'boolean',
    short: 'h',
    section: 'general',
    commands: BOTH,
    help: 'this text',
  },
  {
    name: 'version',
    type: 'boolean',
    section: 'general',
    commands: BOTH,
    help: 'print the version',
  },
]

type Values = Record<string, string | boolean | string[] | undefined>

export interface ParsedFlags {
  values: Values
  positionals: string[]
}

const BY_NAME = new Map(FLAGS.map((f) => [f.name, f]))
const BY_SHORT = new Map(FLAGS.filter((f) => f.short !== undefined).map((f) => [f.short!, f]))

function unknownFlag(raw: string): ArgsInvalidError {
  const bare = raw.replace(/^-+/, '')
  if (raw.startsWith('--')) {
    const near = closestName(bare, [...BY_NAME.keys()])
    return new ArgsInvalidError(
      `unknown flag ${raw}${near === undefined ? ' (see --help)' : ` (did you mean --${near}?)`}`
    )
  }
  const longs = FLAGS.filter((f) => f.name.startsWith(bare)).map((f) => `--${f.name}`)
  const hint =
    longs.length > 0 && longs.length <= 3 ? `did you mean ${longs.join(' or ')}?` : 'see --help'
  return new ArgsInvalidError(`unknown flag ${raw} (${hint})`)
}

/**
 * Parse argv into flag values and positionals. Unknown flags are named with the nearest known
 * one; a flag meant for the other command, a missing value or a value given to a switch is an
 * error naming the flag. `command` is the first positional, checked by the caller.
 */
export function parseFlags(argv: readonly string[]): ParsedFlags {
  const options = Object.fromEntries(
    FLAGS.map((f) => [
      f.name,
      {
        type: f.type,
        ...(f.short === undefined ? {} : { short: f.short }),
        ...(f.multiple === true ? { multiple: true } : {}),
      },
    ])
  )
  const loose = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  })
  const command = loose.positionals[0]
  for (const token of loose.tokens) {
    if (token.kind !== 'option') {
      continue
    }
    const spec = BY_NAME.get(token.name) ?? BY_SHORT.get(token.name)
    if (spec === undefined) {
      throw unknownFlag(token.rawName)
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw new ArgsInvalidError(
        `${token.rawName} needs a value, e.g. ${token.rawName} ${spec.value ?? 'VALUE'}`
      )
    }
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new ArgsInvalidError(`${token.rawName} takes no value, got "${token.value}"`)
    }
    if (
      COMMAND_NAMES.includes(command as CommandName) &&
      spec.section !== 'general' &&
      !spec.commands.includes(command as CommandName)
    ) {
      throw new ArgsInvalidError(
        `--${spec.name} does not apply to "${command}" (it is for "${spec.commands.join('", "')}")`
      )
    }
  }
  try {
    const strict = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
    return { values: strict.values as Values, positionals: strict.positionals }
  } catch (err) {
    // Left for the strict parse: a value that looks like a flag, e.g. `--seed --vus`.
    throw new ArgsInvalidError((err as Error).message)
  }
}
