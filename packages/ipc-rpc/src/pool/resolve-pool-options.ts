import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { BadOptionError } from '../errors.js'
import { ENDPOINT_DEFAULTS } from '../endpoint/types.js'
import type { Api, Handlers } from '../endpoint/types.js'
import type { Serialization } from '../endpoint/transport.js'
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

function int(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new BadOptionError(option, `expected an integer >= ${min}, got ${String(value)}`)
  }
  return value
}

function optInt(option: string, value: unknown, min: number, fallback: number): number {
  return value === undefined ? fallback : int(option, value, min)
}

/** Validates every option up front so a typo fails createPool(), not the first crash. */
export function resolvePoolOptions<Local extends Api>(
  options: PoolOptions<Local>
): ResolvedPoolOptions<Local> {
  if (typeof options !== 'object' || options === null) {
    throw new BadOptionError('options', 'expected an object')
  }
  const { entry } = options
  if (!(entry instanceof URL) && (typeof entry !== 'string' || entry === '')) {
    throw new BadOptionError('entry', 'expected a module path or file URL')
  }
  const entryPath = entry instanceof URL || entry.startsWith('file:') ? fileURLToPath(entry) : entry

  let min: number
  let max: number
  const size = options.size ?? availableParallelism()
  if (typeof size === 'number') {
    min = max = int('size', size, 1)
  } else {
    min = int('size.min', size.min, 0)
    max = int('size.max', size.max, 1)
    if (max < min) {
      throw new BadOptionError('size.max', `must be >= size.min (${min}), got ${max}`)
    }
  }

  const serialization = options.serialization ?? 'json'
  if (serialization !== 'json' && serialization !== 'advanced') {
    throw new BadOptionError('serialization', `expected 'json' or 'advanced'`)
  }
  const stdio = options.stdio ?? 'inherit'
  if (stdio !== 'inherit' && stdio !== 'pipe' && stdio !== 'ignore') {
    throw new BadOptionError('stdio', `expected 'inherit', 'pipe' or 'ignore'`)
  }

  let recycle: ResolvedPoolOptions<Local>['recycle']
  if (options.recycle !== undefined) {
    const r = options.recycle
    const jitter = r.jitter ?? 0.1
    if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
      throw new BadOptionError('recycle.jitter', `expected a number in 0..1, got ${String(jitter)}`)
    }
    recycle = { jitter }
    if (r.maxRequests !== undefined) {
      recycle.maxRequests = int('recycle.maxRequests', r.maxRequests, 1)
    }
    if (r.maxAgeMs !== undefined) {
      recycle.maxAgeMs = int('recycle.maxAgeMs', r.maxAgeMs, 1)
    }
  }

  const heartbeat =
    options.heartbeat === undefined
      ? undefined
      : {
          intervalMs: int('heartbeat.intervalMs', options.heartbeat.intervalMs, 1),
          timeoutMs: int('heartbeat.timeoutMs', options.heartbeat.timeoutMs, 1),
        }
  const stopOnTimeout =
    options.stopOnTimeout === undefined
      ? undefined
      : {
          termGraceMs: int('stopOnTimeout.termGraceMs', options.stopOnTimeout.termGraceMs, 0),
          killGraceMs: int('stopOnTimeout.killGraceMs', options.stopOnTimeout.killGraceMs, 0),
        }
  const r = options.restart ?? {}
  const restart: RestartPolicyOptions = {
    initialDelayMs: optInt('restart.initialDelayMs', r.initialDelayMs, 0, 100),
    maxDelayMs: optInt('restart.maxDelayMs', r.maxDelayMs, 0, 10_000),
    maxRestarts: optInt('restart.maxRestarts', r.maxRestarts, 0, 10),
    windowMs: optInt('restart.windowMs', r.windowMs, 1, 60_000),
  }
  if (
    options.handlers !== undefined &&
    (typeof options.handlers !== 'object' || options.handlers === null)
  ) {
    throw new BadOptionError('handlers', 'expected an object of functions')
  }

  return {
    entry: entryPath,
    min,
    max,
    execArgv: options.execArgv,
    env: options.env,
    serialization,
    handlers: options.handlers,
    timeoutMs: optInt('timeoutMs', options.timeoutMs, 0, 0),
    maxInFlightPerChild: optInt('maxInFlightPerChild', options.maxInFlightPerChild, 1, 256),
    maxBatch: optInt('maxBatch', options.maxBatch, 1, ENDPOINT_DEFAULTS.maxBatch),
    maxQueue: optInt('maxQueue', options.maxQueue, 0, 10_000),
    recycle,
    heartbeat,
    restart,
    stopOnTimeout,
    stdio,
    startTimeoutMs: optInt('startTimeoutMs', options.startTimeoutMs, 1, 15_000),
    idleTimeoutMs: optInt('idleTimeoutMs', options.idleTimeoutMs, 1, 30_000),
    name: options.name ?? 'pool',
  }
}
