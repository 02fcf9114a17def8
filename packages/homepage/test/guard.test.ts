// The homepage under @crosstalk/guard: a renderer that hands one user's page to the next (a shared
// cache) is blocked by default in the correlated mode, sent and reported in report mode, and the
// guard's reports never carry a marker.
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, test } from 'vitest'
import type { AppOptions } from '../src/config.js'
import type { PageRenderer, RenderReply } from '../src/page-renderer/index.js'
import { buildApp } from '../src/server/build-app.js'
import { login, setCookies, useSeededDb } from './helpers/app-fixture.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

const seeded = useSeededDb(3, 16)
const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})

/** A renderer with a page cache keyed by nothing: every page after the first is the first user's. */
function cachingRenderer(): PageRenderer {
  const stub = createStubRenderer()
  let first: RenderReply | undefined
  return {
    ...stub,
    render: async (req, options) => (first ??= await stub.render(req, options)),
  }
}

async function start(
  options: AppOptions,
  renderer: 'caching stub' | 'real' = 'caching stub'
): Promise<{ app: FastifyInstance; events: Array<[string, Record<string, unknown>]> }> {
  const events: Array<[string, Record<string, unknown>]> = []
  const app = await buildApp({
    db: seeded.current.db,
    ...(renderer === 'real'
      ? {}
      : {
          createRenderer: stubFactory(cachingRenderer() as ReturnType<typeof createStubRenderer>),
        }),
    trustRenderer: true,
    rateLimit: false,
    onEvent: (event, fields) => events.push([event, fields]),
    ...options,
  })
  apps.push(app)
  return { app, events }
}

async function twoUsers(app: FastifyInstance): Promise<{ first: string; second: string }> {
  const [a, b] = seeded.current.accounts
  return { first: await login(app, a!), second: await login(app, b!) }
}

describe('homepage --guard', () => {
  test("block (the default): the second user gets a 500 instead of the first user's page, without cookies", async () => {
    const { app, events } = await start({})
    const { first, second } = await twoUsers(app)
    const [a, b] = seeded.current.accounts
    const own = await app.inject({ url: '/', cookies: { sid: first } })
    expect(own.statusCode).toBe(200)
    expect(own.body).toContain(a!.displayName.replace("'", '&#39;'))
    const leaked = await app.inject({ url: '/', cookies: { sid: second } })
    expect(leaked.statusCode).toBe(500)
    expect(leaked.body).not.toContain(a!.email)
    expect(setCookies(leaked)).toEqual([])
    const guard = events.filter(([e]) => e === 'guard').map(([, f]) => f)
    expect(guard).toHaveLength(1)
    expect(guard[0]).toMatchObject({
      event: 'leak',
      action: 'blocked',
      reasons: ['foreign-identity', 'owner-missing'],
      owner: String(b!.userId),
      foreign: [{ id: String(a!.userId) }],
      path: '/',
    })
    expect(JSON.stringify(events)).not.toContain(a!.email)
    await app.close()
    apps.pop()
    const stats = events.find(([e]) => e === 'guard-stats')?.[1]
    expect(stats).toMatchObject({ mode: 'block', blocked: 1, identities: 2 })
  })

  test('report: the page is sent, and reported', async () => {
    const { app, events } = await start({ guard: 'report' })
    const { first, second } = await twoUsers(app)
    await app.inject({ url: '/', cookies: { sid: first } })
    const leaked = await app.inject({ url: '/', cookies: { sid: second } })
    expect(leaked.statusCode).toBe(200)
    expect(events.filter(([e, f]) => e === 'guard' && f.action === 'reported')).toHaveLength(1)
  })

  test('off (the default with a fault): nothing is checked', async () => {
    const { app, events } = await start({ fault: 'shared-cache', renderers: 1 }, 'real')
    const { first, second } = await twoUsers(app)
    await app.inject({ url: '/', cookies: { sid: first } })
    expect((await app.inject({ url: '/', cookies: { sid: second } })).statusCode).toBe(200)
    expect(events.some(([e]) => e === 'guard' || e === 'guard-stats')).toBe(false)
  })
})
