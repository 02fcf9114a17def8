import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { BadOptionError } from '../errors.js'
import { ENDPOINT_DEFAULTS } from '../endpoint/types.js'
import type { Api, Handlers } from '../endpoint/types.js'
import type { Serialization } from '../endpoint/transport.js'
import {
  checkHandlers,
  checkInt,
  checkMs,
  checkObject,
  describeValue,
} from '../endpoint/validate-options.js'
import type { RestartPolicyOptions } from './restart-policy.js'
import type { PoolOptions } from './pool-types.js'

export interface ResolvedPoolOptions<Local extends Api> {
  entry: string
  min: number
  max: number
  execArgv: string[] | undefined
  env: NodeJS.ProcessEnv | undefined
  serialization: Serialization
  handlers: Handlers<Local> | undefined
  timeoutMs: number
  queueTimeoutMs: number
  maxInFlightPerChild: number
  maxBatch: number
  maxQueue: number
  recycle: { maxRequests?: number; maxAgeMs?: number; jitter: number } | undefined
  heartbeat: { intervalMs: number; timeoutMs: number } | undefined
  restart: RestartPolicyOptions
  stopOnTimeout: { termGraceMs: number; killGraceMs: number } | undefined
  stdio: 'inherit' | 'pipe' | 'ignore'
  startTimeoutMs: number
  idleTimeoutMs: number
  name: string
}

function optInt(option: string, value: unknown, min: number, fallback: number): number {
  return value === undefined ? fallback : checkInt(option, value, min)
}

function optMs(option: string, value: unknown, min: number, fallback: number): number {
  return value === undefined ? fallback : checkMs(option, value, min)
}

/** An optional nested options object: undefined, or an object (never a string or a number). */
function optObject(option: string, value: unknown): Record<string, unknown> | undefined {
  return value === undefined ? undefined : checkObject(option, value)
}

function resolveSize(size: unknown): { min: number; max: number } {
  if (typeof size === 'number') {
    const n = checkInt('size', size, 1)
    return { min: n, max: n }
  }
  if (typeof size !== 'object' || size === null) {
    throw new BadOptionError('size', `must be a number or { min, max }, got ${describeValue(size)}`)
  }
  const { min, max } = size as Record<string, unknown>
  const resolved = { min: checkInt('size.min', min, 0), max: checkInt('size.max', max, 1) }
  if (resolved.max < resolved.min) {
    throw new BadOptionError(
      'size.max',
      `must be >= size.min (${resolved.min}), got ${resolved.max}`
    )
  }
  return resolved
}

/** fork() takes these as they are; a wrong type would only fail later, without a stated cause. */
function resolveFork(
  options: PoolOptions<Api>
): Pick<ResolvedPoolOptions<Api>, 'execArgv' | 'env'> {
  const { execArgv, env } = options as { execArgv?: unknown; env?: unknown }
  if (
    execArgv !== undefined &&
    (!Array.isArray(execArgv) || !execArgv.every((arg) => typeof arg === 'string'))
  ) {
    throw new BadOptionError(
      'execArgv',
      `must be an array of strings, got ${describeValue(execArgv)}`
    )
  }
  if (env !== undefined) {
    for (const [key, value] of Object.entries(checkObject('env', env))) {
      if (value !== undefined && typeof value !== 'string') {
        throw new BadOptionError(`env.${key}`, `must be a string, got ${describeValue(value)}`)
      }
    }
  }
  return { execArgv: execArgv, env: env as NodeJS.ProcessEnv | undefined }
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new BadOptionError(option, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`)
  }
  return value as T
}

/** Validates every option up front so a typo fails createPool(), not the first crash. */
export function resolvePoolOptions<Local extends Api>(
  options: PoolOptions<Local>
): ResolvedPoolOptions<Local> {
  checkObject('options', options)
  const { entry } = options
  if (!(entry instanceof URL) && (typeof entry !== 'string' || entry === '')) {
    throw new BadOptionError('entry', 'expected a module path or file URL')
  }
  const entryPath = entry instanceof URL || entry.startsWith('file:') ? fileURLToPath(entry) : entry
  const { min, max } = resolveSize(options.size ?? availableParallelism())
  checkHandlers(options.handlers)
  if (options.name !== undefined && typeof options.name !== 'string') {
    throw new BadOptionError('name', `must be a string, got ${describeValue(options.name)}`)
  }

  let recycle: ResolvedPoolOptions<Local>['recycle']
  const r = optObject('recycle', options.recycle)
  if (r !== undefined) {
    const jitter = r.jitter ?? 0.1
    if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
      throw new BadOptionError(
        'recycle.jitter',
        `expected a number in 0..1, got ${describeValue(jitter)}`
      )
    }
    recycle = { jitter }
    if (r.maxRequests !== undefined) {
      recycle.maxRequests = checkInt('recycle.maxRequests', r.maxRequests, 1)
    }
    if (r.maxAgeMs !== undefined) {
      recycle.maxAgeMs = checkMs('recycle.maxAgeMs', r.maxAgeMs, 1)
    }
  }
  const h = optObject('heartbeat', options.heartbeat)
  const heartbeat =
    h === undefined
      ? undefined
      : {
          intervalMs: checkMs('heartbeat.intervalMs', h.intervalMs, 1),
          timeoutMs: checkMs('heartbeat.timeoutMs', h.timeoutMs, 1),
        }
  const s = optObject('stopOnTimeout', options.stopOnTimeout)
  const stopOnTimeout =
    s === undefined
      ? undefined
      : {
          termGraceMs: checkMs('stopOnTimeout.termGraceMs', s.termGraceMs, 0),
          killGraceMs: checkMs('stopOnTimeout.killGraceMs', s.killGraceMs, 0),
        }
  const rs = optObject('restart', options.restart) ?? {}
  const restart: RestartPolicyOptions = {
    initialDelayMs: optMs('restart.initialDelayMs', rs.initialDelayMs, 0, 100),
    maxDelayMs: optMs('restart.maxDelayMs', rs.maxDelayMs, 0, 10_000),
    maxRestarts: optInt('restart.maxRestarts', rs.maxRestarts, 0, 10),
    windowMs: optMs('restart.windowMs', rs.windowMs, 1, 60_000),
    coolDownMs: optMs('restart.coolDownMs', rs.coolDownMs, 1, 30_000),
  }

  return {
    entry: entryPath,
    min,
    max,
    ...resolveFork(options),
    serialization: oneOf('serialization', options.serialization ?? 'json', ['json', 'advanced']),
    handlers: options.handlers,
    timeoutMs: optMs('timeoutMs', options.timeoutMs, 0, 0),
    queueTimeoutMs: optMs('queueTimeoutMs', options.queueTimeoutMs, 0, 0),
    maxInFlightPerChild: optInt('maxInFlightPerChild', options.maxInFlightPerChild, 1, 256),
    maxBatch: optInt('maxBatch', options.maxBatch, 1, ENDPOINT_DEFAULTS.maxBatch),
    maxQueue: optInt('maxQueue', options.maxQueue, 0, 10_000),
    recycle,
    heartbeat,
    restart,
    stopOnTimeout,
    stdio: oneOf('stdio', options.stdio ?? 'inherit', ['inherit', 'pipe', 'ignore']),
    startTimeoutMs: optMs('startTimeoutMs', options.startTimeoutMs, 1, 15_000),
    idleTimeoutMs: optMs('idleTimeoutMs', options.idleTimeoutMs, 1, 30_000),
    name: options.name ?? 'pool',
  }
}
