// createGuard() options, their defaults and validation. A bad option fails fast with
// GUARD_ERR_BAD_OPTION naming it.
import { GuardOptionError } from './errors.js'
import type { RegistryOptions } from './identity/registry.js'
import type { GuardLogger } from './report/log-line.js'

export type GuardMode = 'off' | 'report' | 'block'
export const GUARD_MODES: readonly GuardMode[] = ['off', 'report', 'block']

/** What happens to a response the guard cannot decide on: sent unchecked, or replaced by a 500. */
export type FailureMode = 'fail-open' | 'fail-closed'
const FAILURE_MODES: readonly FailureMode[] = ['fail-open', 'fail-closed']

/** A field whose values identify a user only where the page says it is an id (as in leak-hunter). */
export interface IdMarker {
  field: string
  /** JSON member names whose whole value is the id: `"userId": 104`. */
  json?: readonly string[]
  /** HTML attribute names whose whole value is the id: `data-user-id="104"`. */
  attributes?: readonly string[]
  /** Path segments the id follows: `users` for `/users/104`. */
  pathSegments?: readonly string[]
}

/** What on a response legitimately shows other users; matches wholly inside it count for nobody. */
export type AllowlistRule = { text: string } | { selector: string } | { json: string }

/** Which identity fields are markers, and how they are matched (as leak-hunter's `markers`). */
export interface MarkerOptions {
  /** Fields whose values identify a user anywhere on a page: displayName, email... */
  text?: readonly string[]
  /** Fields whose values count only where the page says they are an id: userId... */
  ids?: readonly IdMarker[]
  /** Free-text values shorter than this are ignored (default 3, as leak-hunter). */
  minLength?: number
  /** Match free-text markers ignoring case (default false, as leak-hunter). */
  caseInsensitive?: boolean
}

export interface GuardOptions {
  /** `block` (default): withhold leaking responses; `report`: send them and report; `off`. */
  mode?: GuardMode
  /** The identity fields that are markers (required: at least one text or id field). */
  markers: MarkerOptions
  /** Rules for every response; a Fastify route or a middleware may add its own (README). */
  allowlist?: readonly AllowlistRule[]
  /** Bounds of the registry of active identities. */
  registry?: Partial<RegistryOptions>
  /** How often expired identities are swept, ms (default min(ttlMs / 4, 60 s)). */
  sweepMs?: number
  /** Names of the cookies that carry a session: a Set-Cookie handing out another identity's session is a leak. */
  sessionCookies?: readonly string[]
  /**
   * Memory for each identity's last scan of each page, so its next body of that page is rescanned
   * only where it changed; 0 scans every body in full. Default 32 MiB.
   */
  scanCacheBytes?: number
  /** Bytes of a body held back in block mode (and scanned at once in report mode); default 1 MiB. */
  maxBufferBytes?: number
  /**
   * Whole bodies of at least this many bytes are scanned on a worker thread started with the
   * guard, so the event loop is not held for the scan (about 10 ms per MiB); smaller ones, for
   * which the hand-off costs more than it saves, stay on the event loop. false (default): every
   * body is scanned on the event loop (README).
   */
  threadBytes?: number | false
  /** Block mode, a body larger than maxBufferBytes: `fail-open` (default) or `fail-closed` (README). */
  overflow?: FailureMode
  /** Block mode, the guard itself fails on a response: `fail-closed` (default) or `fail-open`. */
  onError?: FailureMode
  /** Report mode: the share of personalised responses scanned, 0..1 (default 1). */
  sampleRate?: number
  /** Also scan responses without an identity: then every active identity's marker is foreign. */
  scanAnonymous?: boolean
  /** Where the one-line reports go (no marker values, no body bytes); false for none. */
  log?: GuardLogger | false
  /** The body a blocked response gets (text/plain), default "Internal Server Error\n". */
  blockedBody?: string
  /** Milliseconds since the epoch; inject a fake for registry tests. */
  clock?: () => number
  /** Returns a number in [0, 1): inject for sampling tests. */
  random?: () => number
}

export interface GuardConfig {
  mode: GuardMode
  markers: { text: string[]; ids: IdMarker[]; minLength: number; caseInsensitive: boolean }
  allowlist: AllowlistRule[]
  registry: RegistryOptions
  sweepMs: number
  sessionCookies: ReadonlySet<string>
  scanCacheBytes: number
  maxBufferBytes: number
  threadBytes: number | false
  overflow: FailureMode
  onError: FailureMode
  sampleRate: number
  scanAnonymous: boolean
  log: GuardLogger | false
  blockedBody: string
  clock: () => number
  random: () => number
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER
): number {
  if (value === undefined) {
    return fallback
  }
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new GuardOptionError(
      `${name} must be a positive integer (at most ${max}), got ${String(value)}`
    )
  }
  return value
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new GuardOptionError(`${name} must be an integer >= 0, got ${String(value)}`)
  }
  return value
}

function oneOf<T extends string>(
  name: string,
  value: T | undefined,
  names: readonly T[],
  fallback: T
): T {
  if (value === undefined) {
    return fallback
  }
  if (!names.includes(value)) {
    throw new GuardOptionError(`${name} must be one of ${names.join(', ')}, got ${String(value)}`)
  }
  return value
}

