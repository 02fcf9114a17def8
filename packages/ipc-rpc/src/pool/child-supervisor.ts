import { EventEmitter } from 'node:events'
import { poolExitChannel, poolSpawnChannel } from '../diagnostics.js'
import type { Api } from '../endpoint/types.js'
import { PoolClosedError, PoolFailingError, type ChildFailure } from '../errors.js'
import { startHeartbeat } from './heartbeat.js'
import { PoolChild, type ChildEnd, type ChildState } from './pool-child.js'
import { HealthWatch } from './health-watch.js'
import type { PoolExitMessage, PoolHealth, PoolSpawnMessage } from './pool-types.js'
import { recycleLimits } from './recycle.js'
import { Replacements } from './replacements.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'
import { RestartPolicy } from './restart-policy.js'
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
/** Past close()'s deadline. */
const DEADLINE_STOP: StopPlan = { disconnect: true, termAfterMs: 0, killAfterMs: 1_000 }

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
  readonly #policy: RestartPolicy
  readonly #health: HealthWatch
  readonly #replacements: Replacements
  #seq = 0
  /** failures not yet made good by a respawn; those respawns count as restarts */
  #owed = 0
  #backoffUntil = 0
  #backoffTimer: NodeJS.Timeout | undefined
  #coolDownTimer: NodeJS.Timeout | undefined
  #droppedGone = 0
  #lastFailure: ChildFailure | undefined
  #closed: Promise<void> | undefined
  #closeDeadline: NodeJS.Timeout | undefined

  constructor(options: ResolvedPoolOptions<Api>) {
    super()
    this.options = options
    this.#policy = new RestartPolicy(options.restart)
    this.#health = new HealthWatch(
      options.name,
      options.restart.windowMs,
      () => this.health(),
      () => this.upCount() >= options.min
    )
    this.#replacements = new Replacements(this)
  }

  start(): void {
    for (let i = 0; i < this.options.min; i++) {
      this.spawn('initial')
    }
    this.#health.update()
  }

  get tripped(): boolean {
    return this.#policy.tripped
  }

  get recycled(): number {
    return this.#replacements.recycled
  }

  /** Ready (or retiring) and not lost: what health and ready() count, whatever their caps. */
  upCount(): number {
    let n = 0
    for (const c of this.children) {
      n += (c.state === 'ready' || c.state === 'retiring') && !c.lost ? 1 : 0
    }
    return n
  }

  /** failing: breaker open or probing. degraded: fewer than min up, or a failure in the window. */
  health(): PoolHealth {
    if (this.#policy.tripped) {
      return 'failing'
    }
    return this.upCount() >= this.options.min && this.#policy.recentFailures() === 0
      ? 'healthy'
      : 'degraded'
  }

  ready(): Promise<void> {
    if (this.#policy.tripped) {
      return Promise.reject(this.failingError())
    }
    if (this.closing) {
      return Promise.reject(new PoolClosedError(undefined, this.closeDetail))
    }
    return this.upCount() >= this.options.min ? Promise.resolve() : this.#health.waitReady()
  }

  failingError(method?: string): PoolFailingError {
    return new PoolFailingError(method, undefined, this.#lastFailure)
  }

  droppedReplies(): number {
    let n = this.#droppedGone
    for (const c of this.children) {
      n += c.droppedReplies()
    }
    return n
  }

  inBackoff(): boolean {
    return Date.now() < this.#backoffUntil
  }

  /** Children that count toward the size: a retiring child and its replacement count once. */
  capacity(): number {
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
      this.#onFailure({ ...reason, stderr: undefined, error: error as Error })
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
    void child.ended.then((end) => this.#onEnded(child, end))
    child.handshake(this.options.startTimeoutMs).then(
      () => this.#onReady(child),
      () => this.#onStartFailed(child)
    )
    return child
  }

  /** Brings capacity back to min, but never before the backoff of the last failure ends. */
  reconcile(): void {
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
    const probed = this.#policy.state === 'half-open'
    this.#policy.probeSucceeded()
    this.#startHeartbeat(child)
    this.#replacements.ready(child)
    this.emit('ready', child)
    if (probed) {
      this.reconcile()
    }
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
    if (poolExitChannel.hasSubscribers) {
      const message: PoolExitMessage = {
        pool: this.options.name,
        pid: child.pid,
        seq: child.seq,
        code: end.code,
        signal: end.signal,
        state: before,
        unexpected: child.failure !== undefined,
        hungAfterMs: child.hungAfterMs,
      }
      poolExitChannel.publish(message)
    }
    if (child.failure === undefined) {
      this.reconcile()
    } else {
      this.#onFailure({
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

  /** Counts a failure and respawns after the backoff, or opens the breaker. */
  #onFailure(failure: ChildFailure): void {
    this.#lastFailure = failure
    if (this.closing) {
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

  /** The breaker opened: no restarts, calls fail; after the cool-down one probe child starts. */
  #open(): void {
    this.#cancelTimers()
    this.emit('failing')
    this.#health.rejectWaiters(this.failingError())
    this.#health.update()
    this.#coolDownTimer = setTimeout(() => {
      this.#coolDownTimer = undefined
      if (!this.closing && this.#policy.beginProbe()) {
        this.spawn('probe')
      }
    }, this.#policy.coolDownMs)
    // A failing pool with no children must not keep the process alive on its own.
    this.#coolDownTimer.unref()
  }

  #cancelTimers(): void {
    clearTimeout(this.#backoffTimer)
    this.#backoffTimer = undefined
    clearTimeout(this.#coolDownTimer)
    this.#coolDownTimer = undefined
    this.#health.cancel()
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
          () => child.endpoint.ping({ timeoutMs: Math.min(heartbeat.timeoutMs * 2, 2 ** 31 - 1) }),
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
    for (const child of this.children) {
      if (child.state === 'starting' || child.inFlight === 0) {
        this.stopGracefully(child)
      } else if (child.state !== 'stopping') {
        child.state = 'draining'
      }
    }
    this.#closeDeadline = setTimeout(() => {
      this.closeDetail = 'the pool closed before the call finished'
      for (const child of [...this.children]) {
        // Rejects what is still in flight there at once; the child is stopped right after.
        child.endpoint.close(new PoolClosedError(undefined, this.closeDetail))
        child.runCleanups()
        child.state = 'stopping'
        child.cleanups.push(escalateStop(child.process, child.ended, DEADLINE_STOP))
      }
    }, timeoutMs)
    this.#closed = this.#allEnded().then(() => clearTimeout(this.#closeDeadline))
    return this.#closed
  }

  destroy(): Promise<void> {
    clearTimeout(this.#closeDeadline)
    if (!this.closing) {
      this.#beginClose('the pool was destroyed')
    }
    this.closeDetail = 'the pool was destroyed'
    for (const child of this.children) {
      child.state = 'stopping'
      child.endpoint.close(new PoolClosedError(undefined, this.closeDetail))
      signal(child.process, 'SIGKILL')
    }
    return this.#allEnded()
  }

  #beginClose(detail: string): void {
    this.closing = true
    this.closeDetail = detail
    this.#cancelTimers()
    this.emit('closing', detail)
    this.#health.rejectWaiters(new PoolClosedError(undefined, detail))
  }

  async #allEnded(): Promise<void> {
    // Children can only leave the list from here on; none are spawned once closing is set.
    while (this.children.length > 0) {
      await Promise.all(this.children.map((c) => c.ended))
    }
  }
}
