// The messages of a coordinated run, over two Redis Streams per session: `up` (agents to the
// coordinator: join, ready, connected, loggedIn, update, finished, failed) and `down` (the
// coordinator to every agent: the barriers connect, login and load, stop, and a beat every
// second). An agent's updates are its heartbeat; the coordinator's beats are its own.
import type { Finding, MarkerAmbiguity } from '../detect/types.js'
import type { PartLogin } from '../engine/hunt-part.js'
import type { LatencyPart, TimelineBucket } from '../engine/hunt-metrics.js'
import type { FindingGroups, HuntEvent, LostPart, StepSummary } from '../report/types.js'
import type { ScenarioOverrides } from '../scenario/load-scenario.js'
import type { CookieDropList, PartCounters } from './merge-parts.js'

/** What the coordinator publishes for agents to join: one session of a run id. */
export interface RunPlan {
  session: string
  agents: number
  /** scenarioDigest() of the coordinator's scenario: an agent's must be the same. */
  digest: string
  seed: string
  /** The coordinator's load flags (and target), applied by every agent. */
  overrides: ScenarioOverrides
}

export interface AgentFigures {
  counters: PartCounters
  /** Buckets changed since the last update. */
  timeline: TimelineBucket[]
  latency: LatencyPart
  cookiesDropped: CookieDropList
}

export type UpMessage =
  | { t: 'join'; agent: number; host: string; pid: number; timelineOrigin: number }
  | { t: 'ready'; agent: number; ambiguities: MarkerAmbiguity[] }
  | { t: 'connected'; agent: number; address: string; error?: string }
  | { t: 'loggedIn'; agent: number; login: PartLogin }
  | {
      t: 'update'
      agent: number
      figures: AgentFigures
      findings: Finding[]
      logins: Array<Extract<HuntEvent, { type: 'login' }>>
    }
  | {
      t: 'finished'
      agent: number
      figures: AgentFigures
      findings: Finding[]
      logins: Array<Extract<HuntEvent, { type: 'login' }>>
      steps: StepSummary[]
      groups: FindingGroups
      /** Worker processes the agent lost (`--workers`). */
      lost: LostPart[]
      /** The agent stopped of its own accord (interrupted, the coordinator silent): why. */
      early?: string
    }
  | { t: 'failed'; agent: number; host: string; error: string }

export type DownMessage =
  { t: 'connect' } | { t: 'login' } | { t: 'load' } | { t: 'stop'; reason: string } | { t: 'beat' }
