import type { Finding } from '../detect/types.js'
import { FindingGrouper } from './finding-groups.js'
import { formatInt } from './format.js'
import { REPORT_SCHEMA } from './types.js'
import type { HuntReport } from './types.js'

export interface SampleOptions {
  hostile?: boolean
  seconds?: number
  /** A leak storm: this many leak findings among `accounts` accounts (a seeded skew of pairs). */
  storm?: { findings: number; accounts: number; inFlight: number }
}

/**
 * `report` with these findings, grouped as a run groups them; like a run it keeps the first
 * 1,000 findings in `findings`.
 */
export function withFindings(
  report: HuntReport,
  findings: readonly Finding[],
  maxGroups?: number
): HuntReport {
  const grouper = new FindingGrouper(maxGroups)
  findings.forEach((f) => grouper.add(f))
  return { ...report, findings: findings.slice(0, 1000), groups: grouper.groups() }
}

/**
 * A realistic report of a leaking run (the homepage's naive IPC mode), used by the docs screenshot
 * and report tests. `hostile` fills page-derived fields with markup and control characters.
 */
export function buildSampleReport(options: SampleOptions = {}): HuntReport {
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
  if (options.storm !== undefined) {
    const storm = stormFindings(options.storm, started, seconds, leak)
    findings.push(...storm)
    for (const f of storm) {
      const point = timeline[Math.floor((Date.parse(f.time) - started) / 1000)]
      if (point !== undefined) {
        point.leakingResponses++
      }
    }
  }
  const requests = timeline.reduce((sum, p) => sum + p.requests, 0)
  const leaks = findings.filter((f) => f.severity === 'leak').length
  const report: HuntReport = {
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
      pages: [{ name: 'home', path: '/' }],
      login: [{ name: 'form', password: '[redacted]' }],
    },
    reasons: [
      `${formatInt(leaks)} leaking response(s) with ${formatInt(leaks)} leak finding(s); 0 tolerated (thresholds.leaks)`,
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
          leaks: { responses: 0, findings: 0 },
          warnings: 0,
        },
        {
          phase: 'load',
          name: 'me',
          method: 'GET',
          path: '/api/me',
          sent: 128,
          responses: 128,
          errors: 0,
          failures: 0,
          messages: [],
          otherFailures: 0,
          leaks: { responses: 0, findings: 0 },
          warnings: 1,
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
    groups: { limit: 0, leaks: emptyList(), warnings: emptyList() },
    findings: [],
  }
  for (const step of report.summary.steps) {
    const mine = findings.filter((f) => f.request.page === step.name)
    const leaking = mine.filter((f) => f.severity === 'leak').length
    step.leaks = { responses: leaking, findings: leaking }
    step.warnings = mine.length - leaking
  }
  report.summary.leaks.affectedAccounts = [
    ...new Set(
      findings
        .filter((f) => f.severity === 'leak')
        .flatMap((f) => [f.owner.id, ...f.foreign.map((x) => x.id)])
    ),
  ].sort()
  return withFindings(report, findings)
}

function emptyList(): HuntReport['groups']['leaks'] {
  return { groups: [], omitted: { groups: 0, findings: 0, estimated: false } }
}

type LeakMaker = (n: number, owner: [number, string], who: [number, string, string]) => Finding

/**
 * Seeded storm findings: owners and foreign accounts drawn with a skew (a few pairs repeat
 * hundreds of times, most a few times), each with `inFlight` other VUs listed, as a real
 * crosstalk storm between overlapping requests looks.
 */
function stormFindings(
  storm: NonNullable<SampleOptions['storm']>,
  started: number,
  seconds: number,
  leak: LeakMaker
): Finding[] {
  let state = 0x9e3779b9
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const name = (i: number): string => `user${String(i).padStart(3, '0')}`
  const skewed = (): number => Math.floor(storm.accounts * next() ** 3)
  const out: Finding[] = []
  for (let n = 0; n < storm.findings; n++) {
    const owner = skewed()
    const other = (owner + 1 + skewed()) % storm.accounts
    const f = leak(n, [owner, name(owner)], [other, name(other), `User ${other} Example`])
    f.time = new Date(
      started + 3000 + Math.floor((n / storm.findings) * (seconds - 4) * 1000)
    ).toISOString()
    f.vu = 1 + (owner % 64)
    const home = next() < 0.8
    f.request = {
      ...f.request,
      page: home ? 'home' : 'me',
      url: home ? 'http://127.0.0.1:3000/' : 'http://127.0.0.1:3000/api/me',
    }
    f.concurrent = Array.from({ length: storm.inFlight }, (_, i) => {
      const account = (owner + 2 + i) % storm.accounts
      return { vu: 100 + i, account: name(account), likelySource: false }
    })
    // The source in flight, last: the lists must put it first themselves.
    f.concurrent.push({ vu: 99, account: name(other), likelySource: next() < 0.97 })
    out.push(f)
  }
  return out
}