function names(name: string, value: readonly string[] | undefined): string[] {
  if (value === undefined) {
    return []
  }
  const list: readonly unknown[] = Array.isArray(value) ? value : []
  if (!Array.isArray(value) || list.some((v) => typeof v !== 'string' || v === '')) {
    throw new GuardOptionError(`${name} must be an array of non-empty strings`)
  }
  return list as string[]
}

export function resolveOptions(options: GuardOptions): GuardConfig {
  if (typeof options !== 'object' || options === null) {
    throw new GuardOptionError('options must be an object')
  }
  const mode = oneOf('mode', options.mode, GUARD_MODES, 'block')
  const sampleRate = options.sampleRate ?? 1
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) {
    throw new GuardOptionError(`sampleRate must be a number in 0..1, got ${String(sampleRate)}`)
  }
  if (mode === 'block' && sampleRate < 1) {
    throw new GuardOptionError(
      'sampleRate applies to report mode only: block mode checks every response'
    )
  }
  const r = options.registry ?? {}
  const ttlMs = positive('registry.ttlMs', r.ttlMs, 30 * 60_000)
  const markers = resolveMarkers(options.markers)
  const allowlist = [...(options.allowlist ?? [])]
  allowlist.forEach((rule, i) => {
    const ok =
      typeof rule === 'object' &&
      rule !== null &&
      Object.keys(rule).length === 1 &&
      (typeof (rule as { text?: unknown }).text === 'string' ||
        typeof (rule as { selector?: unknown }).selector === 'string' ||
        typeof (rule as { json?: unknown }).json === 'string')
    if (!ok) {
      throw new GuardOptionError(`allowlist[${i}] must be one of { text }, { selector }, { json }`)
    }
  })
  const log = options.log ?? false
  if (log !== false && (typeof log !== 'object' || typeof log.warn !== 'function')) {
    throw new GuardOptionError(
      'log must be false or an object with warn(fields, message) and error(fields, message)'
    )
  }
  const blockedBody = options.blockedBody ?? 'Internal Server Error\n'
  if (typeof blockedBody !== 'string') {
    throw new GuardOptionError('blockedBody must be a string')
  }
  return {
    mode,
    markers,
    allowlist,
    registry: {
      ttlMs,
      maxIdentities: positive('registry.maxIdentities', r.maxIdentities, 100_000, 10_000_000),
      maxBytes: positive('registry.maxBytes', r.maxBytes, 64 * 1024 * 1024),
    },
    sweepMs: positive('sweepMs', options.sweepMs, Math.min(Math.ceil(ttlMs / 4), 60_000)),
    sessionCookies: new Set(names('sessionCookies', options.sessionCookies)),
    scanCacheBytes: nonNegative('scanCacheBytes', options.scanCacheBytes, 32 * 1024 * 1024),
    maxBufferBytes: positive('maxBufferBytes', options.maxBufferBytes, 1024 * 1024, 1024 ** 3),
    threadBytes:
      options.threadBytes === undefined || options.threadBytes === false
        ? false
        : nonNegative('threadBytes', options.threadBytes, 0),
    overflow: oneOf('overflow', options.overflow, FAILURE_MODES, 'fail-open'),
    onError: oneOf('onError', options.onError, FAILURE_MODES, 'fail-closed'),
    sampleRate,
    scanAnonymous: options.scanAnonymous ?? false,
    log,
    blockedBody,
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
  }
}

function resolveMarkers(m: MarkerOptions | undefined): GuardConfig['markers'] {
  if (typeof m !== 'object' || m === null) {
    throw new GuardOptionError(
      'markers must be an object: { text: [fields], ids: [{ field, json, attributes, pathSegments }] }'
    )
  }
  const text = names('markers.text', m.text)
  const ids = (m.ids ?? []).map((spec, i) => {
    const at = `markers.ids[${i}]`
    if (
      typeof spec !== 'object' ||
      spec === null ||
      typeof spec.field !== 'string' ||
      spec.field === ''
    ) {
      throw new GuardOptionError(`${at}.field must be a non-empty string`)
    }
    const resolved = {
      field: spec.field,
      json: names(`${at}.json`, spec.json),
      attributes: names(`${at}.attributes`, spec.attributes),
      pathSegments: names(`${at}.pathSegments`, spec.pathSegments),
    }
    if (resolved.json.length + resolved.attributes.length + resolved.pathSegments.length === 0) {
      throw new GuardOptionError(
        `${at} ("${spec.field}") names no json field, attribute or path segment`
      )
    }
    return resolved
  })
  const all = [...text, ...ids.map((s) => s.field)]
  if (all.length === 0) {
    throw new GuardOptionError('markers: name at least one text or id field')
  }
  if (new Set(all).size !== all.length) {
    throw new GuardOptionError('markers: a field is listed twice (as text or as an id)')
  }
  return {
    text,
    ids,
    minLength: positive('markers.minLength', m.minLength, 3, 1024),
    caseInsensitive: m.caseInsensitive ?? false,
  }
}
