// The `load` section, optional as a whole and field by field: LOAD_DEFAULTS (documented in the
// README) fill what a scenario leaves out.
import { randomBytes } from 'node:crypto'
import * as v from 'valibot'
import { asDurationMs, duration, flag, nonEmpty, num, strict, oneOf } from './fields.js'
import type { Obj } from './problems.js'
import { describe, parseOrFail } from './problems.js'
import type { LoadOptions } from './types.js'

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

const deadline = (doc: string, fallback: string) =>
  v.optional(duration({ aboveZero: true, doc }), fallback)

export const loadSchema = strict(
  {
    vus: v.optional(
      num(
        { min: 1, max: 100_000, integer: true },
        'Virtual users, each with its own account; default one per account, at most 10'
      )
    ),
    duration: v.optional(
      duration({
        aboveZero: true,
        doc: 'How long the load phase runs (30s, 2m, 1m30s, 500ms or ms); default 30s unless iterations is set',
      })
    ),
    iterations: v.optional(
      num({ min: 1, integer: true }, 'Iterations per VU (closed model) or in total (open model)')
    ),
    rampUp: v.optional(
      duration({ aboveZero: false, doc: 'VU starts (or the arrival rate) spread over this time' }),
      0
    ),
    arrivalRate: v.optional(
      num({ min: 0.001 }, 'Open model: iterations started per second across all VUs')
    ),
    seed: v.optional(
      v.pipe(
        oneOf(
          [v.pipe(v.number(), v.finite()), nonEmpty()],
          (i) => `expected a string or a number, got ${describe(i.input)}`
        ),
        v.metadata({
          description:
            'Same seed, same account assignment and request order; default random, reported',
        }),
        v.transform(String)
      )
    ),
    shareConnections: v.optional(
      flag('One shared pool of load.connections sockets for all VUs (default one per VU)'),
      false
    ),
    connections: v.optional(
      num({ min: 1, integer: true }, 'Sockets of the shared pool; default vus')
    ),
    timeout: deadline(
      'Total deadline of one request, to the last byte of its body',
      LOAD_DEFAULTS.timeout
    ),
    loginTimeout: deadline('Deadline of the whole login phase', LOAD_DEFAULTS.loginTimeout),
    loginRetries: v.optional(
      num({ min: 0, max: 100, integer: true }, 'Retries of a failed login flow'),
      LOAD_DEFAULTS.loginRetries
    ),
    maxBodyBytes: v.optional(
      num({ min: 1024, integer: true }, 'Bodies are cut at this size before scanning'),
      LOAD_DEFAULTS.maxBodyBytes
    ),
  },
  'Load; optional as a whole and field by field'
)

export type LoadInput = v.InferOutput<typeof loadSchema>

/** The schema's output with the defaults that depend on the accounts and on each other. */
export function resolveLoad(o: LoadInput | undefined, accounts: number): LoadOptions {
  const given = o ?? parseOrFail(loadSchema, {})
  const vus = given.vus ?? Math.max(1, Math.min(accounts, LOAD_DEFAULTS.maxVus))
  return {
    vus,
    durationMs:
      given.duration ??
      (given.iterations === undefined
        ? asDurationMs(LOAD_DEFAULTS.duration, 'load.duration')
        : undefined),
    iterations: given.iterations,
    rampUpMs: given.rampUp,
    arrivalRate: given.arrivalRate,
    seed: given.seed ?? randomBytes(6).toString('hex'),
    shareConnections: given.shareConnections,
    connections: given.connections ?? vus,
    timeoutMs: given.timeout,
    loginTimeoutMs: given.loginTimeout,
    loginRetries: given.loginRetries,
    maxBodyBytes: given.maxBodyBytes,
  }
}

/** `load` (possibly absent) resolved against LOAD_DEFAULTS; `accounts` is the CSV's row count. */
export function parseLoad(value: unknown, path: string, accounts: number): LoadOptions {
  return resolveLoad(
    value === undefined ? undefined : parseOrFail(loadSchema, value, path),
    accounts
  )
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
