import { poolRecycleChannel } from '../diagnostics.js'
import { PoolClosedError } from '../errors.js'
import { ChildSupervisor } from './child-supervisor.js'
import type { PoolChild } from './pool-child.js'
import type { PoolRecycleMessage } from './pool-types.js'
import { escalateStop, signal } from './stop-child.js'

/** setTimeout's ceiling; a longer maxAgeMs would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * What the pool does to children on purpose: rolling recycling, replacing hung children and
 * those whose call timed out, scaling between min and max, close and destroy.
 */
export abstract class ChildLifecycle extends ChildSupervisor {
  protected recycled = 0
  #closed: Promise<void> | undefined
  #deadline: NodeJS.Timeout | undefined

  protected abstract queued(): number
  /** set once closing: why calls cut short by the pool now fail (RPC_ERR_POOL_CLOSED) */
  protected closeDetail: string | undefined

  protected override childReady(child: PoolChild): void {
    const age = child.limits.ageMs
    if (Number.isFinite(age)) {
      const timer = setTimeout(() => this.startRecycle(child), Math.min(age, MAX_TIMER_MS))
      timer.unref()
      child.cleanups.push(() => clearTimeout(timer))
    }
    const old = child.replaces
    if (old !== undefined) {
      child.replaces = undefined
      old.replacement = undefined
      if (old.state === 'retiring') {
        // Rolling replacement: the new child is up, so the old one stops taking calls now.
        old.state = 'draining'
        this.recycled++
        if (poolRecycleChannel.hasSubscribers) {
          const message: PoolRecycleMessage = {
            pool: this.options.name,
            pid: old.pid,
            replacementPid: child.pid,
            served: old.served,
            ageMs: Date.now() - old.spawnedAt,
          }
          poolRecycleChannel.publish(message)
        }
        this.onChildIdle(old)
      }
    }
    this.pump()
    this.onChildIdle(child)
    this.#nextRecycle()
  }

  protected override childGone(): void {
    this.pump()
    this.#nextRecycle()
  }

  protected onHung(child: PoolChild, waitedMs: number): void {
    if (!child.alive || child.state === 'stopping') {
      return
    }
    child.hungAfterMs = waitedMs
    child.state = 'stopping'
    child.handBack()
    // A blocked event loop cannot run a SIGTERM handler's cleanup anyway.
    signal(child.process, 'SIGKILL')
    this.onFailure()
  }

  /** stopOnTimeout: cancel was sent by the endpoint; SIGTERM and SIGKILL follow on this child only. */
  protected stopForTimeout(child: PoolChild): void {
    const plan = this.options.stopOnTimeout
    if (plan === undefined || !child.routable) {
      return
    }
    child.state = 'stopping'
    child.handBack()
    child.cleanups.push(
      escalateStop(child.process, child.exited, {
        disconnect: false,
        termAfterMs: plan.termGraceMs,
        killAfterMs: plan.killGraceMs,
      })
    )
    // A deliberate stop, not a failure: the replacement starts now, without backoff.
    this.reconcile()
  }

  protected startRecycle(child: PoolChild): void {
    if (child.state !== 'ready' || this.closing || this.tripped) {
      return
    }
    // One rolling replacement at a time keeps the extra load on the machine to one child.
    if (this.children.some((c) => c.state === 'retiring')) {
      return
    }
    child.state = 'retiring'
    const next = this.spawn('recycle')
    if (next === undefined) {
      child.state = 'ready'
      return
    }
    child.replacement = next
    next.replaces = child
  }

  #nextRecycle(): void {
    const now = Date.now()
    const due = this.children.find(
      (c) =>
        c.state === 'ready' &&
        (c.dispatched >= c.limits.requests || now - c.spawnedAt >= c.limits.ageMs)
    )
    if (due !== undefined) {
      this.startRecycle(due)
    }
  }

  /** After a call settles on a child: stop it if it was draining, or arm scale-down. */
  protected onChildIdle(child: PoolChild): void {
    if (child.inFlight > 0) {
      return
    }
    if (child.state === 'draining') {
      this.stopGracefully(child)
      return
    }
    if (this.options.max > this.options.min && child.state === 'ready') {
      this.#armIdle(child)
    }
  }

  /** Scale-down: an idle child above min is stopped; the check repeats while it stays idle. */
  #armIdle(child: PoolChild): void {
    if (child.idleTimer !== undefined) {
      return
    }
    child.idleTimer = setTimeout(() => {
      child.idleTimer = undefined
      if (child.state !== 'ready' || child.inFlight > 0 || this.closing) {
        return
      }
      // Only ready children count here: a child still starting cannot take over yet.
      if (this.routableCount() > this.options.min) {
        child.state = 'draining'
        this.stopGracefully(child)
      } else {
        this.#armIdle(child)
      }
    }, this.options.idleTimeoutMs)
    child.idleTimer.unref()
  }

  /** Adds a child (up to max) when every ready child is busy or calls are waiting. */
  protected maybeScaleUp(): void {
    if (this.options.max === this.options.min || this.closing || this.tripped) {
      return
    }
    if (this.capacity() >= this.options.max || this.inBackoff()) {
      return
    }
    if (this.children.some((c) => c.state === 'starting')) {
      return
    }
    if (this.queued() > 0 || this.children.every((c) => !c.routable || c.inFlight > 0)) {
      this.spawn('scale')
    }
  }

  close(timeoutMs: number): Promise<void> {
    if (this.#closed !== undefined) {
      return this.#closed
    }
    this.#beginClose('the pool is closed')
    for (const child of this.children) {
      if (child.state === 'starting' || child.inFlight === 0) {
        this.stopGracefully(child)
      } else if (child.state !== 'stopping') {
        child.state = 'draining'
      }
    }
    this.#deadline = setTimeout(() => {
      this.closeDetail = 'the pool closed before the call finished'
      for (const child of this.children) {
        // Rejects what is still in flight there at once; the child is stopped right after.
        child.endpoint.close(new PoolClosedError(undefined, this.closeDetail))
        child.runCleanups()
        child.cleanups.push(
          escalateStop(child.process, child.exited, {
            disconnect: true,
            termAfterMs: 0,
            killAfterMs: 1_000,
          })
        )
      }
    }, timeoutMs)
    this.#closed = this.#allExited().then(() => clearTimeout(this.#deadline))
    return this.#closed
  }

  destroy(): Promise<void> {
    clearTimeout(this.#deadline)
    if (!this.closing) {
      this.#beginClose('the pool was destroyed')
    }
    this.closeDetail = 'the pool was destroyed'
    for (const child of this.children) {
      child.state = 'stopping'
      child.endpoint.close(new PoolClosedError(undefined, this.closeDetail))
      signal(child.process, 'SIGKILL')
    }
    return this.#allExited()
  }

  #beginClose(detail: string): void {
    this.closing = true
    this.closeDetail = detail
    this.cancelBackoff()
    this.rejectQueued((m) => new PoolClosedError(m, detail))
    this.rejectWaiters(new PoolClosedError(undefined, detail))
  }

  async #allExited(): Promise<void> {
    // Children can only leave the list from here on; none are spawned once closing is set.
    while (this.children.length > 0) {
      await Promise.all(this.children.map((c) => c.exited))
    }
  }
}
