// Aborting a hunt: before the load phase it rejects; during the load it returns what it found.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import { makeUsers, startFixtureServer, usersCsv } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { scenarioFor } from './fixtures/scenarios.js'

const users = makeUsers(8)
let server: FixtureServer

beforeAll(async () => {
  server = await startFixtureServer({ users, renderDelayMs: 5 })
})
afterAll(async () => {
  await server.close()
})

test('an abort during the load phase ends it early and reports it as interrupted', async () => {
  const controller = new AbortController()
  const started = Date.now()
  const report = await runHunt(
    {
      scenario: scenarioFor('form', server.url, { vus: 4, duration: '60s' }),
      accountsCsv: usersCsv(users),
    },
    {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'login' && e.ok) {
          setTimeout(() => controller.abort(), 300)
        }
      },
    }
  )
  expect(Date.now() - started).toBeLessThan(20_000)
  // Stopped early is not clean: the run checked less than it was asked to.
  expect(report.verdict).toBe('interrupted')
  expect(report.exitCode).toBe(130)
  expect(report.reasons).toEqual([
    'interrupted during the load phase: the report covers what ran until then',
  ])
  expect(report.phases.map((p) => [p.name, p.end])).toEqual([
    ['connect', 'complete'],
    ['login', 'complete'],
    ['load', 'interrupted'],
    ['drain', 'complete'],
  ])
  expect(report.summary.responsesChecked).toBeGreaterThan(4 * 3)
  // Requests cut off by the abort are neither responses nor errors.
  expect(report.summary.errors).toBe(0)
})

test('an abort before the load phase rejects with HUNT_ERR_ABORTED', async () => {
  await expect(
    runHunt(
      {
        scenario: scenarioFor('form', server.url, { vus: 2, duration: '5s' }),
        accountsCsv: usersCsv(users),
      },
      { signal: AbortSignal.abort() }
    )
  ).rejects.toMatchObject({ code: 'HUNT_ERR_ABORTED' })
})
