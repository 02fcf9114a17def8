import type { Finding, MarkerAmbiguity } from '../detect/types.js'

export const REPORT_SCHEMA = 'crosstalk.leak-hunter/report@1'

export type Verdict =
  'clean' | 'leak' | 'threshold-breached' | 'login-failed' | 'target-unreachable'

export type ReportExitCode = 0 | 1 | 3 | 4

export interface LatencySummary {
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

export interface ReportSummary {
  requests: number
  responsesChecked: number
  errors: number
  loginFailures: number
  leaks: {
    count: number
    /** Leaks per checked response. */
    rate: number
    affectedAccounts: string[]
  }
  warnings: number
  /** Requests per second over the whole run. */
  throughput: number
  latencyMs: LatencySummary
  /** Open model only. */
  arrivals?: { scheduled: number; dropped: number; late: number }
  virtualUsers: number
}

export interface TimelinePoint {
  second: number
  requests: number
  leaks: number
  errors: number
}

export interface ThresholdResult {
  name: string
  limit: number
  actual: number
  ok: boolean
}

/** The JSON report, documented in docs/report-schema.md. */
export interface HuntReport {
  schema: typeof REPORT_SCHEMA
  verdict: Verdict
  exitCode: ReportExitCode
  startedAt: string
  durationMs: number
  seed: string
  /** The resolved scenario with secrets redacted. */
  config: Record<string, unknown>
  summary: ReportSummary
  timeline: TimelinePoint[]
  latencyPercentiles: Array<{ percentile: number; ms: number }>
  thresholds: ThresholdResult[]
  ambiguities: MarkerAmbiguity[]
  findings: Finding[]
}

export interface TerminalReportOptions {
  color: boolean
}

export interface ProgressSnapshot {
  elapsedMs: number
  /** Undefined for iteration-bounded runs. */
  remainingMs?: number
  requests: number
  /** Requests per second over the last interval. */
  rps: number
  responsesChecked: number
  leaks: number
  warnings: number
  errors: number
}

/** One NDJSON line of `--events FILE`; `t` is the ISO time the event was written. */
export type HuntEvent =
  | {
      type: 'run-start'
      t: string
      seed: string
      virtualUsers: number
      config: Record<string, unknown>
    }
  | {
      type: 'login'
      t: string
      vu: number
      account: string
      ok: boolean
      ms: number
      error?: string
    }
  | { type: 'load-start'; t: string; loggedIn: number }
  | { type: 'finding'; t: string; finding: Finding }
  | ({ type: 'progress'; t: string } & ProgressSnapshot)
  | {
      type: 'run-end'
      t: string
      verdict: Verdict
      exitCode: ReportExitCode
      summary: ReportSummary
    }
