// Thresholds, verdict and exit code, and the final HuntReport. Thresholds are read from the
// summary's counts (and the latency histogram), so a summary merged from several workers can be
// judged the same way.
import type { Finding, MarkerAmbiguity } from '../detect/types.js'
import { REPORT_SCHEMA } from '../report/types.js'
import type {
  LostPart,
  ScaleReport,
  ShardSection,
  CookieDropReason,
  CookieDrops,
  HuntReport,
  PhaseName,
  PhaseReport,
  ReportExitCode,
  FindingGroups,
  ReportSummary,
  StepSummary,
  ThresholdResult,
  Verdict,
} from '../report/types.js'
import type { Thresholds } from '../scenario/types.js'
import type { HuntMetrics } from './hunt-metrics.js'
import { uncheckedTotal } from '../report/format.js'
import { verdictReasons } from './verdict-reasons.js'

export const EXIT_CODES: Record<Verdict, ReportExitCode> = {
  clean: 0,
  leak: 1,
  'login-failed': 3,
  'target-unreachable': 3,
  'threshold-breached': 4,
  inconclusive: 5,
  interrupted: 130,
}

export type LoginPhaseOutcome = 'ok' | 'login-failed' | 'target-unreachable'

const share = (count: number, total: number): number => (total === 0 ? 0 : count / total)

/** Requests attempted: answered or not. */
export function attempts(s: ReportSummary): number {
  return s.requests + s.unanswered
}

export function evaluateThresholds(
  thresholds: Thresholds,
  summary: ReportSummary,
  latencyAt: (percentile: number) => number
): ThresholdResult[] {
  const out: ThresholdResult[] = thresholds.latency.map(({ percentile, maxMs }) => {
    const actual = latencyAt(percentile)
    return {
      name: percentile === 100 ? 'latency.max' : `latency.p${percentile}`,
      limit: maxMs,
      actual,
      ok: actual <= maxMs,
      unit: 'ms',
    }
  })
  const errors = { count: summary.errors, total: attempts(summary) }
  const rate = (name: string, limit: number, of: { count: number; total: number }): void => {
    const actual = share(of.count, of.total)
    out.push({ name, limit, actual, ok: actual <= limit, unit: 'share', of })
  }
  if (thresholds.errorRate !== undefined) {
    rate('errorRate', thresholds.errorRate, errors)
  }
  out.push({
    name: 'leaks',
    limit: thresholds.leaks,
    actual: summary.leaks.responses,
    ok: summary.leaks.responses <= thresholds.leaks,
    unit: 'count',
  })
  rate('inconclusive.errorRate', thresholds.inconclusive.errorRate, errors)
  rate('inconclusive.unchecked', thresholds.inconclusive.unchecked, {
    count: uncheckedTotal(summary),
    total: summary.responsesChecked,
  })
  return out
}

export interface VerdictInput {
  loginPhase: LoginPhaseOutcome
  thresholds: readonly ThresholdResult[]
  /** The phase during which the caller aborted the run, if it did. */
  interrupted?: PhaseName
  /** Load-phase responses checked; none means the run checked nothing it was asked to. */
  pagesChecked: number
  /** Workers or agents lost before the end: part of the run did not happen. */
  lostParts?: number
}

/**
 * Precedence: leaks over the tolerated count (1) > interrupted (130) > nobody logged in or
 * unreachable (3) > too little checked, or a worker or agent lost (5) > other thresholds (4). A
 * foreign identity seen even in a login response is evidence of a leak, and the most important
 * thing a run can report; a run that could not check enough, or ran only in part, must not read
 * as a performance failure, nor as clean.
 */
export function decideVerdict(input: VerdictInput): Verdict {
  const failed = (name: string): boolean => input.thresholds.some((t) => t.name === name && !t.ok)
  if (failed('leaks')) {
    return 'leak'
  }
  if (input.interrupted !== undefined) {
    return 'interrupted'
  }
  if (input.loginPhase !== 'ok') {
    return input.loginPhase
  }
  if (
    input.pagesChecked === 0 ||
    (input.lostParts ?? 0) > 0 ||
    input.thresholds.some((t) => t.name.startsWith('inconclusive.') && !t.ok)
  ) {
    return 'inconclusive'
  }
  return input.thresholds.some((t) => !t.ok) ? 'threshold-breached' : 'clean'
}

