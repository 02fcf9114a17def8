// undici with keep-alive: one Client (one connection) per VU by default, or one shared Pool.
import { Client, Pool } from 'undici'
import type { Dispatcher } from 'undici'
import { HttpResponse } from './http-response.js'

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

/** Hands each VU its dispatcher; with shareConnections all VUs use one pool on purpose. */
export class ConnectionPlan {
  readonly #origin: string
  readonly #options: ConnectionOptions
  readonly #perVu = new Map<number, Client>()
  #shared: Pool | undefined
  #closed = false

  constructor(origin: string, options: ConnectionOptions) {
    this.#origin = origin
    this.#options = options
  }

  #clientOptions(): Client.Options {
    return {
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: this.#options.timeoutMs,
      bodyTimeout: this.#options.timeoutMs,
      connectTimeout: this.#options.timeoutMs,
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

  async close(): Promise<void> {
    this.#closed = true
    const all: Dispatcher[] = [...this.#perVu.values()]
    if (this.#shared !== undefined) {
      all.push(this.#shared)
    }
    this.#perVu.clear()
    this.#shared = undefined
    // destroy, not close: a run that ends on its deadline must not wait for slow responses.
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)))
  }

  get maxBodyBytes(): number {
    return this.#options.maxBodyBytes
  }
}

/**
 * Collects one response. A class, not a literal of closures: one object per request, its methods
 * shared on the prototype. It implements undici's core handler methods (onConnect, onHeaders...),
 * which undici 7 marks deprecated but still calls itself: a handler with the newer onResponse*
 * methods gets wrapped in an adapter per request, which measured ~4 µs of ~40 per request here.
 */
class ResponseCollector implements Dispatcher.DispatchHandler {
  status = 0
  rawHeaders: Buffer[] = NO_HEADERS
  first: Buffer | undefined = undefined
  chunks: Buffer[] | undefined = undefined
  size = 0
  truncated = false
  readonly #maxBodyBytes: number
  readonly #sink: ResponseSink

  constructor(maxBodyBytes: number, sink: ResponseSink) {
    this.#maxBodyBytes = maxBodyBytes
    this.#sink = sink
  }

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx informational responses come first and carry no body of their own.
    if (statusCode >= 200) {
      this.status = statusCode
      this.rawHeaders = rawHeaders
    }
    return true
  }

  onData(chunk: Buffer): boolean {
    if (this.truncated) {
      return true
    }
    const max = this.#maxBodyBytes
    if (this.size + chunk.length > max) {
      chunk = chunk.subarray(0, max - this.size)
      this.truncated = true
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
    return true
  }

  onComplete(): void {
    const bytes =
      this.chunks !== undefined ? Buffer.concat(this.chunks, this.size) : (this.first ?? NO_BYTES)
    this.#sink.onResponse(new HttpResponse(this.status, this.rawHeaders, bytes, this.truncated))
  }

  onError(error: Error): void {
    this.#sink.onFailure(error)
  }
}

const NO_BYTES = new Uint8Array(0)
const NO_HEADERS: Buffer[] = []

/** Where a response (or the failure to get one) goes; called from inside undici's callbacks. */
export interface ResponseSink {
  onResponse(response: HttpResponse): void
  onFailure(error: Error): void
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
  sink: ResponseSink
): void {
  // The request is undici's options as it is: undici reads them and keeps nothing.
  dispatcher.dispatch(request, new ResponseCollector(maxBodyBytes, sink))
}

/** dispatchRequest as a promise. */
export function sendRequest(
  dispatcher: Dispatcher,
  request: HttpRequest,
  maxBodyBytes: number
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    dispatchRequest(dispatcher, request, maxBodyBytes, { onResponse: resolve, onFailure: reject })
  })
}
