// Parses `homepage serve` and `homepage seed` flags into options; mistakes are HOME_ERR_USAGE.
// Each flag is one entry in a table (name, value, help, how it applies), from which the parser
// and the usage text are both made: a new flag is one more entry.
import { parseArgs } from 'node:util'
import { GUARD_MODES } from '@crosstalk/guard'
import type { ParseArgsConfig } from 'node:util'
import type { AppOptions } from '../config.js'
import { HomeUsageError } from '../errors.js'
import { FAULT_NAMES, IPC_MODES } from '../page-renderer/index.js'

export const DEFAULT_DB = 'homepage.db'

export interface ServeArgs {
  port: number
  host: string
  app: AppOptions
  log: boolean
}

export interface SeedArgs {
  users: number
  db: string
  accounts: string
  seed?: number
  items?: number
}

interface Flag<T> {
  name: string
  /** Placeholder of the flag's value in the usage; absent for a boolean flag. */
  value?: string
  help: string
  /** Applies the flag (string value, or true for a boolean flag) to the parsed result. */
  apply(target: T, value: string | true): void
}

function int(flag: string, value: string | true, min: number, max: number): number {
  const n = Number(value)
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min || n > max) {
    throw new HomeUsageError(
      `--${flag} must be an integer in ${min}..${max}, got "${String(value)}"`
    )
  }
  return n
}

function pair(flag: string, value: string | true, sep: string, shape: string): [number, number] {
  const m = typeof value === 'string' ? new RegExp(`^(\\d+)${sep}(\\d+)$`).exec(value) : null
  if (m === null) {
    throw new HomeUsageError(`--${flag} must look like ${shape}, got "${String(value)}"`)
  }
  return [Number(m[1]), Number(m[2])]
}

function choice<T extends string>(flag: string, value: string | true, names: readonly T[]): T {
  const found = names.find((n) => n === value)
  if (found === undefined) {
    throw new HomeUsageError(`--${flag} must be one of ${names.join(', ')}, got "${String(value)}"`)
  }
  return found
}

const SERVE_FLAGS: ReadonlyArray<Flag<ServeArgs>> = [
  {
    name: 'port',
    value: 'N',
    help: 'port to listen on, 0 for any free port (default 3000)',
    apply: (t, v) => (t.port = int('port', v, 0, 65535)),
  },
  {
    name: 'host',
    value: 'ADDR',
    help: 'address to listen on (default 127.0.0.1)',
    apply: (t, v) => (t.host = String(v)),
  },
  {
    name: 'db',
    value: 'PATH',
    help: `SQLite file with the users (and sessions without --redis); created 0600 (default ${DEFAULT_DB})`,
    apply: (t, v) => (t.app.db = String(v)),
  },
  {
    name: 'redis',
    value: 'URL',
    help: 'keep sessions and login throttling in Redis, shared by several instances',
    apply: (t, v) => (t.app.redisUrl = String(v)),
  },
  {
    name: 'ipc',
    value: IPC_MODES.join('|'),
    help: 'how renderers are reached: correlated (the fix, default), naive (the bug), in-process',
    apply: (t, v) => (t.app.ipc = choice('ipc', v, IPC_MODES)),
  },
  {
    name: 'fault',
    value: FAULT_NAMES.join('|'),
    help: 'switch on a leak class; its defaults reproduce it (docs/faults.md)',
    apply: (t, v) => (t.app.fault = choice('fault', v, FAULT_NAMES)),
  },
  {
    name: 'guard',
    value: GUARD_MODES.join('|'),
    help: 'check signed-in responses for other users (default block; off with --ipc naive or a fault)',
    apply: (t, v) => (t.app.guard = choice('guard', v, GUARD_MODES)),
  },
  {
    name: 'renderers',
    value: 'N',
    help: 'renderer children (default one per core)',
    apply: (t, v) => (t.app.renderers = int('renderers', v, 1, 64)),
  },
  {
    name: 'render-delay',
    value: 'MIN-MAX',
    help: 'simulated data loading per render, ms (default per switch)',
    apply: (t, v) => {
      const [min, max] = pair('render-delay', v, '-', 'MIN-MAX in ms')
      if (min > max) {
        throw new HomeUsageError(`--render-delay needs MIN <= MAX, got "${String(v)}"`)
      }
      t.app.renderDelayMs = { min, max }
    },
  },
  {
    name: 'slow-render',
    value: 'EVERY:MS|off',
    help: "every EVERY-th render of each renderer takes MS (default per switch; 'off': none)",
    apply: (t, v) => {
      if (v === 'off') {
        t.app.slowRender = false
        return
      }
      const [every, ms] = pair('slow-render', v, ':', "EVERY:MS or 'off'")
      if (every < 1) {
        throw new HomeUsageError('--slow-render EVERY must be at least 1')
      }
      t.app.slowRender = { every, ms }
    },
  },
  {
    name: 'render-timeout',
    value: 'MS',
    help: 'per-render deadline (default 2000, or the switch default)',
    apply: (t, v) => (t.app.renderTimeoutMs = int('render-timeout', v, 1, 600_000)),
  },
  {
    name: 'request-timeout',
    value: 'MS',
    help: 'a request (headers and body) must arrive within this, else 408 (default 10000)',
    apply: (t, v) => (t.app.requestTimeoutMs = int('request-timeout', v, 1000, 600_000)),
  },
  {
    name: 'production',
    help: 'renderer children use React production builds (implied by NODE_ENV=production)',
    apply: (t) => (t.app.production = true),
  },
  {
    name: 'secure-cookies',
    help: 'Secure, __Host- cookies and HSTS: set when served over https',
    apply: (t) => (t.app.secureCookies = true),
  },
  {
    name: 'trust-renderer',
    help: 'skip the renderedFor check (the default with --ipc naive or a fault)',
    apply: (t) => (t.app.trustRenderer = true),
  },
  {
    name: 'verify-renderer',
    help: 'keep the renderedFor check on in every mode',
    apply: (t) => (t.app.trustRenderer = false),
  },
  {
    name: 'no-rate-limit',
    help: 'turn login throttling off',
    apply: (t) => (t.app.rateLimit = false),
  },
  {
    name: 'trust-proxy',
    help: 'take the client IP and scheme from X-Forwarded-* (behind a reverse proxy)',
    apply: (t) => (t.app.trustProxy = true),
  },
  { name: 'log', help: 'log requests and events to stderr', apply: (t) => (t.log = true) },
]

