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
      return Promise.reject(err as Error)
    }
    const signal = options.signal
    if (signal?.aborted) {
      return Promise.reject(new AbortedError(method, 0, signal.reason))
    }
    return new Promise((resolve, reject) => {
      const call: PoolCall = {
        method,
        args,
        options,
        settled: false,
        resolve: (value) => {
          call.settled = true
          resolve(value)
        },
        reject: (error) => {
          call.settled = true
          reject(error)
        },
      }
      // Queued calls go first, so a new call never overtakes one that is waiting.
      const child = this.#queue.size === 0 ? this.#pick() : undefined
      if (child !== undefined) {
        this.#dispatch(call, child)
        return
      }
      if (this.#queue.size >= this.options.maxQueue) {
        reject(new QueueFullError(method, this.options.maxQueue))
        return
      }
      if (signal !== undefined) {
        // A queued call is removed without being sent; callId 0 means it never got one.
        const onAbort = (): void => {
          if (this.#queue.remove(call)) {
            call.reject(new AbortedError(method, 0, signal.reason))
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

  #dispatch(call: PoolCall, child: PoolChild): void {
    child.inFlight++
    child.dispatched++
    child.calls.add(call)
    clearTimeout(child.idleTimer)
    child.idleTimer = undefined
    const options: CallOptions = {
      timeoutMs: call.options.timeoutMs ?? this.options.timeoutMs,
    }
    if (call.options.signal !== undefined) {
      options.signal = call.options.signal
    }
    let reply: Promise<unknown>
    try {
      reply = child.call(options, call.method, call.args)
    } catch (err) {
      reply = Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
    reply.then(
      (value) => this.#finish(call, child, undefined, value),
      (err: unknown) =>
        this.#finish(call, child, err instanceof Error ? err : new Error(String(err)))
    )
    if (
      child.recycles &&
      isRecycleDue(child.limits, child.dispatched, Date.now() - child.spawnedAt)
    ) {
      this.startRecycle(child)
    }
    this.maybeScaleUp()
  }

  #finish(call: PoolCall, child: PoolChild, error: Error | undefined, value?: unknown): void {
    child.inFlight--
    child.served++
    child.calls.delete(call)
    if (!call.settled) {
      if (error === undefined) {
        call.resolve(value)
      } else {
        call.reject(this.#explain(error, child, call))
      }
    }
    if (error instanceof RpcError && error.code === 'RPC_ERR_TIMEOUT') {
      this.#timeouts++
      if (this.options.stopOnTimeout !== undefined) {
        this.stopForTimeout(child)
      }
    }
    this.onChildIdle(child)
    this.pump()
  }

  /** A call lost on a child the heartbeat killed says so, with the endpoint's details as cause. */
  #explain(error: Error, child: PoolChild, call: PoolCall): Error {
    if (child.hungAfterMs !== undefined && error instanceof PeerGoneError) {
      return new ChildHungError(child.pid, call.method, error.callId, child.hungAfterMs, error)
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
        this.#dispatch(call, child)
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

  /** Settles every call still in flight (close deadline, destroy); the children die after. */
  protected override rejectInFlight(make: (method: string) => Error): void {
    for (const child of this.children) {
      for (const call of child.calls) {
        if (!call.settled) {
          call.reject(make(call.method))
        }
      }
    }
  }
}
