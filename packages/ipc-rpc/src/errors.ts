// Every error this package throws or rejects with. Match on `err.code`, never on message text:
// the codes are the stable contract and are listed in the README's Errors table.

/** All codes are `RPC_ERR_*`; a template type lets later modules add codes without a shared tuple. */
export type RpcErrorCode = `RPC_ERR_${string}`

export class RpcError extends Error {
  readonly code: RpcErrorCode
  constructor(code: RpcErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** The call got no reply within its deadline (measured from dispatch). */
export class TimeoutError extends RpcError {
  readonly method: string
  readonly callId: number
  readonly timeoutMs: number
  constructor(method: string, callId: number, timeoutMs: number) {
    super('RPC_ERR_TIMEOUT', `call "${method}" (#${callId}) got no reply within ${timeoutMs} ms`)
    this.method = method
    this.callId = callId
    this.timeoutMs = timeoutMs
  }
}

/** The caller's AbortSignal fired; `cause` is the signal's reason. */
export class AbortedError extends RpcError {
  readonly method: string
  readonly callId: number
  constructor(method: string, callId: number, reason: unknown) {
    super('RPC_ERR_ABORTED', `call "${method}" (#${callId}) was aborted`, { cause: reason })
    this.method = method
    this.callId = callId
  }
}

/** The endpoint was closed locally before the call settled, or a call was made after close(). */
export class ClosedError extends RpcError {
  readonly method: string | undefined
  readonly callId: number | undefined
  constructor(method?: string, callId?: number, reason?: Error) {
    const what = method === undefined ? 'endpoint' : `call "${method}" (#${callId ?? '?'})`
    super('RPC_ERR_CLOSED', `${what}: endpoint is closed`, reason ? { cause: reason } : undefined)
    this.method = method
    this.callId = callId
  }
}

export interface PeerGoneDetails {
  reason: 'exit' | 'disconnect' | 'error' | 'close'
  pid?: number | undefined
  threadId?: number | undefined
  exitCode?: number | null | undefined
  signal?: string | null | undefined
  method?: string | undefined
  callId?: number | undefined
  error?: Error | undefined
}

/** The other side exited, disconnected, errored or closed its port while the call was in flight. */
export class PeerGoneError extends RpcError {
  readonly reason: PeerGoneDetails['reason']
  readonly pid: number | undefined
  readonly threadId: number | undefined
  readonly exitCode: number | null
  readonly signal: string | null
  readonly method: string | undefined
  readonly callId: number | undefined
  constructor(d: PeerGoneDetails) {
    const who =
      d.pid !== undefined
        ? `pid ${d.pid}`
        : d.threadId !== undefined
          ? `thread ${d.threadId}`
          : 'peer'
    const call = d.method === undefined ? '' : ` during call "${d.method}" (#${d.callId ?? '?'})`
    const how = `${d.reason}, exit code ${String(d.exitCode ?? null)}, signal ${String(d.signal ?? null)}`
    super(
      'RPC_ERR_PEER_GONE',
      `${who} is gone${call} (${how})`,
      d.error ? { cause: d.error } : undefined
    )
    this.reason = d.reason
    this.pid = d.pid
    this.threadId = d.threadId
    this.exitCode = d.exitCode ?? null
    this.signal = d.signal ?? null
    this.method = d.method
    this.callId = d.callId
  }
}

/** The remote handler threw; the remote name, code and stack are kept. Own props are copied on. */
export class RemoteError extends RpcError {
  readonly remoteName: string
  readonly remoteCode: unknown
  readonly remoteStack: string | undefined
  /** For a remote AggregateError: its decoded `errors`. */
  readonly errors: unknown[] | undefined
  /** When the handler threw a non-Error value (remoteName 'NonError'): that value. */
  readonly thrown: unknown
  constructor(
    message: string,
    remote: {
      name: string
      code?: unknown
      stack?: string | undefined
      errors?: unknown[] | undefined
      thrown?: unknown
    },
    options?: ErrorOptions
  ) {
    super('RPC_ERR_REMOTE', message, options)
    this.remoteName = remote.name
    this.remoteCode = remote.code
    this.remoteStack = remote.stack
    this.errors = remote.errors
    this.thrown = remote.thrown
  }
}

/** The other side exposes no handler with that name. */
export class MethodNotFoundError extends RpcError {
  readonly method: string
  readonly callId: number | undefined
  constructor(method: string, callId?: number) {
    super('RPC_ERR_METHOD_NOT_FOUND', `no handler for method "${method}"`)
    this.method = method
    this.callId = callId
  }
}

/** An argument or reply could not be serialized by the channel's serializer (json or advanced). */
export class UnserializableError extends RpcError {
  readonly method: string
  readonly callId: number | undefined
  constructor(method: string, what: 'arguments' | 'reply', cause?: unknown, callId?: number) {
    const call = callId === undefined ? `"${method}"` : `"${method}" (#${callId})`
    super('RPC_ERR_UNSERIALIZABLE', `the ${what} of call ${call} cannot be serialized`, {
      cause,
    })
    this.method = method
    this.callId = callId
  }
}

/** The queue of calls waiting for a slot or for backpressure to clear is full. */
export class QueueFullError extends RpcError {
  readonly method: string
  readonly maxQueue: number
  constructor(method: string, maxQueue: number) {
    super('RPC_ERR_QUEUE_FULL', `call "${method}" rejected: queue is full (maxQueue ${maxQueue})`)
    this.method = method
    this.maxQueue = maxQueue
  }
}

/** The call waited in the pool's queue for a free child longer than its queueTimeoutMs. */
export class QueueTimeoutError extends RpcError {
  readonly method: string
  readonly queueTimeoutMs: number
  constructor(method: string, queueTimeoutMs: number) {
    super(
      'RPC_ERR_QUEUE_TIMEOUT',
      `call "${method}" waited ${queueTimeoutMs} ms in the pool's queue without a free child`
    )
    this.method = method
    this.queueTimeoutMs = queueTimeoutMs
  }
}

/** An option or argument had a bad value; `option` names it. */
export class BadOptionError extends RpcError {
  readonly option: string
  constructor(option: string, message: string) {
    super('RPC_ERR_BAD_OPTION', `option "${option}": ${message}`)
    this.option = option
  }
}

/** serve() was called in a process or thread that has no parent channel. */
export class NoParentError extends RpcError {
  constructor() {
    super(
      'RPC_ERR_NO_PARENT',
      'serve() needs a parent channel: run it in a forked child (with IPC) or a worker thread'
    )
  }
}

/** The pool is closing or closed (or destroyed): the call was not accepted or not finished. */
export class PoolClosedError extends RpcError {
  readonly method: string | undefined
  constructor(method?: string, detail = 'the pool is closed') {
    super('RPC_ERR_POOL_CLOSED', method === undefined ? detail : `call "${method}": ${detail}`)
    this.method = method
  }
}

/** Why the pool counted a child as failed; the last one is carried by PoolFailingError. */
export interface ChildFailure {
  pid: number
  /** exit: died unexpectedly; start: no ready handshake in time; hung: missed a heartbeat; spawn: fork() threw */
  reason: 'exit' | 'start' | 'hung' | 'spawn'
  exitCode: number | null
  signal: string | null
  /** the end of what the child wrote to stderr (with `stdio: 'pipe'`), else undefined */
  stderr: string | undefined
  /** the error behind it, when there was one (fork() threw, the channel broke) */
  error?: Error | undefined
}

function describeFailure(f: ChildFailure): string {
  const who = f.pid > 0 ? `pid ${f.pid}` : 'a child'
  const how = `exit code ${String(f.exitCode)}, signal ${String(f.signal)}`
  switch (f.reason) {
    case 'spawn':
      return `fork() failed: ${f.error?.message ?? 'unknown error'}`
    case 'start':
      return `${who} did not become ready (${how})`
    case 'hung':
      return `${who} missed its heartbeat (${how})`
    case 'exit':
      return `${who} exited (${how})`
  }
}

/**
 * The pool's crash-loop breaker tripped: it stopped restarting children and rejects calls until
 * a probe child starts after the cool-down. Carries the last failure (exit code, signal, stderr).
 */
export class PoolFailingError extends RpcError {
  readonly method: string | undefined
  readonly lastFailure: ChildFailure | undefined
  readonly pid: number | undefined
  readonly exitCode: number | null
  readonly signal: string | null
  readonly stderr: string | undefined
  constructor(
    method?: string,
    detail = 'children keep failing, restarts stopped',
    lastFailure?: ChildFailure
  ) {
    const why =
      lastFailure === undefined ? detail : `${detail}; last: ${describeFailure(lastFailure)}`
    super(
      'RPC_ERR_POOL_FAILING',
      method === undefined ? why : `call "${method}": ${why}`,
      lastFailure?.error === undefined ? undefined : { cause: lastFailure.error }
    )
    this.method = method
    this.lastFailure = lastFailure
    this.pid = lastFailure?.pid
    this.exitCode = lastFailure?.exitCode ?? null
    this.signal = lastFailure?.signal ?? null
    this.stderr = lastFailure?.stderr
  }
}

/** The call was in flight on a child that stopped answering heartbeats and was killed. */
export class ChildHungError extends RpcError {
  readonly pid: number
  readonly method: string
  readonly callId: number | undefined
  constructor(
    pid: number,
    method: string,
    callId: number | undefined,
    waitedMs: number,
    cause?: Error
  ) {
    super(
      'RPC_ERR_CHILD_HUNG',
      `call "${method}" (#${callId ?? '?'}): pid ${pid} missed a heartbeat for ${waitedMs} ms and was killed`,
      cause === undefined ? undefined : { cause }
    )
    this.pid = pid
    this.method = method
    this.callId = callId
  }
}
