// The framework-neutral guard: the registry, the scanner, the decisions and their reporting. The
// adapters (http/, fastify/) move bytes; this decides what a response may carry and counts it.
import type {
  Body,
  BodyScan,
  BodyScanner,
  ForeignMatch,
  RouteAllowlist,
} from './detection/body-scanner.js'
import { isScannableType } from './detection/body-scanner.js'
import { GuardError, GuardInternalError } from './errors.js'
import type { ResolvedIdentity } from './identity/identity.js'
import { resolveIdentity } from './identity/identity.js'
import { IdentityRegistry } from './identity/registry.js'
import { cookieHash, requestCookies, setCookies } from './identity/session-cookies.js'
import type { AllowlistRule, FailureMode, GuardConfig } from './options.js'
import type {
  LeakAction,
  LeakMessage,
  LeakReason,
  ResponseRef,
  UncheckedMessage,
} from './report/diagnostics.js'
import { errorChannel, leakChannel, uncheckedChannel } from './report/diagnostics.js'
import { errorLine, leakFields, leakLine, uncheckedLine } from './report/log-line.js'
import type { GuardCounters, GuardStats } from './report/stats.js'
import { copyCounters, newCounters } from './report/stats.js'

/** Who one response is for, and what was asked of it. */
export interface Subject {
  identity: ResolvedIdentity | undefined
  expectOwner: boolean
  /** The route's own allowlist (with the guard's), if it has one. */
  allowlist: RouteAllowlist | undefined
}

/** What the adapters know of a response once its head is final. */
export interface ResponseHead extends ResponseRef {
  header(name: string): number | string | readonly string[] | undefined
}

export interface HeadPlan {
  /** Scan the body. */
  scan: boolean
  /** Leaks already found in the head (a foreign session cookie). */
  reasons: LeakReason[]
}

export interface BodyVerdict {
  reasons: LeakReason[]
  foreign: readonly ForeignMatch[]
}

const NO_REASONS: LeakReason[] = []
const NO_FOREIGN: readonly ForeignMatch[] = Object.freeze([])
const CLEAN: BodyVerdict = Object.freeze({ reasons: NO_REASONS, foreign: NO_FOREIGN })

export class GuardCore {
  readonly config: GuardConfig
  readonly registry: IdentityRegistry
  readonly #scanner: BodyScanner
  readonly #counters: GuardCounters = newCounters()
  /** Route allowlists by their rules array: compiled once, on first use or at route registration. */
  readonly #routeAllowlists = new WeakMap<readonly AllowlistRule[], RouteAllowlist>()
  readonly #sweep: NodeJS.Timeout
  #closed = false

