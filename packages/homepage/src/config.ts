// buildApp options, their defaults and validation. Bad input fails fast with HOME_ERR_BAD_OPTION.
import { availableParallelism } from 'node:os'
import type { Guard, GuardMode } from '@crosstalk/guard'
import { HomeBadOptionError } from './errors.js'
import type {
  DelayRange,
  FaultName,
  IpcMode,
  PageRenderer,
  PageRendererOptions,
  SlowRender,
} from './page-renderer/index.js'
import { renderDefaults } from './page-renderer/switch-defaults.js'
import { validateRendererOptions } from './page-renderer/validate-renderer-options.js'

/** Login throttling (OWASP): per account and client IP, and per client IP, exponential delays. */
export interface RateLimitOptions {
  /** Failed logins for one account from one IP before delays start, default 5. */
  perAccountIp?: number
  /** Failed logins from one IP (any accounts) before delays start, default 100. */
  perIp?: number
  /** The first delay once a limit is reached; it doubles with each further failure. Default 1 s. */
  baseDelayMs?: number
  /** The longest delay, default 15 minutes. */
  maxDelayMs?: number
  /** Failures are forgotten this long after a key's last one, default 15 minutes. */
  windowMs?: number
}

/** Bounds on password hashing, so logins cannot take the server's threads. */
export interface HashingOptions {
  /** Hashes running at once, default 2 (libuv's pool has 4 threads; file reads need some). */
  concurrency?: number
  /** Work allowed to wait, in OWASP-strength hashes (cheaper hashes count less), default 8. */
  queue?: number
  /** Longest wait for a hashing slot before a 503, default 2000 ms. */
  waitMs?: number
}

export interface AppOptions {
  /** SQLite file path, or ':memory:' (default). A new file is created with mode 0600. */
  db?: string
  /** Redis URL for sessions and login throttling shared by several instances; users stay in SQLite. */
  redisUrl?: string
  /** Key prefix in Redis (default 'crosstalk:'): sessions under `sess:`, throttling under `attempt:`. */
  redisPrefix?: string
  ipc?: IpcMode
  fault?: FaultName
  /** Renderer children, default one per core. */
  renderers?: number
  /** Renderer children run with NODE_ENV=production. */
  production?: boolean
  /** Secure + __Host- cookies, HSTS and upgrade-insecure-requests: set when served over https. */
  secureCookies?: boolean
  sessionIdleMs?: number
  sessionAbsoluteMs?: number
  /** Login throttling; false turns it off. */
  rateLimit?: RateLimitOptions | false
  hashing?: HashingOptions
  /** The whole request, headers and body, must arrive within this (default 10 s), else 408. */
  requestTimeoutMs?: number
  /** The headers must arrive within this (default 5 s, at most requestTimeoutMs). */
  headersTimeoutMs?: number
  /** Simulated data loading in the renderer; the default depends on the switch (docs/faults.md). */
  renderDelayMs?: DelayRange
  /** Every N-th render of each renderer takes `ms`; the default depends on the switch. */
  slowRender?: SlowRender | false
  /** Per-render deadline; 2000 ms unless the switch sets its own (docs/faults.md). */
  renderTimeoutMs?: number
  /** Skip the renderedFor check. Defaults to true only with ipc 'naive' or a fault, so leaks show. */
  trustRenderer?: boolean
  logger?: boolean | object
  /** Behind a reverse proxy: take the client IP (throttling) and scheme from X-Forwarded-*. */
  trustProxy?: boolean
  /** Milliseconds since the epoch; inject a fake for timeout tests. */
  clock?: () => number
  /** Replaces createPageRenderer (tests of the server alone). */
  createRenderer?: (options: PageRendererOptions) => Promise<PageRenderer>
  /**
   * @crosstalk/guard on every signed-in response: 'block' (the default in the correlated mode),
   * 'report', or 'off' (the default with ipc 'naive' or a fault, so the leaks reach the client).
   * A Guard instance is used as is (a bench warms its registry first).
   */
  guard?: GuardMode | Guard
  /** Structured events: incidents such as 'render-mismatch', and the renderer's own log. */
  onEvent?: (event: string, fields: Record<string, unknown>) => void
}

export interface AppConfig {
  db: string
  redisUrl: string | undefined
  redisPrefix: string
  renderer: Omit<PageRendererOptions, 'log'>
  secureCookies: boolean
  sessionIdleMs: number
  sessionAbsoluteMs: number
  rateLimit: Required<RateLimitOptions> | false
  hashing: Required<HashingOptions>
  requestTimeoutMs: number
  headersTimeoutMs: number
  trustRenderer: boolean
  trustProxy: boolean
  guard: GuardMode | Guard
  clock: () => number
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback
  }
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new HomeBadOptionError(`${name} must be a positive integer, got ${String(value)}`)
  }
  return value
}

