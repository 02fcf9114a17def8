import { fork, type ChildProcess, type StdioOptions } from 'node:child_process'
import { createEndpoint } from '../endpoint/create-endpoint.js'
import type { Transport } from '../endpoint/transport.js'
import type { Api, Endpoint } from '../endpoint/types.js'
import { RpcError, type ChildFailure } from '../errors.js'
import { childProcessTransport } from '../transports/child-process-transport.js'
import type { RecycleLimits } from './recycle.js'
import type { ResolvedPoolOptions } from './resolve-pool-options.js'
import { StderrTail } from './stderr-tail.js'

/**
 * starting: forked, not yet answering pings. ready: takes calls. retiring: its replacement is
 * starting, it still takes calls (up to its cap). draining: takes no calls, stops when idle.
 * stopping: being stopped (lost, timeout escalation, hang, close). exited: gone.
 */
export type ChildState = 'starting' | 'ready' | 'retiring' | 'draining' | 'stopping' | 'exited'

export interface ChildEnd {
  code: number | null
  signal: NodeJS.Signals | null
}

/** The untyped view the pool uses; callers get the typed view through Pool<Remote>. */
type AnyCallWith = (options: object, method: string, ...args: unknown[]) => Promise<unknown>
type AnyCall = (method: string, ...args: unknown[]) => Promise<unknown>

const STDIO: Record<ResolvedPoolOptions<Api>['stdio'], StdioOptions> = {
  inherit: ['ignore', 'inherit', 'inherit', 'ipc'],
  pipe: ['ignore', 'pipe', 'pipe', 'ipc'],
  ignore: ['ignore', 'ignore', 'ignore', 'ipc'],
}

/** After 'exit', how long piped output may take to end ('close'); a grandchild can hold it open. */
const OUTPUT_GRACE_MS = 100

/**
 * One child process of the pool with its own endpoint, i.e. its own pending map and ids. It
 * reports, once, the first sign that it is gone or going (`onLost`), and `ended` resolves when
 * the process has exited and its output has been read.
 */
export class PoolChild {
  readonly seq: number
  readonly process: ChildProcess
  readonly pid: number
  readonly endpoint: Endpoint<Api>
  readonly spawnedAt = Date.now()
  readonly limits: RecycleLimits
  /** false when no recycle limit is set: skips the per-call check */
  readonly recycles: boolean
  readonly ended: Promise<ChildEnd>
  state: ChildState = 'starting'
  readyAt = 0
  /** pool calls dispatched here and not yet settled */
  inFlight = 0
  dispatched = 0
  served = 0
  /** set when the pool did not ask this child to go; it counts toward the breaker when it ends */
  failure: ChildFailure['reason'] | undefined
  /** the state it was in when it was lost or stopped (for pool:exit) */
  stateBeforeStop: ChildState | undefined
  /** disconnect, channel error, exit or the endpoint seeing its peer gone: no calls from then on */
  lost = false
  /** the first error the process emitted (a broken channel, a failed fork) */
  lastError: Error | undefined
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
  readonly #stderr: StderrTail | undefined
  readonly #call: AnyCall
  readonly #callWith: AnyCallWith

  constructor(
    seq: number,
    options: ResolvedPoolOptions<Api>,
    limits: RecycleLimits,
    onLost: (child: PoolChild) => void
  ) {
    this.seq = seq
    this.limits = limits
    this.recycles = Number.isFinite(limits.requests) || Number.isFinite(limits.ageMs)
    this.process = fork(options.entry, [], {
      ...(options.execArgv === undefined ? {} : { execArgv: options.execArgv }),
      ...(options.env === undefined ? {} : { env: options.env }),
      serialization: options.serialization,
      stdio: STDIO[options.stdio],
    })
    this.pid = this.process.pid ?? -1
    // 'pipe' keeps the output off the parent's stdio: drained so a chatty child never blocks,
    // and the end of stderr kept for the error that says why children keep failing.
    this.process.stdout?.resume()
    if (this.process.stderr) {
      this.#stderr = new StderrTail(this.process.stderr)
    }
    const lose = (): void => {
      if (!this.lost) {
        this.lost = true
        onLost(this)
      }
    }
    this.process.once('disconnect', lose)
    this.process.once('exit', lose)
    this.process.on('error', (error) => {
      this.lastError ??= error
      lose()
    })
    this.ended = new Promise((resolve) => {
      let grace: NodeJS.Timeout | undefined
      const end = (): void => {
        clearTimeout(grace)
        resolve({ code: this.process.exitCode, signal: this.process.signalCode })
      }
      this.process.once('close', end)
      this.process.once('exit', () => {
        grace = setTimeout(end, OUTPUT_GRACE_MS)
      })
      // 'error' without a pid means the fork itself failed: neither 'exit' nor 'close' comes.
      this.process.once('error', () => {
        if (this.process.pid === undefined) {
          end()
        }
      })
    })
    // The endpoint's view of the channel, tapped: its peer-gone is a loss too, seen in the same
    // tick as the rejections it causes (so no new call can reach this child after them).
    const transport = childProcessTransport(this.process, { serialization: options.serialization })
    const tapped: Transport = {
      ...transport,
      onClose: (listener) =>
        transport.onClose((info) => {
          listener(info)
          lose()
        }),
    }
    this.endpoint = createEndpoint<Api, Api>(tapped, {
      ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
      // The pool decides how many calls a child gets, so the endpoint never has to queue.
      maxInFlight: options.maxInFlightPerChild,
      maxBatch: options.maxBatch,
      timeoutMs: options.timeoutMs,
      name: `${options.name}#${seq}:${this.pid}`,
    })
    this.#call = this.endpoint.call.bind(this.endpoint)
    this.#callWith = this.endpoint.callWith.bind(this.endpoint)
  }

  /** Takes new calls: ready (or retiring), not lost, and below its request cap. */
  get accepting(): boolean {
    return (
      (this.state === 'ready' || this.state === 'retiring') &&
      !this.lost &&
      this.dispatched < this.limits.requests
    )
  }

  get alive(): boolean {
    return this.state !== 'exited'
  }

  /** the end of what it wrote to stderr, with stdio 'pipe' */
  get stderr(): string | undefined {
    return this.#stderr?.text()
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
    this.idleTimer = undefined
    for (const undo of this.cleanups.splice(0)) {
      undo()
    }
  }
}