  constructor(config: GuardConfig, scanner: BodyScanner) {
    this.config = config
    this.#scanner = scanner
    this.registry = new IdentityRegistry(config.registry, {
      set: (identity) => scanner.set(identity),
      delete: (id) => scanner.delete(id),
    })
    this.#sweep = setInterval(() => this.registry.sweep(config.clock()), config.sweepMs)
    this.#sweep.unref()
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Validates what identify() returned, marks it active and learns its session cookies. */
  admit(
    identified: unknown,
    expectOwner: boolean,
    cookieHeader: string | undefined,
    allowlist?: readonly AllowlistRule[]
  ): Subject {
    const identity = resolveIdentity(identified)
    if (identity !== undefined && !this.#closed) {
      this.registry.touch(identity, this.config.clock())
      for (const value of requestCookies(cookieHeader, this.config.sessionCookies)) {
        this.registry.holdCookie(identity.id, cookieHash(value))
      }
    }
    return {
      identity,
      expectOwner,
      allowlist: allowlist === undefined ? undefined : this.routeAllowlist(allowlist, 'allowlist'),
    }
  }

  /** A route's rules compiled with the guard's (once per rules array); GuardOptionError naming `where`. */
  routeAllowlist(rules: readonly AllowlistRule[], where: string): RouteAllowlist {
    let compiled = this.#routeAllowlists.get(rules)
    if (compiled === undefined) {
      compiled = this.#scanner.allowlist(rules, where)
      this.#routeAllowlists.set(rules, compiled)
    }
    return compiled
  }

  /** Checks the head (Set-Cookie) and decides whether the body is scanned; counts the response. */
  head(subject: Subject, head: ResponseHead): HeadPlan {
    this.#counters.responses++
    const reasons = this.#cookieLeaks(subject, head)
    const c = this.#counters.skipped
    let scan = false
    if (head.method === 'HEAD' || head.status === 204 || head.status === 304 || head.status < 200) {
      c.noBody++
    } else if (subject.identity === undefined && !this.config.scanAnonymous) {
      c.anonymous++
    } else if (!isScannableType(headerText(head.header('content-type')))) {
      c.type++
    } else if (
      this.config.mode === 'report' &&
      this.config.sampleRate < 1 &&
      this.config.random() >= this.config.sampleRate
    ) {
      c.sampledOut++
    } else {
      scan = true
    }
    return { scan, reasons }
  }

  /** The encoding that makes a body unscannable here (compressed upstream), if any. */
  encodingOf(head: ResponseHead): string | undefined {
    const encoding = headerText(head.header('content-encoding'))?.trim().toLowerCase()
    return encoding === undefined || encoding === '' || encoding === 'identity'
      ? undefined
      : encoding
  }

  /** Scans one window of a body for the subject. */
  scanWindow(subject: Subject, head: ResponseHead, body: Body): BodyScan {
    this.#counters.scanned++
    return this.#scanner.scan(
      body,
      headerText(head.header('content-type')),
      subject.identity?.id,
      undefined,
      subject.allowlist
    )
  }

  /** Scans a whole body for the subject: on the scan thread when the scanner takes it there. */
  scanBody(subject: Subject, head: ResponseHead, body: Body): BodyScan | Promise<BodyScan> {
    this.#counters.scanned++
    const page = `${head.method} ${head.path}`
    const contentType = headerText(head.header('content-type'))
    const owner = subject.identity?.id
    return (
      this.#scanner.offload?.(body, contentType, owner, page, subject.allowlist) ??
      this.#scanner.scan(body, contentType, owner, page, subject.allowlist)
    )
  }

  /** What a body's scan (or its windows' together) means for this response. */
  verdict(subject: Subject, head: ResponseRef, scan: BodyScan): BodyVerdict {
    const missing =
      subject.expectOwner &&
      subject.identity !== undefined &&
      !scan.ownerSeen &&
      head.status >= 200 &&
      head.status < 300
    if (scan.foreign.length === 0 && !missing) {
      return CLEAN
    }
    const reasons: LeakReason[] = []
    if (scan.foreign.length > 0) {
      reasons.push('foreign-identity')
    }
    if (missing) {
      reasons.push('owner-missing')
    }
    return { reasons, foreign: scan.foreign }
  }

  /** Records a leaking response: counters, the leak channel, one log line. */
  leak(
    subject: Subject,
    head: ResponseRef,
    reasons: readonly LeakReason[],
    foreign: readonly ForeignMatch[],
    action: LeakAction
  ): void {
    const c = this.#counters
    c.leaks++
    c[action]++
    for (const r of new Set(reasons)) {
      c.reasons[r]++
    }
    const message: LeakMessage = {
      mode: this.config.mode === 'block' ? 'block' : 'report',
      action,
      reasons: [...new Set(reasons)],
      owner: subject.identity?.id,
      foreign: groupForeign(foreign),
      method: head.method,
      path: head.path,
      status: head.status,
    }
    if (leakChannel.hasSubscribers) {
      leakChannel.publish(message)
    }
    this.#log('warn', leakFields(message), leakLine(message))
  }

