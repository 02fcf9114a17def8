// Credentials never appear in any output (terminal, JSON, NDJSON, HTML, JUnit, SARIF), even when the target
// echoes every part of the request beside another user's name: credential columns, extracted
// tokens, cookies the VU holds, literal secrets of the scenario, environment variables it reads,
// a nameless Set-Cookie. And bidi
// controls in evidence are shown escaped.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { HuntReport } from '../src/index.js'
import { makeUsers } from './fixtures/fixture-server.js'
import { hostileScenario, startHostileServer } from './fixtures/hostile-server.js'
import type { HostileServer } from './fixtures/hostile-server.js'
import { runBin } from './fixtures/run-bin.js'
import type { BinResult } from './fixtures/run-bin.js'
import { writeScenarioDir } from './fixtures/scenarios.js'

const users = makeUsers(6)
const ENV_SECRET = 'env-secret-4f1c9a'
let server: HostileServer
let dir: string
let run: BinResult
let outputs: Record<string, string>

const echo = (what: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: `echo-${what}`,
  path: `/echo?what=${what}`,
  expectOwnMarker: false,
  ...extra,
})

beforeAll(async () => {
  server = await startHostileServer(users)
  const pages = [
    echo('request', {
      path: '/echo?what=request&access_token={{token}}&user={{account.password}}',
    }),
    echo('cookie'),
    echo('authorization', { headers: { authorization: 'Bearer {{token}}' } }),
    echo('x-pw', { headers: { 'x-pw': 'literal-header-secret' } }),
    echo('x-api-key', { headers: { 'x-api-key': 'Bearer {{env.HUNT_API_KEY}}' } }),
    echo('body', {
      method: 'POST',
      form: { password: '{{account.password}}', pwd: 'literal-form-secret', csrf: '{{csrf}}' },
    }),
    echo('straddle'),
    echo('bidi'),
  ]
  const scenario = hostileScenario(
    server.url,
    pages,
    { vus: 2, iterations: 2, seed: 'secrets' },
    { order: 'sequence' }
  )
  dir = writeScenarioDir(users, scenario)
  run = await runBin(
    [
      'run',
      'scenario.json',
      '--json',
      'report.json',
      '--events',
      'events.ndjson',
      '--html',
      'report.html',
      '--junit',
      'junit.xml',
      '--sarif',
      'report.sarif',
    ],
    { cwd: dir, env: { HUNT_API_KEY: ENV_SECRET } }
  )
  outputs = {
    terminal: run.stdout + run.stderr,
    json: readFileSync(join(dir, 'report.json'), 'utf8'),
    ndjson: readFileSync(join(dir, 'events.ndjson'), 'utf8'),
    html: readFileSync(join(dir, 'report.html'), 'utf8'),
    junit: readFileSync(join(dir, 'junit.xml'), 'utf8'),
    sarif: readFileSync(join(dir, 'report.sarif'), 'utf8'),
  }
}, 60_000)
afterAll(async () => {
  await server.close()
})

describe('secrets in the outputs', () => {
  test('the run found the leaks the echo pages show', () => {
    const report = JSON.parse(outputs.json!) as HuntReport
    expect(report.verdict).toBe('leak')
    expect(run.code).toBe(1)
    // Every echo page, both VUs, both iterations.
    expect(report.summary.leaks.responses).toBe(8 * 2 * 2)
    const kinds = new Set(report.findings.map((f) => f.request.page))
    expect(kinds.size).toBe(8)
  })

  // Regression (issue 11): templated values showed in URLs, the target's echo put the tool's own
  // secrets in evidence, literal secrets went by field name only, and a nameless Set-Cookie was
  // shown as if its value were a name.
  test.each(['terminal', 'json', 'ndjson', 'html', 'junit', 'sarif'])(
    'no password, token, cookie value or literal secret in the %s output',
    (name) => {
      const text = outputs[name]!
      const secrets = [
        ...server.issued,
        ...users.map((u) => u.password),
        'literal-form-secret',
        'literal-header-secret',
        ENV_SECRET,
      ]
      expect(server.issued.size).toBeGreaterThan(20)
      const found = secrets.filter((s) => text.includes(s))
      expect(found).toEqual([])
      // Not even the first or last 8 characters of a token (a secret cut at an excerpt's edge).
      const parts = [...server.issued].flatMap((t) => [t.slice(0, 8), t.slice(-8)])
      expect(parts.filter((p) => text.includes(p))).toEqual([])
    }
  )

  test('the evidence still shows what leaked, with the secrets replaced', () => {
    const report = JSON.parse(outputs.json!) as HuntReport
    const request = report.findings.find((f) => f.request.page === 'echo-request')!
    expect(request.request.url).toMatch(
      /\/echo\?what=request&access_token=\[redacted\]&user=\[redacted\]$/
    )
    expect(request.foreign[0]!.marker).toMatch(/^Person Number000\d$/)
    expect(request.excerpt!.before).toContain('access_token=[redacted]&user=[redacted]')
    const cookie = report.findings.find((f) => f.request.page === 'echo-cookie')!
    expect(cookie.excerpt!.before).toMatch(/pre=\[redacted\]; sid=\[redacted\]/)
    // The nameless Set-Cookie: its value is the pair, never shown as a name.
    expect(cookie.headers['set-cookie']).toBe('[redacted]; Path=/echo')
    const straddle = report.findings.find((f) => f.request.page === 'echo-straddle')!
    expect(straddle.excerpt!.before).toMatch(/<p>\[redacted\]x{50} $/)
    const env = report.findings.find((f) => f.request.page === 'echo-x-api-key')!
    // The header as sent is a literal once expanded: redacted whole.
    expect(env.excerpt!.before).toMatch(/<p>\[redacted\] $/)
    const body = report.findings.find((f) => f.request.page === 'echo-body')!
    expect(body.excerpt!.before).toContain('password=[redacted]&pwd=[redacted]&csrf=[redacted]')
  })

  test('the configuration shows templates, never literal secrets', () => {
    const report = JSON.parse(outputs.json!) as HuntReport
    const login = (report.config.login as Array<Record<string, Record<string, string>>>)[1]!
    expect(login.form).toEqual({
      username: '{{account.username}}',
      password: '{{account.password}}',
      _csrf: '{{csrf}}',
      pwd: '[redacted]',
    })
    expect(login.headers).toEqual({ 'x-pw': '[redacted]' })
    const pages = report.config.pages as Array<Record<string, Record<string, string>>>
    expect(pages.find((p) => p.name === ('echo-x-api-key' as never))!.headers).toEqual({
      'x-api-key': 'Bearer {{env.HUNT_API_KEY}}',
    })
  })

  // The terminal lists the 10 largest groups, which here need not hold the bidi page:
  // terminal-report.test.ts shows its evidence escaped.
  test('bidi controls show escaped in HTML and JUnit, never applied where a reader shows text', () => {
    const bidi = /[\u202a-\u202e\u2066-\u2069]/
    for (const name of ['terminal', 'html', 'junit']) {
      expect(outputs[name]).not.toMatch(bidi)
    }
    // SARIF viewers show a result's message; its property bag is data, as the JSON report is.
    const sarif = JSON.parse(outputs.sarif!) as {
      runs: Array<{ results: Array<{ message: { text: string } }> }>
    }
    expect(sarif.runs[0]!.results.filter((r) => bidi.test(r.message.text))).toEqual([])
    expect(outputs.html).toContain('\\u202e')
    expect(outputs.junit).toContain('\\u202e')
  })
})