function resolveRateLimit(rl: RateLimitOptions | false | undefined): AppConfig['rateLimit'] {
  if (rl === false) {
    return false
  }
  const minute = 60_000
  const resolved = {
    perAccountIp: positiveInt('rateLimit.perAccountIp', rl?.perAccountIp, 5),
    perIp: positiveInt('rateLimit.perIp', rl?.perIp, 100),
    baseDelayMs: positiveInt('rateLimit.baseDelayMs', rl?.baseDelayMs, 1000),
    maxDelayMs: positiveInt('rateLimit.maxDelayMs', rl?.maxDelayMs, 15 * minute),
    windowMs: positiveInt('rateLimit.windowMs', rl?.windowMs, 15 * minute),
  }
  if (resolved.maxDelayMs < resolved.baseDelayMs || resolved.maxDelayMs > resolved.windowMs) {
    throw new HomeBadOptionError(
      'rateLimit.maxDelayMs must be between baseDelayMs and windowMs (a delay outlives no window)'
    )
  }
  return resolved
}

export function resolveConfig(options: AppOptions): AppConfig {
  validateRendererOptions({
    mode: options.ipc,
    slowRender: options.slowRender === false ? undefined : options.slowRender,
    fault: options.fault,
    renderers: options.renderers,
    renderDelayMs: options.renderDelayMs,
    renderTimeoutMs: options.renderTimeoutMs,
  })
  const ipc = options.ipc ?? 'correlated'
  const fault = options.fault
  const defaults = renderDefaults(ipc, fault)
  const slowRender =
    options.slowRender === false ? undefined : (options.slowRender ?? defaults.slowRender)
  const renderDelayMs = options.renderDelayMs ?? defaults.renderDelayMs
  const db = options.db ?? ':memory:'
  if (typeof db !== 'string' || db === '') {
    throw new HomeBadOptionError('db must be a file path or ":memory:"')
  }
  if (options.redisUrl !== undefined && !/^rediss?:\/\//.test(options.redisUrl)) {
    throw new HomeBadOptionError(`redisUrl must start with redis:// or rediss://`)
  }
  const requestTimeoutMs = positiveInt('requestTimeoutMs', options.requestTimeoutMs, 10_000)
  const headersTimeoutMs = positiveInt(
    'headersTimeoutMs',
    options.headersTimeoutMs,
    Math.min(5_000, requestTimeoutMs)
  )
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new HomeBadOptionError('headersTimeoutMs must be at most requestTimeoutMs')
  }
  const h = options.hashing
  return {
    db,
    redisUrl: options.redisUrl,
    redisPrefix: options.redisPrefix ?? 'crosstalk:',
    renderer: {
      mode: ipc,
      renderers: options.renderers ?? availableParallelism(),
      production: options.production ?? false,
      renderTimeoutMs: options.renderTimeoutMs ?? defaults.renderTimeoutMs,
      ...(fault === undefined ? {} : { fault }),
      ...(renderDelayMs === undefined ? {} : { renderDelayMs }),
      ...(slowRender === undefined ? {} : { slowRender }),
    },
    secureCookies: options.secureCookies ?? false,
    sessionIdleMs: positiveInt('sessionIdleMs', options.sessionIdleMs, 30 * 60_000),
    sessionAbsoluteMs: positiveInt('sessionAbsoluteMs', options.sessionAbsoluteMs, 8 * 3_600_000),
    rateLimit: resolveRateLimit(options.rateLimit),
    hashing: {
      concurrency: positiveInt('hashing.concurrency', h?.concurrency, 2),
      queue: positiveInt('hashing.queue', h?.queue, 8),
      waitMs: positiveInt('hashing.waitMs', h?.waitMs, 2000),
    },
    requestTimeoutMs,
    headersTimeoutMs,
    trustRenderer: options.trustRenderer ?? (ipc === 'naive' || fault !== undefined),
    trustProxy: options.trustProxy ?? false,
    guard: resolveGuard(options.guard, ipc === 'naive' || fault !== undefined),
    clock: options.clock ?? Date.now,
  }
}

const GUARD_MODES: readonly GuardMode[] = ['off', 'report', 'block']

function resolveGuard(guard: AppOptions['guard'], leaky: boolean): GuardMode | Guard {
  if (guard === undefined) {
    return leaky ? 'off' : 'block'
  }
  if (typeof guard === 'string' && !GUARD_MODES.includes(guard)) {
    throw new HomeBadOptionError(`guard must be one of ${GUARD_MODES.join(', ')}, got ${guard}`)
  }
  return guard
}
