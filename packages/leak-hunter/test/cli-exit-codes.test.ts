// The built bin against fixture servers: exit codes 0, 1, 2, 3, 4 and its output files.
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { makeUsers, startFixtureServer } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { runBin } from './fixtures/run-bin.js'
import { scenarioFor, writeScenarioDir } from './fixtures/scenarios.js'

const users = makeUsers(16)
let good: FixtureServer
let leaky: FixtureServer
let slow: FixtureServer
let untouched: FixtureServer // only the invalid-scenario cases point here: it must see no request

beforeAll(async () => {
  ;[good, leaky, slow, untouched] = await Promise.all([
    startFixtureServer({ users }),
    startFixtureServer({ users, leaky: true }),
    startFixtureServer({ users, renderDelayMs: 40 }),
    startFixtureServer({ users }),
  ])
})
afterAll(async () => {
  await Promise.all([good.close(), leaky.close(), slow.close(), untouched.close()])
})

async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  await new Promise((resolve) => srv.close(resolve))
  return port
}

// Each case starts a Node process; on a shared 2-core machine that alone can take seconds.
describe.concurrent('leak-hunter run', { timeout: 60_000 }, () => {
  test('exit 0 on a correct server, with --json and --events written', async () => {
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', good.url, { vus: 4, duration: '1s', seed: 'cli' })
    )
    const r = await runBin(
      [
        'run',
        'scenario.json',
        '--json',
        'report.json',
        '--events',
        'events.ndjson',
        '--html',
        'report.html',
      ],
      { cwd: dir }
    )
    expect(r.stderr).not.toContain('HUNT_ERR')
    expect(r.code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(report.schema).toBe('crosstalk.leak-hunter/report@2')
    expect(report.verdict).toBe('clean')
    expect(report.seed).toBe('cli')
    expect(report.summary.responsesChecked).toBeGreaterThan(0)
    const events = readFileSync(join(dir, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(events[0].type).toBe('run-start')
    expect(events.at(-1).type).toBe('run-end')
    expect(events.filter((e) => e.type === 'login')).toHaveLength(4)
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i)
    // Not a TTY: no colour escapes on stdout.
    expect(r.stdout).not.toContain('\u001b[')
  })

  test('exit 1 when the server mixes sessions up', async () => {
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', leaky.url, { vus: 8, duration: '1500ms' })
    )
    const r = await runBin(['run', 'scenario.json', '--json', 'report.json', '--quiet'], {
      cwd: dir,
    })
    expect(r.code).toBe(1)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(report.verdict).toBe('leak')
    expect(report.findings.some((f: { kind: string }) => f.kind === 'foreign-identity')).toBe(true)
  })

  test('exit 2 on an invalid scenario, naming the field, before any request', async () => {
    const scenario = scenarioFor('form', untouched.url, { vus: 2, duration: '1s' })
    ;(scenario.login as Array<Record<string, unknown>>)[0]!.extract = { csrf: { selector: 42 } }
    const dir = writeScenarioDir(users, scenario)
    const r = await runBin(['run', 'scenario.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('HUNT_ERR_SCENARIO_INVALID')
    expect(r.stderr).toContain('login[0].extract.csrf.selector: expected a string')
    expect(untouched.requests()).toBe(0)
  })

  // Regression (issue 11): a path with a literal CR/LF passed validation and the run ended as
  // "target unreachable" (exit 3).
  test('exit 2 on a path with a literal CR/LF, before any request', async () => {
    const scenario = scenarioFor('form', untouched.url, { vus: 2, duration: '1s' })
    ;(scenario.pages as Array<Record<string, unknown>>)[0]!.path = '/\r\nX-Injected: 1'
    const dir = writeScenarioDir(users, scenario)
    const r = await runBin(['run', 'scenario.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('HUNT_ERR_SCENARIO_INVALID: pages[0].path: contains CR at offset 1')
    expect(untouched.requests()).toBe(0)
  })

  test('{{env.NAME}}: unset is exit 2 naming it, before any request; set, the run uses it', async () => {
    const scenario = scenarioFor('form', '{{env.HUNT_CLI_TARGET}}', {
      vus: 2,
      duration: '500ms',
    })
    ;(scenario.pages as Array<Record<string, unknown>>)[0]!.headers = {
      'x-key': '{{env.HUNT_CLI_KEY}}',
    }
    const dir = writeScenarioDir(users, scenario)
    const missing = await runBin(['run', 'scenario.json', '-q'], {
      cwd: dir,
      env: { HUNT_CLI_TARGET: untouched.url },
    })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain(
      'HUNT_ERR_ENV_MISSING: pages[0].headers.x-key: "{{env.HUNT_CLI_KEY}}": environment variable not set: HUNT_CLI_KEY (pages[0].headers.x-key)'
    )
    expect(untouched.requests()).toBe(0)
    const empty = await runBin(['run', 'scenario.json', '-q'], {
      cwd: dir,
      env: { HUNT_CLI_TARGET: '', HUNT_CLI_KEY: 'k-1234' },
    })
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain(
      'environment variable not set: HUNT_CLI_TARGET (target, set but empty)'
    )
    const set = await runBin(['run', 'scenario.json', '-q', '--json', 'r.json'], {
      cwd: dir,
      env: { HUNT_CLI_TARGET: good.url, HUNT_CLI_KEY: 'k-1234' },
    })
    expect(set.code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))
    expect(report.config.target).toBe('{{env.HUNT_CLI_TARGET}}')
    expect(report.target.address).toBe(new URL(good.url).host)
  })

  test('exit 2 on a bad flag', async () => {
    const r = await runBin(['run', 'x.yaml', '--vus', 'many'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('HUNT_ERR_ARGS_INVALID')
    expect(r.stderr).toContain('--vus')
  })

  test('exit 3 when the target is unreachable', async () => {
    const port = await closedPort()
    const dir = writeScenarioDir(
      users,
      scenarioFor('form', `http://127.0.0.1:${port}`, { vus: 2, duration: '1s' })
    )
    const r = await runBin(['run', 'scenario.json', '--json', 'report.json'], { cwd: dir })
    expect(r.code).toBe(3)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(report.verdict).toBe('target-unreachable')
    // Regression (issue 11): the summary said TARGET UNREACHABLE with no address or error.
    const why = `cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`
    expect(report.target).toEqual({ address: `127.0.0.1:${port}`, error: why })
    expect(report.reasons).toEqual([why])
    expect(r.stdout).toContain(`TARGET UNREACHABLE  (exit 3)\n  ${why}\n`)
  })

  test('exit 3 when no VU can log in', async () => {
    const dir = writeScenarioDir(
      users.map((u) => ({ ...u, password: 'nope' })),
      scenarioFor('form', good.url, { vus: 2, duration: '1s', loginRetries: 0 })
    )
    const r = await runBin(['run', 'scenario.json', '--json', 'report.json'], { cwd: dir })
    expect(r.code).toBe(3)
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).verdict).toBe('login-failed')
    // Regression (issue 11): LOGIN FAILED (exit 3) came with no reason outside --events.
    const line = 'login-submit: POST /form/login returned 403, expected 303 (2 of 2)'
    expect(r.stdout).toContain(
      `LOGIN FAILED  (exit 3)\n  no VU logged in: 2 of 2 login attempts failed\n  ${line}\n`
    )
    expect(r.stdout).toContain(`failures by step\n  login ${line}`)
  })

  test('exit 4 when a latency threshold is breached', async () => {
    // Pages take up to 40 ms on this server; a 1 ms p99 cannot hold.
    const scenario = scenarioFor(
      'form',
      slow.url,
      { vus: 2, duration: '1s' },
      { thresholds: { latency: { p99: 1 } } }
    )
    const dir = writeScenarioDir(users, scenario)
    const r = await runBin(['run', 'scenario.json', '--json', 'report.json'], { cwd: dir })
    expect(r.code).toBe(4)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(report.verdict).toBe('threshold-breached')
    expect(report.thresholds.find((t: { name: string }) => t.name === 'latency.p99').ok).toBe(false)
  })

  test('flags alone run the built-in form login', async () => {
    const dir = writeScenarioDir(users)
    const r = await runBin(
      [
        'run',
        '--target',
        good.url,
        '--accounts',
        'accounts.csv',
        '--markers',
        'displayName,email,userId',
        '--login-path',
        '/form/login',
        '--vus',
        '3',
        '--iterations',
        '5',
        '--json',
        'report.json',
      ],
      { cwd: dir }
    )
    expect(r.stderr).not.toContain('HUNT_ERR')
    expect(r.code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(report.summary.requests).toBe(3 * 3 + 3 * 5)
  })

  test('a YAML scenario is read the same way', async () => {
    const dir = writeScenarioDir(users)
    writeFileSync(
      join(dir, 'scenario.yaml'),
      `target: ${good.url}
accounts: { file: accounts.csv, credentials: [username, password] }
markers: { columns: [displayName, email] }
login:
  - { path: /api/login, method: POST, json: { username: '{{account.username}}', password: '{{account.password}}' }, extract: { token: { json: data.token } } }
  - { path: /api/me, headers: { Authorization: 'Bearer {{token}}' }, verify: true }
pages:
  - { path: /api/me, headers: { Authorization: 'Bearer {{token}}' } }
load: { vus: 2, iterations: 3 }
`
    )
    const r = await runBin(['run', 'scenario.yaml', '--quiet'], { cwd: dir })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})

describe.concurrent('leak-hunter run, terminal behaviour', { timeout: 60_000 }, () => {
  test('Ctrl-C during the load stops it, still writes the report, and exits 130', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', good.url, { vus: 2, duration: '120s' }))
    let sent = false
    const started = Date.now()
    const r = await runBin(['run', 'scenario.json', '--json', 'report.json'], {
      cwd: dir,
      timeoutMs: 50_000,
      onStderr: (chunk, kill) => {
        // More responses checked than the 2 VUs x 3 login steps: the load phase is running.
        const checked = /checked (\d+)/.exec(chunk)
        if (!sent && checked !== null && Number(checked[1]) > 6) {
          sent = true
          kill('SIGINT')
        }
      },
    })
    expect(sent).toBe(true)
    expect(Date.now() - started).toBeLessThan(45_000)
    expect(r.stderr).toContain('stopping')
    expect(r.code).toBe(130)
    expect(r.stdout).toContain('INTERRUPTED  (exit 130)')
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(report.verdict).toBe('interrupted')
    expect(report.durationMs).toBeLessThan(60_000)
    expect(report.summary.responsesChecked).toBeGreaterThan(0)
  })

  test('--color colours the summary unless NO_COLOR is set; --help lists the exit codes', async () => {
    const dir = writeScenarioDir(users, scenarioFor('form', good.url, { vus: 1, iterations: 1 }))
    const [colored, noColor, help] = await Promise.all([
      runBin(['run', 'scenario.json', '--color', '-q'], { cwd: dir }),
      runBin(['run', 'scenario.json', '--color', '-q'], { cwd: dir, env: { NO_COLOR: '1' } }),
      runBin(['--help']),
    ])
    expect(colored.code).toBe(0)
    expect(colored.stdout).toContain('\u001b[')
    expect(noColor.code).toBe(0)
    expect(noColor.stdout).not.toContain('\u001b[')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Exit codes')
  })
})
