import type { Finding } from '../detect/types.js'
import { REPORT_SCHEMA } from './types.js'
import type { HuntReport } from './types.js'

/**
 * A realistic report of a leaking run (the homepage's naive IPC mode), used by the docs screenshot
 * and report tests. `hostile` fills page-derived fields with markup and control characters.
 */
export function buildSampleReport(
  options: { hostile?: boolean; seconds?: number } = {}
): HuntReport {
  const seconds = options.seconds ?? 12
  const started = Date.UTC(2026, 10, 27, 18, 0, 0)
  const timeline = Array.from({ length: seconds }, (_, second) => ({
    second,
    requests: second === 0 ? 1200 : 2050 + ((second * 37) % 160),
    leakingResponses: second >= 3 && second % 3 === 0 ? 1 + (second % 2) : 0,
    errors: second === 7 ? 4 : 0,
  }))
  const leak = (n: number, owner: [number, string], who: [number, string, string]): Finding => ({
    kind: 'foreign-identity',
    severity: 'leak',
    time: new Date(started + 3000 + n * 1700).toISOString(),
    vu: 10 + n,
    owner: { index: owner[0], id: owner[1] },
    foreign: [{ index: who[0], id: who[1], column: 'displayName', marker: who[2] }],
    request: { method: 'GET', url: 'http://127.0.0.1:3000/', status: 200, page: 'home' },
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'set-cookie': 'sid=[redacted]; Path=/; HttpOnly; SameSite=Lax',
    },
    excerpt: {
      before: options.hostile
        ? '<script>alert(1)</script>\u001b[31m"quoted" & \'single\' <img src=http://evil.test/x.png> '
        : '<header class="top"><nav><a href="/">Home</a><a href="/profile">Profile</a></nav><h1>Welcome, ',
      match: who[2],
      after:
        '</h1><p>Your last login was 2 minutes ago. You have 3 unread messages.</p></header><main>',
    },
    concurrent: [
      { vu: 3, account: who[1], likelySource: true },
      { vu: 8, account: 'grace', likelySource: false },
    ],
  })
  const findings: Finding[] = [
    leak(0, [12, 'mary'], [31, 'tom', 'Tom Baker']),
    leak(1, [7, 'ann.lee'], [12, 'mary', 'Mary Smith']),
    leak(2, [31, 'tom'], [7, 'ann.lee', options.hostile ? '<b>Ann</b> & "Lee"' : 'Ann Lee']),
    {
      kind: 'cacheable-personalised',
      severity: 'warning',
      time: new Date(started + 1500).toISOString(),
      vu: 4,
      owner: { index: 4, id: 'grace' },
      foreign: [],
      request: { method: 'GET', url: 'http://127.0.0.1:3000/api/me', status: 200, page: 'me' },
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
      concurrent: [],
      detail:
        'personalised response a shared cache may store: Cache-Control: max-age=60 without private/no-store; no Vary: Cookie',
    },
  ]
  const requests = timeline.reduce((sum, p) => sum + p.requests, 0)
  const leaks = findings.filter((f) => f.severity === 'leak').length
  return {
    schema: REPORT_SCHEMA,
    verdict: 'leak',
    exitCode: 1,
    startedAt: new Date(started).toISOString(),
    durationMs: seconds * 1000,
    seed: 'demo-seed',
    config: {
      target: 'http://127.0.0.1:3000',
      accounts: { file: 'accounts.csv', credentials: ['username', 'password'] },
      markers: { columns: ['displayName', 'email'], caseInsensitive: false, minLength: 3 },
      load: { vus: 64, duration: `${seconds}s`, rampUp: '1s' },
      login: [{ name: 'form', password: '[redacted]' }],
    },
    reasons: [
      `${leaks} leaking response(s) with ${leaks} leak finding(s); 0 tolerated (thresholds.leaks)`,
    ],
    target: { address: '127.0.0.1:3000' },
    phases: [
      { name: 'connect', ms: 1, end: 'complete' },
      { name: 'login', ms: 180, end: 'complete' },
      { name: 'load', ms: seconds * 1000 - 190, end: 'complete' },
      { name: 'drain', ms: 2, end: 'complete' },
    ],
    summary: {
      virtualUsers: 64,
      requests,
      unanswered: 0,
      cutOff: 64,
      responsesChecked: requests,
      unchecked: { truncated: 0, binary: 0, withoutOwner: 0 },
      errors: 4,
      errorRate: 4 / requests,
      login: { attempts: 64, failedAttempts: 0, loggedIn: 64 },
      loginFailures: 0,
      leaks: {
        responses: leaks,
        findings: leaks,
        responseRate: leaks / requests,
        affectedAccounts: ['mary', 'ann.lee', 'tom'],
      },
      warnings: 1,
      cookiesDropped: {},
      throughput: requests / seconds,
      latencyMs: { p50: 1.9, p90: 4.2, p99: 11.5, max: 38.2, mean: 2.4 },
      steps: [
        {
          phase: 'load',
          name: 'home',
          method: 'GET',
          path: '/',
          sent: requests - 128,
          responses: requests - 128,
          errors: 4,
          failures: 4,
          messages: [{ message: 'GET / returned 503, expected 200', count: 4 }],
          otherFailures: 0,
        },
      ],
    },
    timeline,
    latencyPercentiles: [
      { percentile: 50, ms: 1.9 },
      { percentile: 75, ms: 2.8 },
      { percentile: 90, ms: 4.2 },
      { percentile: 95, ms: 6.1 },
      { percentile: 99, ms: 11.5 },
      { percentile: 99.9, ms: 24.7 },
      { percentile: 99.99, ms: 38.2 },
    ],
    thresholds: [
      { name: 'latency.p99', limit: 50, actual: 11.5, ok: true, unit: 'ms' },
      { name: 'leaks', limit: 0, actual: leaks, ok: false, unit: 'count' },
    ],
    ambiguities: [{ marker: 'Sam Smith', accounts: ['sam1 (displayName)', 'sam2 (displayName)'] }],
    findings,
  }
}
