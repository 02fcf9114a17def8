// What every virtual user shares during a run.
import type { Detector, Finding, MarkerIndex } from '../detect/types.js'
import type { SecretBook } from '../redact/secret-book.js'
import type { Scenario } from '../scenario/types.js'
import type { JarObserver } from './cookie-jar.js'
import type { ConnectionPlan } from './http-client.js'
import type { HuntMetrics } from './hunt-metrics.js'
import type { InFlightRegistry } from './in-flight-registry.js'
import type { Slice } from './slice.js'
import type { StepStatsTable } from './step-stats.js'

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
  /** The VUs and arrivals this process runs (the whole run unless sharded or in a worker). */
  slice: Slice
  connections: ConnectionPlan
  registry: InFlightRegistry
  metrics: HuntMetrics
  steps: StepStatsTable
  detector: Detector
  index: MarkerIndex
  /** Values to redact from outputs; VUs' cookies and extracted values come and go in it. */
  secrets: SecretBook
  /** Account columns whose values are secrets (credentials, less the id column). */
  secretColumns: ReadonlySet<string>
  /** Every VU's jar reports to it: cookies dropped, values held. */
  jarObserver: JarObserver
  /** Aborts in-flight requests when the run ends (deadline or the caller's signal). */
  stop: AbortSignal
  /** Aborts when the login phase ends (its deadline): no VU starts another login attempt. */
  loginStop: AbortSignal
  onFinding(finding: Finding): void
  onLogin(outcome: LoginOutcome): void
}
