// The Fastify plugin on a real server: buffered and stream payloads, the app's own error handler
// for a withheld page, @fastify/cookie's Set-Cookie dropped, @fastify/compress after the guard.
import { Readable } from 'node:stream'
import { gunzipSync } from 'node:zlib'
import compress from '@fastify/compress'
import cookie from '@fastify/cookie'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, test } from 'vitest'
import type { Guard } from '../src/guard.js'
import { get } from './helpers/http-client.js'
import { closeGuards, JOHN, makeGuard, MARY } from './helpers/make-guard.js'

const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
  closeGuards()
})

const page = (name: string): string =>
  `<html><body><h1>Welcome, ${name}</h1>${'<p>lorem ipsum</p>'.repeat(100)}</body></html>`

type Setup = (app: FastifyInstance) => PromiseLike<unknown>

async function start(guard: Guard, before?: Setup, after?: Setup): Promise<string> {
  const app = Fastify()
  apps.push(app)
  await app.register(cookie)
  await before?.(app)
  await app.register(guard.fastify, { identify: () => MARY })
  await after?.(app)
  app.setErrorHandler((err: { code?: string; statusCode?: number }, _request, reply) => {
    void reply
      .code(err.statusCode ?? 500)
      .type('text/html')
      .send(`<p>our error page: ${err.code}</p>`)
  })
  app.get('/clean', (_req, reply) => reply.type('text/html').send(page('Mary Major')))
  app.get('/leak', (_req, reply) =>
    reply
      .setCookie('sid', 'handed-out')
      .header('x-who', 'u2')
      .type('text/html')
      .send(page('John Jones'))
  )
  app.get('/json', () => ({ user: { name: 'John Jones' } }))
  app.get('/stream-clean', (_req, reply) =>
    reply.type('text/html').send(Readable.from([page('Mary Major'), '<p>end</p>']))
  )
  app.get('/stream-leak', (_req, reply) =>
    reply
      .setCookie('sid', 'handed-out')
      .type('text/html')
      .send(
        Readable.from(
          (async function* () {
            yield page('Mary Major')
            await new Promise((r) => setTimeout(r, 10))
            yield '<p>John Jones</p>'
          })()
        )
      )
  )
  app.get('/skip', { config: { guard: false } }, (_req, reply) =>
    reply.type('text/html').send('John Jones')
  )
  app.get('/owner', { config: { guard: { expectOwner: true } } }, (_req, reply) =>
    reply.type('text/html').send('<p>hello</p>')
  )
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
}

describe('Fastify plugin', () => {
  test('clean pages pass intact, buffered and streamed', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await start(guard)
    expect((await get(`${url}/clean`)).body.toString()).toBe(page('Mary Major'))
    expect((await get(`${url}/stream-clean`)).body.toString()).toBe(
      page('Mary Major') + '<p>end</p>'
    )
    expect(guard.stats()).toMatchObject({ scanned: 2, leaks: 0 })
  })

  test("a leaking page goes to the app's error handler as GUARD_ERR_BLOCKED; no Set-Cookie, no route header", async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await start(guard)
    for (const path of ['/leak', '/json', '/stream-leak']) {
      const r = await get(`${url}${path}`)
      expect(r.status, path).toBe(500)
      expect(r.body.toString()).toBe('<p>our error page: GUARD_ERR_BLOCKED</p>')
      expect(r.headers['set-cookie']).toBeUndefined()
      expect(r.headers['x-who']).toBeUndefined()
    }
    expect(guard.stats()).toMatchObject({ blocked: 3 })
  })

  test('route config: guard false skips a route; expectOwner asks for the owner', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await start(guard)
    expect((await get(`${url}/skip`)).status).toBe(200)
    expect((await get(`${url}/owner`)).status).toBe(500)
    expect(guard.stats().reasons['owner-missing']).toBe(1)
  })

  test('report mode: leaks are sent and counted', async () => {
    const guard = makeGuard({ mode: 'report' })
    guard.activate(JOHN)
    const url = await start(guard)
    expect((await get(`${url}/leak`)).body.toString()).toBe(page('John Jones'))
    expect((await get(`${url}/stream-leak`)).status).toBe(200)
    expect(guard.stats()).toMatchObject({ reported: 2, blocked: 0 })
  })

  test('@fastify/compress registered before or after the guard: the guard scans the uncompressed payload', async () => {
    for (const when of ['before', 'after'] as const) {
      const guard = makeGuard()
      guard.activate(JOHN)
      const register: Setup = (app) => app.register(compress, { threshold: 0 })
      const url = await start(
        guard,
        when === 'before' ? register : undefined,
        when === 'after' ? register : undefined
      )
      const gz = { headers: { 'accept-encoding': 'gzip' } }
      const clean = await get(`${url}/clean`, gz)
      expect(clean.status).toBe(200)
      expect(clean.headers['content-encoding']).toBe('gzip')
      expect(gunzipSync(clean.body).toString()).toBe(page('Mary Major'))
      const stream = await get(`${url}/stream-clean`, gz)
      expect(stream.status).toBe(200)
      expect(gunzipSync(stream.body).toString()).toBe(page('Mary Major') + '<p>end</p>')
      for (const path of ['/leak', '/stream-leak']) {
        const r = await get(`${url}${path}`, gz)
        expect(r.status, `${when} ${path}`).toBe(500)
        expect(r.headers['set-cookie']).toBeUndefined()
        const text =
          r.headers['content-encoding'] === 'gzip'
            ? gunzipSync(r.body).toString()
            : r.body.toString()
        expect(text).toBe('<p>our error page: GUARD_ERR_BLOCKED</p>')
      }
    }
  })

  test('@fastify/cookie registered after the guard: ready() fails with GUARD_ERR_PLUGIN_ORDER', async () => {
    const guard = makeGuard()
    const app = Fastify()
    apps.push(app)
    await app.register(guard.fastify)
    await app.register(cookie)
    await expect(app.ready()).rejects.toMatchObject({ code: 'GUARD_ERR_PLUGIN_ORDER' })
  })
})
