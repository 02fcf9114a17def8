// Parses `homepage serve` and `homepage seed` flags into options; mistakes are HOME_ERR_USAGE.
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import type { AppOptions } from '../config.js'
import { FAULT_NAMES, IPC_MODES } from '../config.js'
import { HomeUsageError } from '../errors.js'
import type { FaultName, IpcMode } from '../render/index.js'

export const USAGE = `usage:
  homepage serve [--port N] [--host 127.0.0.1] [--ipc correlated|naive|in-process]
                 [--fault fifo-timeout|module-state|shared-cache] [--renderers N]
                 [--db PATH] [--redis URL] [--production] [--secure-cookies]
                 [--trust-renderer | --verify-renderer] [--no-rate-limit]
                 [--render-delay MIN-MAX] [--render-timeout MS] [--trust-proxy] [--log]
  homepage seed --users N --accounts FILE.csv [--db PATH] [--seed S] [--items N]`

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

function int(
  flag: string,
  value: string | undefined,
  min: number,
  max: number
): number | undefined {
  if (value === undefined) {
    return undefined
  }
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new HomeUsageError(`--${flag} must be an integer in ${min}..${max}, got "${value}"`)
  }
  return n
}

type Values = Record<string, string | boolean | undefined>

function parse(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>
): { values: Values } {
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
    return { values: values as Values }
  } catch (err) {
    throw new HomeUsageError(err instanceof Error ? err.message : String(err))
  }
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const { values: v } = parse(argv, {
    port: { type: 'string', default: '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    ipc: { type: 'string' },
    fault: { type: 'string' },
    renderers: { type: 'string' },
    db: { type: 'string', default: DEFAULT_DB },
    redis: { type: 'string' },
    production: { type: 'boolean', default: false },
    'secure-cookies': { type: 'boolean', default: false },
    'trust-renderer': { type: 'boolean' },
    'verify-renderer': { type: 'boolean' },
    'no-rate-limit': { type: 'boolean', default: false },
    'render-delay': { type: 'string' },
    'render-timeout': { type: 'string' },
    log: { type: 'boolean', default: false },
    'trust-proxy': { type: 'boolean', default: false },
  })
  const str = (k: string): string | undefined => {
    const x = v[k]
    return typeof x === 'string' ? x : undefined
  }
  const ipc = str('ipc')
  if (ipc !== undefined && !IPC_MODES.includes(ipc as IpcMode)) {
    throw new HomeUsageError(`--ipc must be one of ${IPC_MODES.join(', ')}, got "${ipc}"`)
  }
  const fault = str('fault')
  if (fault !== undefined && !FAULT_NAMES.includes(fault as FaultName)) {
    throw new HomeUsageError(`--fault must be one of ${FAULT_NAMES.join(', ')}, got "${fault}"`)
  }
  if (v['trust-renderer'] === true && v['verify-renderer'] === true) {
    throw new HomeUsageError('--trust-renderer and --verify-renderer exclude each other')
  }
  const app: AppOptions = {
    db: str('db') ?? DEFAULT_DB,
    // NODE_ENV=production in the server's environment means production children too.
    production: v.production === true || process.env.NODE_ENV === 'production',
    secureCookies: v['secure-cookies'] === true,
  }
  if (ipc !== undefined) {
    app.ipc = ipc as IpcMode
  }
  if (fault !== undefined) {
    app.fault = fault as FaultName
  }
  const renderers = int('renderers', str('renderers'), 1, 64)
  if (renderers !== undefined) {
    app.renderers = renderers
  }
  const redis = str('redis')
  if (redis !== undefined) {
    app.redisUrl = redis
  }
  if (v['trust-renderer'] === true) {
    app.trustRenderer = true
  } else if (v['verify-renderer'] === true) {
    app.trustRenderer = false
  }
  if (v['trust-proxy'] === true) {
    app.trustProxy = true
  }
  if (v['no-rate-limit'] === true) {
    app.rateLimit = false
  }
  const delay = str('render-delay')
  if (delay !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(delay)
    if (m === null || Number(m[1]) > Number(m[2])) {
      throw new HomeUsageError(`--render-delay must look like MIN-MAX in ms, got "${delay}"`)
    }
    app.renderDelayMs = { min: Number(m[1]), max: Number(m[2]) }
  }
  const timeout = int('render-timeout', str('render-timeout'), 1, 600_000)
  if (timeout !== undefined) {
    app.renderTimeoutMs = timeout
  }
  return {
    port: int('port', str('port'), 0, 65535) ?? 3000,
    host: str('host') ?? '127.0.0.1',
    app,
    log: v.log === true,
  }
}

export function parseSeedArgs(argv: string[]): SeedArgs {
  const { values: v } = parse(argv, {
    users: { type: 'string' },
    db: { type: 'string', default: DEFAULT_DB },
    accounts: { type: 'string' },
    seed: { type: 'string' },
    items: { type: 'string' },
  })
  const users = int('users', typeof v.users === 'string' ? v.users : undefined, 1, 200_000)
  if (users === undefined) {
    throw new HomeUsageError('--users N is required')
  }
  if (typeof v.accounts !== 'string' || v.accounts === '') {
    throw new HomeUsageError('--accounts FILE.csv is required')
  }
  const out: SeedArgs = {
    users,
    db: typeof v.db === 'string' ? v.db : DEFAULT_DB,
    accounts: v.accounts,
  }
  const seed = int('seed', typeof v.seed === 'string' ? v.seed : undefined, 0, 2 ** 32 - 1)
  if (seed !== undefined) {
    out.seed = seed
  }
  const items = int('items', typeof v.items === 'string' ? v.items : undefined, 0, 50)
  if (items !== undefined) {
    out.items = items
  }
  return out
}
