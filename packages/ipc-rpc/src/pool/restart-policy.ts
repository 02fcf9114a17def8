export interface RestartPolicyOptions {
  /** Delay before the first respawn after a failure. */
  initialDelayMs: number
  /** Ceiling for the doubling delay. */
  maxDelayMs: number
  /** More failures than this within windowMs trips the breaker. */
  maxRestarts: number
  windowMs: number
}

export type RestartDecision = { kind: 'respawn'; delayMs: number } | { kind: 'trip' }

/**
 * Exponential backoff plus a crash-loop breaker, shared by the whole pool: a bad entry module
 * crashes every child, so failures are counted pool-wide in one sliding window.
 */
export class RestartPolicy {
  readonly #options: RestartPolicyOptions
  readonly #now: () => number
  #failures: number[] = []
  #tripped = false

  constructor(options: RestartPolicyOptions, now: () => number = Date.now) {
    this.#options = options
    this.#now = now
  }

  get tripped(): boolean {
    return this.#tripped
  }

  /** Failures still inside the window, i.e. what drives the backoff exponent. */
  recentFailures(): number {
    this.#prune()
    return this.#failures.length
  }

  /** Records one failure (unexpected exit, failed start, hung child) and says what to do next. */
  onFailure(): RestartDecision {
    if (this.#tripped) {
      return { kind: 'trip' }
    }
    this.#failures.push(this.#now())
    this.#prune()
    const count = this.#failures.length
    if (count > this.#options.maxRestarts) {
      this.#tripped = true
      return { kind: 'trip' }
    }
    // The exponent is the number of failures in the window, so a quiet window resets the backoff.
    const delay = this.#options.initialDelayMs * 2 ** (count - 1)
    return { kind: 'respawn', delayMs: Math.min(this.#options.maxDelayMs, delay) }
  }

  #prune(): void {
    const horizon = this.#now() - this.#options.windowMs
    while (this.#failures.length > 0 && (this.#failures[0] ?? 0) <= horizon) {
      this.#failures.shift()
    }
  }
}
