import { describe, expect, test } from 'vitest'
import { FindingGrouper } from '../report/finding-groups.js'
import type { StepSummary, ThresholdResult } from '../report/types.js'
import { INCONCLUSIVE_DEFAULTS } from '../scenario/types.js'
import type { Thresholds } from '../scenario/types.js'
import { buildReport, decideVerdict, evaluateThresholds } from './build-report.js'
import type { ReportInput } from './build-report.js'
import { HuntMetrics } from './hunt-metrics.js'

function metricsWith(latenciesMs: number[], errors = 0, leakingResponses = 0): HuntMetrics {
  const m = new HuntMetrics(0)
  latenciesMs.forEach((ms, i) => m.recordRequest(i * 10, ms))
  for (let i = 0; i < errors; i++) {
    m.recordError(0)
  }
  for (let i = 0; i < leakingResponses; i++) {
    m.recordLeakingResponse(1500)
    m.recordLeakFinding(['ann', 'bob'])
  }
  m.checked = latenciesMs.length
  m.loggedIn = 2
  return m
}

const thresholds = (partial: Partial<Thresholds> = {}): Thresholds => ({
  latency: [],
  errorRate: undefined,
  leaks: 0,
  inconclusive: INCONCLUSIVE_DEFAULTS,
  ...partial,
})

function page(responses: number, failures: StepSummary['messages'] = []): StepSummary {
  const failed = failures.reduce((n, f) => n + f.count, 0)
  return {
    phase: 'load',
    name: 'home',
    method: 'GET',
    path: '/',
    sent: responses,
    responses,
    errors: failed,
    failures: failed,
    messages: failures,
    otherFailures: 0,
    leaks: { responses: 0, findings: 0 },
    warnings: 0,
  }
}

function input(metrics: HuntMetrics, partial: Partial<ReportInput> = {}): ReportInput {
  return {
    metrics,
    steps: [page(metrics.checked)],
    thresholds: thresholds(),
    loginPhase: 'ok',
    target: { address: '127.0.0.1:3000' },
    phases: [],
    startedAt: 0,
    endedAt: 2000,
    loadMs: 1000,
    seed: 's',
    config: {},
    virtualUsers: 2,
    openModel: false,
    ambiguities: [],
    groups: new FindingGrouper().groups(),
    findings: [],
    ...partial,
  }
}

const latencyOf = (m: HuntMetrics) => (p: number) => m.latencyAt(p)

