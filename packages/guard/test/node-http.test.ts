// The node:http adapter on a real server: what leaves the socket in block and report mode, for
// buffered and streamed bodies, heads written early, HEAD/204/304, cookies and guard failures.
import diagnosticsChannel from 'node:diagnostics_channel'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { channels } from '../src/report/diagnostics.js'
import type { LeakMessage } from '../src/report/diagnostics.js'
import { get } from './helpers/http-client.js'
import { closeGuards, JOHN, makeGuard, MARY } from './helpers/make-guard.js'
import { closeAll, listen } from './helpers/servers.js'

afterEach(async () => {
  await closeAll()
  closeGuards()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
type Handler = (req: IncomingMessage, res: ServerResponse) => unknown

/** A server whose every response is for MARY (JOHN is active too), guarded before `handler`. */
async function serve(
  guard: ReturnType<typeof makeGuard>,
  handler: Handler,
  identify: (req: IncomingMessage) => unknown = () => MARY
): Promise<string> {
  guard.activate(JOHN)
  return listen((req, res) => {
    guard.protect(req, res, { identify })
    void handler(req, res)
  })
}

describe('block mode, buffered bodies', () => {
  test('a clean page for its owner leaves byte for byte, with its headers', async () => {
    const guard = makeGuard()
    const page = '<h1>Welcome, Mary Major</h1><p>é ✓</p>'
    const url = await serve(guard, (_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.setHeader('set-cookie', 'theme=dark')
      res.setHeader('x-extra', '1')
      res.end(page)
    })
    const r = await get(url)
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe(page)
    expect(r.headers['set-cookie']).toEqual(['theme=dark'])
    expect(r.headers['x-extra']).toBe('1')
    expect(guard.stats()).toMatchObject({ responses: 1, scanned: 1, leaks: 0, blocked: 0 })
  })

  test("a page with another identity's name becomes a 500 with none of its headers", async () => {
    const guard = makeGuard()
    const leaks: LeakMessage[] = []
    const onLeak = (m: unknown): void => void leaks.push(m as LeakMessage)
    diagnosticsChannel.subscribe(channels.leak, onLeak)
    try {
      const url = await serve(guard, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'sid=abc', 'x-user': 'u1' })
        res.end('<h1>Welcome, John Jones</h1>')
      })
      const r = await get(url)
      expect(r.status).toBe(500)
      expect(r.body.toString()).toBe('Internal Server Error\n')
      expect(r.headers['set-cookie']).toBeUndefined()
      expect(r.headers['x-user']).toBeUndefined()
      expect(r.headers['cache-control']).toBe('no-store')
      expect(guard.stats()).toMatchObject({
        leaks: 1,
        blocked: 1,
        reasons: { 'foreign-identity': 1 },
      })
      expect(leaks).toEqual([
        {
          mode: 'block',
          action: 'blocked',
          reasons: ['foreign-identity'],
          owner: 'u1',
          foreign: [{ id: 'u2', fields: ['displayName'] }],
          method: 'GET',
          path: '/',
          status: 200,
        },
      ])
      expect(JSON.stringify(leaks)).not.toContain('John')
    } finally {
      diagnosticsChannel.unsubscribe(channels.leak, onLeak)
    }
  })

  test("the owner's next body of a page is rescanned where it changed: a name swapped in is caught", async () => {
    const guard = makeGuard()
    let n = 0
    const url = await serve(guard, (_req, res) => {
      n++
      const who = n === 3 ? 'John Jones' : 'Mary Major'
      res.end(
        `<html><body><p>token ${n}</p>${'<p>filler text</p>'.repeat(200)}<h1>${who}</h1></body></html>`
      )
    })
    expect((await get(url)).status).toBe(200)
    expect((await get(url)).status).toBe(200)
    expect((await get(url)).status).toBe(500)
    expect((await get(url)).status).toBe(200)
  })

  test('the path is reported without its query string', async () => {
    const guard = makeGuard()
    const paths: string[] = []
    const onLeak = (m: unknown): void => void paths.push((m as LeakMessage).path)
    diagnosticsChannel.subscribe(channels.leak, onLeak)
    try {
      const url = await serve(guard, (_req, res) => res.end('John Jones'))
      await get(`${url}/account?token=secret`)
      expect(paths).toEqual(['/account'])
    } finally {
      diagnosticsChannel.unsubscribe(channels.leak, onLeak)
    }
  })

  test("expectOwner: a 2xx page without any of its owner's markers is withheld; a 404 is not", async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => MARY, expectOwner: true })
      res.statusCode = req.url === '/missing' ? 404 : 200
      res.end('<h1>Welcome</h1>')
    })
    expect((await get(url)).status).toBe(500)
    expect((await get(`${url}/missing`)).status).toBe(404)
    expect(guard.stats().reasons['owner-missing']).toBe(1)
  })
})

