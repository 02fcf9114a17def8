// Every request has a total deadline and every phase ends on time with a report of what was done,
// against a server on 127.0.0.1 whose bodies never end (a byte every 100 ms).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runHunt } from '../src/index.js'
import { makeUsers, usersCsv } from './fixtures/fixture-server.js'
import { hostileLogin, hostileScenario, startHostileServer } from './fixtures/hostile-server.js'
import type { HostileServer } from './fixtures/hostile-server.js'
import { runBin } from './fixtures/run-bin.js'
import { writeScenarioDir } from './fixtures/scenarios.js'

const users = makeUsers(8)
let server: HostileServer

beforeAll(async () => {
  server = await startHostileServer(users)
})
afterAll(async () => {
  await server.close()
})

/** The hostile login with its first step replaced by a body that never ends. */
function slowLogin(): unknown[] {
  const steps = hostileLogin() as Array<Record<string, unknown>>
  return [
    { name: 'login-form', path: '/slow-login', expect: 200, extract: { csrf: { regex: '(x)' } } },
    ...steps.slice(1),
  ]
}

/** Two VUs whose login never gets past its first step. */
function slowLoginScenario(load: Record<string, unknown>): Record<string, unknown> {
  return {
    ...hostileScenario(server.url, [{ path: '/' }], { vus: 2, ...load }),
    login: slowLogin(),
  }
}

// Regression (issue 11): a target that streams an endless body slowly during login hung the run
// past load.timeout and past --duration, and no report was written.
test('a body that never ends during login: each request ends at load.timeout, the run reports why', async () => {
  const started = Date.now()
  const report = await runHunt({
    scenario: slowLoginScenario({ duration: '2s', timeout: '1s', loginRetries: 1 }),
    accountsCsv: usersCsv(users),
  })
  const elapsed = Date.now() - started
  // Two attempts of one second each, a quarter-second sweep each, and slack for a busy machine.
  expect(elapsed).toBeLessThan(2 * 1250 + 2000)
  expect(report.verdict).toBe('login-failed')
  expect(report.exitCode).toBe(3)
  expect(report.reasons).toEqual([
    'no VU logged in: 4 of 4 login attempts failed',
    'login-form: GET /slow-login: the body did not complete: ETIMEDOUT: no complete response within 1 s (load.timeout) (4 of 4)',
  ])
  const login = report.phases.find((p) => p.name === 'login')!
  expect(login.end).toBe('failed')
  expect(login.ms).toBeGreaterThanOrEqual(2000)
  expect(report.summary.unanswered).toBe(4)
})

test('the login phase ends at load.loginTimeout; what was in flight is cut off, not counted as errors', async () => {
  const started = Date.now()
  const report = await runHunt({
    scenario: slowLoginScenario({ duration: '2s', timeout: '30s', loginTimeout: '800ms' }),
    accountsCsv: usersCsv(users),
  })
  expect(Date.now() - started).toBeLessThan(800 + 2000)
  expect(report.verdict).toBe('login-failed')
  const login = report.phases.find((p) => p.name === 'login')!
  expect(login).toMatchObject({
    end: 'deadline',
    detail: 'load.loginTimeout (0.8 s) passed with 2 of 2 VUs not done logging in',
  })
  expect(report.reasons[0]).toBe(
    'no VU logged in before the login phase ended: load.loginTimeout (0.8 s) passed with 2 of 2 VUs not done logging in'
  )
  expect(report.summary).toMatchObject({ cutOff: 2, errors: 0, loginFailures: 2 })
})

test('pages whose bodies never end: each fails at its deadline and the load ends on its duration', async () => {
  const started = Date.now()
  const report = await runHunt({
    scenario: hostileScenario(server.url, [{ name: 'slow', path: '/slow' }], {
      vus: 2,
      duration: '2500ms',
      timeout: '1s',
    }),
    accountsCsv: usersCsv(users),
  })
  expect(Date.now() - started).toBeLessThan(2500 + 3000)
  const slow = report.summary.steps.find((s) => s.name === 'slow')!
  // About two deadlines per VU fit in 2.5 s; the request in flight at the end is cut off.
  expect(slow.errors).toBeGreaterThanOrEqual(2)
  expect(slow.messages[0]!.message).toBe(
    'GET /slow: the body did not complete: ETIMEDOUT: no complete response within 1 s (load.timeout)'
  )
  expect(report.summary.cutOff).toBeGreaterThanOrEqual(1)
  expect(report.verdict).toBe('inconclusive')
  const load = report.phases.find((p) => p.name === 'load')!
  expect(load.end).toBe('complete')
  expect(load.ms).toBeLessThan(2500 + 1000)
})

// Regression (issue 11): Ctrl-C during such a login gave 130 with no report.
test('Ctrl-C during a login that never ends: exit 130 and the report is still written', async () => {
  const dir = writeScenarioDir(users, slowLoginScenario({ duration: '60s', timeout: '60s' }))
  let sent = false
  const r = await runBin(
    ['run', 'scenario.json', '--json', 'report.json', '--html', 'report.html'],
    {
      cwd: dir,
      timeoutMs: 30_000,
      onStderr: (_chunk, kill) => {
        // The first progress line: the run is in its login phase, waiting on the slow bodies.
        if (!sent) {
          sent = true
          kill('SIGINT')
        }
      },
    }
  )
  expect(sent).toBe(true)
  expect(r.code).toBe(130)
  expect(r.stdout).toContain('INTERRUPTED  (exit 130)')
  expect(r.stdout).toContain('interrupted during the login phase')
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
  expect(report.verdict).toBe('interrupted')
  expect(report.exitCode).toBe(130)
  expect(report.phases.map((p: { name: string; end: string }) => `${p.name}:${p.end}`)).toEqual([
    'connect:complete',
    'login:interrupted',
    'drain:complete',
  ])
  expect(report.summary.cutOff).toBe(2)
  expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('data-verdict="interrupted"')
}, 40_000)
