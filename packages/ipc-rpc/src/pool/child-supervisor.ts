import { EventEmitter } from 'node:events'
import type { Api } from '../endpoint/types.js'
import { MAX_TIMER_MS } from '../endpoint/validate-options.js'
import { PoolClosedError, PoolFailingError, type ChildFailure } from '../errors.js'
import { startHeartbeat } from './heartbeat.js'
import { PoolChild, type ChildEnd, type ChildState } from './pool-child.js'
import { HealthWatch } from './health-watch.js'
import { capacity, publishExit, publishSpawn, upCount } from './child-census.js'
import type { PoolHealth, PoolSpawnMessage } from './pool-types.js'
import { recycleLimits } from './recycle.js'
import { Replacements } from './replacements.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'
import { Restarts } from './restarts.js'
import { allEnded, cutShort, drainAll, killAll } from './pool-shutdown.js'
import { escalateStop, signal, type StopPlan } from './stop-child.js'

export type SpawnReason = PoolSpawnMessage['reason']

/** ready: a child takes calls now. gone: a child stopped taking calls. failing: the breaker opened. closing: close() or destroy() began. */
export interface SupervisorEvents {
  ready: [child: PoolChild]
  gone: [child: PoolChild]
  failing: []
  closing: [detail: string]
}

/** A child told to go (disconnected) may take this long before SIGTERM, then SIGKILL. */
const GRACEFUL_STOP: StopPlan = { disconnect: true, termAfterMs: 2_000, killAfterMs: 1_000 }
/**
 * A child that lost its channel is usually exiting already; one that lives on is stopped, after
 * the transport's wait for an exit code (250 ms) so its calls' errors say it disconnected.
 */
const LOST_STOP: StopPlan = { disconnect: true, termAfterMs: 500, killAfterMs: 1_000 }

/**
 * Owns the children and the restart policy: spawn, ready handshake, losing a child (any way),
 * respawn with backoff, the crash-loop breaker (open, cool-down, one probe), recycling, scaling,
 * heartbeats, stops and shutdown. Emits ready/gone/failing/closing; knows nothing about calls
 * beyond the per-child counters the router keeps.
 */
export class ChildSupervisor extends EventEmitter<SupervisorEvents> {
  readonly options: ResolvedPoolOptions<Api>
  readonly children: PoolChild[] = []
  restarts = 0
  closing = false
  /** set once closing: why calls cut short by the pool fail (RPC_ERR_POOL_CLOSED) */
  closeDetail: string | undefined
  readonly #health: HealthWatch
  readonly #restarts: Restarts
  readonly #replacements: Replacements
  #seq = 0
  #droppedGone = 0
  #closed: Promise<void> | undefined
  #closeDeadline: NodeJS.Timeout | undefined

