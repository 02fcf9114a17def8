// The public surface of the pool (see the README "Pool" section).
import type { Api, CallOptions, Endpoint, Handlers, RemoteMethods } from '../endpoint/types.js'
import type { Serialization } from '../endpoint/transport.js'

export type PoolHealth = 'healthy' | 'degraded' | 'failing'

export interface PoolOptions<Local extends Api> {
  /** child module; it calls serve() from '@crosstalk/ipc-rpc/child' */
  entry: string | URL
  /** fixed size, or min children always up and up to max under load; default availableParallelism() */
  size?: number | { min: number; max: number }
  execArgv?: string[]
  env?: NodeJS.ProcessEnv
  serialization?: Serialization
  /** child->parent calls */
  handlers?: Handlers<Local>
  /** default per-call deadline, measured from dispatch to a child; 0/undefined = none */
  timeoutMs?: number
  /** default deadline for waiting in the pool's queue (RPC_ERR_QUEUE_TIMEOUT); 0/undefined = none */
  queueTimeoutMs?: number
  /** calls pipelined to one child at once; default 256 */
  maxInFlightPerChild?: number
  /** messages per IPC write to a child (decision 8); default 32; 1 writes each on its own */
  maxBatch?: number
  /** calls waiting for a free child; default 10_000; full -> RPC_ERR_QUEUE_FULL */
  maxQueue?: number
  recycle?: { maxRequests?: number; maxAgeMs?: number; jitter?: number }
  heartbeat?: { intervalMs: number; timeoutMs: number }
  restart?: {
    initialDelayMs?: number
    maxDelayMs?: number
    maxRestarts?: number
    windowMs?: number
    /** how long a tripped breaker waits before it starts one probe child; default 30_000 */
    coolDownMs?: number
  }
  /** cancel -> SIGTERM after termGraceMs -> SIGKILL after killGraceMs, for the child whose call timed out */
  stopOnTimeout?: { termGraceMs: number; killGraceMs: number }
  /** 'pipe' pipes and discards the output; default 'inherit' */
  stdio?: 'inherit' | 'pipe' | 'ignore'
  /** a child must answer a ping within this after fork; default 15_000 */
  startTimeoutMs?: number
  /** an extra child (above min) idle this long is stopped; default 30_000 */
  idleTimeoutMs?: number
  /** shown in diagnostics messages; default 'pool' */
  name?: string
}

export interface PoolChildStats {
  pid: number
  inFlight: number
  served: number
  ageMs: number
  state: string
}

export interface PoolStats {
  /** children alive (any state) */
  size: number
  /** children taking calls */
  ready: number
  /** children with at least one call in flight */
  busy: number
  queued: number
  /** respawns after a child failed (exit, failed start, hang) */
  restarts: number
  recycled: number
  timeouts: number
  /** replies dropped by the children's endpoints (unknown, late, duplicate, malformed) */
  droppedReplies: number
  health: PoolHealth
  children: PoolChildStats[]
}

/** Per-call options of a pool: an endpoint's, plus a deadline for waiting in the pool's queue. */
export interface PoolCallOptions extends CallOptions {
  /** overrides the pool's queueTimeoutMs for this call; 0 = none */
  queueTimeoutMs?: number
}

export interface Pool<Remote extends Api> {
  call: Endpoint<Remote>['call']
  callWith<M extends keyof Remote & string>(
    options: PoolCallOptions,
    method: M,
    ...args: Parameters<Remote[M]>
  ): Promise<Awaited<ReturnType<Remote[M]>>>
  readonly remote: RemoteMethods<Remote>
  /** resolves when min children are up; rejects if the pool fails or closes first */
  ready(): Promise<void>
  stats(): PoolStats
  health(): PoolHealth
  /** stop taking calls, let calls in flight finish within timeoutMs (default 10_000), stop children */
  close(options?: { timeoutMs?: number }): Promise<void>
  /** SIGKILL every child now and reject every call */
  destroy(): Promise<void>
}

export type { CallOptions }

/** diagnostics_channel 'crosstalk:ipc-rpc:pool:spawn' */
export interface PoolSpawnMessage {
  pool: string
  pid: number
  seq: number
  reason: 'initial' | 'restart' | 'replace' | 'recycle' | 'scale' | 'probe'
}

/** diagnostics_channel 'crosstalk:ipc-rpc:pool:exit' */
export interface PoolExitMessage {
  pool: string
  pid: number
  seq: number
  code: number | null
  signal: NodeJS.Signals | null
  /** the child's state when it exited ('stopping' or 'draining' = the pool stopped it) */
  state: string
  /** true when the pool did not ask for it to go: counts toward the crash-loop breaker */
  unexpected: boolean
  /** set when the heartbeat found it hung */
  hungAfterMs: number | undefined
}

/** diagnostics_channel 'crosstalk:ipc-rpc:pool:recycle' */
export interface PoolRecycleMessage {
  pool: string
  pid: number
  replacementPid: number
  served: number
  ageMs: number
}

/** diagnostics_channel 'crosstalk:ipc-rpc:pool:health' */
export interface PoolHealthMessage {
  pool: string
  from: PoolHealth
  to: PoolHealth
}
