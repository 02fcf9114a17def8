import type { Api, CallOptions } from '../endpoint/types.js'
import { validateCallOptions } from '../endpoint/validate-options.js'
import {
  AbortedError,
  ChildHungError,
  PeerGoneError,
  PoolClosedError,
  PoolFailingError,
  QueueFullError,
  RpcError,
} from '../errors.js'
import { CallQueue, type PoolCall } from './call-queue.js'
import { pickLeastLoaded } from './dispatch.js'
import { startHeartbeat } from './heartbeat.js'
import { ChildLifecycle } from './child-lifecycle.js'
import type { PoolChild } from './pool-child.js'
import type { PoolStats } from './pool-types.js'
import { isRecycleDue } from './recycle.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'

/**
 * Call routing on top of the child lifecycle: accepts calls, queues them when every child is
 * full, dispatches to the least-loaded ready child and settles each caller exactly once.
 */
export class PoolCore extends ChildLifecycle {
  readonly #queue = new CallQueue()
  #rotate = 0
  #timeouts = 0

  constructor(options: ResolvedPoolOptions<Api>) {
    super(options)
    this.start()
  }

  submit(options: CallOptions, method: string, args: unknown[]): Promise<unknown> {
    if (this.closing) {
      return Promise.reject(new PoolClosedError(method))
    }
    if (this.tripped) {
      return Promise.reject(new PoolFailingError(method))
    }
    try {
      // Checked on entry, so a bad option fails the call before it can wait in the queue.
      validateCallOptions(options)
    } catch (err) {
      return Promise.reject(toError(err))
    }
    const signal = options.signal
    if (signal?.aborted) {
      return Promise.reject(new AbortedError(method, 0, signal.reason))
    }
    // Queued calls go first, so a new call never overtakes one that is waiting.
    if (this.#queue.size === 0) {
      const child = this.#pick()
      if (child !== undefined) {
        return this.#send(child, options, method, args)
      }
    }
    if (this.#queue.size >= this.options.maxQueue) {
      return Promise.reject(new QueueFullError(method, this.options.maxQueue))
    }
    return new Promise((resolve, reject) => {
      const call: PoolCall = { method, args, options, resolve, reject }
      if (signal !== undefined) {
        // A queued call is removed without being sent; callId 0 means it never got one.
        const onAbort = (): void => {
          if (this.#queue.remove(call)) {
            reject(new AbortedError(method, 0, signal.reason))
          }
        }
        signal.addEventListener('abort', onAbort, { once: true })
        call.detach = () => signal.removeEventListener('abort', onAbort)
      }
      this.#queue.push(call)
      this.maybeScaleUp()
    })
  }

  stats(): PoolStats {
    const now = Date.now()
    let ready = 0
    let busy = 0
    for (const c of this.children) {
      ready += c.routable ? 1 : 0
      busy += c.inFlight > 0 ? 1 : 0
    }
    return {
      size: this.children.length,
      ready,
      busy,
      queued: this.#queue.size,
      restarts: this.restarts,
      recycled: this.recycled,
      timeouts: this.#timeouts,
      droppedReplies: this.droppedReplies(),
      health: this.health(),
      children: this.children.map((c) => ({
        pid: c.pid,
        inFlight: c.inFlight,
        served: c.served,
        ageMs: now - c.spawnedAt,
        state: c.state,
      })),
    }
  }

  #pick(): PoolChild | undefined {
    const children = this.children
    const child = pickLeastLoaded(children, this.options.maxInFlightPerChild, this.#rotate)
    this.#rotate = children.length === 0 ? 0 : (this.#rotate + 1) % children.length
    return child
  }

  /**
   * Sends one call on the child's own endpoint and returns the caller's promise: the endpoint's
   * reply with the pool's bookkeeping chained on, so the hot path allocates no extra promise.
   */
  #send(child: PoolChild, options: CallOptions, method: string, args: unknown[]): Promise<unknown> {
    child.inFlight++
    child.dispatched++
    if (child.idleTimer !== undefined) {
      clearTimeout(child.idleTimer)
      child.idleTimer = undefined
    }
    // Options were validated on entry; without any, the endpoint's defaults are the pool's.
    const callOptions =
      options.signal === undefined && options.timeoutMs === undefined ? undefined : options
    let reply: Promise<unknown>
    try {
      reply = child.call(callOptions, method, args)
    } catch (err) {
      reply = Promise.reject(toError(err))
    }
    if (
      child.recycles &&
      isRecycleDue(child.limits, child.dispatched, Date.now() - child.spawnedAt)
    ) {
      this.startRecycle(child)
    }
    this.maybeScaleUp()
    return reply.then(
      (value) => {
        this.#settled(child, undefined)
        return value
      },
      (err: unknown) => {
        const error = toError(err)
        this.#settled(child, error)
        throw this.#explain(error, child, method)
      }
    )
  }

  #settled(child: PoolChild, error: Error | undefined): void {
    child.inFlight--
    child.served++
    if (error instanceof RpcError && error.code === 'RPC_ERR_TIMEOUT') {
      this.#timeouts++
      if (this.options.stopOnTimeout !== undefined) {
        this.stopForTimeout(child)
      }
    }
    this.onChildIdle(child)
    this.pump()
  }

  /**
   * A call lost on a child the heartbeat killed says so (the endpoint's error as cause); one cut
   * short by close's deadline or destroy says the pool closed.
   */
  #explain(error: Error, child: PoolChild, method: string): Error {
    if (child.hungAfterMs !== undefined && error instanceof PeerGoneError) {
      return new ChildHungError(child.pid, method, error.callId, child.hungAfterMs, error)
    }
    const detail = this.closeDetail
    if (detail !== undefined && error instanceof RpcError && error.code === 'RPC_ERR_CLOSED') {
      return new PoolClosedError(method, detail)
    }
    return error
  }

  protected override pump(): void {
    while (this.#queue.size > 0) {
      const child = this.#pick()
      if (child === undefined) {
        break
      }
      const call = this.#queue.shift()
      if (call !== undefined) {
        this.#send(child, call.options, call.method, call.args).then(call.resolve, call.reject)
      }
    }
  }

  protected override queued(): number {
    return this.#queue.size
  }

  protected override rejectQueued(make: (method: string) => Error): void {
    for (const call of this.#queue.drain()) {
      call.reject(make(call.method))
    }
  }

  protected override startHeartbeat(child: PoolChild): void {
    const heartbeat = this.options.heartbeat
    if (heartbeat === undefined) {
      return
    }
    const timeoutMs = heartbeat.timeoutMs
    child.cleanups.push(
      startHeartbeat(
        // The ping's own deadline is the heartbeat's; the endpoint just must not hang on it.
        () => child.endpoint.ping({ timeoutMs: timeoutMs * 2 }),
        heartbeat,
        (waited) => this.onHung(child, waited)
      )
    )
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}
