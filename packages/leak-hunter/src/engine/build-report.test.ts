import { describe, expect, test } from 'vitest'
import { buildReport, decideVerdict, evaluateThresholds } from './build-report.js'
import { HuntMetrics } from './hunt-metrics.js'

function metricsWith(latenciesMs: number[], errors = 0, leaks = 0): HuntMetrics {
  const m = new HuntMetrics(0)
  latenciesMs.forEach((ms, i) => m.recordRequest(i * 10, ms))
  for (let i = 0; i < errors; i++) {
    m.recordError(0)
  }
  for (let i = 0; i < leaks; i++) {
    m.recordLeak(1500, ['ann', 'bob'])
  }
  m.checked = latenciesMs.length
  return m
}

describe('thresholds and verdict', () => {
  test('latency percentiles come from the HDR histogram', () => {
    const m = metricsWith(Array.from({ length: 100 }, (_, i) => i + 1))
    const t = evaluateThresholds(
      {
        latency: [
          { percentile: 50, maxMs: 60 },
          { percentile: 99, maxMs: 50 },
          { percentile: 100, maxMs: 100 },
        ],
        errorRate: undefined,
        leaks: 0,
      },
      m
    )
    expect(t.map((x) => [x.name, x.ok])).toEqual([
      ['latency.p50', true],
      ['latency.p99', false],
      ['latency.max', true],
      ['leaks', true],
    ])
    expect(t[0]!.actual).toBeCloseTo(50, 0)
    expect(t[2]!.actual).toBeCloseTo(100, 0)
  })

  test('error rate counts errors per attempt, unanswered ones included', () => {
    const m = metricsWith([1, 1, 1], 2)
    m.unanswered = 1
    const [rate] = evaluateThresholds({ latency: [], errorRate: 0.4, leaks: 0 }, m)
    expect(rate).toEqual({ name: 'errorRate', limit: 0.4, actual: 0.5, ok: false })
  })

  test('precedence: leaks, then the login phase, then other thresholds', () => {
    const breached = [{ name: 'latency.p99', limit: 1, actual: 2, ok: false }]
    const leak = [{ name: 'leaks', limit: 0, actual: 1, ok: false }]
    // A foreign identity in a login response is still a leak, even if no login verified.
    expect(decideVerdict('login-failed', leak)).toBe('leak')
    expect(decideVerdict('login-failed', breached)).toBe('login-failed')
    expect(decideVerdict('target-unreachable', [])).toBe('target-unreachable')
    expect(decideVerdict('ok', [...breached, ...leak])).toBe('leak')
    expect(decideVerdict('ok', breached)).toBe('threshold-breached')
    expect(decideVerdict('ok', [])).toBe('clean')
  })

  test('tolerated leaks do not make the verdict a leak', () => {
    const m = metricsWith([5, 5], 0, 2)
    expect(buildReport(input(m, 2)).verdict).toBe('clean')
    expect(buildReport(input(m, 1)).verdict).toBe('leak')
  })

  test('the report carries summary, timeline buckets and exit code', () => {
    const m = metricsWith([5, 7, 9], 1, 1)
    const r = buildReport(input(m, 0))
    expect(r.schema).toBe('crosstalk.leak-hunter/report@1')
    expect(r.exitCode).toBe(1)
    expect(r.summary.leaks).toEqual({ count: 1, rate: 1 / 3, affectedAccounts: ['ann', 'bob'] })
    expect(r.summary.throughput).toBeCloseTo(3, 5)
    expect(r.timeline).toEqual([
      { second: 0, requests: 3, leaks: 0, errors: 1 },
      { second: 1, requests: 0, leaks: 1, errors: 0 },
    ])
    expect(r.latencyPercentiles.at(-1)).toEqual({ percentile: 100, ms: expect.closeTo(9, 1) })
    expect(r.summary.arrivals).toBeUndefined()
  })
})

function input(metrics: HuntMetrics, leaks: number) {
  return {
    metrics,
    thresholds: { latency: [], errorRate: undefined, leaks },
    loginPhase: 'ok' as const,
    startedAt: 0,
    endedAt: 2000,
    loadMs: 1000,
    seed: 's',
    config: {},
    virtualUsers: 2,
    openModel: false,
    ambiguities: [],
    findings: [],
  }
}
