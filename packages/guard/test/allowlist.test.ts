// Allowlists on real servers: what may name another active user (a team panel, a JSON "manager"
// member, a fixed text) passes; the same name anywhere else is still stopped. The guard's rules
// hold everywhere; a Fastify route or a middleware adds its own. A bad rule fails at start-up,
// naming where it is and the field that is wrong.
import type { IncomingMessage, ServerResponse } from 'node:http'
import cookie from '@fastify/cookie'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, test } from 'vitest'
import type { AllowlistRule } from '../src/index.js'
import { get } from './helpers/http-client.js'
import { closeGuards, JOHN, makeGuard, MARY } from './helpers/make-guard.js'
import { closeAll, listen } from './helpers/servers.js'

const apps: FastifyInstance[] = []

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
  await closeAll()
  closeGuards()
})

/** Serves `body` as `type` for MARY (JOHN is active too) under a guard with `allowlist`. */
async function statusOf(allowlist: AllowlistRule[], type: string, body: string): Promise<number> {
  const guard = makeGuard({ allowlist })
  guard.activate(JOHN)
  const url = await listen((req: IncomingMessage, res: ServerResponse) => {
    guard.protect(req, res, { identify: () => MARY })
    res.setHeader('content-type', type)
    res.end(body)
  })
  return (await get(url)).status
}

const TEAM =
  '<h1>Welcome, Mary Major</h1><aside class="team"><p>Your manager: John Jones</p></aside>'

describe('allowlist', () => {
  test('selector: a name inside the allowlisted element passes; outside it, it is blocked', async () => {
    expect(await statusOf([{ selector: 'aside.team' }], 'text/html', TEAM)).toBe(200)
    expect(
      await statusOf([{ selector: 'aside.team' }], 'text/html', `${TEAM}<p>John Jones</p>`)
    ).toBe(500)
    expect(await statusOf([], 'text/html', TEAM)).toBe(500)
  })

  test('JSON path: a name in the allowlisted member passes; in another member, it is blocked', async () => {
    const json = (other: string): string =>
      JSON.stringify({
        userId: 101,
        displayName: 'Mary Major',
        manager: { name: 'John Jones' },
        ...JSON.parse(other),
      })
    const rules = [{ json: 'manager.name' }]
    expect(await statusOf(rules, 'application/json', json('{}'))).toBe(200)
    expect(await statusOf(rules, 'application/json', json('{"peer":"John Jones"}'))).toBe(500)
    // An id marker too: "userId": 102 outside the allowlisted path is John's.
    expect(await statusOf(rules, 'application/json', json('{"friend":{"userId":102}}'))).toBe(500)
  })

  test('text: the allowlisted value passes, a longer value holding it does not hide a marker', async () => {
    const rules = [{ text: 'John Jones' }]
    expect(await statusOf(rules, 'text/html', '<p>Mary Major</p><p>Signed: John Jones</p>')).toBe(
      200
    )
    // The allowlist covers the name, not John's email next to it.
    expect(
      await statusOf(rules, 'text/html', '<p>Mary Major</p><p>John Jones, john@example.test</p>')
    ).toBe(500)
  })

  test('a bad rule fails createGuard() with GUARD_ERR_BAD_OPTION naming the rule', () => {
    expect(() => makeGuard({ allowlist: [{ selector: 'aside[' }] })).toThrow(
      expect.objectContaining({
        code: 'GUARD_ERR_BAD_OPTION',
        message: expect.stringMatching(/allowlist\[0\]\.selector/),
      })
    )
    expect(() => makeGuard({ allowlist: [{ json: '$' }] })).toThrow(
      expect.objectContaining({
        code: 'GUARD_ERR_BAD_OPTION',
        message: expect.stringMatching(/allowlist\[0\]\.json/),
      })
    )
  })
})

describe('route allowlists', () => {
  test('Fastify: config.guard.allowlist applies to its route only, with the guard-wide rules', async () => {
    const guard = makeGuard({ allowlist: [{ text: 'Support Desk' }] })
    guard.activate(JOHN)
    guard.activate({ id: 'u3', markers: { displayName: 'Support Desk' } })
    const app = Fastify()
    apps.push(app)
    await app.register(cookie)
    await app.register(guard.fastify, { identify: () => MARY })
    const body = `${TEAM}<p>Support Desk</p>`
    app.get(
      '/team',
      { config: { guard: { allowlist: [{ selector: 'aside.team' }] } } },
      (_r, reply) => reply.type('text/html').send(body)
    )
    app.get('/other', (_r, reply) => reply.type('text/html').send(body))
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    expect((await get(`${url}/team`)).status).toBe(200)
    expect((await get(`${url}/other`)).status).toBe(500)
    expect(guard.stats()).toMatchObject({ scanned: 2, blocked: 1 })
  })

  test('Fastify: a bad route rule fails as the route is added, naming the route', async () => {
    const guard = makeGuard()
    const app = Fastify()
    apps.push(app)
    await app.register(cookie)
    await app.register(guard.fastify)
    expect(() =>
      app.get('/x', { config: { guard: { allowlist: [{ json: 'a[' }] } } }, () => 'x')
    ).toThrow(
      expect.objectContaining({
        code: 'GUARD_ERR_BAD_OPTION',
        message: expect.stringMatching(/^GET \/x: allowlist\[0\]\.json/),
      })
    )
  })

  test('middleware({ allowlist }): its rules apply to what it guards; a bad one fails at once', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const guarded = guard.middleware({
      identify: () => MARY,
      allowlist: [{ selector: 'aside.team' }],
    })
    const url = await listen((req: IncomingMessage, res: ServerResponse) => {
      guarded(req, res)
      res.setHeader('content-type', 'text/html')
      res.end(req.url === '/leak' ? `${TEAM}<p>John Jones</p>` : TEAM)
    })
    expect((await get(`${url}/`)).status).toBe(200)
    expect((await get(`${url}/leak`)).status).toBe(500)
    expect(() => guard.middleware({ allowlist: [{ text: ' ' }] })).toThrow(
      expect.objectContaining({
        code: 'GUARD_ERR_BAD_OPTION',
        message: expect.stringMatching(/^middleware allowlist\[0\]\.text/),
      })
    )
  })
})
