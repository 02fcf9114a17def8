// undici with keep-alive: one single-connection Pool per VU by default, or one shared Pool.
import { Pool } from 'undici'
import type { Dispatcher } from 'undici'

export interface HttpRequest {
  method: string
  /** Path and query on the target origin. */
  path: string
  headers: Record<string, string>
  body: string | undefined
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** True when the body was cut at maxBodyBytes. */
  truncated: boolean
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
  readonly #perVu = new Map<number, Pool>()
  #shared: Pool | undefined
  #closed = false

  constructor(origin: string, options: ConnectionOptions) {
    this.#origin = origin
    this.#options = options
  }

  #pool(connections: number): Pool {
    return new Pool(this.#origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: this.#options.timeoutMs,
      bodyTimeout: this.#options.timeoutMs,
      connectTimeout: this.#options.timeoutMs,
    })
  }

  forVu(vu: number): Dispatcher {
    if (this.#closed) {
      // The run is over; perform-step sees the stop signal and reports nothing.
      throw new Error('connections closed')
    }
    if (this.#options.shareConnections) {
      this.#shared ??= this.#pool(this.#options.connections)
      return this.#shared
    }
    let pool = this.#perVu.get(vu)
    if (pool === undefined) {
      pool = this.#pool(1)
      this.#perVu.set(vu, pool)
    }
    return pool
  }

  async close(): Promise<void> {
    this.#closed = true
    const pools = [...this.#perVu.values(), ...(this.#shared === undefined ? [] : [this.#shared])]
    this.#perVu.clear()
    this.#shared = undefined
    // destroy, not close: a run that ends on its deadline must not wait for slow responses.
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)))
  }

  get maxBodyBytes(): number {
    return this.#options.maxBodyBytes
  }
}

/**
 * One request through undici's dispatch API: no Readable stream or async iterator per response,
 * which halves the client's CPU per request against undici's `request()`.
 */
export function sendRequest(
  dispatcher: Dispatcher,
  request: HttpRequest,
  maxBodyBytes: number
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let status = 0
    let headers: Record<string, string | string[] | undefined> = {}
    const chunks: Buffer[] = []
    let size = 0
    let truncated = false
    dispatcher.dispatch(
      {
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body ?? null,
      },
      {
        // Its presence tells undici this is a new-style (v7) handler.
        onRequestStart() {},
        onResponseStart(_controller, statusCode, responseHeaders) {
          // 1xx informational responses come first and carry no body of their own.
          if (statusCode >= 200) {
            status = statusCode
            headers = responseHeaders
          }
        },
        onResponseData(_controller, chunk) {
          if (truncated) {
            return
          }
          if (size + chunk.length > maxBodyBytes) {
            chunks.push(chunk.subarray(0, maxBodyBytes - size))
            size = maxBodyBytes
            truncated = true
            return
          }
          chunks.push(chunk)
          size += chunk.length
        },
        onResponseEnd() {
          const body =
            chunks.length === 1
              ? chunks[0]!.toString('utf8')
              : Buffer.concat(chunks, size).toString('utf8')
          resolve({ status, headers, body, truncated })
        },
        onResponseError(_controller, error) {
          reject(error)
        },
      }
    )
  })
}
