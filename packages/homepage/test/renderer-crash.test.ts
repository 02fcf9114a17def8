import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { buildApp } from '../src/server/build-app.js'
import { createPageRenderer } from '../src/page-renderer/index.js'
import type { PageRenderer } from '../src/page-renderer/index.js'
import { hammerHome, loginAll } from './fixtures/render-identity.js'
import { seedTempDb, type SeededDb } from './helpers/app-fixture.js'

// A renderer child is SIGKILLed while home page requests are in flight.
let seeded: SeededDb
let app: FastifyInstance | undefined
let renderer: PageRenderer | undefined

beforeAll(async () => {
  seeded = await seedTempDb(10, 5)
}, 60_000)
afterEach(async () => {
  await app?.close()
  app = undefined
  renderer = undefined
})
afterAll(() => {
  seeded.cleanup()
})

function childPids(): number[] {
  const stats = renderer?.stats() as { children?: Array<{ pid: number }> } | undefined
  return (stats?.children ?? []).map((c) => c.pid).filter((pid) => pid > 0)
}

describe('renderer crash under load', { timeout: 60_000 }, () => {
  test('in-flight requests get 503 or a retried own page, never another user’s; pool recovers', async () => {
    app = await buildApp({
      db: seeded.db,
      rateLimit: false,
      renderers: 2,
      renderDelayMs: { min: 50, max: 150 },
      // The real factory, kept so the test can find a child to kill.
      createRenderer: async (options) => {
        renderer = await createPageRenderer(options)
        return renderer
      },
    })
    const sids = await loginAll(app, seeded.accounts)
    const before = childPids()
    expect(before).toHaveLength(2)

    const load = hammerHome(app, sids, 6)
    await new Promise((resolve) => setTimeout(resolve, 60))
    process.kill(before[0]!, 'SIGKILL')
    const results = await load

    expect(results.filter((r) => r.whose === 'other' || r.whose === 'unknown')).toEqual([])
    expect(results.every((r) => r.status === 200 || r.status === 503)).toBe(true)
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0)

    // The pool replaced the child: every user gets their own page again.
    const deadline = Date.now() + 20_000
    let after = await hammerHome(app, sids, 1)
    while (after.some((r) => r.status !== 200) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      after = await hammerHome(app, sids, 1)
    }
    expect(after.filter((r) => r.status !== 200 || r.whose !== 'own')).toEqual([])
    const now = childPids()
    expect(now).toHaveLength(2)
    expect(now).not.toContain(before[0])
  })
})