describe('block mode, streamed bodies', () => {
  test('nothing of a streamed body leaves before its end: a leak in the last chunk still gives a clean 500', async () => {
    const guard = makeGuard()
    const url = await serve(guard, async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.flushHeaders()
      res.write('<p>first chunk for Mary Major</p>')
      await sleep(30)
      res.write('<p>second</p>')
      await sleep(30)
      res.end('<p>John Jones</p>')
    })
    const r = await get(url)
    expect(r.status).toBe(500)
    expect(r.body.toString()).not.toContain('first chunk')
  })

  test('a clean stream arrives whole, in order, with write callbacks called', async () => {
    const guard = makeGuard()
    let callbacks = 0
    const url = await serve(guard, async (_req, res) => {
      res.setHeader('content-type', 'application/json')
      for (let i = 0; i < 5; i++) {
        res.write(`{"n":${i}}\n`, () => callbacks++)
        await sleep(5)
      }
      res.end(() => callbacks++)
    })
    const r = await get(url)
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe([0, 1, 2, 3, 4].map((i) => `{"n":${i}}\n`).join(''))
    await sleep(10)
    expect(callbacks).toBe(6)
  })

  test('overflow, fail-closed: a body over maxBufferBytes is a 500, counted as unchecked', async () => {
    const guard = makeGuard({ maxBufferBytes: 16 * 1024, overflow: 'fail-closed' })
    const url = await serve(guard, (_req, res) => {
      res.write('x'.repeat(10_000))
      res.write('y'.repeat(10_000))
      res.end('z')
    })
    const r = await get(url)
    expect(r.status).toBe(500)
    expect(guard.stats()).toMatchObject({ unchecked: { overflow: 1 }, failedClosed: 1, leaks: 0 })
  })

  test('overflow, fail-open: a leak in the held part is still stopped', async () => {
    const guard = makeGuard({ maxBufferBytes: 16 * 1024 })
    const url = await serve(guard, (_req, res) => {
      res.write('John Jones ' + 'x'.repeat(20_000))
      res.end('tail')
    })
    expect((await get(url)).status).toBe(500)
    expect(guard.stats()).toMatchObject({ blocked: 1, unchecked: { overflow: 1 } })
  })

  test('overflow, fail-open: a clean start streams on whole; a leak past the held part is reported as passed', async () => {
    const guard = makeGuard({ maxBufferBytes: 16 * 1024 })
    const filler = 'x'.repeat(20_000)
    const url = await serve(guard, async (_req, res) => {
      res.write(filler)
      await sleep(10)
      res.write(filler)
      res.end('<b>John Jones</b>')
    })
    const r = await get(url)
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe(filler + filler + '<b>John Jones</b>')
    expect(guard.stats()).toMatchObject({
      passed: 1,
      blocked: 0,
      unchecked: { overflow: 1 },
      failedOpen: 1,
    })
  })

  test('a marker cut by a window edge is still found', async () => {
    const guard = makeGuard({ mode: 'report', maxBufferBytes: 16 * 1024 })
    const url = await serve(guard, (_req, res) => {
      res.write('x'.repeat(16 * 1024 - 5) + ' John')
      res.end(' Jones and more')
    })
    await get(url)
    expect(guard.stats()).toMatchObject({ reported: 1 })
  })
})
