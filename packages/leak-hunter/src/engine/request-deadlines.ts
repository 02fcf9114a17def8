// A total deadline for every request. undici's own timeouts are idle timeouts (headers, then the
// gap between body chunks), so a body streamed a byte a second never ends by them. One sweep timer
// for all requests instead of a timer each: a request costs an array push.

/** A request that can be ended from outside: it reports the error to whoever waits for it. */
export interface Expirable {
  /** Its response or failure has been delivered; nothing is left to end. */
  readonly settled: boolean
  /** performance.now() when it was sent. */
  readonly startedAt: number
  expire(error: Error): void
}

/** The error a request ends with when its deadline passes (code as Node's own timeouts). */
export class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT'
}

/** What requests still in flight end with when their phase ends (login deadline, end of run). */
export class PhaseEndError extends Error {}

export class RequestDeadlines {
  readonly #timeoutMs: number
  readonly #sweepMs: number
  #tracked: Expirable[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
    // A deadline fires at most a quarter of itself (and at most 250 ms) late.
    this.#sweepMs = Math.max(5, Math.min(250, timeoutMs / 4))
  }

  get sweepMs(): number {
    return this.#sweepMs
  }

  track(request: Expirable): void {
    this.#tracked.push(request)
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.sweep(performance.now()), this.#sweepMs)
      // Never what keeps the process alive: a request in flight holds a socket that does.
      this.#timer.unref()
    }
  }

  /** Ends requests past their deadline, forgets settled ones. */
  sweep(now: number): void {
    const kept: Expirable[] = []
    const seconds = this.#timeoutMs / 1000
    for (const r of this.#tracked) {
      if (r.settled) {
        continue
      }
      if (now - r.startedAt >= this.#timeoutMs) {
        r.expire(new DeadlineError(`no complete response within ${seconds} s (load.timeout)`))
      } else {
        kept.push(r)
      }
    }
    this.#tracked = kept
    if (kept.length === 0) {
      this.stop()
    }
  }

  /** Ends every request in flight now (the end of a phase), each with `error`. */
  expireAll(error: Error): void {
    const all = this.#tracked
    this.#tracked = []
    this.stop()
    for (const r of all) {
      if (!r.settled) {
        r.expire(error)
      }
    }
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