const SEED_FLAGS: ReadonlyArray<Flag<Partial<SeedArgs>>> = [
  {
    name: 'users',
    value: 'N',
    help: 'accounts to generate (required); they replace every account in --db',
    apply: (t, v) => (t.users = int('users', v, 1, 200_000)),
  },
  {
    name: 'accounts',
    value: 'FILE.csv',
    help: 'where to write username,password,displayName,email,userId (required; mode 0600)',
    apply: (t, v) => (t.accounts = String(v)),
  },
  {
    name: 'db',
    value: 'PATH',
    help: `SQLite file, created 0600 (default ${DEFAULT_DB})`,
    apply: (t, v) => (t.db = String(v)),
  },
  {
    name: 'seed',
    value: 'S',
    help: 'the same seed gives the same accounts and passwords',
    apply: (t, v) => (t.seed = int('seed', v, 0, 2 ** 32 - 1)),
  },
  {
    name: 'items',
    value: 'N',
    help: 'private items per user (default 3)',
    apply: (t, v) => (t.items = int('items', v, 0, 50)),
  },
]

function usageOf<T>(command: string, flags: ReadonlyArray<Flag<T>>): string {
  const left = flags.map((f) => `  --${f.name}${f.value === undefined ? '' : ` ${f.value}`}`)
  const width = Math.max(...left.map((l) => l.length)) + 2
  const lines = flags.map((f, i) => `${left[i]!.padEnd(width)}${f.help}`)
  return `usage:\n  homepage ${command} [options]\n\noptions:\n${lines.join('\n')}\n  --help, -h`
}

export const SERVE_USAGE = usageOf('serve', SERVE_FLAGS)
export const SEED_USAGE = usageOf('seed', SEED_FLAGS)
export const USAGE = `usage:
  homepage serve [options]   serve the home page (homepage serve --help for the options)
  homepage seed --users N --accounts FILE.csv [options]   generate accounts`

/** True when the arguments ask for help (`--help` or `-h` anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h')
}

function parse<T>(argv: string[], flags: ReadonlyArray<Flag<T>>, target: T): T {
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const f of flags) {
    options[f.name] = { type: f.value === undefined ? 'boolean' : 'string' }
  }
  let values: Record<string, string | boolean | undefined>
  try {
    // No flag is `multiple`, so no value is an array.
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
      .values as Record<string, string | boolean | undefined>
  } catch (err) {
    throw new HomeUsageError(err instanceof Error ? err.message : String(err))
  }
  // In the table's order, so a later flag (e.g. --verify-renderer) is applied after its peers.
  for (const f of flags) {
    const v = values[f.name]
    if (v !== undefined && v !== false) {
      f.apply(target, v)
    }
  }
  return target
}

export function parseServeArgs(argv: string[]): ServeArgs {
  if (argv.includes('--trust-renderer') && argv.includes('--verify-renderer')) {
    throw new HomeUsageError('--trust-renderer and --verify-renderer exclude each other')
  }
  const args = parse(argv, SERVE_FLAGS, {
    port: 3000,
    host: '127.0.0.1',
    app: { db: DEFAULT_DB, production: false, secureCookies: false },
    log: false,
  })
  // NODE_ENV=production in the server's environment means production children too.
  if (process.env.NODE_ENV === 'production') {
    args.app.production = true
  }
  return args
}

export function parseSeedArgs(argv: string[]): SeedArgs {
  const args = parse<Partial<SeedArgs>>(argv, SEED_FLAGS, { db: DEFAULT_DB })
  if (args.users === undefined) {
    throw new HomeUsageError('--users N is required')
  }
  if (args.accounts === undefined || args.accounts === '') {
    throw new HomeUsageError('--accounts FILE.csv is required')
  }
  return { ...args, users: args.users, db: args.db ?? DEFAULT_DB, accounts: args.accounts }
}
