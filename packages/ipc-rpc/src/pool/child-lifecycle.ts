import {
  poolExitChannel,
  poolHealthChannel,
  poolRecycleChannel,
  poolSpawnChannel,
} from '../diagnostics.js'
import type { Api } from '../endpoint/types.js'
import { PoolClosedError, PoolFailingError } from '../errors.js'
import { PoolChild, type ChildExit, type ChildState } from './pool-child.js'
import type {
  PoolExitMessage,
  PoolHealth,
  PoolHealthMessage,
  PoolRecycleMessage,
  PoolSpawnMessage,
} from './pool-types.js'
import { recycleLimits } from './recycle.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'
import { RestartPolicy } from './restart-policy.js'
import { escalateStop, signal } from './stop-child.js'

export type SpawnReason = PoolSpawnMessage['reason']

/** How long a child told to go (disconnected) may take before SIGTERM, then SIGKILL. */
const GRACEFUL_STOP = { termAfterMs: 2_000, killAfterMs: 1_000 }
/** setTimeout's ceiling; a longer maxAgeMs would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Children's lives: spawn, ready handshake, respawn with backoff, crash-loop breaker, rolling
 * recycling, heartbeat and timeout stops, scale up/down, close and destroy. Call routing lives
 * in the subclass; this class only tells it when to pump, reject or count.
 */
export abstract class ChildLifecycle {
  protected readonly options: ResolvedPoolOptions<Api>
  protected readonly children: PoolChild[] = []
  protected restarts = 0
  protected recycled = 0
  protected closing = false
  readonly #policy: RestartPolicy
  #seq = 0
  /** failures not yet made good by a respawn; those respawns count as restarts */
  #owed = 0
  #backoffUntil = 0
  #backoffTimer: NodeJS.Timeout | undefined
  #droppedGone = 0
  #health: PoolHealth = 'degraded'
  #waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = []
  #closed: Promise<void> | undefined
  #deadline: NodeJS.Timeout | undefined

  constructor(options: ResolvedPoolOptions<Api>) {
    this.options = options
    this.#policy = new RestartPolicy(options.restart)
  }

  protected abstract pump(): void
  protected abstract queued(): number
  protected abstract rejectQueued(make: (method: string) => Error): void
  protected abstract rejectInFlight(make: (method: string) => Error): void
  protected abstract startHeartbeat(child: PoolChild): void

  protected start(): void {
    for (let i = 0; i < this.options.min; i++) {
      this.#spawn('initial')
    }
    this.#updateHealth()
  }

  get tripped(): boolean {
    return this.#policy.tripped
  }

  health(): PoolHealth {
    if (this.#policy.tripped) {
      return 'failing'
    }
    const ready = this.children.filter((c) => c.routable).length
    return ready >= this.options.min && this.#policy.recentFailures() === 0 ? 'healthy' : 'degraded'
  }

  ready(): Promise<void> {
    if (this.#policy.tripped) {
      return Promise.reject(new PoolFailingError())
    }
    if (this.closing) {
      return Promise.reject(new PoolClosedError())
    }
    if (this.#routable() >= this.options.min) {
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  protected droppedReplies(): number {
    let n = this.#droppedGone
    for (const c of this.children) {
      n += droppedOf(c)
    }
    return n
  }

  /** Children that count toward the size: a retiring child and its replacement count once. */
  #capacity(): number {
    let n = 0
    for (const c of this.children) {
      if (c.state === 'starting' || c.state === 'ready') {
        n++
      } else if (c.state === 'retiring' && c.replacement === undefined) {
        n++
      }
    }
    return n
  }

  #routable(): number {
    return this.children.filter((c) => c.routable).length
  }

  #spawn(reason: SpawnReason): PoolChild | undefined {
    let child: PoolChild
    try {
      child = new PoolChild(
        ++this.#seq,
        this.options,
        recycleLimits(this.options.recycle ?? { jitter: 0 })
      )
    } catch {
      // fork() itself threw (bad execArgv, EAGAIN): a failure like any other.
      this.#onFailure()
      return undefined
    }
    this.children.push(child)
    if (reason === 'restart') {
      this.restarts++
    }
    if (poolSpawnChannel.hasSubscribers) {
      const message: PoolSpawnMessage = {
        pool: this.options.name,
        pid: child.pid,
        seq: child.seq,
        reason,
      }
      poolSpawnChannel.publish(message)
    }
    void child.exited.then((exit) => this.#onExit(child, exit))
    child.handshake(this.options.startTimeoutMs).then(
      () => this.#onReady(child),
      () => this.#onStartFailed(child)
    )
    return child
  }

