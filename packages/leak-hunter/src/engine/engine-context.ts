// What every virtual user shares during a run.
import type { Detector, Finding, MarkerIndex } from '../detect/types.js'
import type { Scenario } from '../scenario/types.js'
import type { ConnectionPlan } from './http-client.js'
import type { HuntMetrics } from './hunt-metrics.js'
import type { InFlightRegistry } from './in-flight-registry.js'

export interface LoginOutcome {
  vu: number
  account: string
  ok: boolean
  attempt: number
  ms: number
  error?: { code: string; message: string }
}

export interface EngineContext {
  scenario: Scenario
  connections: ConnectionPlan
  registry: InFlightRegistry
  metrics: HuntMetrics
  detector: Detector
  index: MarkerIndex
  /** Aborts in-flight requests when the run ends (deadline or the caller's signal). */
  stop: AbortSignal
  onFinding(finding: Finding): void
  onLogin(outcome: LoginOutcome): void
}
