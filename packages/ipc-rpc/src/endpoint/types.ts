// The typed surface shared by both sides of a channel: one Api type describes what a side exposes.
import type { ErrorClasses } from '../protocol/error-codec.js'

// `any` in parameter position is what lets every concrete method type be assignable to Api.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Api = Record<string, (...args: any[]) => unknown>

export interface CallOptions {
  /** deadline for this call in ms, from dispatch; overrides the endpoint default; 0 = none */
  timeoutMs?: number
  signal?: AbortSignal
}

export interface CallContext {
  /** fires when the caller cancels (abort or timeout) or the channel closes */
  readonly signal: AbortSignal
  readonly callId: number
  readonly method: string
}

export type Handlers<A extends Api> = {
  [K in keyof A]: (
    ...args: [...Parameters<A[K]>, CallContext]
  ) => Awaited<ReturnType<A[K]>> | Promise<Awaited<ReturnType<A[K]>>>
}

export interface EndpointOptions<Local extends Api> {
  /** methods this side exposes to the other side */
  handlers?: Handlers<Local>
  /** default per-call deadline in ms, measured from dispatch; 0 or undefined = none */
  timeoutMs?: number
  /** calls sent and not yet settled; default 1024 */
  maxInFlight?: number
  /** calls waiting for a slot or for send() backpressure; default 10_000 */
  maxQueue?: number
  /** remote error name -> local class to rebuild it with */
  errorClasses?: ErrorClasses
  /** shown in diagnostics messages */
  name?: string
  /**
   * most messages written as one batch; messages sent within one tick share a write (fewer
   * syscalls and peer wake-ups under load). Default 32; 1 writes every message on its own.
   */
  maxBatch?: number
}

export interface EndpointStats {
  inFlight: number
  queued: number
  sent: number
  settled: number
  timeouts: number
  cancelled: number
  dropped: { unknown: number; late: number; duplicate: number; malformed: number }
  /** non-rpc messages seen and passed through */
  foreign: number
}

export type RemoteMethods<Remote extends Api> = {
  [K in keyof Remote]: (...args: Parameters<Remote[K]>) => Promise<Awaited<ReturnType<Remote[K]>>>
}

export interface Endpoint<Remote extends Api> {
  call<M extends keyof Remote & string>(
    method: M,
    ...args: Parameters<Remote[M]>
  ): Promise<Awaited<ReturnType<Remote[M]>>>
  callWith<M extends keyof Remote & string>(
    options: CallOptions,
    method: M,
    ...args: Parameters<Remote[M]>
  ): Promise<Awaited<ReturnType<Remote[M]>>>
  readonly remote: RemoteMethods<Remote>
  stats(): EndpointStats
  /** calls sent and not yet settled (cheaper than stats() for load balancing) */
  readonly inFlight: number
  readonly closed: boolean
  /** round trip of a ping answered by the other endpoint itself; resolves with the time in ms */
  ping(options?: CallOptions): Promise<number>
  /** rejects every pending and queued call with RPC_ERR_CLOSED and releases listeners and timers */
  close(reason?: Error): void
}

export const ENDPOINT_DEFAULTS = {
  timeoutMs: 0,
  maxInFlight: 1024,
  maxQueue: 10_000,
  maxBatch: 32,
  name: 'ipc-rpc',
} as const
