import { poolRecycleChannel } from '../diagnostics.js'
import type { Api } from '../endpoint/types.js'
import type { PoolChild } from './pool-child.js'
import type { PoolRecycleMessage, PoolSpawnMessage } from './pool-types.js'
import { replacementDue, type ReplacementDue } from './recycle.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'

/** What the supervisor lends the replacement planning. */
export interface ReplacementHost {
  readonly options: ResolvedPoolOptions<Api>
  readonly children: readonly PoolChild[]
  readonly closing: boolean
  readonly tripped: boolean
  spawn(reason: PoolSpawnMessage['reason']): PoolChild | undefined
  stopGracefully(child: PoolChild): void
  capacity(): number
  upCount(): number
  inBackoff(): boolean
  emit(event: 'gone', child: PoolChild): boolean
}

/**
 * Children the pool replaces or adds on purpose: rolling recycling (by age, and before a child
 * reaches its request cap), growing under load up to max and shrinking back to min when idle.
 */
export class Replacements {
  recycled = 0
  /** the last child's start-up (spawn to ready): how early a replacement must be started */
  startupMs = 1_000

  constructor(readonly host: ReplacementHost) {}

  /** A child passed its handshake: arm its age, and let the child it replaces drain. */
  ready(child: PoolChild): void {
    const age = child.limits.ageMs
    if (Number.isFinite(age)) {
      const timer = setTimeout(() => this.#replace(child, 'age'), age)
      timer.unref()
      child.cleanups.push(() => clearTimeout(timer))
    }
    const old = child.replaces
    if (old !== undefined) {
      child.replaces = undefined
      old.replacement = undefined
      if (old.state === 'retiring') {
        // Rolling replacement: the new child is up, so the old one stops taking calls now.
        const wasAccepting = old.accepting
        old.state = 'draining'
        this.recycled++
        if (poolRecycleChannel.hasSubscribers) {
          const message: PoolRecycleMessage = {
            pool: this.host.options.name,
            pid: old.pid,
            replacementPid: child.pid,
            served: old.served,
            ageMs: Date.now() - old.spawnedAt,
          }
          poolRecycleChannel.publish(message)
        }
        if (wasAccepting) {
          this.host.emit('gone', old)
        }
        this.idle(old)
      }
    }
    this.idle(child)
    this.#next()
  }

  /** A child left the pool: a child whose replacement died may need another one. */
  gone(): void {
    this.#next()
  }

  /** After each call sent to `child`: its cap and rate, and whether the pool should grow. */
  dispatched(child: PoolChild): void {
    if (child.idleTimer !== undefined) {
      clearTimeout(child.idleTimer)
      child.idleTimer = undefined
    }
    if (child.recycles && child.replacement === undefined) {
      this.#replace(child, this.#due(child, Date.now()))
    }
    this.scaleUp(false)
  }

  /** After a call settles on a child: stop it if it was draining, or arm scale-down. */
  idle(child: PoolChild): void {
    if (child.inFlight > 0) {
      return
    }
    if (child.state === 'draining') {
      this.host.stopGracefully(child)
      return
    }
    const { max, min } = this.host.options
    if (max > min && child.state === 'ready') {
      this.#armIdle(child)
    }
  }

  /** Adds a child (up to max) when every ready child is busy or calls are waiting. */
  scaleUp(callsWaiting: boolean): void {
    const host = this.host
    const { max, min } = host.options
    if (max === min || host.closing || host.tripped) {
      return
    }
    if (host.capacity() >= max || host.inBackoff()) {
      return
    }
    if (host.children.some((c) => c.state === 'starting')) {
      return
    }
    if (callsWaiting || host.children.every((c) => !c.accepting || c.inFlight > 0)) {
      host.spawn('scale')
    }
  }

  #due(child: PoolChild, now: number): ReplacementDue {
    return replacementDue(
      child.limits,
      child.dispatched,
      now - child.spawnedAt,
      now - child.readyAt,
      this.startupMs
    )
  }

  #replace(child: PoolChild, why: ReplacementDue): void {
    const host = this.host
    if (why === undefined || child.state !== 'ready' || child.replacement !== undefined) {
      return
    }
    if (host.closing || host.tripped) {
      return
    }
    // Replacements by age go one at a time, which keeps the extra load on the machine to one
    // child; one for the request cap cannot wait, or the old child would stop before it is up.
    if (why === 'age' && host.children.some((c) => c.state === 'retiring')) {
      return
    }
    child.state = 'retiring'
    const next = host.spawn('recycle')
    if (next === undefined) {
      child.state = 'ready'
      return
    }
    child.replacement = next
    next.replaces = child
  }

  #next(): void {
    const now = Date.now()
    for (const child of [...this.host.children]) {
      if (child.state === 'ready' && child.recycles) {
        this.#replace(child, this.#due(child, now))
      }
    }
  }

  /** Scale-down: an idle child above min is stopped; the check repeats while it stays idle. */
  #armIdle(child: PoolChild): void {
    if (child.idleTimer !== undefined) {
      return
    }
    child.idleTimer = setTimeout(() => {
      child.idleTimer = undefined
      if (child.state !== 'ready' || child.inFlight > 0 || this.host.closing) {
        return
      }
      // Only children that are up count here: a child still starting cannot take over yet.
      if (this.host.upCount() > this.host.options.min) {
        child.state = 'draining'
        this.host.emit('gone', child)
        this.host.stopGracefully(child)
      } else {
        this.#armIdle(child)
      }
    }, this.host.options.idleTimeoutMs)
    child.idleTimer.unref()
  }
}
