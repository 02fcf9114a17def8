import type { CallOptions } from '../endpoint/types.js'
import { badMethod, checkMs, validateCallOptions } from '../endpoint/validate-options.js'
import {
  AbortedError,
  ChildHungError,
  PeerGoneError,
  PoolClosedError,
  QueueFullError,
  RpcError,
} from '../errors.js'
import type { ChildSupervisor } from './child-supervisor.js'
import { pickLeastLoaded } from './dispatch.js'
import type { PoolChild } from './pool-child.js'
import { PoolCall, PoolCallQueue } from './pool-call-queue.js'
import type { PoolCallOptions, PoolStats } from './pool-types.js'

/**
 * Owns the calls: accepts them, queues them while every child is full, dispatches each to the
 * least-loaded child that takes calls, and settles each caller exactly once. Listens to the
 * supervisor: a child that is ready drains the queue; the breaker or close empties it.
 */
export class CallRouter {
  readonly #supervisor: ChildSupervisor
  readonly #queue = new PoolCallQueue()
  readonly #maxInFlight: number
  readonly #maxQueue: number
  readonly #queueTimeoutMs: number
  #rotate = 0
  #timeouts = 0

  constructor(supervisor: ChildSupervisor) {
    this.#supervisor = supervisor
    const options = supervisor.options
    this.#maxInFlight = options.maxInFlightPerChild
    this.#maxQueue = options.maxQueue
    this.#queueTimeoutMs = options.queueTimeoutMs
    supervisor.on('ready', () => this.#pump())
    supervisor.on('gone', () => {
      if (this.#queue.size > 0) {
        supervisor.callsWaiting()
      }
    })
    supervisor.on('failing', () => this.#queue.rejectAll((m) => supervisor.failingError(m)))
    supervisor.on('closing', (detail) =>
      this.#queue.rejectAll((m) => new PoolClosedError(m, detail))
    )
  }

  submit(options: PoolCallOptions, method: string, args: unknown[]): Promise<unknown> {
    const supervisor = this.#supervisor
    const bad = badMethod(method)
    if (bad !== undefined) {
      return Promise.reject(bad)
    }
    if (supervisor.closing) {
      return Promise.reject(new PoolClosedError(method, supervisor.closeDetail))
    }
    if (supervisor.tripped) {
      return Promise.reject(supervisor.failingError(method))
    }
    let queueTimeoutMs: number
    try {
      // Checked on entry, so a bad option fails the call before it can wait in the queue.
      validateCallOptions(options)
      queueTimeoutMs =
        options.queueTimeoutMs === undefined
          ? this.#queueTimeoutMs
          : checkMs('queueTimeoutMs', options.queueTimeoutMs, 0)
    } catch (err) {
      return Promise.reject(toError(err))
    }
    const { signal, timeoutMs } = options
    if (signal?.aborted) {
      return Promise.reject(new AbortedError(method, 0, signal.reason))
    }
    // Without any, the child's endpoint applies the pool's defaults.
    const callOptions: CallOptions | undefined =
      signal === undefined && timeoutMs === undefined
        ? undefined
        : {
            ...(signal === undefined ? {} : { signal }),
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
          }
    // Queued calls go first, so a new call never overtakes one that is waiting.
    if (this.#queue.size === 0) {
      const child = this.#pick()
      if (child !== undefined) {
        return this.#send(child, callOptions, method, args)
      }
    }
    if (this.#queue.size >= this.#maxQueue) {
      return Promise.reject(new QueueFullError(method, this.#maxQueue))
    }
    return new Promise((resolve, reject) => {
      const call = new PoolCall(this.#queue, method, args, callOptions, resolve, reject)
      this.#queue.push(call, queueTimeoutMs)
      supervisor.callsWaiting()
    })
  }

  stats(): PoolStats {
    const supervisor = this.#supervisor
    const now = Date.now()
    let ready = 0
    let busy = 0
    for (const c of supervisor.children) {
      ready += c.accepting ? 1 : 0
      busy += c.inFlight > 0 ? 1 : 0
    }
    return {
      size: supervisor.children.length,
      ready,
      busy,
      queued: this.#queue.size,
      restarts: supervisor.restarts,
      recycled: supervisor.recycled,
      timeouts: this.#timeouts,
      droppedReplies: supervisor.droppedReplies(),
      health: supervisor.health(),
      children: supervisor.children.map((c) => ({
        pid: c.pid,
        inFlight: c.inFlight,
        served: c.served,
        ageMs: now - c.spawnedAt,
        state: c.state,
      })),
    }
  }

  #pick(): PoolChild | undefined {
    const children = this.#supervisor.children
    const child = pickLeastLoaded(children, this.#maxInFlight, this.#rotate)
    this.#rotate = children.length === 0 ? 0 : (this.#rotate + 1) % children.length
    return child
  }

  /**
   * Sends one call on the child's own endpoint and returns the caller's promise: the endpoint's
   * reply with the pool's bookkeeping chained on, so the hot path allocates no extra promise.
   */
  #send(
    child: PoolChild,
    callOptions: CallOptions | undefined,
    method: string,
    args: unknown[]
  ): Promise<unknown> {
    child.inFlight++
    child.dispatched++
    let reply: Promise<unknown>
    try {
      reply = child.call(callOptions, method, args)
    } catch (err) {
      reply = Promise.reject(toError(err))
    }
    this.#supervisor.dispatched(child)
    return reply.then(
      (value) => {
        this.#settled(child, false)
        return value
      },
      (err: unknown) => {
        const error = toError(err)
        this.#settled(child, error instanceof RpcError && error.code === 'RPC_ERR_TIMEOUT')
        throw this.#explain(error, child, method)
      }
    )
  }

  #settled(child: PoolChild, timedOut: boolean): void {
    child.inFlight--
    child.served++
    if (timedOut) {
      this.#timeouts++
    }
    this.#supervisor.settled(child, timedOut)
    this.#pump()
  }

  /**
   * A call lost on a child the heartbeat killed says so (the endpoint's error as cause); one cut
   * short by close's deadline or destroy says the pool closed.
   */
  #explain(error: Error, child: PoolChild, method: string): Error {
    if (child.hungAfterMs !== undefined && error instanceof PeerGoneError) {
      return new ChildHungError(child.pid, method, error.callId, child.hungAfterMs, error)
    }
    const detail = this.#supervisor.closeDetail
    if (detail !== undefined && error instanceof RpcError && error.code === 'RPC_ERR_CLOSED') {
      return new PoolClosedError(method, detail)
    }
    return error
  }

  #pump(): void {
    while (this.#queue.size > 0) {
      const child = this.#pick()
      if (child === undefined) {
        break
      }
      const call = this.#queue.shift()
      if (call !== undefined) {
        this.#send(child, call.callOptions, call.method, call.args).then(call.resolve, call.reject)
      }
    }
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}
