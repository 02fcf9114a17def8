// A raw HTTP/1.1 client for the tests: the bytes as they arrived (no decompression), or how the
// connection failed, so a test sees exactly what left the server.
import { request } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** Set when the connection broke before the body ended (a cut response). */
  error?: Error
}

export function get(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {}
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        const done = (error?: Error): void =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ...(error === undefined ? {} : { error }),
          })
        res.on('end', () => done())
        res.on('error', (err) => done(err))
        res.on('aborted', () => done(new Error('aborted')))
      }
    )
    req.on('error', reject)
    req.end()
  })
}
