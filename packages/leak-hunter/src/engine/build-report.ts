// Thresholds, verdict and exit code, and the final HuntReport.
import type { Finding, MarkerAmbiguity } from '../detect/types.js'
import { REPORT_SCHEMA } from '../report/types.js'
import type {
  HuntReport,
  ReportExitCode,
  ReportSummary,
  ThresholdResult,
  Verdict,
} from '../report/types.js'
import type { Thresholds } from '../scenario/types.js'
import type { HuntMetrics } from './hunt-metrics.js'

export const EXIT_CODES: Record<Verdict, ReportExitCode> = {
  clean: 0,
  leak: 1,
  'login-failed': 3,
  'target-unreachable': 3,
  'threshold-breached': 4,
}

export function errorRate(metrics: HuntMetrics): number {
  const attempts = metrics.requests + metrics.unanswered
  return attempts === 0 ? 0 : metrics.errors / attempts
}

export function evaluateThresholds(
  thresholds: Thresholds,
  metrics: HuntMetrics
): ThresholdResult[] {
  const out: ThresholdResult[] = thresholds.latency.map(({ percentile, maxMs }) => {
    const actual = metrics.latencyAt(percentile)
    return {
      name: percentile === 100 ? 'latency.max' : `latency.p${percentile}`,
      limit: maxMs,
      actual,
      ok: actual <= maxMs,
    }
  })
  if (thresholds.errorRate !== undefined) {
    const actual = errorRate(metrics)
    out.push({
      name: 'errorRate',
      limit: thresholds.errorRate,
      actual,
      ok: actual <= thresholds.errorRate,
    })
  }
  out.push({
    name: 'leaks',
    limit: thresholds.leaks,
    actual: metrics.leaks,
    ok: metrics.leaks <= thresholds.leaks,
  })
  return out
}

/**
 * Precedence: leaks over the tolerated count (1) > nobody logged in or unreachable (3) > other
 * thresholds (4). A foreign identity seen even in a login response is evidence of a leak, and
 * the most important thing a CI run can report.
 */
export function decideVerdict(
  loginPhase: 'ok' | 'login-failed' | 'target-unreachable',
  thresholds: readonly ThresholdResult[]
): Verdict {
  if (thresholds.some((t) => t.name === 'leaks' && !t.ok)) {
    return 'leak'
  }
  if (loginPhase !== 'ok') {
    return loginPhase
  }
  return thresholds.some((t) => !t.ok) ? 'threshold-breached' : 'clean'
}

export interface ReportInput {
  metrics: HuntMetrics
  thresholds: Thresholds
  loginPhase: 'ok' | 'login-failed' | 'target-unreachable'
  startedAt: number
  endedAt: number
  loadMs: number
  seed: string
  config: Record<string, unknown>
  virtualUsers: number
  openModel: boolean
  ambiguities: MarkerAmbiguity[]
  findings: Finding[]
}

export function buildSummary(input: ReportInput): ReportSummary {
  const m = input.metrics
  // Throughput over the load phase (login is a different workload); whole run if none.
  const durationS = Math.max(
    0.001,
    (input.loadMs > 0 ? input.loadMs : input.endedAt - input.startedAt) / 1000
  )
  return {
    requests: m.requests,
    responsesChecked: m.checked,
    errors: m.errors,
    loginFailures: m.loginFailures,
    leaks: {
      count: m.leaks,
      rate: m.checked === 0 ? 0 : m.leaks / m.checked,
      affectedAccounts: [...m.affected].sort(),
    },
    warnings: m.warnings,
    throughput: m.requests / durationS,
    latencyMs: m.latency(),
    ...(input.openModel
      ? { arrivals: { scheduled: m.scheduled, dropped: m.dropped, late: m.late } }
      : {}),
    virtualUsers: input.virtualUsers,
  }
}

export function buildReport(input: ReportInput): HuntReport {
  const thresholds = evaluateThresholds(input.thresholds, input.metrics)
  const verdict = decideVerdict(input.loginPhase, thresholds)
  return {
    schema: REPORT_SCHEMA,
    verdict,
    exitCode: EXIT_CODES[verdict],
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: input.endedAt - input.startedAt,
    seed: input.seed,
    config: input.config,
    summary: buildSummary(input),
    timeline: input.metrics.timeline(),
    latencyPercentiles: input.metrics.latencyPercentiles(),
    thresholds,
    ambiguities: input.ambiguities,
    findings: input.findings,
  }
}