  /** A body that cannot be checked: counts it and says whether to fail open or closed. */
  unchecked(subject: Subject, head: ResponseRef, reason: 'overflow' | 'encoded'): FailureMode {
    this.#counters.unchecked[reason]++
    const policy =
      this.config.mode !== 'block'
        ? 'fail-open'
        : reason === 'overflow'
          ? this.config.overflow
          : this.config.onError
    this.#counters[policy === 'fail-open' ? 'failedOpen' : 'failedClosed']++
    const message: UncheckedMessage = {
      reason,
      action: policy === 'fail-open' ? 'failed-open' : 'failed-closed',
      owner: subject.identity?.id,
      method: head.method,
      path: head.path,
      status: head.status,
    }
    if (uncheckedChannel.hasSubscribers) {
      uncheckedChannel.publish(message)
    }
    const code = reason === 'encoded' ? 'GUARD_ERR_ENCODED_BODY' : 'GUARD_ERR_OVERFLOW'
    this.#log('warn', { guard: { event: 'unchecked', code, ...message } }, uncheckedLine(message))
    return policy
  }

  /** The guard failed on a response: counts it and says whether to fail open or closed. */
  failure(head: ResponseRef, err: unknown): FailureMode {
    const error =
      err instanceof GuardError
        ? err
        : new GuardInternalError('the guard failed on a response', { cause: err })
    const policy = this.config.mode === 'block' ? this.config.onError : 'fail-open'
    this.#counters.errors++
    this.#counters[policy === 'fail-open' ? 'failedOpen' : 'failedClosed']++
    const message = {
      error,
      action: policy === 'fail-open' ? ('failed-open' as const) : ('failed-closed' as const),
      ...ref(head),
    }
    if (errorChannel.hasSubscribers) {
      errorChannel.publish(message)
    }
    // The cause may be a detector error: its message carries no body, but log the code only.
    this.#log(
      'error',
      { guard: { event: 'error', code: error.code, action: message.action, ...ref(head) } },
      errorLine(message)
    )
    return policy
  }

  stats(): GuardStats {
    return {
      ...copyCounters(this.#counters),
      mode: this.config.mode,
      identities: this.registry.size,
      registryBytes: this.registry.bytes,
      evicted: { ...this.registry.evicted },
      index: this.#scanner.stats(),
    }
  }

  flush(): Promise<void> {
    return this.#scanner.flush()
  }

  close(): void {
    if (this.#closed) {
      return
    }
    this.#closed = true
    clearInterval(this.#sweep)
    this.#scanner.close()
  }

  /** Session cookies this response sets that another identity holds; learns the owner's own. */
  #cookieLeaks(subject: Subject, head: ResponseHead): LeakReason[] {
    const names = this.config.sessionCookies
    if (names.size === 0) {
      return NO_REASONS
    }
    const set = setCookies(head.header('set-cookie'), names)
    if (set.length === 0) {
      return NO_REASONS
    }
    const owner = subject.identity?.id
    let leak = false
    for (const { value } of set) {
      const hash = cookieHash(value)
      const holder = this.registry.cookieOwner(hash)
      if (holder !== undefined && holder !== owner) {
        leak = true
      } else if (holder === undefined && owner !== undefined) {
        this.registry.holdCookie(owner, hash)
      }
    }
    return leak ? ['foreign-session-cookie'] : NO_REASONS
  }

  #log(level: 'warn' | 'error', fields: object, line: string): void {
    const log = this.config.log
    if (log === false) {
      return
    }
    try {
      log[level](fields, line)
    } catch {
      // A broken logger must not break the response.
    }
  }
}

function ref(head: ResponseRef): ResponseRef {
  return { method: head.method, path: head.path, status: head.status }
}

export function headerText(
  value: number | string | readonly string[] | undefined
): string | undefined {
  if (value === undefined) {
    return undefined
  }
  return typeof value === 'string'
    ? value
    : typeof value === 'number'
      ? String(value)
      : value.join(', ')
}

function groupForeign(foreign: readonly ForeignMatch[]): Array<{ id: string; fields: string[] }> {
  const byId = new Map<string, Set<string>>()
  for (const f of foreign) {
    let fields = byId.get(f.id)
    if (fields === undefined) {
      fields = new Set()
      byId.set(f.id, fields)
    }
    fields.add(f.field)
  }
  return [...byId].map(([id, fields]) => ({ id, fields: [...fields] }))
}

/** The path of a request URL without its query string. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) {
    return '/'
  }
  const q = url.search(/[?#]/)
  return q < 0 ? url : url.slice(0, q)
}
