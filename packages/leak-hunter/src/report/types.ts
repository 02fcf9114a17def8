import type { Finding, FindingAccount, FindingKind, MarkerAmbiguity } from '../detect/types.js'

export const REPORT_SCHEMA = 'crosstalk.leak-hunter/report@2'

export type Verdict =
  | 'clean'
  | 'leak'
  | 'threshold-breached'
  | 'login-failed'
  | 'target-unreachable'
  | 'inconclusive'
  | 'interrupted'

export type ReportExitCode = 0 | 1 | 3 | 4 | 5 | 130

export interface LatencySummary {
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

/** Why a Set-Cookie was not stored, or a stored cookie dropped. */
export type CookieDropReason = 'too-large' | 'invalid' | 'foreign-domain' | 'evicted'

export type StepPhase = 'login' | 'load'

export interface StepFailureCount {
  message: string
  count: number
}

/** One step in the report (summary.steps). Every field is a count that sums across workers. */
export interface StepSummary {
  phase: StepPhase
  name: string
  method: string
  /** The path as the scenario writes it, templates unexpanded. */
  path: string
  /** Requests sent (or attempted, when the request could not be built). */
  sent: number
  responses: number
  /** Requests that failed: no response, unexpected status, extraction or template failure. */
  errors: number
  /** errors plus login verifications that did not show the owner's marker. */
  failures: number
  /** The first distinct failure messages (templates unexpanded), most frequent first. */
  messages: StepFailureCount[]
  /** Failures whose message was not among the first distinct ones kept. */
  otherFailures: number
  /** This step's responses with a leak finding, and its leak findings. */
  leaks: { responses: number; findings: number }
  /** This step's findings with severity warning. */
  warnings: number
}

/** Cookies the jars refused or dropped, by reason, with the first few names seen. */
export interface CookieDrops {
  count: number
  names: string[]
}

/**
 * Counts of one run. Every field but latency and throughput is a count (or a union of ids) that
 * adds up across workers, so reports of several workers can be merged field by field.
 */
export interface ReportSummary {
  virtualUsers: number
  /** HTTP requests answered (login steps included). */
  requests: number
  /** Requests that got no complete response: refused, reset, or past load.timeout. */
  unanswered: number
  /** Requests in flight when the run or the login phase ended: neither answered nor errors. */
  cutOff: number
  /** Answered responses run through the detector (every answered response). */
  responsesChecked: number
  /**
   * Answered responses that tell nothing about a leak: body cut at maxBodyBytes, binary type, or
   * a page that should show its owner and showed nobody (the VU was not logged in).
   */
  unchecked: { truncated: number; binary: number; withoutOwner: number }
  /** Unanswered requests, unexpected statuses, failed extractions and templates. */
  errors: number
  /** errors / (requests + unanswered); 0 when nothing was attempted. */
  errorRate: number
  login: {
    /** Login flows run (a VU's retries count again). */
    attempts: number
    failedAttempts: number
    /** VUs whose login verified. */
    loggedIn: number
  }
  /** VUs that did not log in: every attempt failed, or the login phase ended first. */
  loginFailures: number
  leaks: {
    /** Responses with at least one leak finding. */
    responses: number
    /** Leak findings (one response can hold a foreign identity and a session swap). */
    findings: number
    /** responses / responsesChecked (0 when nothing was checked); never above 1. */
    responseRate: number
    affectedAccounts: string[]
  }
  /** Findings with severity warning. */
  warnings: number
  /** Set-Cookie headers the jars did not store, or cookies they evicted (browser limits). */
  cookiesDropped: Partial<Record<CookieDropReason, CookieDrops>>
  /** Requests per second over the load phase. */
  throughput: number
  latencyMs: LatencySummary
  /** Open model only. */
  arrivals?: { scheduled: number; dropped: number; late: number }
  /** Per login step and page: requests, responses, failures and why. */
  steps: StepSummary[]
}

export type PhaseName = 'connect' | 'login' | 'load' | 'drain'

/**
 * complete: ran as planned; deadline: its own deadline ended it; interrupted: the caller did;
 * aborted: a threshold failed with abortOnFail (--abort-on-fail), or every worker or agent was lost.
 */
export type PhaseEnd = 'complete' | 'deadline' | 'interrupted' | 'failed' | 'aborted'

export interface PhaseReport {
  name: PhaseName
  ms: number
  end: PhaseEnd
  /** What ended it early, or how it failed. */
  detail?: string
}

export interface TimelinePoint {
  second: number
  requests: number
  /** Responses with a leak finding. */
  leakingResponses: number
  errors: number
}

export interface ThresholdResult {
  name: string
  limit: number
  actual: number
  ok: boolean
  /** How limit and actual read: a count, milliseconds, or a share (0-1) of `of` counts. */
  unit: 'count' | 'ms' | 'share'
  /** For a share: the counts it is made of, e.g. 123 errors of 9,967 requests. */
  of?: { count: number; total: number }
}

/**
 * Findings of one (kind, page, owner, foreign accounts): how many, when, and one of them as
 * evidence. Every field merges exactly across reports (see mergeFindingGroups).
 */
export interface FindingGroup {
  kind: FindingKind
  severity: 'leak' | 'warning'
  /** The scenario's page or login step name. */
  page: string
  owner: FindingAccount
  /** The foreign accounts, sorted by id; empty for warnings. */
  foreign: FindingAccount[]
  count: number
  /** Findings whose in-flight list named a likely source. */
  withLikelySource: number
  firstTime: string
  lastTime: string
  /** The representative: one with a likely source in flight if any, else the earliest. */
  evidence: Finding
}

export interface GroupList {
  /** At most `limit` groups, largest first. */
  groups: FindingGroup[]
  /** Groups past the limit: counted, not listed. */
  omitted: {
    groups: number
    findings: number
    /** `groups` is estimated (k minimum values) rather than counted. */
    estimated: boolean
  }
}

export interface FindingGroups {
  /** Groups kept per severity (HuntOptions.maxGroups, default 1000). */
  limit: number
  leaks: GroupList
  warnings: GroupList
}

/** A worker process or an agent that stopped before the run ended, and what it took with it. */
export interface LostPart {
  kind: 'worker' | 'agent' | 'shard'
  /** Its index among the run's parts, from 0. */
  index: number
  pid?: number
  host?: string
  /** The phase of the run when it was lost (absent for a shard whose report is missing). */
  phase?: PhaseName
  /** How, in words: `exited with code 1`, `killed by SIGKILL`, `no heartbeat for 10 s`. */
  reason: string
  exitCode?: number | null
  signal?: string | null
  /** Its VUs: their counts up to its last update are in the report, the rest of its run is not. */
  vus: number
  /** The ids of its VUs' accounts (the first 100; `accountsOmitted` more; a missing shard's are not known). */
  accounts: string[]
  accountsOmitted: number
}

/** One part of a run spread over processes or machines. */
export interface ScalePart {
  kind: 'worker' | 'agent' | 'shard'
  index: number
  pid?: number
  host?: string
  /** The part's VUs: global VU ids `offset`, `offset + stride`, ... (and the same arrivals). */
  slice: { offset: number; stride: number }
  vus: number
}

/** How the run was spread: absent for a run in one process. */
export interface ScaleReport {
  mode: 'workers' | 'shards' | 'coordinated'
  parts: ScalePart[]
  /** Parts lost on the way; the verdict is then `inconclusive` at best (unless a leak was found). */
  lost: LostPart[]
}

/**
 * What a shard's report carries so that `leak-hunter merge` can rebuild the report of the whole
 * run exactly: the encoded latency histogram, the timeline's origin and the load phase's window.
 */
export interface ShardSection {
  /** 1-based, as on the command line (`--shard 2/4`). */
  index: number
  count: number
  /** sha256 of the scenario and accounts (seed excluded): shards of one run share it. */
  digest: string
  /** VUs of the whole run (this shard's are `summary.virtualUsers`). */
  runVirtualUsers: number
  /** The machine it ran on (os.hostname(): the pod's name in Kubernetes). */
  host: string
  /** The latency histogram (HDR, compressed, base64; microseconds) and its exact max. */
  latency: { hdr: string; maxUs: number }
  /** Epoch ms of `timeline` second 0: a whole second, so the shards' timelines line up. */
  timelineOrigin: number
  /** Epoch ms the load phase started and ended (absent when it did not run). */
  load?: { startedAt: number; endedAt: number }
  /** How the login phase went, for the merged verdict. */
  login: { network: boolean; deadline: boolean; unfinished: number }
  /** The phase the shard was interrupted in, if it was. */
  interrupted?: PhaseName
}

/** The JSON report, documented in docs/report-schema.md. */
export interface HuntReport {
  schema: typeof REPORT_SCHEMA
  verdict: Verdict
  exitCode: ReportExitCode
  /** Why the verdict is what it is, in sentences; empty for a clean run. */
  reasons: string[]
  startedAt: string
  durationMs: number
  seed: string
  /** The resolved scenario with secrets redacted. */
  config: Record<string, unknown>
  /** The address tried first, and the system error when no connection opened. */
  target: { address: string; error?: string }
  phases: PhaseReport[]
  summary: ReportSummary
  timeline: TimelinePoint[]
  latencyPercentiles: Array<{ percentile: number; ms: number }>
  thresholds: ThresholdResult[]
  ambiguities: MarkerAmbiguity[]
  /** Every finding, grouped; bounded whatever the run's size. */
  groups: FindingGroups
  findings: Finding[]
  /** Present when the run was spread over worker processes, shards or agents. */
  scale?: ScaleReport
  /** Present in the report of one shard (`run --shard I/N`): what merging needs. */
  shard?: ShardSection
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
  leakingResponses: number
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
      reasons: string[]
      summary: ReportSummary
    }
