// The closed model's callback-driven page loop: pages in sequence, think time between them, and an
// exact iteration budget per VU, against a real server.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import { makeUsers, startFixtureServer, usersCsv } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { scenarioFor } from './fixtures/scenarios.js'

const users = makeUsers(4)
let server: FixtureServer

beforeAll(async () => {
  server = await startFixtureServer({ users })
})
afterAll(async () => {
  await server.close()
})

test('sequence order, think time and the iteration budget hold per VU', async () => {
  server.echoed.length = 0
  const pages = ['a', 'b', 'c'].map((p) => ({
    name: `echo-${p}`,
    path: `/echo?vu={{vu}}&p=${p}`,
    expectOwnMarker: false,
  }))
  const started = performance.now()
  const report = await runHunt({
    scenario: scenarioFor(
      'form',
      server.url,
      { vus: 3, iterations: 2, seed: 'loop' },
      { pages, order: 'sequence', thinkTime: '25ms' }
    ),
    accountsCsv: usersCsv(users),
  })
  const elapsed = performance.now() - started
  expect(report.verdict).toBe('clean')
  expect(report.summary.errors).toBe(0)
  const byVu = new Map<string, string[]>()
  for (const e of server.echoed) {
    byVu.set(e.vu, [...(byVu.get(e.vu) ?? []), e.page])
  }
  expect([...byVu.keys()].sort()).toEqual(['0', '1', '2'])
  for (const visited of byVu.values()) {
    expect(visited).toEqual(['a', 'b', 'c', 'a', 'b', 'c'])
  }
  // Six pages per VU, each followed by 25 ms of think time.
  expect(elapsed).toBeGreaterThanOrEqual(6 * 25)
})
