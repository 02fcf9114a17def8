import { poolHealthChannel } from '../diagnostics.js'
import { MAX_TIMER_MS } from '../endpoint/validate-options.js'
import type { PoolHealth, PoolHealthMessage } from './pool-types.js'

/**
 * Publishes every change of the pool's health (pool:health) and settles ready() waiters: they
 * resolve once min children are up, or reject when the pool fails or closes first.
 */
export class HealthWatch {
  #last: PoolHealth = 'degraded'
  #waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = []
  /** re-checks health when the last failure leaves the window (degraded -> healthy) */
  #recheck: NodeJS.Timeout | undefined

  constructor(
    readonly pool: string,
    readonly windowMs: number,
    readonly compute: () => PoolHealth,
    readonly isUp: () => boolean
  ) {}

  update(): void {
    const next = this.compute()
    if (next !== this.#last) {
      const from = this.#last
      this.#last = next
      if (poolHealthChannel.hasSubscribers) {
        const message: PoolHealthMessage = { pool: this.pool, from, to: next }
        poolHealthChannel.publish(message)
      }
    }
    if (this.#waiters.length > 0 && this.isUp()) {
      for (const w of this.#waiters.splice(0)) {
        w.resolve()
      }
    }
  }

  /** A failure entered the window: health is looked at again when it has left. */
  failed(): void {
    clearTimeout(this.#recheck)
    this.#recheck = setTimeout(() => this.update(), Math.min(this.windowMs + 1, MAX_TIMER_MS))
    this.#recheck.unref()
  }

  waitReady(): Promise<void> {
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  rejectWaiters(error: Error): void {
    for (const w of this.#waiters.splice(0)) {
      w.reject(error)
    }
  }

  cancel(): void {
    clearTimeout(this.#recheck)
    this.#recheck = undefined
  }
}