export interface ReportInput {
  metrics: HuntMetrics
  steps: StepSummary[]
  thresholds: Thresholds
  loginPhase: LoginPhaseOutcome
  interrupted?: PhaseName
  target: { address: string; error?: string }
  phases: PhaseReport[]
  startedAt: number
  endedAt: number
  loadMs: number
  seed: string
  config: Record<string, unknown>
  virtualUsers: number
  openModel: boolean
  ambiguities: MarkerAmbiguity[]
  groups: FindingGroups
  findings: Finding[]
  /** Workers or agents lost on the way. */
  lost?: LostPart[]
  scale?: ScaleReport
  shard?: ShardSection
}

export function buildSummary(input: ReportInput): ReportSummary {
  const m = input.metrics
  // Throughput over the load phase (login is a different workload); whole run if none.
  const durationS = Math.max(
    0.001,
    (input.loadMs > 0 ? input.loadMs : input.endedAt - input.startedAt) / 1000
  )
  const cookiesDropped: Partial<Record<CookieDropReason, CookieDrops>> = {}
  for (const [reason, { count, names }] of m.cookieDrops) {
    cookiesDropped[reason] = { count, names: [...names] }
  }
  return {
    virtualUsers: input.virtualUsers,
    requests: m.requests,
    unanswered: m.unanswered,
    cutOff: m.cutOff,
    responsesChecked: m.checked,
    unchecked: { truncated: m.truncated, binary: m.binary, withoutOwner: m.withoutOwner },
    errors: m.errors,
    errorRate: share(m.errors, m.requests + m.unanswered),
    login: {
      attempts: m.loginAttempts,
      failedAttempts: m.loginFailedAttempts,
      loggedIn: m.loggedIn,
    },
    loginFailures: input.virtualUsers - m.loggedIn,
    leaks: {
      responses: m.leakingResponses,
      findings: m.leakFindings,
      responseRate: share(m.leakingResponses, m.checked),
      affectedAccounts: [...m.affected].sort(),
    },
    warnings: m.warnings,
    cookiesDropped,
    throughput: m.requests / durationS,
    latencyMs: m.latency(),
    ...(input.openModel
      ? { arrivals: { scheduled: m.scheduled, dropped: m.dropped, late: m.late } }
      : {}),
    steps: input.steps,
  }
}

export function buildReport(input: ReportInput): HuntReport {
  const summary = buildSummary(input)
  const thresholds = evaluateThresholds(input.thresholds, summary, (p) =>
    input.metrics.latencyAt(p)
  )
  const pagesChecked = summary.steps
    .filter((s) => s.phase === 'load')
    .reduce((n, s) => n + s.responses, 0)
  const verdict = decideVerdict({
    loginPhase: input.loginPhase,
    thresholds,
    ...(input.interrupted === undefined ? {} : { interrupted: input.interrupted }),
    pagesChecked,
    lostParts: input.lost?.length ?? 0,
  })
  return {
    schema: REPORT_SCHEMA,
    verdict,
    exitCode: EXIT_CODES[verdict],
    reasons: verdictReasons({
      verdict,
      summary,
      thresholds,
      target: input.target,
      phases: input.phases,
      pagesChecked,
      lost: input.lost ?? [],
    }),
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: input.endedAt - input.startedAt,
    seed: input.seed,
    config: input.config,
    target: input.target,
    phases: input.phases,
    summary,
    timeline: input.metrics.timeline(),
    latencyPercentiles: input.metrics.latencyPercentiles(),
    thresholds,
    ambiguities: input.ambiguities,
    groups: input.groups,
    findings: input.findings,
    ...(input.scale === undefined ? {} : { scale: input.scale }),
    ...(input.shard === undefined ? {} : { shard: input.shard }),
  }
}
