// The four login styles against a real server on 127.0.0.1, through runHunt.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import type { HuntEvent } from '../src/index.js'
import { makeUsers, startFixtureServer, usersCsv } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { scenarioFor } from './fixtures/scenarios.js'
import type { LoginStyle } from './fixtures/scenarios.js'

const users = makeUsers(12)
let server: FixtureServer

beforeAll(async () => {
  server = await startFixtureServer({ users })
})
afterAll(async () => {
  await server.close()
})

describe.each<LoginStyle>(['form', 'meta', 'cookie', 'bearer'])('%s login', (style) => {
  test('every VU logs in, verifies and finds no leak on a correct server', async () => {
    const events: HuntEvent[] = []
    const report = await runHunt(
      {
        scenario: scenarioFor(style, server.url, { vus: 8, iterations: 20, seed: 'styles' }),
        accountsCsv: usersCsv(users),
      },
      { onEvent: (e) => events.push(e) }
    )
    const logins = events.filter((e) => e.type === 'login')
    expect(logins).toHaveLength(8)
    expect(logins.every((e) => e.type === 'login' && e.ok)).toBe(true)
    expect(report.verdict).toBe('clean')
    expect(report.exitCode).toBe(0)
    expect(report.summary.loginFailures).toBe(0)
    expect(report.summary.errors).toBe(0)
    // 8 VUs x 20 iterations of one page, plus the login steps.
    const loginRequests = scenarioFor(style, server.url, {}).login as unknown[]
    expect(report.summary.requests).toBe(8 * 20 + 8 * loginRequests.length)
    expect(report.summary.responsesChecked).toBe(report.summary.requests)
    expect(report.findings.filter((f) => f.severity === 'leak')).toEqual([])
  })
})

// Regression (issue 11): loginFailures counted attempts (4 here), not VUs; the reason was only in
// --events.
test('a wrong password is a login failure (exit 3), not a leak, and the report says why', async () => {
  const bad = users.map((u) => ({ ...u, password: 'wrong' }))
  const report = await runHunt({
    scenario: scenarioFor('form', server.url, {
      vus: 2,
      iterations: 1,
      seed: 'bad',
      loginRetries: 1,
    }),
    accountsCsv: usersCsv(bad),
  })
  expect(report.verdict).toBe('login-failed')
  expect(report.exitCode).toBe(3)
  expect(report.summary.loginFailures).toBe(2)
  expect(report.summary.login).toEqual({ attempts: 4, failedAttempts: 4, loggedIn: 0 })
  expect(report.summary.leaks.responses).toBe(0)
  expect(report.reasons).toEqual([
    'no VU logged in: 4 of 4 login attempts failed',
    'login-submit: POST /form/login returned 403, expected 303 (4 of 4)',
  ])
  const submit = report.summary.steps.find((s) => s.phase === 'login' && s.name === 'login-submit')
  expect(submit).toMatchObject({ sent: 4, responses: 4, errors: 4, failures: 4 })
})
