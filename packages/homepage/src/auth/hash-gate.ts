// Bounds password hashing: at most `concurrency` hashes run at once (scrypt runs on libuv's
// threads, which file reads and DNS need too), a short queue waits behind them, and beyond the
// queue or its wait the login is refused with 503 and Retry-After. The queue is measured in work
// (scrypt N*r*p), so thousands of cheap demo hashes fit where 8 OWASP-strength ones would.
import { HomeBusyError } from '../errors.js'

export interface HashGateOptions {
  concurrency: number
  /** Work allowed to wait, in the units of run()'s `work` (scrypt N*r*p). */
  maxQueuedWork: number
  waitMs: number
}

interface Waiter {
  cost: number
  start(): void
  timer: NodeJS.Timeout
}

export class HashGate {
  readonly #options: HashGateOptions
  readonly #waiting: Waiter[] = []
  #running = 0
  #queuedCost = 0

  constructor(options: HashGateOptions) {
    this.#options = options
  }

  /** Runs `work` when a slot is free; rejects with HOME_ERR_BUSY when it cannot wait. */
  async run<T>(cost: number, work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#options.concurrency) {
      await this.#wait(cost)
    } else {
      this.#running += 1
    }
    try {
      return await work()
    } finally {
      this.#release()
    }
  }

  #wait(cost: number): Promise<void> {
    if (this.#queuedCost + cost > this.#options.maxQueuedWork) {
      return Promise.reject(this.#busy())
    }
    this.#queuedCost += cost
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        cost,
        start: resolve,
        timer: setTimeout(() => {
          this.#waiting.splice(this.#waiting.indexOf(waiter), 1)
          this.#queuedCost -= cost
          reject(this.#busy())
        }, this.#options.waitMs),
      }
      this.#waiting.push(waiter)
    })
  }

  #release(): void {
    const next = this.#waiting.shift()
    if (next === undefined) {
      this.#running -= 1
      return
    }
    // The slot passes straight to the next waiter.
    clearTimeout(next.timer)
    this.#queuedCost -= next.cost
    next.start()
  }

  #busy(): HomeBusyError {
    return new HomeBusyError(
      'Too many sign-ins at once. Please try again in a moment.',
      Math.ceil(this.#options.waitMs / 1000)
    )
  }

  stats(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length }
  }
}
