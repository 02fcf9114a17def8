export interface RestartPolicyOptions {
  /** Delay before the first respawn after a failure. */
  initialDelayMs: number
  /** Ceiling for the doubling delay. */
  maxDelayMs: number
  /** More failures than this within windowMs trips the breaker. */
  maxRestarts: number
  windowMs: number
  /** How long a tripped breaker stays open before one probe child is started. */
  coolDownMs: number
}

export type RestartDecision = { kind: 'respawn'; delayMs: number } | { kind: 'trip' }

/** closed: children are restarted. open: no restarts, calls fail. half-open: one probe is starting. */
export type BreakerState = 'closed' | 'open' | 'half-open'

/**
 * Exponential backoff plus a crash-loop breaker, shared by the whole pool: a bad entry module
 * crashes every child, so failures are counted pool-wide in one sliding window. A tripped breaker
 * is open for coolDownMs, then lets one probe child start (half-open): its handshake closes the
 * breaker again with a clean window; its failure opens it for another cool-down.
 */
export class RestartPolicy {
  readonly #options: RestartPolicyOptions
  readonly #now: () => number
  #failures: number[] = []
  #state: BreakerState = 'closed'

  constructor(options: RestartPolicyOptions, now: () => number = Date.now) {
    this.#options = options
    this.#now = now
  }

  get state(): BreakerState {
    return this.#state
  }

  /** Open or half-open: the pool takes no calls. */
  get tripped(): boolean {
    return this.#state !== 'closed'
  }

  get coolDownMs(): number {
    return this.#options.coolDownMs
  }

  /** Failures still inside the window, i.e. what drives the backoff exponent. */
  recentFailures(): number {
    this.#prune()
    return this.#failures.length
  }

  /** Records one failure (unexpected exit, failed start, hung child) and says what to do next. */
  onFailure(): RestartDecision {
    if (this.#state !== 'closed') {
      // The probe failed (or a straggler of the crash loop ended): stay open for a new cool-down.
      this.#state = 'open'
      return { kind: 'trip' }
    }
    this.#failures.push(this.#now())
    this.#prune()
    const count = this.#failures.length
    if (count > this.#options.maxRestarts) {
      this.#state = 'open'
      return { kind: 'trip' }
    }
    // The exponent is the number of failures in the window, so a quiet window resets the backoff.
    const delay = this.#options.initialDelayMs * 2 ** (count - 1)
    return { kind: 'respawn', delayMs: Math.min(this.#options.maxDelayMs, delay) }
  }

  /** The cool-down is over: one probe child may start. False when not open. */
  beginProbe(): boolean {
    if (this.#state !== 'open') {
      return false
    }
    this.#state = 'half-open'
    return true
  }

  /** The probe passed its handshake: restarts resume with an empty window. */
  probeSucceeded(): void {
    if (this.#state === 'half-open') {
      this.#state = 'closed'
      this.#failures = []
    }
  }

  #prune(): void {
    const horizon = this.#now() - this.#options.windowMs
    while (this.#failures.length > 0 && (this.#failures[0] ?? 0) <= horizon) {
      this.#failures.shift()
    }
  }
}
