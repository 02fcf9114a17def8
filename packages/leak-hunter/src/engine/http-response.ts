import { performance } from 'node:perf_hooks'
import { parseRawHeaders, rawHeaderValues } from './raw-headers.js'
import type { HeaderRecord } from './raw-headers.js'

/** One response as the engine keeps it: the body stays bytes until something needs its text. */
export class HttpResponse {
  readonly status: number
  /** The body as received; the detector reads these bytes, not a decoded string. */
  readonly bytes: Uint8Array
  /** True when the body was cut at maxBodyBytes. */
  readonly truncated: boolean
  /** performance.now() when the response was complete: latency ends here, not when it is handled. */
  readonly receivedAt: number
  #body: string | undefined
  readonly #raw: ReadonlyArray<Buffer | string>
  #headers: HeaderRecord | undefined
  #contentType: string | undefined | null = null

  /** `rawHeaders` as undici hands them over: [name, value, ...]. */
  constructor(
    status: number,
    rawHeaders: ReadonlyArray<Buffer | string>,
    bytes: Uint8Array,
    truncated: boolean
  ) {
    this.status = status
    this.#raw = rawHeaders
    this.bytes = bytes
    this.truncated = truncated
    this.receivedAt = performance.now()
  }

  /**
   * All headers, names lower-cased (parseRawHeaders), parsed on first read. Most responses are
   * only asked for a few headers (header()), and never build this.
   */
  get headers(): HeaderRecord {
    this.#headers ??= parseRawHeaders(this.#raw)
    return this.#headers
  }

  /** Every value of header `name` (lower case), in arrival order; undefined when absent. */
  headerValues(name: string): string[] | undefined {
    if (this.#headers === undefined) {
      return rawHeaderValues(this.#raw, name)
    }
    const value = this.#headers[name]
    return value === undefined ? undefined : Array.isArray(value) ? value : [value]
  }

  /** The first Content-Type, looked up once: the detector and the engine both ask for it. */
  get contentType(): string | undefined {
    if (this.#contentType === null) {
      this.#contentType = this.headerValues('content-type')?.[0]
    }
    return this.#contentType
  }

  /** Header `name` (lower case), repeated values joined with ', '; undefined when absent. */
  header(name: string): string | undefined {
    const values = this.headerValues(name)
    return values === undefined ? undefined : values.length === 1 ? values[0] : values.join(', ')
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
