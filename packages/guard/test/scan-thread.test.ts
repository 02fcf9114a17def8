// `threadBytes`: whole bodies from that size on are scanned on a real worker thread, with the same
// verdicts as on the event loop, against every identity change made before them; a thread that
// dies or throws leaves no body unchecked, and close() leaves nothing running or pending.
import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'
import cookie from '@fastify/cookie'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, test } from 'vitest'
import { createDetectScanner } from '../src/detection/detect-scanner.js'
import { spawnScanThread, withScanThread } from '../src/detection/scan-thread.js'
import type { SpawnThread } from '../src/detection/scan-thread.js'
import { createGuardWith } from '../src/guard.js'
import type { Guard } from '../src/guard.js'
import { resolveOptions } from '../src/options.js'
import type { GuardOptions } from '../src/options.js'
import { get } from './helpers/http-client.js'
import { closeGuards, JOHN, makeGuard, MARY } from './helpers/make-guard.js'
import { closeAll, listen } from './helpers/servers.js'

const apps: FastifyInstance[] = []
const closers: Array<{ close(): void }> = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
  await closeAll()
  closeGuards()
  closers.splice(0).forEach((c) => c.close())
})

const THREAD_BYTES = 64 * 1024
/** About 200 KB: over THREAD_BYTES. */
const big = (name: string): string =>
  `<html><body><h1>Welcome, ${name}</h1>${'<p>lorem ipsum dolor</p>'.repeat(8000)}</body></html>`
const small = (name: string): string => `<html><body><h1>Welcome, ${name}</h1></body></html>`