  constructor(options: ResolvedPoolOptions<Api>) {
    super()
    this.options = options
    this.#health = new HealthWatch(
      options.name,
      options.restart.windowMs,
      () => this.health(),
      () => this.upCount() >= options.min
    )
    this.#restarts = new Restarts(this, this.#health)
    this.#replacements = new Replacements(this)
  }

  start(): void {
    for (let i = 0; i < this.options.min; i++) {
      this.spawn('initial')
    }
    this.#health.update()
  }

  get tripped(): boolean {
    return this.#restarts.tripped
  }

  get recycled(): number {
    return this.#replacements.recycled
  }

  upCount(): number {
    return upCount(this.children)
  }

  /** failing: breaker open or probing. degraded: fewer than min up, or a failure in the window. */
  health(): PoolHealth {
    if (this.#restarts.tripped) {
      return 'failing'
    }
    return this.upCount() >= this.options.min && this.#restarts.recentFailures() === 0
      ? 'healthy'
      : 'degraded'
  }

  ready(): Promise<void> {
    if (this.#restarts.tripped) {
      return Promise.reject(this.failingError())
    }
    if (this.closing) {
      return Promise.reject(new PoolClosedError(undefined, this.closeDetail))
    }
    return this.upCount() >= this.options.min ? Promise.resolve() : this.#health.waitReady()
  }

  failingError(method?: string): PoolFailingError {
    return new PoolFailingError(method, undefined, this.#restarts.lastFailure)
  }

  droppedReplies(): number {
    let n = this.#droppedGone
    for (const c of this.children) {
      n += c.droppedReplies()
    }
    return n
  }

  inBackoff(): boolean {
    return this.#restarts.inBackoff()
  }

  capacity(): number {
    return capacity(this.children)
  }

  /** The router sent a call to `child`. */
  dispatched(child: PoolChild): void {
    this.#replacements.dispatched(child)
  }

  /** A call on `child` settled; `timedOut` when its deadline passed. */
  settled(child: PoolChild, timedOut: boolean): void {
    if (timedOut && this.options.stopOnTimeout !== undefined) {
      this.#stopForTimeout(child)
    }
    this.#replacements.idle(child)
  }

  /** Calls are waiting in the router's queue: grow if allowed. */
  callsWaiting(): void {
    this.#replacements.scaleUp(true)
  }

  spawn(reason: SpawnReason): PoolChild | undefined {
    let child: PoolChild
    try {
      const limits = recycleLimits(this.options.recycle ?? { jitter: 0 })
      child = new PoolChild(++this.#seq, this.options, limits, this.#onLost)
    } catch (error) {
      // fork() itself threw (EAGAIN, a bad entry): a failure like any other.
      const reason = { pid: -1, reason: 'spawn', exitCode: null, signal: null } as const
      this.#restarts.failed({ ...reason, stderr: undefined, error: error as Error })
      return undefined
    }
    this.children.push(child)
    if (reason === 'restart') {
      this.restarts++
    }
    publishSpawn(this.options.name, child, reason)
    void child.ended.then((end) => this.#onEnded(child, end))
    child.handshake(this.options.startTimeoutMs).then(
      () => this.#onReady(child),
      () => this.#onStartFailed(child)
    )
    return child
  }

  reconcile(): void {
    this.#restarts.reconcile()
  }

  /** The breaker opened (Restarts): calls and ready() waiters fail. */
  opened(): void {
    this.emit('failing')
    this.#health.rejectWaiters(this.failingError())
    this.#health.update()
  }

  /** Takes `child` out of dispatch and stops it step by step; `failure` counts when it ends. */
  stop(child: PoolChild, plan: StopPlan | 'kill', failure?: ChildFailure['reason']): void {
    if (!child.alive || child.state === 'stopping') {
      return
    }
    const wasAccepting = child.accepting
    child.failure ??= failure
    child.state = 'stopping'
    child.handBack()
    if (plan === 'kill') {
      signal(child.process, 'SIGKILL')
    } else {
      child.cleanups.push(escalateStop(child.process, child.ended, plan))
    }
    if (wasAccepting) {
      this.emit('gone', child)
    }
    this.#health.update()
  }

  /** Disconnects the child so an idle serve() exits by itself; SIGTERM, SIGKILL if it does not. */
  stopGracefully(child: PoolChild): void {
    this.stop(child, GRACEFUL_STOP)
  }

  /** The first sign a child is gone or going. Unless the pool is stopping it, that is a failure. */
  readonly #onLost = (child: PoolChild): void => {
    const s = child.state
    if (s === 'starting' || s === 'ready' || s === 'retiring') {
      // pool:exit reports the state it died in, not the stop that tidies up after it.
      child.stateBeforeStop = s
      this.stop(child, LOST_STOP, 'exit')
    }
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
    child.readyAt = Date.now()
    this.#replacements.startupMs = child.readyAt - child.spawnedAt
    this.#restarts.childReady()
    this.#startHeartbeat(child)
    this.#replacements.ready(child)
    this.emit('ready', child)
    this.#health.update()
  }

  #onStartFailed(child: PoolChild): void {
    if (child.state === 'starting') {
      this.stop(child, 'kill', 'start')
    }
  }

  #onEnded(child: PoolChild, end: ChildEnd): void {
    const before: ChildState = child.stateBeforeStop ?? child.state
    child.state = 'exited'
    child.runCleanups()
    const i = this.children.indexOf(child)
    if (i >= 0) {
      this.children.splice(i, 1)
    }
    this.#droppedGone += child.droppedReplies()
    child.endpoint.close()
    publishExit(this.options.name, child, end, before)
    if (child.failure === undefined) {
      this.reconcile()
    } else {
      this.#restarts.failed({
        pid: child.pid,
        reason: child.pid < 0 ? 'spawn' : child.failure,
        exitCode: end.code,
        signal: end.signal,
        stderr: child.stderr,
        error: child.lastError,
      })
    }
    this.#replacements.gone()
    this.#health.update()
  }

  /** A child that missed its heartbeat: SIGKILL (a blocked loop cannot clean up anyway). */
  #onHung(child: PoolChild, waitedMs: number): void {
    if (child.alive && child.state !== 'stopping') {
      child.hungAfterMs = waitedMs
      this.stop(child, 'kill', 'hung')
    }
  }

  #startHeartbeat(child: PoolChild): void {
    const heartbeat = this.options.heartbeat
    if (heartbeat !== undefined) {
      child.cleanups.push(
        startHeartbeat(
          // The ping's own deadline is the heartbeat's; the endpoint just must not hang on it.
          () => child.endpoint.ping({ timeoutMs: Math.min(heartbeat.timeoutMs * 2, MAX_TIMER_MS) }),
          heartbeat,
          (waited) => this.#onHung(child, waited)
        )
      )
    }
  }

  /** stopOnTimeout: the endpoint sent a cancel; SIGTERM and SIGKILL follow on this child only. */
  #stopForTimeout(child: PoolChild): void {
    const plan = this.options.stopOnTimeout
    if (plan !== undefined && child.accepting) {
      this.stop(child, {
        disconnect: false,
        termAfterMs: plan.termGraceMs,
        killAfterMs: plan.killGraceMs,
      })
      // A deliberate stop, not a failure: the replacement starts now, without backoff.
      this.reconcile()
    }
  }

  close(timeoutMs: number): Promise<void> {
    if (this.#closed !== undefined) {
      return this.#closed
    }
    this.#beginClose('the pool is closed')
    drainAll(this.children, (child) => this.stopGracefully(child))
    this.#closeDeadline = setTimeout(() => {
      this.closeDetail = 'the pool closed before the call finished'
      cutShort(this.children, this.closeDetail)
    }, timeoutMs)
    this.#closed = allEnded(this.children).then(() => clearTimeout(this.#closeDeadline))
    return this.#closed
  }

  destroy(): Promise<void> {
    clearTimeout(this.#closeDeadline)
    if (!this.closing) {
      this.#beginClose('the pool was destroyed')
    }
    this.closeDetail = 'the pool was destroyed'
    killAll(this.children, this.closeDetail)
    return allEnded(this.children)
  }

  #beginClose(detail: string): void {
    this.closing = true
    this.closeDetail = detail
    this.#restarts.cancel()
    this.emit('closing', detail)
    this.#health.rejectWaiters(new PoolClosedError(undefined, detail))
  }
}
