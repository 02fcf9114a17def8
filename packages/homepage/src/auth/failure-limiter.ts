// Fixed-window counter of failed logins per key (an IP or an account). Only failures count, so a
// load test logging in many accounts with correct passwords from 127.0.0.1 is never throttled.

export interface FailureLimiterOptions {
  max: number
  windowMs: number
  clock: () => number
  /** Bound on tracked keys; expired windows are swept first, then the oldest are dropped. */
  maxKeys?: number
}

interface Window {
  count: number
  resetAt: number
}

export class FailureLimiter {
  readonly #windows = new Map<string, Window>()
  readonly #options: Required<FailureLimiterOptions>

  constructor(options: FailureLimiterOptions) {
    this.#options = { maxKeys: 100_000, ...options }
  }

  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfterMs(key: string): number {
    const w = this.#windows.get(key)
    const now = this.#options.clock()
    if (w === undefined || w.resetAt <= now) {
      return 0
    }
    return w.count >= this.#options.max ? w.resetAt - now : 0
  }

  recordFailure(key: string): void {
    const now = this.#options.clock()
    const w = this.#windows.get(key)
    if (w === undefined || w.resetAt <= now) {
      this.#sweep(now)
      this.#windows.set(key, { count: 1, resetAt: now + this.#options.windowMs })
    } else {
      w.count += 1
    }
  }

  reset(key: string): void {
    this.#windows.delete(key)
  }

  #sweep(now: number): void {
    if (this.#windows.size < this.#options.maxKeys) {
      return
    }
    for (const [k, w] of this.#windows) {
      if (w.resetAt <= now) {
        this.#windows.delete(k)
      }
    }
    // Still full: drop the oldest insertions (Map iterates in insertion order).
    for (const k of this.#windows.keys()) {
      if (this.#windows.size < this.#options.maxKeys) {
        break
      }
      this.#windows.delete(k)
    }
  }
}
