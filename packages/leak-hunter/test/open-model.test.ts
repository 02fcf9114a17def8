// Open model: arrivals on a schedule; with too few VUs arrivals are dropped, and latency counts
// from the scheduled start (coordinated-omission correction).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import { makeUsers, startFixtureServer, usersCsv } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { scenarioFor } from './fixtures/scenarios.js'

const users = makeUsers(4)
let server: FixtureServer

beforeAll(async () => {
  // Pages take 0-200 ms (mean 100 ms), so two VUs serve about 20 iterations a second at most.
  server = await startFixtureServer({ users, renderDelayMs: 200 })
})
afterAll(async () => {
  await server.close()
})

test('arrivals beyond what the VUs can serve are dropped and counted', async () => {
  const report = await runHunt({
    scenario: scenarioFor('form', server.url, {
      vus: 2,
      arrivalRate: 100,
      duration: '1s',
      seed: 'open',
    }),
    accountsCsv: usersCsv(users),
  })
  const arrivals = report.summary.arrivals!
  expect(arrivals.scheduled).toBeGreaterThan(50)
  // Two VUs at 100 ms per page on average cannot start 100 iterations a second.
  expect(arrivals.dropped).toBeGreaterThan(arrivals.scheduled / 2)
  expect(report.verdict).toBe('clean')
})

test('an iteration count bounds the open model in total', async () => {
  const report = await runHunt({
    scenario: scenarioFor('form', server.url, {
      vus: 4,
      arrivalRate: 20,
      iterations: 10,
      seed: 'open2',
    }),
    accountsCsv: usersCsv(users),
  })
  expect(report.summary.arrivals!.scheduled).toBe(10)
  const pages = report.summary.requests - 4 * 3
  expect(pages + report.summary.arrivals!.dropped).toBe(10)
})
