// A total deadline for every request. undici's own timeouts are idle timeouts (headers, then the
// gap between body chunks), so a body streamed a byte a second never ends by them. One sweep timer
// for all requests instead of a timer each. Requests in flight form a list in the order they were
// sent, so the oldest is first: a sweep looks only at the requests it ends, and one that settles
// leaves the list at once (nothing it holds outlives it, for the garbage collector's sake).

/** A request that can be ended from outside: it reports the error to whoever waits for it. */
export interface Expirable {
  /** Its response or failure has been delivered; nothing is left to end. */
  readonly settled: boolean
  /** performance.now() when it was sent. */
  readonly startedAt: number
  expire(error: Error): void
  /** The list's links; only RequestDeadlines touches them. */
  deadlinePrev: Expirable | undefined
  deadlineNext: Expirable | undefined
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
  #head: Expirable | undefined
  #tail: Expirable | undefined
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
    request.deadlinePrev = this.#tail
    request.deadlineNext = undefined
    if (this.#tail === undefined) {
      this.#head = request
    } else {
      this.#tail.deadlineNext = request
    }
    this.#tail = request
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.sweep(performance.now()), this.#sweepMs)
      // Never what keeps the process alive: a request in flight holds a socket that does.
      this.#timer.unref()
    }
  }

  /** Takes a settled request off the list (its owner calls this when it settles). */
  untrack(request: Expirable): void {
    const { deadlinePrev: prev, deadlineNext: next } = request
    if (prev === undefined) {
      if (this.#head !== request) {
        return
      }
      this.#head = next
    } else {
      prev.deadlineNext = next
    }
    if (next === undefined) {
      this.#tail = prev
    } else {
      next.deadlinePrev = prev
    }
    request.deadlinePrev = undefined
    request.deadlineNext = undefined
  }

  /** Ends the requests past their deadline: the oldest ones, from the head of the list. */
  sweep(now: number): void {
    const seconds = this.#timeoutMs / 1000
    let r = this.#head
    while (r !== undefined && now - r.startedAt >= this.#timeoutMs) {
      const next = r.deadlineNext
      this.untrack(r)
      if (!r.settled) {
        r.expire(new DeadlineError(`no complete response within ${seconds} s (load.timeout)`))
      }
      r = next
    }
    if (this.#head === undefined) {
      this.stop()
    }
  }

  /** Ends every request in flight now (the end of a phase), each with `error`. */
  expireAll(error: Error): void {
    let r = this.#head
    this.#head = undefined
    this.#tail = undefined
    this.stop()
    while (r !== undefined) {
      const next = r.deadlineNext
      r.deadlinePrev = undefined
      r.deadlineNext = undefined
      if (!r.settled) {
        r.expire(error)
      }
      r = next
    }
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