  /** Brings capacity back to min, but never before the backoff of the last failure ends. */
  #reconcile(): void {
    if (this.closing || this.#policy.tripped) {
      return
    }
    const wait = this.#backoffUntil - Date.now()
    if (wait > 0) {
      this.#backoffTimer ??= setTimeout(() => {
        this.#backoffTimer = undefined
        this.#reconcile()
      }, wait)
      return
    }
    while (this.#capacity() < this.options.min) {
      const owed = this.#owed > 0
      this.#owed = Math.max(0, this.#owed - 1)
      if (this.#spawn(owed ? 'restart' : 'replace') === undefined) {
        break
      }
    }
    this.#updateHealth()
  }

  #onReady(child: PoolChild): void {
    if (child.state !== 'starting') {
      return
    }
    if (this.closing) {
      this.#stopGracefully(child)
      return
    }
    child.state = 'ready'
    this.startHeartbeat(child)
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
    this.#updateHealth()
    this.pump()
    this.onChildIdle(child)
    this.#nextRecycle()
  }

  #onStartFailed(child: PoolChild): void {
    if (child.state !== 'starting') {
      return
    }
    child.state = 'stopping'
    signal(child.process, 'SIGKILL')
    this.#handBack(child)
    this.#onFailure()
  }

  /** A failing retiring child hands its place to its replacement, and the other way round. */
  #handBack(child: PoolChild): void {
    if (child.replacement !== undefined) {
      child.replacement.replaces = undefined
      child.replacement = undefined
    }
    const old = child.replaces
    if (old !== undefined) {
      child.replaces = undefined
      old.replacement = undefined
      if (old.state === 'retiring') {
        old.state = 'ready'
      }
    }
  }

  #onExit(child: PoolChild, exit: ChildExit): void {
    const before: ChildState = child.state
    child.state = 'exited'
    child.runCleanups()
    const i = this.children.indexOf(child)
    if (i >= 0) {
      this.children.splice(i, 1)
    }
    this.#droppedGone += droppedOf(child)
    child.endpoint.close()
    const unexpected = before === 'starting' || before === 'ready' || before === 'retiring'
    if (poolExitChannel.hasSubscribers) {
      const message: PoolExitMessage = {
        pool: this.options.name,
        pid: child.pid,
        seq: child.seq,
        code: exit.code,
        signal: exit.signal,
        state: before,
        unexpected,
        hungAfterMs: child.hungAfterMs,
      }
      poolExitChannel.publish(message)
    }
    if (unexpected) {
      this.#handBack(child)
      this.#onFailure()
    }
    this.#reconcile()
    this.#updateHealth()
    this.pump()
    this.#nextRecycle()
    if (!this.closing && this.#routable() === 0 && this.#capacity() === 0 && this.#policy.tripped) {
      this.rejectQueued((m) => new PoolFailingError(m))
    }
  }

  #onFailure(): void {
    if (this.closing) {
      return
    }
    const decision = this.#policy.onFailure()
    if (decision.kind === 'trip') {
      this.#trip()
      return
    }
    this.#owed++
    this.#backoffUntil = Math.max(this.#backoffUntil, Date.now() + decision.delayMs)
    this.#reconcile()
  }

  #trip(): void {
    clearTimeout(this.#backoffTimer)
    this.#backoffTimer = undefined
    this.rejectQueued((m) => new PoolFailingError(m))
    for (const w of this.#waiters.splice(0)) {
      w.reject(new PoolFailingError())
    }
    this.#updateHealth()
  }

  protected onHung(child: PoolChild, waitedMs: number): void {
    if (!child.alive || child.state === 'stopping') {
      return
    }
    child.hungAfterMs = waitedMs
    child.state = 'stopping'
    this.#handBack(child)
    // A blocked event loop cannot run a SIGTERM handler's cleanup anyway.
    signal(child.process, 'SIGKILL')
    this.#onFailure()
  }

  /** stopOnTimeout: cancel was sent by the endpoint; SIGTERM and SIGKILL follow on this child only. */
  protected stopForTimeout(child: PoolChild): void {
    const plan = this.options.stopOnTimeout
    if (plan === undefined || !child.routable) {
      return
    }
    child.state = 'stopping'
    this.#handBack(child)
    child.cleanups.push(
      escalateStop(child.process, child.exited, {
        disconnect: false,
        termAfterMs: plan.termGraceMs,
        killAfterMs: plan.killGraceMs,
      })
    )
    this.#reconcile()
  }

  protected startRecycle(child: PoolChild): void {
    if (child.state !== 'ready' || this.closing || this.#policy.tripped) {
      return
    }
    // One rolling replacement at a time keeps the extra load on the machine to one child.
    if (this.children.some((c) => c.state === 'retiring')) {
      return
    }
    child.state = 'retiring'
    const next = this.#spawn('recycle')
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
      this.#stopGracefully(child)
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
      if (this.#routable() > this.options.min) {
        child.state = 'draining'
        this.#stopGracefully(child)
      } else {
        this.#armIdle(child)
      }
    }, this.options.idleTimeoutMs)
    child.idleTimer.unref()
  }

  /** Adds a child (up to max) when every ready child is busy or calls are waiting. */
  protected maybeScaleUp(): void {
    if (this.closing || this.#policy.tripped || this.#capacity() >= this.options.max) {
      return
    }
    if (this.children.some((c) => c.state === 'starting') || Date.now() < this.#backoffUntil) {
      return
    }
    const ready = this.children.filter((c) => c.routable)
    if (this.queued() > 0 || ready.every((c) => c.inFlight > 0)) {
      this.#spawn('scale')
    }
  }

  #stopGracefully(child: PoolChild): void {
    if (!child.alive) {
      return
    }
    child.state = 'stopping'
    child.cleanups.push(
      escalateStop(child.process, child.exited, { disconnect: true, ...GRACEFUL_STOP })
    )
  }

  #updateHealth(): void {
    const next = this.health()
    if (next !== this.#health) {
      const from = this.#health
      this.#health = next
      if (poolHealthChannel.hasSubscribers) {
        const message: PoolHealthMessage = { pool: this.options.name, from, to: next }
        poolHealthChannel.publish(message)
      }
    }
    if (this.#routable() >= this.options.min) {
      for (const w of this.#waiters.splice(0)) {
        w.resolve()
      }
    }
  }

  close(timeoutMs: number): Promise<void> {
    if (this.#closed !== undefined) {
      return this.#closed
    }
    this.#beginClose('the pool is closed')
    for (const child of this.children) {
      if (child.state === 'starting' || child.inFlight === 0) {
        this.#stopGracefully(child)
      } else if (child.state !== 'stopping') {
        child.state = 'draining'
      }
    }
    this.#deadline = setTimeout(() => {
      this.rejectInFlight((m) => new PoolClosedError(m, 'the pool closed before the call finished'))
      for (const child of this.children) {
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
    this.rejectInFlight((m) => new PoolClosedError(m, 'the pool was destroyed'))
    for (const child of this.children) {
      child.state = 'stopping'
      signal(child.process, 'SIGKILL')
    }
    return this.#allExited()
  }

  #beginClose(detail: string): void {
    this.closing = true
    clearTimeout(this.#backoffTimer)
    this.#backoffTimer = undefined
    this.rejectQueued((m) => new PoolClosedError(m, detail))
    for (const w of this.#waiters.splice(0)) {
      w.reject(new PoolClosedError(undefined, detail))
    }
  }

  async #allExited(): Promise<void> {
    // Children can only leave the list from here on; none are spawned once closing is set.
    while (this.children.length > 0) {
      await Promise.all(this.children.map((c) => c.exited))
    }
  }
}

function droppedOf(child: PoolChild): number {
  const d = child.endpoint.stats().dropped
  return d.unknown + d.late + d.duplicate + d.malformed
}