async function fastifyWith(guard: Guard, routes: (app: FastifyInstance) => void): Promise<string> {
  const app = Fastify()
  apps.push(app)
  await app.register(cookie)
  await app.register(guard.fastify, { identify: () => MARY })
  routes(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
}

/** A node:http server whose every HTML response is for MARY, guarded, with JOHN active too. */
function httpWith(
  guard: Guard,
  send: (req: IncomingMessage, res: ServerResponse) => void
): Promise<string> {
  guard.activate(JOHN)
  return listen((req, res) => {
    guard.protect(req, res, { identify: () => MARY })
    res.setHeader('content-type', 'text/html')
    send(req, res)
  })
}

const html =
  (body: string) => (_req: unknown, reply: { type(t: string): { send(b: unknown): unknown } }) =>
    reply.type('text/html').send(body)

const OPTIONS: GuardOptions = {
  markers: { text: ['displayName', 'email'], ids: [{ field: 'userId', json: ['userId'] }] },
  sessionCookies: ['sid'],
  threadBytes: THREAD_BYTES,
}

/** A guard whose scan thread is `spawn`'s worker (one that misbehaves). */
function guardWithThread(spawn: SpawnThread): Guard {
  const guard = createGuardWith(resolveOptions(OPTIONS), (config) =>
    withScanThread(createDetectScanner(config), config, THREAD_BYTES, spawn)
  )
  closers.push(guard)
  return guard
}

/** A worker that runs `code` (CommonJS, `parentPort` in scope) instead of the scan thread. */
const fakeThread =
  (code: string): SpawnThread =>
  () =>
    new Worker(`const { parentPort } = require('node:worker_threads');\n${code}`, { eval: true })

describe('threadBytes: large bodies on the scan thread', () => {
  test('Fastify: large pages are scanned on the thread with the same verdicts; small ones stay on the event loop', async () => {
    const guard = makeGuard({ threadBytes: THREAD_BYTES })
    guard.activate(JOHN)
    const url = await fastifyWith(guard, (app) => {
      app.get('/big-clean', html(big('Mary Major')))
      app.get('/big-leak', html(big('John Jones')))
      app.get('/small-leak', html(small('John Jones')))
      app.get('/big-stream-leak', (_req, reply) =>
        reply.type('text/html').send(Readable.from([big('Mary Major'), '<p>John Jones</p>']))
      )
      app.get('/big-json', () => ({ userId: 102, padding: 'x'.repeat(THREAD_BYTES) }))
    })
    const clean = await get(`${url}/big-clean`)
    expect(clean.status).toBe(200)
    expect(clean.body.toString()).toBe(big('Mary Major'))
    expect((await get(`${url}/big-leak`)).status).toBe(500)
    expect((await get(`${url}/big-stream-leak`)).status).toBe(500)
    expect((await get(`${url}/big-json`)).status).toBe(500)
    expect((await get(`${url}/small-leak`)).status).toBe(500)
    const stats = guard.stats()
    expect(stats.index.thread).toEqual({ scans: 4, fallbacks: 0, running: true })
    expect(stats.blocked).toBe(4)
    expect(stats.scanned).toBe(5)
  })

  test('node:http: a large body written in parts is held, scanned on the thread and blocked', async () => {
    const guard = makeGuard({ threadBytes: THREAD_BYTES })
    const url = await httpWith(guard, (_req, res) => {
      res.write(big('Mary Major'))
      setTimeout(() => res.end('<p>mail john@example.test</p>'), 5)
    })
    const response = await get(url)
    expect(response.status).toBe(500)
    expect(response.body.toString()).not.toContain('john@example.test')
    expect(guard.stats().index.thread?.scans).toBe(1)
  })

  test('node:http: a large body sent whole by end() is scanned once', async () => {
    const guard = makeGuard({ threadBytes: THREAD_BYTES })
    const url = await httpWith(guard, (req, res) => {
      res.end(req.url === '/leak' ? big('John Jones') : big('Mary Major'))
    })
    const clean = await get(`${url}/clean`)
    expect(clean.status).toBe(200)
    expect(clean.body.toString()).toBe(big('Mary Major'))
    expect((await get(`${url}/leak`)).status).toBe(500)
    expect(guard.stats().index.thread).toEqual({ scans: 2, fallbacks: 0, running: true })
    expect(guard.stats().scanned).toBe(2)
  })

  test('an identity activated just before a response is in the index the thread scans it with', async () => {
    const guard = makeGuard({ threadBytes: THREAD_BYTES })
    const ann = { id: 'u3', markers: { displayName: 'Ann Smith', email: 'ann@example.test' } }
    const url = await fastifyWith(guard, (app) => {
      app.get('/ann', (_req, reply) => {
        guard.activate(ann)
        return reply.type('text/html').send(big('Mary Major') + '<p>Ann Smith</p>')
      })
    })
    expect((await get(`${url}/ann`)).status).toBe(500)
    expect(guard.stats().index.thread?.scans).toBe(1)
  })

  test("a route's allowlist holds on the thread too", async () => {
    const guard = makeGuard({ threadBytes: THREAD_BYTES })
    guard.activate(JOHN)
    const team = `<aside class="team">John Jones</aside>`
    const url = await fastifyWith(guard, (app) => {
      const config = { guard: { allowlist: [{ selector: 'aside.team' }] } }
      app.get('/team', { config }, html(big('Mary Major') + team))
      app.get('/team-leak', { config }, html(big('Mary Major') + team + '<p>John Jones</p>'))
    })
    expect((await get(`${url}/team`)).status).toBe(200)
    expect((await get(`${url}/team-leak`)).status).toBe(500)
    expect(guard.stats().index.thread?.scans).toBe(2)
  })

  test('a message the thread cannot be sent (a rule carrying a function): the event loop scans from then on', async () => {
    const guard = makeGuard({ threadBytes: THREAD_BYTES })
    guard.activate(JOHN)
    const url = await fastifyWith(guard, (app) => {
      const rule = { selector: 'aside.team', note: () => 'team' }
      app.get('/team-leak', { config: { guard: { allowlist: [rule] } } }, html(big('John Jones')))
    })
    expect((await get(`${url}/team-leak`)).status).toBe(500)
    expect(guard.stats().index.thread).toEqual({ scans: 0, fallbacks: 1, running: false })
  })

  test('a thread that exits: what it was asked is scanned on the event loop, and every body after', async () => {
    const guard = guardWithThread(
      fakeThread(
        `parentPort.on('message', (batch) => { if (batch.some((m) => m.t === 'scan')) process.exit(3) })`
      )
    )
    guard.activate(JOHN)
    const url = await fastifyWith(guard, (app) => {
      app.get('/big-leak', html(big('John Jones')))
      app.get('/big-clean', html(big('Mary Major')))
    })
    expect((await get(`${url}/big-leak`)).status).toBe(500)
    expect(guard.stats().index.thread).toEqual({ scans: 0, fallbacks: 1, running: false })
    expect((await get(`${url}/big-leak`)).status).toBe(500)
    expect((await get(`${url}/big-clean`)).status).toBe(200)
    // After it stopped, bodies are not offered to it at all: no more fallbacks.
    expect(guard.stats().index.thread).toEqual({ scans: 0, fallbacks: 1, running: false })
    expect(guard.stats().blocked).toBe(2)
  })

  test('a scan the thread fails on is scanned on the event loop; the thread keeps serving', async () => {
    const guard = guardWithThread(
      fakeThread(
        `parentPort.on('message', (batch) => { const r = batch.filter((m) => m.t === 'scan').map((m) => ({ seq: m.seq, error: 'boom' })); if (r.length > 0) parentPort.postMessage(r) })`
      )
    )
    guard.activate(JOHN)
    const url = await fastifyWith(guard, (app) => {
      app.get('/big-leak', html(big('John Jones')))
    })
    expect((await get(`${url}/big-leak`)).status).toBe(500)
    expect(guard.stats().index.thread).toEqual({ scans: 0, fallbacks: 1, running: true })
  })

  test('close(): a scan in flight is finished on the event loop, and the thread exits', async () => {
    const config = resolveOptions(OPTIONS)
    let worker: Worker | undefined
    const scanner = withScanThread(createDetectScanner(config), config, 0, (c) => {
      worker = spawnScanThread(c)
      return worker
    })
    closers.push(scanner)
    scanner.set({ id: 'u2', fields: { displayName: 'John Jones' } })
    await scanner.flush()
    const inFlight = scanner.offload!('<p>John Jones</p>', 'text/html', 'u1', 'GET /')
    const exited = once(worker!, 'exit')
    scanner.close()
    await expect(inFlight).resolves.toEqual({
      ownerSeen: false,
      foreign: [{ id: 'u2', field: 'displayName' }],
    })
    await exited
    expect(scanner.stats().thread).toEqual({ scans: 0, fallbacks: 1, running: false })
    expect(scanner.offload!('<p>John Jones</p>', 'text/html', 'u1', 'GET /')).toBeUndefined()
  })

  test('flush() waits for the thread: a change made before it is in both indexes', async () => {
    const config = resolveOptions(OPTIONS)
    const scanner = withScanThread(createDetectScanner(config), config, 0)
    closers.push(scanner)
    scanner.set({ id: 'u2', fields: { displayName: 'John Jones', email: 'john@example.test' } })
    await scanner.flush()
    const body = '<p>John Jones, john@example.test</p>'
    const onThread = await scanner.offload!(body, 'text/html', 'u1', 'GET /')
    expect(onThread).toEqual({
      ownerSeen: false,
      foreign: [
        { id: 'u2', field: 'displayName' },
        { id: 'u2', field: 'email' },
      ],
    })
    expect(onThread).toEqual(scanner.scan(body, 'text/html', 'u1', 'GET /'))
    expect(scanner.stats().thread?.scans).toBe(1)
  })

  test('threadBytes must be an integer >= 0 or false', () => {
    for (const bad of [-1, 1.5, '64k', Number.NaN]) {
      expect(() => makeGuard({ threadBytes: bad as number })).toThrow(
        expect.objectContaining({
          code: 'GUARD_ERR_BAD_OPTION',
          message: expect.stringMatching(/^threadBytes must be an integer >= 0/),
        })
      )
    }
    expect(makeGuard({ threadBytes: false }).stats().index.thread).toBeUndefined()
  })
})
