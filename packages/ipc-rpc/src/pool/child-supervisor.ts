import { poolExitChannel, poolHealthChannel, poolSpawnChannel } from '../diagnostics.js'
import type { Api } from '../endpoint/types.js'
import { PoolClosedError, PoolFailingError } from '../errors.js'
import { PoolChild, type ChildExit, type ChildState } from './pool-child.js'
import type {
  PoolExitMessage,
  PoolHealth,
  PoolHealthMessage,
  PoolSpawnMessage,
} from './pool-types.js'
import { recycleLimits } from './recycle.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'
import { RestartPolicy } from './restart-policy.js'
import { escalateStop, signal } from './stop-child.js'

export type SpawnReason = PoolSpawnMessage['reason']

/** How long a child told to go (disconnected) may take before SIGTERM, then SIGKILL. */
const GRACEFUL_STOP = { termAfterMs: 2_000, killAfterMs: 1_000 }

/**
 * Keeps min children alive: spawn, ready handshake, respawn with exponential backoff, the
 * crash-loop breaker and the pool's health. Subclasses add recycling, scaling and shutdown
 * (ChildLifecycle) and call routing (PoolCore) through the protected hooks.
 */
export abstract class ChildSupervisor {
  protected readonly options: ResolvedPoolOptions<Api>
  protected readonly children: PoolChild[] = []
  protected restarts = 0
  protected closing = false
  readonly #policy: RestartPolicy
  #seq = 0
  /** failures not yet made good by a respawn; those respawns count as restarts */
  #owed = 0
  #backoffUntil = 0
  #backoffTimer: NodeJS.Timeout | undefined
  /** re-checks health when the last failure leaves the window (degraded -> healthy) */
  #healthTimer: NodeJS.Timeout | undefined
  #droppedGone = 0
  #health: PoolHealth = 'degraded'
  #waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = []

  constructor(options: ResolvedPoolOptions<Api>) {
    this.options = options
    this.#policy = new RestartPolicy(options.restart)
  }

  /** dispatch queued calls to children that have room */
  protected abstract pump(): void
  protected abstract rejectQueued(make: (method: string) => Error): void
  protected abstract startHeartbeat(child: PoolChild): void
  /** a child passed its handshake and takes calls */
  protected abstract childReady(child: PoolChild): void
  /** a child left the pool (any reason) */
  protected abstract childGone(child: PoolChild): void

  protected start(): void {
    for (let i = 0; i < this.options.min; i++) {
      this.spawn('initial')
    }
    this.updateHealth()
  }

  get tripped(): boolean {
    return this.#policy.tripped
  }

  /** failing: breaker tripped. degraded: fewer than min ready, or a failure in the window. */
  health(): PoolHealth {
    if (this.#policy.tripped) {
      return 'failing'
    }
    return this.routableCount() >= this.options.min && this.#policy.recentFailures() === 0
      ? 'healthy'
      : 'degraded'
  }

  ready(): Promise<void> {
    if (this.#policy.tripped) {
      return Promise.reject(new PoolFailingError())
    }
    if (this.closing) {
      return Promise.reject(new PoolClosedError())
    }
    if (this.routableCount() >= this.options.min) {
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  protected droppedReplies(): number {
    let n = this.#droppedGone
    for (const c of this.children) {
      n += c.droppedReplies()
    }
    return n
  }

  protected inBackoff(): boolean {
    return Date.now() < this.#backoffUntil
  }

  /** Children that count toward the size: a retiring child and its replacement count once. */
  protected capacity(): number {
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

  protected routableCount(): number {
    let n = 0
    for (const c of this.children) {
      n += c.routable ? 1 : 0
    }
    return n
  }

  protected spawn(reason: SpawnReason): PoolChild | undefined {
    let child: PoolChild
    try {
      const limits = recycleLimits(this.options.recycle ?? { jitter: 0 })
      child = new PoolChild(++this.#seq, this.options, limits)
    } catch {
      // fork() itself threw (bad execArgv, EAGAIN): a failure like any other.
      this.onFailure()
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
  protected reconcile(): void {
    if (this.closing || this.#policy.tripped) {
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
    while (this.capacity() < this.options.min) {
      const owed = this.#owed > 0
      this.#owed = Math.max(0, this.#owed - 1)
      if (this.spawn(owed ? 'restart' : 'replace') === undefined) {
        break
      }
    }
    this.updateHealth()
  }

  #onReady(child: PoolChild): void {
    if (child.state !== 'starting') {
      return
    }
    if (this.closing) {
      this.stopGracefully(child)
      return
    }
    child.state = 'ready'
    this.startHeartbeat(child)
    this.childReady(child)
    this.updateHealth()
  }

  #onStartFailed(child: PoolChild): void {
    if (child.state !== 'starting') {
      return
    }
    child.state = 'stopping'
    signal(child.process, 'SIGKILL')
    child.handBack()
    this.onFailure()
  }

  #onExit(child: PoolChild, exit: ChildExit): void {
    const before: ChildState = child.state
    child.state = 'exited'
    child.runCleanups()
    const i = this.children.indexOf(child)
    if (i >= 0) {
      this.children.splice(i, 1)
    }
    this.#droppedGone += child.droppedReplies()
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
      child.handBack()
      this.onFailure()
    }
    this.reconcile()
    this.updateHealth()
    this.childGone(child)
  }

  /** Counts a failure (exit, failed start, hang) and respawns after the backoff, or trips. */
  protected onFailure(): void {
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
    clearTimeout(this.#healthTimer)
    this.#healthTimer = setTimeout(() => this.updateHealth(), this.options.restart.windowMs + 1)
    this.#healthTimer.unref()
    this.reconcile()
  }

  #trip(): void {
    this.cancelBackoff()
    this.rejectQueued((m) => new PoolFailingError(m))
    this.rejectWaiters(new PoolFailingError())
    this.updateHealth()
  }

  /** Clears the respawn and health timers (trip, close). */
  protected cancelBackoff(): void {
    clearTimeout(this.#backoffTimer)
    this.#backoffTimer = undefined
    clearTimeout(this.#healthTimer)
    this.#healthTimer = undefined
  }

  protected rejectWaiters(error: Error): void {
    for (const w of this.#waiters.splice(0)) {
      w.reject(error)
    }
  }

  /** Disconnects the child so an idle serve() exits by itself; SIGTERM, SIGKILL if it does not. */
  protected stopGracefully(child: PoolChild): void {
    if (!child.alive) {
      return
    }
    child.state = 'stopping'
    child.cleanups.push(
      escalateStop(child.process, child.exited, { disconnect: true, ...GRACEFUL_STOP })
    )
  }

  protected updateHealth(): void {
    const next = this.health()
    if (next !== this.#health) {
      const from = this.#health
      this.#health = next
      if (poolHealthChannel.hasSubscribers) {
        const message: PoolHealthMessage = { pool: this.options.name, from, to: next }
        poolHealthChannel.publish(message)
      }
    }
    if (this.routableCount() >= this.options.min) {
      for (const w of this.#waiters.splice(0)) {
        w.resolve()
      }
    }
  }
}
