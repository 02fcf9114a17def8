// undici with keep-alive: one Client (one connection) per VU by default, or one shared Pool.
import { performance } from 'node:perf_hooks'
import { Client, Pool } from 'undici'
import type { Dispatcher } from 'undici'
import { HttpResponse } from './http-response.js'
import { PhaseEndError, RequestDeadlines } from './request-deadlines.js'
import type { Expirable } from './request-deadlines.js'

export interface HttpRequest {
  method: string
  /** Path and query on the target origin. */
  path: string
  headers: Record<string, string>
  body: string | null
}

export interface ConnectionOptions {
  shareConnections: boolean
  /** Connections in the shared pool. */
  connections: number
  timeoutMs: number
  maxBodyBytes: number
}

/** A response whose headers arrived but whose body did not: the target answered, then failed. */
export class PartialResponse extends Error {
  constructor(readonly error: Error & { code?: string }) {
    super(error.message, { cause: error })
  }
}

/** Hands each VU its dispatcher; with shareConnections all VUs use one pool on purpose. */
export class ConnectionPlan {
  readonly #origin: string
  readonly #options: ConnectionOptions
  readonly #perVu = new Map<number, Client>()
  #shared: Pool | undefined
  #closed = false
  /** Every request sent through dispatch() ends by its total deadline (load.timeout). */
  readonly deadlines: RequestDeadlines

  constructor(origin: string, options: ConnectionOptions) {
    this.#origin = origin
    this.#options = options
    this.deadlines = new RequestDeadlines(options.timeoutMs)
  }

  #clientOptions(): Client.Options {
    return {
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: this.#options.timeoutMs,
      bodyTimeout: this.#options.timeoutMs,
      connectTimeout: this.#options.timeoutMs,
      // Browsers take response headers up to 256 KiB (Chromium); undici's 16 KiB default would
      // fail a page a browser shows (200 Set-Cookie headers, say) before the hunter sees it.
      maxHeaderSize: 256 * 1024,
    }
  }

  forVu(vu: number): Dispatcher {
    if (this.#closed) {
      // The run is over; perform-step sees the stop signal and reports nothing.
      throw new Error('connections closed')
    }
    if (this.#options.shareConnections) {
      this.#shared ??= new Pool(this.#origin, {
        ...this.#clientOptions(),
        connections: this.#options.connections,
      })
      return this.#shared
    }
    // A Client is one connection: a single-connection Pool adds a dispatch layer and a drain
    // event per request for nothing.
    let client = this.#perVu.get(vu)
    if (client === undefined) {
      client = new Client(this.#origin, this.#clientOptions())
      this.#perVu.set(vu, client)
    }
    return client
  }

  /**
   * Sends `request` on `vu`'s connection; `sink` hears of it by the deadline at the latest,
   * counted from `startedAt` (performance.now(), default now).
   */
  dispatch(vu: number, request: HttpRequest, sink: ResponseSink, startedAt?: number): void {
    let dispatcher
    try {
      dispatcher = this.forVu(vu)
    } catch (err) {
      sink.onFailure(err as Error)
      return
    }
    dispatchRequest(
      dispatcher,
      request,
      this.#options.maxBodyBytes,
      sink,
      this.deadlines,
      startedAt
    )
  }

  /** dispatch() as a promise. */
  send(vu: number, request: HttpRequest, startedAt?: number): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const sink: ResponseSink = {
        onResponse: resolve,
        onFailure: (error, partial) =>
          reject(partial === true ? new PartialResponse(error) : error),
      }
      this.dispatch(vu, request, sink, startedAt)
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    // Requests in flight end now, whatever undici does with its sockets.
    this.deadlines.expireAll(new PhaseEndError('the run ended'))
    const all: Dispatcher[] = [...this.#perVu.values()]
    if (this.#shared !== undefined) {
      all.push(this.#shared)
    }
    this.#perVu.clear()
    this.#shared = undefined
    // destroy, not close: a run that ends on its deadline must not wait for slow responses.
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)))
  }
}

/**
 * Collects one response. A class, not a literal of closures: one object per request, its methods
 * shared on the prototype. It implements undici's core handler methods (onConnect, onHeaders...),
 * which undici 7 marks deprecated but still calls itself: a handler with the newer onResponse*
 * methods gets wrapped in an adapter per request, which measured ~4 µs of ~40 per request here.
 * The sink hears exactly once: the response, a failure, or the deadline (expire).
 */
