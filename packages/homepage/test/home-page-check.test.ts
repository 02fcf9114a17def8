// The parent's defence in depth around the renderer: renderedFor must match the session's user,
// one transparent retry when a renderer dies under a GET, then 503; timeouts are 504.
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { HomeRenderTimeoutError } from '../src/errors.js'
import type { AppOptions } from '../src/config.js'
import { buildApp } from '../src/server/build-app.js'
import type { SeededDb } from './helpers/app-fixture.js'
import { errorCodeOf, login, seedTempDb } from './helpers/app-fixture.js'
import type { StubRenderer } from './helpers/stub-renderer.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

let seeded: SeededDb
const apps: FastifyInstance[] = []
beforeAll(async () => {
  seeded = await seedTempDb(2)
})
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})
afterAll(() => seeded.cleanup())

async function signedIn(options: AppOptions, stub: StubRenderer) {
  const events: Array<[string, Record<string, unknown>]> = []
  const app = await buildApp({
    db: seeded.db,
    createRenderer: stubFactory(stub),
    onEvent: (e, f) => events.push([e, f]),
    ...options,
  })
  apps.push(app)
  const a = seeded.accounts[0]!
  const sid = await login(app, { username: a.username, password: a.password })
  return { app, sid, events }
}

describe('renderedFor check', { timeout: 30_000 }, () => {
  test('a reply rendered for another user is a 500 and a logged incident, never the page', async () => {
    const other = seeded.accounts[1]!.userId
    const me = seeded.accounts[0]!
    const stub = createStubRenderer({ renderedFor: other })
    const { app, sid, events } = await signedIn({}, stub)
    const res = await app.inject({ url: '/', cookies: { sid } })
    expect(res.statusCode).toBe(500)
    expect(errorCodeOf(res)).toBe('HOME_ERR_RENDER_MISMATCH')
    expect(res.body).not.toContain('Welcome')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(events).toContainEqual([
      'render-mismatch',
      { sessionUserId: me.userId, renderedFor: other },
    ])
  })

  test('trustRenderer: true (used by naive and fault modes) skips the check so leaks show', async () => {
    const stub = createStubRenderer({ renderedFor: seeded.accounts[1]!.userId })
    const { app, sid, events } = await signedIn({ trustRenderer: true }, stub)
    const res = await app.inject({ url: '/', cookies: { sid } })
    expect(res.statusCode).toBe(200)
    expect(events.some(([e]) => e === 'render-mismatch')).toBe(false)
  })

  test('trustRenderer defaults: false for correlated, true for naive and every fault', async () => {
    const seen: Array<boolean | undefined> = []
    for (const options of [
      {},
      { ipc: 'naive' },
      { fault: 'fifo-timeout' },
      { fault: 'module-state' },
      { fault: 'shared-cache' },
      { ipc: 'naive', trustRenderer: false },
    ] as AppOptions[]) {
      const stub = createStubRenderer({ renderedFor: seeded.accounts[1]!.userId })
      const { app, sid } = await signedIn(options, stub)
      seen.push((await app.inject({ url: '/', cookies: { sid } })).statusCode === 200)
      expect(stub.createdWith?.mode).toBe(options.ipc ?? 'correlated')
      expect(stub.createdWith?.fault).toBe(options.fault)
    }
    expect(seen).toEqual([false, true, true, true, true, false])
  })
})

describe('renderer failures', { timeout: 30_000 }, () => {
  test('a renderer that died is retried once transparently for GET /', async () => {
    const stub = createStubRenderer()
    const { app, sid, events } = await signedIn({}, stub)
    stub.options.failTimes = 1
    const before = stub.calls.length
    const res = await app.inject({ url: '/', cookies: { sid } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain(`Welcome, ${seeded.accounts[0]!.displayName}`)
    expect(stub.calls.length - before).toBe(2)
    expect(events.some(([e]) => e === 'render-retry')).toBe(true)
  })

  test('a second failure is a 503 HOME_ERR_RENDERER_UNAVAILABLE (no third try)', async () => {
    const stub = createStubRenderer()
    const { app, sid } = await signedIn({}, stub)
    stub.options.failTimes = 5
    const before = stub.calls.length
    const res = await app.inject({ url: '/', cookies: { sid } })
    expect(res.statusCode).toBe(503)
    expect(errorCodeOf(res)).toBe('HOME_ERR_RENDERER_UNAVAILABLE')
    expect(stub.calls.length - before).toBe(2)
  })

  test('a render timeout is a 504 HOME_ERR_RENDER_TIMEOUT and is not retried', async () => {
    const stub = createStubRenderer()
    const { app, sid } = await signedIn({}, stub)
    const before = stub.calls.length
    stub.render = (req) => {
      stub.calls.push(req)
      return Promise.reject(new HomeRenderTimeoutError('too slow'))
    }
    const res = await app.inject({ url: '/', cookies: { sid } })
    expect(res.statusCode).toBe(504)
    expect(errorCodeOf(res)).toBe('HOME_ERR_RENDER_TIMEOUT')
    expect(stub.calls.length - before).toBe(1)
  })

  test('closing the app closes the renderer', async () => {
    const stub = createStubRenderer()
    const { app } = await signedIn({}, stub)
    await app.close()
    expect(stub.closed).toBe(true)
  })
})
