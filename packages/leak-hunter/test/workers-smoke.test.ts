import { afterAll, beforeAll, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import { makeUsers, startFixtureServer, usersCsv } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { scenarioFor } from './fixtures/scenarios.js'

const users = makeUsers(16)
let server: FixtureServer

beforeAll(async () => {
  server = await startFixtureServer({ users, leaky: true })
})
afterAll(async () => {
  await server.close()
})

test('smoke', async () => {
  const events: string[] = []
  const report = await runHunt(
    {
      scenario: scenarioFor('form', server.url, { vus: 8, duration: '1500ms', seed: 'leaky' }),
      accountsCsv: usersCsv(users),
      workers: 2,
    },
    { onEvent: (e) => events.push(e.type) }
  )
  console.log(report.verdict, report.summary, report.scale, report.phases, report.reasons)
  const leaks = report.findings.filter((f) => f.kind === 'foreign-identity')
  console.log(leaks.length, leaks.slice(0, 3).map((l) => JSON.stringify(l.concurrent)))
  expect(report.verdict).toBe('leak')
}, 60_000)
