// A server that mixes sessions up under concurrency: the hunt must find it, with evidence.
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

test('finds foreign identities with the right owner, foreign account and in-flight source', async () => {
  const report = await runHunt({
    scenario: scenarioFor('form', server.url, { vus: 8, duration: '1500ms', seed: 'leaky' }),
    accountsCsv: usersCsv(users),
  })
  expect(report.verdict).toBe('leak')
  expect(report.exitCode).toBe(1)
  const leaks = report.findings.filter((f) => f.kind === 'foreign-identity')
  expect(leaks.length).toBeGreaterThan(0)
  expect(report.summary.leaks.findings).toBeGreaterThanOrEqual(leaks.length)
  for (const leak of leaks) {
    expect(leak.severity).toBe('leak')
    expect(leak.foreign.length).toBeGreaterThan(0)
    for (const f of leak.foreign) {
      expect(f.id).not.toBe(leak.owner.id)
      const user = users.find((u) => u.username === f.id)!
      // The matched marker really is the foreign account's value in that column.
      expect(user[f.column as 'displayName' | 'email' | 'userId']).toBe(f.marker)
    }
    // The leaked page came from another VU's request that overlapped this one.
    const sources = leak.concurrent.filter((c) => c.likelySource)
    expect(sources.length).toBeGreaterThan(0)
    expect(leak.foreign.map((f) => f.id)).toEqual(expect.arrayContaining([sources[0]!.account]))
    expect(leak.excerpt?.match).toBeDefined()
  }
})
