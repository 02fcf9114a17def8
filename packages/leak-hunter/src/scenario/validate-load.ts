// The `load` section, optional as a whole and field by field: LOAD_DEFAULTS (documented in the
// README) fill what a scenario leaves out.
import { randomBytes } from 'node:crypto'
import { asBoolean, asDurationMs, asNonEmptyString, asNumber, asObject, join } from './fields.js'
import type { Obj } from './fields.js'
import type { LoadOptions } from './types.js'

const LOAD = [
  'vus',
  'duration',
  'iterations',
  'rampUp',
  'arrivalRate',
  'seed',
  'shareConnections',
  'connections',
  'timeout',
  'loginTimeout',
  'loginRetries',
  'maxBodyBytes',
]

export const LOAD_DEFAULTS = {
  /**
   * One VU per account, at most this many: a leak between users needs at least two of them in
   * flight at once, so one VU (the usual load-tool default) could never find one.
   */
  maxVus: 10,
  /** When neither duration nor iterations is set. */
  duration: '30s',
  timeout: '10s',
  loginTimeout: '60s',
  loginRetries: 2,
  maxBodyBytes: 8 * 1024 * 1024,
} as const

function asSeed(value: unknown, path: string): string | number {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value
  }
  return asNonEmptyString(value, path)
}

/** `load` (possibly absent) resolved against LOAD_DEFAULTS; `accounts` is the CSV's row count. */
export function parseLoad(value: unknown, path: string, accounts: number): LoadOptions {
  const o = value === undefined ? {} : asObject(value, path, LOAD)
  const vus =
    o.vus === undefined
      ? Math.max(1, Math.min(accounts, LOAD_DEFAULTS.maxVus))
      : asNumber(o.vus, join(path, 'vus'), { min: 1, max: 100_000, integer: true })
  const iterations =
    o.iterations === undefined
      ? undefined
      : asNumber(o.iterations, join(path, 'iterations'), { min: 1, integer: true })
  const durationMs =
    o.duration !== undefined
      ? asDurationMs(o.duration, join(path, 'duration'), false)
      : iterations === undefined
        ? asDurationMs(LOAD_DEFAULTS.duration, join(path, 'duration'))
        : undefined
  const arrivalRate =
    o.arrivalRate === undefined
      ? undefined
      : asNumber(o.arrivalRate, join(path, 'arrivalRate'), { min: 0.001 })
  const seed =
    o.seed === undefined
      ? randomBytes(6).toString('hex')
      : String(asSeed(o.seed, join(path, 'seed')))
  const duration = (key: string, fallback: string): number =>
    asDurationMs(o[key] ?? fallback, join(path, key), false)
  return {
    vus,
    durationMs,
    iterations,
    rampUpMs: o.rampUp === undefined ? 0 : asDurationMs(o.rampUp, join(path, 'rampUp')),
    arrivalRate,
    seed,
    shareConnections:
      o.shareConnections === undefined
        ? false
        : asBoolean(o.shareConnections, join(path, 'shareConnections')),
    connections:
      o.connections === undefined
        ? vus
        : asNumber(o.connections, join(path, 'connections'), { min: 1, integer: true }),
    timeoutMs: duration('timeout', LOAD_DEFAULTS.timeout),
    loginTimeoutMs: duration('loginTimeout', LOAD_DEFAULTS.loginTimeout),
    loginRetries:
      o.loginRetries === undefined
        ? LOAD_DEFAULTS.loginRetries
        : asNumber(o.loginRetries, join(path, 'loginRetries'), { min: 0, max: 100, integer: true }),
    maxBodyBytes:
      o.maxBodyBytes === undefined
        ? LOAD_DEFAULTS.maxBodyBytes
        : asNumber(o.maxBodyBytes, join(path, 'maxBodyBytes'), { min: 1024, integer: true }),
  }
}

/**
 * The `load` section as the report's config shows it: as written, plus the VUs and the duration
 * when defaults chose them, and the seed the run used.
 */
export function loadAsRun(given: unknown, load: LoadOptions): Obj {
  const o = (given ?? {}) as Obj
  return {
    ...(o.vus === undefined ? { vus: load.vus } : {}),
    ...(o.duration === undefined && o.iterations === undefined
      ? { duration: LOAD_DEFAULTS.duration }
      : {}),
    ...o,
    seed: load.seed,
  }
}
