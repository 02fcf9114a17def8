// buildApp options, their defaults and validation. Bad input fails fast with HOME_ERR_BAD_OPTION.
import { availableParallelism } from 'node:os'
import { HomeBadOptionError } from './errors.js'
import type { FaultName, IpcMode, PageRenderer, PageRendererOptions } from './render/index.js'

export interface RateLimitOptions {
  /** Length of the fixed window, default 15 minutes. */
  windowMs?: number
  /** Failed logins allowed per client IP per window, default 100. */
  perIp?: number
  /** Failed logins allowed per username per window, default 10. */
  perAccount?: number
}

export interface AppOptions {
  /** SQLite file path, or ':memory:' (default). */
  db?: string
  /** Redis URL for sessions shared by several instances; users stay in SQLite. */
  redisUrl?: string
  /** Key prefix for sessions in Redis (default 'crosstalk:sess:'). */
  redisPrefix?: string
  ipc?: IpcMode
  fault?: FaultName
  /** Renderer children, default one per core. */
  renderers?: number
  /** Renderer children run with NODE_ENV=production. */
  production?: boolean
  /** Secure + __Host- cookie, HSTS and upgrade-insecure-requests: set when served over https. */
  secureCookies?: boolean
  sessionIdleMs?: number
  sessionAbsoluteMs?: number
  /** Limits on failed logins; false turns them off. */
  rateLimit?: RateLimitOptions | false
  renderDelayMs?: { min: number; max: number }
  renderTimeoutMs?: number
  /** Skip the renderedFor check. Defaults to true only with ipc 'naive' or a fault, so leaks show. */
  trustRenderer?: boolean
  logger?: boolean | object
  /** Behind a reverse proxy: take the client IP (rate limits) and scheme from X-Forwarded-*. */
  trustProxy?: boolean
  /** Milliseconds since the epoch; inject a fake for timeout tests. */
  clock?: () => number
  /** Replaces createPageRenderer (tests of the server alone). */
  createRenderer?: (options: PageRendererOptions) => Promise<PageRenderer>
  /** Structured events: incidents such as 'render-mismatch', and the renderer's own log. */
  onEvent?: (event: string, fields: Record<string, unknown>) => void
}

export interface AppConfig {
  db: string
  redisUrl: string | undefined
  redisPrefix: string
  ipc: IpcMode
  fault: FaultName | undefined
  renderers: number
  production: boolean
  secureCookies: boolean
  sessionIdleMs: number
  sessionAbsoluteMs: number
  rateLimit: Required<RateLimitOptions> | false
  renderDelayMs: { min: number; max: number } | undefined
  renderTimeoutMs: number
  trustRenderer: boolean
  trustProxy: boolean
  clock: () => number
}

export const IPC_MODES: readonly IpcMode[] = ['correlated', 'naive', 'in-process']
export const FAULT_NAMES: readonly FaultName[] = ['fifo-timeout', 'module-state', 'shared-cache']

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback
  }
  if (!Number.isInteger(value) || value <= 0) {
    throw new HomeBadOptionError(`${name} must be a positive integer, got ${String(value)}`)
  }
  return value
}

export function resolveConfig(options: AppOptions): AppConfig {
  const ipc = options.ipc ?? 'correlated'
  if (!IPC_MODES.includes(ipc)) {
    throw new HomeBadOptionError(`ipc must be one of ${IPC_MODES.join(', ')}, got ${String(ipc)}`)
  }
  const fault = options.fault
  if (fault !== undefined && !FAULT_NAMES.includes(fault)) {
    throw new HomeBadOptionError(
      `fault must be one of ${FAULT_NAMES.join(', ')}, got ${String(fault)}`
    )
  }
  const renderers = positiveInt('renderers', options.renderers, availableParallelism())
  if (renderers > 64) {
    throw new HomeBadOptionError(`renderers must be at most 64, got ${renderers}`)
  }
  const delay = options.renderDelayMs
  const delayOk =
    delay === undefined ||
    (Number.isFinite(delay.min) &&
      Number.isFinite(delay.max) &&
      delay.min >= 0 &&
      delay.max >= delay.min)
  if (!delayOk) {
    throw new HomeBadOptionError('renderDelayMs must be { min, max } with 0 <= min <= max')
  }
  const db = options.db ?? ':memory:'
  if (typeof db !== 'string' || db === '') {
    throw new HomeBadOptionError('db must be a file path or ":memory:"')
  }
  if (options.redisUrl !== undefined && !/^rediss?:\/\//.test(options.redisUrl)) {
    throw new HomeBadOptionError(`redisUrl must start with redis:// or rediss://`)
  }
  const rl = options.rateLimit
  const rateLimit =
    rl === false
      ? false
      : {
          windowMs: positiveInt('rateLimit.windowMs', rl?.windowMs, 15 * 60_000),
          perIp: positiveInt('rateLimit.perIp', rl?.perIp, 100),
          perAccount: positiveInt('rateLimit.perAccount', rl?.perAccount, 10),
        }
  const sessionIdleMs = positiveInt('sessionIdleMs', options.sessionIdleMs, 30 * 60_000)
  const sessionAbsoluteMs = positiveInt(
    'sessionAbsoluteMs',
    options.sessionAbsoluteMs,
    8 * 60 * 60_000
  )
  return {
    db,
    redisUrl: options.redisUrl,
    redisPrefix: options.redisPrefix ?? 'crosstalk:sess:',
    ipc,
    fault,
    renderers,
    production: options.production ?? false,
    secureCookies: options.secureCookies ?? false,
    sessionIdleMs,
    sessionAbsoluteMs,
    rateLimit,
    renderDelayMs: delay,
    renderTimeoutMs: positiveInt('renderTimeoutMs', options.renderTimeoutMs, 2000),
    trustRenderer: options.trustRenderer ?? (ipc === 'naive' || fault !== undefined),
    trustProxy: options.trustProxy ?? false,
    clock: options.clock ?? Date.now,
  }
}