describe('thresholds and verdict', () => {
  test('latency percentiles come from the HDR histogram', () => {
    const m = metricsWith(Array.from({ length: 100 }, (_, i) => i + 1))
    const summary = buildReport(input(m)).summary
    const t = evaluateThresholds(
      thresholds({
        latency: [
          { percentile: 50, maxMs: 60 },
          { percentile: 99, maxMs: 50 },
          { percentile: 100, maxMs: 100 },
        ],
      }),
      summary,
      latencyOf(m)
    )
    expect(t.map((x) => [x.name, x.ok, x.unit])).toEqual([
      ['latency.p50', true, 'ms'],
      ['latency.p99', false, 'ms'],
      ['latency.max', true, 'ms'],
      ['leaks', true, 'count'],
      ['inconclusive.errorRate', true, 'share'],
      ['inconclusive.unchecked', true, 'share'],
    ])
    expect(t[0]!.actual).toBeCloseTo(50, 0)
    expect(t[2]!.actual).toBeCloseTo(100, 0)
  })

  test('error rate counts errors per attempt, unanswered ones included, with its counts', () => {
    const m = metricsWith([1, 1, 1], 2)
    m.unanswered = 1
    const summary = buildReport(input(m)).summary
    const [rate] = evaluateThresholds(thresholds({ errorRate: 0.4 }), summary, latencyOf(m))
    expect(rate).toEqual({
      name: 'errorRate',
      limit: 0.4,
      actual: 0.5,
      ok: false,
      unit: 'share',
      of: { count: 2, total: 4 },
    })
  })

  test('precedence: leaks, interrupted, the login phase, inconclusive, then other thresholds', () => {
    const t = (name: string, ok: boolean): ThresholdResult => ({
      name,
      limit: 0,
      actual: ok ? 0 : 1,
      ok,
      unit: 'count',
    })
    const breached = [t('latency.p99', false)]
    const leak = [t('leaks', false)]
    const thin = [t('inconclusive.errorRate', false)]
    const v = (
      loginPhase: 'ok' | 'login-failed' | 'target-unreachable',
      list: ThresholdResult[],
      extra: { interrupted?: 'login'; pagesChecked?: number } = {}
    ) => decideVerdict({ loginPhase, thresholds: list, pagesChecked: 10, ...extra })
    // A foreign identity in a login response is still a leak, even if no login verified.
    expect(v('login-failed', leak)).toBe('leak')
    expect(v('ok', leak, { interrupted: 'login' })).toBe('leak')
    expect(v('login-failed', breached, { interrupted: 'login' })).toBe('interrupted')
    expect(v('login-failed', [...breached, ...thin])).toBe('login-failed')
    expect(v('target-unreachable', [])).toBe('target-unreachable')
    expect(v('ok', [...breached, ...thin])).toBe('inconclusive')
    expect(v('ok', [], { pagesChecked: 0 })).toBe('inconclusive')
    expect(v('ok', breached)).toBe('threshold-breached')
    expect(v('ok', [])).toBe('clean')
  })

  test('tolerated leaks do not make the verdict a leak; leaks count responses, not findings', () => {
    const m = metricsWith([5, 5], 0, 2)
    m.recordLeakFinding(['ann', 'cid'])
    expect(buildReport(input(m, { thresholds: thresholds({ leaks: 2 }) })).verdict).toBe('clean')
    const r = buildReport(input(m, { thresholds: thresholds({ leaks: 1 }) }))
    expect(r.verdict).toBe('leak')
    expect(r.reasons).toEqual([
      '2 leaking response(s) with 3 leak finding(s); 1 tolerated (thresholds.leaks)',
    ])
  })

  // Regression (issue 11): one response holding a foreign identity and a session swap made the
  // report say "leak rate 192 %".
  test('leak rate counts leaking responses per checked response, never above 1', () => {
    const m = metricsWith([5, 5, 5, 5], 0, 4)
    for (let i = 0; i < 4; i++) {
      m.recordLeakFinding(['ann'])
    }
    const r = buildReport(input(m))
    expect(r.summary.leaks).toEqual({
      responses: 4,
      findings: 8,
      responseRate: 1,
      affectedAccounts: ['ann', 'bob'],
    })
  })

  // Regression (issue 11): 7,516 of 7,518 requests answered 431 and the run said CLEAN, exit 0.
  test('inconclusive when nearly every request failed, with the counts and the failing step', () => {
    const m = metricsWith(Array(7518).fill(1), 7516)
    const steps = [page(7518, [{ message: 'GET / returned 431, expected 200', count: 7516 }])]
    const r = buildReport(input(m, { steps }))
    expect(r.verdict).toBe('inconclusive')
    expect(r.exitCode).toBe(5)
    expect(r.reasons).toEqual([
      'inconclusive.errorRate 99.97 % (7,516 of 7,518) above 10 % (thresholds.inconclusive.errorRate)',
      'home: GET / returned 431, expected 200 (7,516 of 7,518)',
    ])
  })

  test('inconclusive when too many responses were not checked in full; the limit is a threshold', () => {
    const m = metricsWith([1, 1, 1, 1, 1])
    m.truncated = 1
    m.binary = 1
    const r = buildReport(input(m))
    expect(r.verdict).toBe('inconclusive')
    expect(r.reasons[0]).toBe(
      "inconclusive.unchecked 40 % (2 of 5) above 10 % (thresholds.inconclusive.unchecked): 1 cut at load.maxBodyBytes, 1 of a binary type, 0 pages without their owner's marker"
    )
    const lenient = thresholds({ inconclusive: { errorRate: 0.1, unchecked: 0.5 } })
    expect(buildReport(input(m, { thresholds: lenient })).verdict).toBe('clean')
  })

  test('a run that checked no page response is inconclusive, not clean', () => {
    const m = metricsWith([1, 1])
    const r = buildReport(input(m, { steps: [{ ...page(0), phase: 'load' }] }))
    expect(r.verdict).toBe('inconclusive')
    expect(r.reasons).toContain('no page response was checked in the load phase')
  })

  test('an unreachable target names the address and the system error', () => {
    const m = metricsWith([])
    const error = 'cannot connect to 127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9'
    const r = buildReport(
      input(m, { loginPhase: 'target-unreachable', target: { address: '127.0.0.1:9', error } })
    )
    expect(r.verdict).toBe('target-unreachable')
    expect(r.reasons).toEqual([error])
    expect(r.target).toEqual({ address: '127.0.0.1:9', error })
  })

  test('the report carries summary, timeline buckets, phases and exit code', () => {
    const m = metricsWith([5, 7, 9], 1, 1)
    const r = buildReport(input(m))
    expect(r.schema).toBe('crosstalk.leak-hunter/report@2')
    expect(r.exitCode).toBe(1)
    expect(r.summary.throughput).toBeCloseTo(3, 5)
    expect(r.summary.errorRate).toBeCloseTo(1 / 3, 9)
    expect(r.summary.loginFailures).toBe(0)
    expect(r.timeline).toEqual([
      { second: 0, requests: 3, leakingResponses: 0, errors: 1 },
      { second: 1, requests: 0, leakingResponses: 1, errors: 0 },
    ])
    expect(r.latencyPercentiles.at(-1)).toEqual({ percentile: 100, ms: expect.closeTo(9, 1) })
    expect(r.summary.arrivals).toBeUndefined()
  })

  // Regression (issue 11): loginFailures counted failed attempts, not VUs as its schema says.
  test('loginFailures counts VUs that did not log in; attempts are counted apart', () => {
    const m = metricsWith([1])
    m.loggedIn = 1
    m.loginAttempts = 7
    m.loginFailedAttempts = 6
    const r = buildReport(input(m, { virtualUsers: 3 }))
    expect(r.summary.loginFailures).toBe(2)
    expect(r.summary.login).toEqual({ attempts: 7, failedAttempts: 6, loggedIn: 1 })
  })
})
