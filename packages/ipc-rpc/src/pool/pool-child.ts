import { fork, type ChildProcess, type StdioOptions } from 'node:child_process'
import { createEndpoint } from '../endpoint/create-endpoint.js'
import type { Api, Endpoint } from '../endpoint/types.js'
import { RpcError } from '../errors.js'
import { childProcessTransport } from '../transports/child-process-transport.js'
import type { RecycleLimits } from './recycle.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'

/**
 * starting: forked, not yet answering pings. ready: takes calls. retiring: due for recycling,
 * still takes calls until its replacement is ready. draining: takes no calls, stops when idle.
 * stopping: being stopped (timeout escalation, hang, close). exited: gone.
 */
export type ChildState = 'starting' | 'ready' | 'retiring' | 'draining' | 'stopping' | 'exited'

export interface ChildExit {
  code: number | null
  signal: NodeJS.Signals | null
  error?: Error
}

/** The untyped view the pool uses; callers get the typed view through Pool<Remote>. */
type AnyCallWith = (options: object, method: string, ...args: unknown[]) => Promise<unknown>
type AnyCall = (method: string, ...args: unknown[]) => Promise<unknown>

const STDIO: Record<ResolvedPoolOptions<Api>['stdio'], StdioOptions> = {
  inherit: ['ignore', 'inherit', 'inherit', 'ipc'],
  pipe: ['ignore', 'pipe', 'pipe', 'ipc'],
  ignore: ['ignore', 'ignore', 'ignore', 'ipc'],
}

/** One child process of the pool with its own endpoint, i.e. its own pending map and ids. */
export class PoolChild {
  readonly seq: number
  readonly process: ChildProcess
  readonly pid: number
  readonly endpoint: Endpoint<Api>
  readonly spawnedAt = Date.now()
  readonly limits: RecycleLimits
  /** false when no recycle limit is set: skips the per-call check */
  readonly recycles: boolean
  readonly exited: Promise<ChildExit>
  state: ChildState = 'starting'
  /** pool calls dispatched here and not yet settled */
  inFlight = 0
  dispatched = 0
  served = 0
  /** the child being started to take this one's place (recycling) */
  replacement: PoolChild | undefined
  /** the retiring child this one replaces */
  replaces: PoolChild | undefined
  /** set when the heartbeat gave up on this child: how long it waited */
  hungAfterMs: number | undefined
  /** scale-down timer while an extra child sits idle */
  idleTimer: NodeJS.Timeout | undefined
  /** undo functions for timers and listeners tied to this child's life */
  readonly cleanups: Array<() => void> = []
  readonly #call: AnyCall
  readonly #callWith: AnyCallWith

  constructor(seq: number, options: ResolvedPoolOptions<Api>, limits: RecycleLimits) {
    this.seq = seq
    this.limits = limits
    this.recycles = Number.isFinite(limits.requests) || Number.isFinite(limits.ageMs)
    this.process = fork(options.entry, [], {
      ...(options.execArgv === undefined ? {} : { execArgv: options.execArgv }),
      ...(options.env === undefined ? {} : { env: options.env }),
      serialization: options.serialization,
      stdio: STDIO[options.stdio],
    })
    // 'pipe' is for callers who do not want the output on the parent's stdio; drain it so a
    // chatty child never blocks on a full pipe.
    this.process.stdout?.resume()
    this.process.stderr?.resume()
    this.pid = this.process.pid ?? -1
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => resolve({ code, signal }))
      // 'error' without a pid means the fork itself failed and 'exit' will never come.
      this.process.on('error', (error) => {
        if (this.process.pid === undefined) {
          resolve({ code: null, signal: null, error })
        }
      })
    })
    this.endpoint = createEndpoint<Api, Api>(
      childProcessTransport(this.process, { serialization: options.serialization }),
      {
        ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
        // The pool decides how many calls a child gets, so the endpoint never has to queue.
        maxInFlight: options.maxInFlightPerChild,
        maxBatch: options.maxBatch,
        timeoutMs: options.timeoutMs,
        name: `${options.name}#${seq}:${this.pid}`,
      }
    )
    this.#call = this.endpoint.call.bind(this.endpoint)
    this.#callWith = this.endpoint.callWith.bind(this.endpoint)
  }

  /** Takes calls. A disconnected child is out at once, before its 'exit' arrives. */
  get routable(): boolean {
    return (this.state === 'ready' || this.state === 'retiring') && this.process.connected
  }

  get alive(): boolean {
    return this.state !== 'exited'
  }

  /** Without options the endpoint's defaults (the pool's timeoutMs) apply. */
  call(options: object | undefined, method: string, args: unknown[]): Promise<unknown> {
    return options === undefined
      ? this.#call(method, ...args)
      : this.#callWith(options, method, ...args)
  }

  /**
   * The ready handshake: pings until the child's serve() answers. Early pings can be lost (the
   * child's listener is not up yet), so each one has a short deadline and is sent again.
   */
  async handshake(startTimeoutMs: number): Promise<void> {
    const deadline = Date.now() + startTimeoutMs
    let wait = 50
    for (;;) {
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(`pid ${this.pid} did not answer a ping within ${startTimeoutMs} ms`)
      }
      try {
        await this.endpoint.ping({ timeoutMs: Math.min(wait, left) })
        return
      } catch (err) {
        if (!(err instanceof RpcError && err.code === 'RPC_ERR_TIMEOUT')) {
          throw err
        }
      }
      wait = Math.min(wait * 2, 1_000)
    }
  }

  /** Leaving early: a retiring child hands its place to its replacement, and the other way round. */
  handBack(): void {
    if (this.replacement !== undefined) {
      this.replacement.replaces = undefined
      this.replacement = undefined
    }
    const old = this.replaces
    if (old !== undefined) {
      this.replaces = undefined
      old.replacement = undefined
      if (old.state === 'retiring') {
        old.state = 'ready'
      }
    }
  }

  /** replies this child's endpoint dropped (unknown, late, duplicate, malformed) */
  droppedReplies(): number {
    const d = this.endpoint.stats().dropped
    return d.unknown + d.late + d.duplicate + d.malformed
  }

  runCleanups(): void {
    clearTimeout(this.idleTimer)
    for (const undo of this.cleanups.splice(0)) {
      undo()
    }
  }
}
