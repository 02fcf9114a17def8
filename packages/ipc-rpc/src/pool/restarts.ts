import type { Api } from '../endpoint/types.js'
import type { ChildFailure } from '../errors.js'
import type { HealthWatch } from './health-watch.js'
import type { PoolChild } from './pool-child.js'
import type { PoolSpawnMessage } from './pool-types.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'
import { RestartPolicy } from './restart-policy.js'

/** What the supervisor lends the restart logic. */
export interface RestartHost {
  readonly options: ResolvedPoolOptions<Api>
  readonly closing: boolean
  capacity(): number
  spawn(reason: PoolSpawnMessage['reason']): PoolChild | undefined
  /** the breaker opened: calls and ready() waiters fail */
  opened(): void
}

/**
 * Respawns after failures: exponential backoff, the crash-loop breaker (open, a cool-down, one
 * probe child) and bringing the pool back to min. The policy decides; this keeps its timers.
 */
export class Restarts {
  readonly #host: RestartHost
  readonly #health: HealthWatch
  readonly #policy: RestartPolicy
  /** failures not yet made good by a respawn; those respawns count as restarts */
  #owed = 0
  #backoffUntil = 0
  #backoffTimer: NodeJS.Timeout | undefined
  #coolDownTimer: NodeJS.Timeout | undefined
  /** what PoolFailingError reports */
  lastFailure: ChildFailure | undefined

  constructor(host: RestartHost, health: HealthWatch) {
    this.#host = host
    this.#health = health
    this.#policy = new RestartPolicy(host.options.restart)
  }

  get tripped(): boolean {
    return this.#policy.tripped
  }

  recentFailures(): number {
    return this.#policy.recentFailures()
  }

  inBackoff(): boolean {
    return Date.now() < this.#backoffUntil
  }

  /** A child passed its handshake: if it was the probe, the breaker closes and the pool regrows. */
  childReady(): void {
    if (this.#policy.state === 'half-open') {
      this.#policy.probeSucceeded()
      this.reconcile()
    }
  }

  /** Counts a failure and respawns after the backoff, or opens the breaker. */
  failed(failure: ChildFailure): void {
    this.lastFailure = failure
    if (this.#host.closing) {
      return
    }
    const decision = this.#policy.onFailure()
    if (decision.kind === 'trip') {
      this.#open()
      return
    }
    this.#owed++
    this.#backoffUntil = Math.max(this.#backoffUntil, Date.now() + decision.delayMs)
    this.#health.failed()
    this.reconcile()
  }

  /** Brings capacity back to min, but never before the backoff of the last failure ends. */
  reconcile(): void {
    const host = this.#host
    if (host.closing || this.#policy.tripped) {
      return
    }
    const wait = this.#backoffUntil - Date.now()
    if (wait > 0) {
      this.#backoffTimer ??= setTimeout(() => {
        this.#backoffTimer = undefined
        this.reconcile()
      }, wait)
      return
    }
    while (host.capacity() < host.options.min) {
      const owed = this.#owed > 0
      this.#owed = Math.max(0, this.#owed - 1)
      if (host.spawn(owed ? 'restart' : 'replace') === undefined) {
        break
      }
    }
    this.#health.update()
  }

  /** Clears every timer (the breaker opened, or the pool is closing). */
  cancel(): void {
    clearTimeout(this.#backoffTimer)
    this.#backoffTimer = undefined
    clearTimeout(this.#coolDownTimer)
    this.#coolDownTimer = undefined
    this.#health.cancel()
  }

  /** No restarts, calls fail; after the cool-down one probe child starts (half-open). */
  #open(): void {
    this.cancel()
    this.#host.opened()
    this.#coolDownTimer = setTimeout(() => {
      this.#coolDownTimer = undefined
      if (!this.#host.closing && this.#policy.beginProbe()) {
        this.#host.spawn('probe')
      }
    }, this.#policy.coolDownMs)
    // A failing pool with no children must not keep the process alive on its own.
    this.#coolDownTimer.unref()
  }
}
