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

export async function sendRequest(
  dispatcher: Dispatcher,
  request: HttpRequest,
  maxBodyBytes: number,
  signal?: AbortSignal
): Promise<HttpResponse> {
  const res = await dispatcher.request({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body ?? null,
    ...(signal === undefined ? {} : { signal }),
  })
  const chunks: Buffer[] = []
  let size = 0
  let truncated = false
  for await (const chunk of res.body) {
    const buf = chunk as Buffer
    if (size + buf.length > maxBodyBytes) {
      chunks.push(buf.subarray(0, maxBodyBytes - size))
      truncated = true
      res.body.destroy()
      break
    }
    chunks.push(buf)
    size += buf.length
  }
  return {
    status: res.statusCode,
    headers: res.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    truncated,
  }
}
