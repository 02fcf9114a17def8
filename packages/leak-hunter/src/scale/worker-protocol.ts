// The calls between the hunter and its worker processes (over @crosstalk/ipc-rpc's pool). The
// parent calls `hunt` once per worker; the worker calls back: `prepared` and `loggedIn` are the
// barriers (they resolve when the parent says go, true, or stop, false), `update` streams its
// figures, findings and request windows, `finished` hands over its last figures.
import type { Finding, MarkerAmbiguity } from '../detect/types.js'
import type { PartLogin } from '../engine/hunt-part.js'
import type { LatencyPart, TimelineBucket } from '../engine/hunt-metrics.js'
import type { Slice } from '../engine/slice.js'
import type { HuntEvent, StepSummary } from '../report/types.js'
import type { ScenarioInput } from '../scenario/load-scenario.js'
import type { CookieDropList, PartCounters } from './merge-parts.js'
import type { InFlightLog } from './timed-registry.js'

export interface WorkerTask {
  /** This worker's index among the run's workers, from 0. */
  member: number
  /** The scenario as the parent loaded it, its seed fixed, so every worker assigns alike. */
  input: ScenarioInput
  /** scenarioDigest() of the parent's scenario: the worker's must be the same. */
  digest: string
  slice: Slice
  startedAt: number
  timelineOrigin: number
  maxFindings?: number
  maxGroups?: number
  /** How often the worker sends an update (ms). */
  updateMs: number
}

/** A finding with the window of its request on the host clock, for the parent's in-flight picture. */
export interface WindowedFinding {
  finding: Finding
  t0: number
  t1: number
}

export interface WorkerUpdate {
  /** Cumulative. */
  counters: PartCounters
  /** Buckets changed since the last update (current counts). */
  timeline: TimelineBucket[]
  findings: WindowedFinding[]
  logins: Array<Extract<HuntEvent, { type: 'login' }>>
  log: InFlightLog
  /** Cumulative, every few updates and in the last one. */
  latency?: LatencyPart
  steps?: StepSummary[]
  cookiesDropped?: CookieDropList
}

export interface WorkerReady {
  pid: number
  ambiguities: MarkerAmbiguity[]
}

export type WorkerApi = {
  hunt(task: WorkerTask): Promise<void>
}

export type HunterApi = {
  prepared(member: number, ready: WorkerReady): Promise<boolean>
  update(member: number, update: WorkerUpdate): void
  loggedIn(member: number, login: PartLogin): Promise<boolean>
  finished(member: number, update: WorkerUpdate): void
}
