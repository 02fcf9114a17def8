import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { buildApp } from '../src/server/build-app.js'
import type { AppOptions } from '../src/config.js'
import { hammerHome, loginAll } from './fixtures/render-identity.js'
import { seedTempDb, type SeededDb } from './helpers/app-fixture.js'

// Many users, many concurrent home page requests, random render delays, real renderer children.
const USERS = 16
const ROUNDS = 6

let seeded: SeededDb
let app: FastifyInstance | undefined

beforeAll(async () => {
  seeded = await seedTempDb(USERS, 7)
}, 60_000)
afterEach(async () => {
  await app?.close()
  app = undefined
})
afterAll(() => {
  seeded.cleanup()
})

async function run(options: AppOptions) {
  app = await buildApp({ db: seeded.db, rateLimit: false, renderers: 2, ...options })
  const sids = await loginAll(app, seeded.accounts)
  return hammerHome(app, sids, ROUNDS)
}

describe('concurrent home pages', { timeout: 60_000 }, () => {
  test('default (correlated via ipc-rpc): every page names its own user and no other', async () => {
    const results = await run({ renderDelayMs: { min: 0, max: 25 } })
    expect(results).toHaveLength(USERS * ROUNDS)
    expect(results.filter((r) => r.status !== 200)).toEqual([])
    expect(results.filter((r) => r.whose !== 'own')).toEqual([])
  })

  test('default with tight deadlines: some renders time out (504), still never a wrong page', async () => {
    const results = await run({
      renderers: 1,
      renderDelayMs: { min: 0, max: 60 },
      renderTimeoutMs: 40,
    })
    expect(results.some((r) => r.status === 504)).toBe(true)
    expect(results.filter((r) => r.status === 200 && r.whose !== 'own')).toEqual([])
    expect(results.every((r) => r.status === 200 || r.status === 504)).toBe(true)
  })

  test.each<[string, AppOptions]>([
    ['--ipc naive (its default delay)', { ipc: 'naive', renderers: 1 }],
    [
      // Explicit options replace the fault's defaults: the older uniform-delay recipe.
      '--fault fifo-timeout --render-delay 0-60 --render-timeout 40 --slow-render off',
      {
        fault: 'fifo-timeout',
        renderers: 1,
        renderDelayMs: { min: 0, max: 60 },
        renderTimeoutMs: 40,
        slowRender: false,
      },
    ],
    ['--fault module-state (its default delay)', { fault: 'module-state', renderers: 1 }],
    ['--fault shared-cache', { fault: 'shared-cache', renderers: 1 }],
  ])('%s: at least one page names another user (the switch works)', async (_name, options) => {
    const results = await run({ ...options, trustRenderer: true })
    expect(results.filter((r) => r.whose === 'other').length).toBeGreaterThan(0)
    expect(results.filter((r) => r.whose === 'unknown')).toEqual([])
  })

  test('--ipc naive with the renderedFor check on: mismatches become 500s, never pages', async () => {
    const results = await run({ ipc: 'naive', trustRenderer: false })
    expect(results.some((r) => r.status === 500)).toBe(true)
    expect(results.filter((r) => r.status === 200 && r.whose !== 'own')).toEqual([])
  })
})
