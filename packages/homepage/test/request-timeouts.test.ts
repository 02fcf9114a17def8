// Slow clients cannot hold a connection open: the whole request (headers and body) must arrive
// within requestTimeoutMs, the headers within headersTimeoutMs. Raw sockets on 127.0.0.1.
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { AppOptions } from '../src/config.js'
import type { SeededDb } from './helpers/app-fixture.js'
import { seedTempDb } from './helpers/app-fixture.js'
import type { Served } from './helpers/http-client.js'
import { serve } from './helpers/http-client.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

let seeded: SeededDb
beforeAll(async () => {
  seeded = await seedTempDb(1, 3)
})
afterAll(() => seeded.cleanup())

/** Runs `fn` against its own server (the tests run concurrently, each closes its own). */
async function withServer<T>(options: AppOptions, fn: (served: Served) => Promise<T>): Promise<T> {
  const served = await serve({
    db: seeded.db,
    createRenderer: stubFactory(createStubRenderer()),
    ...options,
  })
  try {
    return await fn(served)
  } finally {
    await served.close()
  }
}

interface Dribbled {
  /** Milliseconds from connecting until the server closed the connection (or gave up waiting). */
  ms: number
  closed: boolean
  response: string
}

/** Sends `head` at once, then one byte of `rest` every `everyMs`, until the server closes. */
function dribble(url: string, head: string, rest: string, everyMs: number, giveUpMs: number) {
  const { port } = new URL(url)
  return new Promise<Dribbled>((resolve) => {
    const started = performance.now()
    const socket = connect(Number(port), '127.0.0.1')
    let response = ''
    let sent = 0
    const timer = setInterval(() => {
      if (sent < rest.length && socket.writable) {
        socket.write(rest[sent++]!)
      }
    }, everyMs)
    const finish = (closed: boolean): void => {
      clearInterval(timer)
      clearTimeout(giveUp)
      socket.destroy()
      resolve({ ms: performance.now() - started, closed, response })
    }
    const giveUp = setTimeout(() => finish(false), giveUpMs)
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (response += chunk))
    socket.on('error', () => {})
    socket.on('close', () => finish(true))
    socket.write(head)
  })
}

const slowBody = (url: string, everyMs: number, giveUpMs: number) =>
  dribble(
    url,
    'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n',
    'username=a&password=b&'.padEnd(200, 'x'),
    everyMs,
    giveUpMs
  )

describe('bug: there was no overall request timeout', () => {
  test.concurrent(
    'defaults: a POST /login dribbling its body is answered 408 and closed within 10 s',
    async () => {
      const r = await withServer({}, async ({ url, app }) => {
        expect(app.server.requestTimeout).toBe(10_000)
        return slowBody(url, 1000, 14_000)
      })
      expect(r.closed, 'the server still held the connection').toBe(true)
      expect(r.response).toMatch(/^HTTP\/1\.1 408/)
      // Node checks timeouts once a second, so up to 1 s late.
      expect(r.ms).toBeGreaterThan(9_000)
      expect(r.ms).toBeLessThan(12_000)
    },
    30_000
  )

  test.concurrent(
    'requestTimeoutMs: 2000 closes a dribbling body after about 2 s',
    async () => {
      const r = await withServer({ requestTimeoutMs: 2000 }, ({ url }) => slowBody(url, 300, 8000))
      expect(r.closed).toBe(true)
      expect(r.response).toMatch(/^HTTP\/1\.1 408/)
      expect(r.ms).toBeGreaterThan(1_800)
      expect(r.ms).toBeLessThan(3_500)
    },
    30_000
  )

  test.concurrent(
    'headers dribbled a line at a time are cut off at headersTimeoutMs',
    async () => {
      const lines = Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: y\r\n`).join('')
      const r = await withServer({ requestTimeoutMs: 4000, headersTimeoutMs: 1500 }, ({ url }) =>
        dribble(url, 'GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n', lines, 100, 8000)
      )
      expect(r.closed).toBe(true)
      expect(r.ms).toBeLessThan(3_500)
    },
    30_000
  )

  test.concurrent(
    'a request that arrives in time is unaffected',
    async () => {
      const head = 'GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n'
      const r = await withServer({ requestTimeoutMs: 2000 }, ({ url }) =>
        dribble(url, head, '\r\n', 200, 5000)
      )
      expect(r.response).toMatch(/^HTTP\/1\.1 200/)
    },
    30_000
  )
})
