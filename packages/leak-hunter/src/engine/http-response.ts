import { performance } from 'node:perf_hooks'
import type { HeaderRecord } from './raw-headers.js'

/** One response as the engine keeps it: the body stays bytes until something needs its text. */
export class HttpResponse {
  readonly status: number
  readonly headers: HeaderRecord
  /** The body as received; the detector reads these bytes, not a decoded string. */
  readonly bytes: Uint8Array
  /** True when the body was cut at maxBodyBytes. */
  readonly truncated: boolean
  /** performance.now() when the response was complete: latency ends here, not when it is handled. */
  readonly receivedAt: number
  #body: string | undefined

  constructor(status: number, headers: HeaderRecord, bytes: Uint8Array, truncated: boolean) {
    this.status = status
    this.headers = headers
    this.bytes = bytes
    this.truncated = truncated
    this.receivedAt = performance.now()
  }

  /** The body as UTF-8 text, decoded on first read (only extraction needs it). */
  get body(): string {
    this.#body ??= Buffer.from(
      this.bytes.buffer,
      this.bytes.byteOffset,
      this.bytes.length
    ).toString('utf8')
    return this.#body
  }
}