class ResponseCollector implements Dispatcher.DispatchHandler, Expirable {
  status = 0
  rawHeaders: Buffer[] = NO_HEADERS
  first: Buffer | undefined = undefined
  chunks: Buffer[] | undefined = undefined
  size = 0
  settled = false
  readonly startedAt: number
  deadlinePrev: Expirable | undefined = undefined
  deadlineNext: Expirable | undefined = undefined
  #abort: ((err?: Error) => void) | undefined = undefined
  readonly #maxBodyBytes: number
  readonly #sink: ResponseSink
  readonly #deadlines: RequestDeadlines | undefined

  constructor(
    maxBodyBytes: number,
    sink: ResponseSink,
    deadlines: RequestDeadlines | undefined,
    startedAt: number
  ) {
    this.#maxBodyBytes = maxBodyBytes
    this.#sink = sink
    this.#deadlines = deadlines
    this.startedAt = startedAt
    deadlines?.track(this)
  }

  #settle(): void {
    this.settled = true
    this.#deadlines?.untrack(this)
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort
    if (this.settled) {
      // Its deadline passed while it waited for a connection.
      abort(new Error('deadline passed before the request was sent'))
    }
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx informational responses come first and carry no body of their own.
    if (statusCode >= 200) {
      this.status = statusCode
      this.rawHeaders = rawHeaders
    }
    return true
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) {
      return false
    }
    const max = this.#maxBodyBytes
    const cut = this.size + chunk.length > max
    if (cut) {
      chunk = chunk.subarray(0, max - this.size)
    }
    this.size += chunk.length
    // Most bodies arrive in one chunk: keep it without an array until a second one comes.
    if (this.first === undefined) {
      this.first = chunk
    } else if (this.chunks === undefined) {
      this.chunks = [this.first, chunk]
    } else {
      this.chunks.push(chunk)
    }
    if (cut) {
      // What is kept is all that will be checked: reading an endless body on would never end.
      this.#deliver(true)
      this.#abort?.(new Error('body cut at load.maxBodyBytes'))
      return false
    }
    return true
  }

  onComplete(): void {
    if (!this.settled) {
      this.#deliver(false)
    }
  }

  onError(error: Error): void {
    if (!this.settled) {
      this.#settle()
      this.#sink.onFailure(error, this.status !== 0)
    }
  }

  expire(error: Error): void {
    if (!this.settled) {
      this.#settle()
      this.#abort?.(error)
      this.#sink.onFailure(error, this.status !== 0)
    }
  }

  #deliver(truncated: boolean): void {
    this.#settle()
    const bytes =
      this.chunks !== undefined ? Buffer.concat(this.chunks, this.size) : (this.first ?? NO_BYTES)
    this.#sink.onResponse(new HttpResponse(this.status, this.rawHeaders, bytes, truncated))
  }
}

const NO_BYTES = new Uint8Array(0)
const NO_HEADERS: Buffer[] = []

/** Where a response (or the failure to get one) goes; called from inside undici's callbacks. */
export interface ResponseSink {
  onResponse(response: HttpResponse): void
  /** `partial`: the status line and headers had arrived, the body did not complete. */
  onFailure(error: Error, partial?: boolean): void
}

/**
 * One request through undici's dispatch API: no Readable stream or async iterator per response,
 * which halves the client's CPU per request against undici's `request()`. `sink` may be called
 * before this returns (a request undici rejects at once).
 */
export function dispatchRequest(
  dispatcher: Dispatcher,
  request: HttpRequest,
  maxBodyBytes: number,
  sink: ResponseSink,
  deadlines?: RequestDeadlines,
  startedAt?: number
): void {
  // Only a deadline needs the start: the caller usually has it already (StepStart).
  const start = deadlines === undefined ? 0 : (startedAt ?? performance.now())
  // The request is undici's options as it is: undici reads them and keeps nothing.
  dispatcher.dispatch(request, new ResponseCollector(maxBodyBytes, sink, deadlines, start))
}

/** dispatchRequest as a promise. */
export function sendRequest(
  dispatcher: Dispatcher,
  request: HttpRequest,
  maxBodyBytes: number,
  deadlines?: RequestDeadlines
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    dispatchRequest(
      dispatcher,
      request,
      maxBodyBytes,
      { onResponse: resolve, onFailure: reject },
      deadlines
    )
  })
}
