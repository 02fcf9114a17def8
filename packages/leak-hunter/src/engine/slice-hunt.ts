// One process's share of a hunt: its VUs log in, run the load and are checked. It never probes,
// prints or builds a report: runHunt drives it phase by phase (directly, or in a worker process,
// or in an agent of a coordinated run) and merges what the parts found.
import { setMaxListeners } from 'node:events'
import { createDetector } from '../detect/detector.js'
import { buildMarkerIndex } from '../detect/marker-index.js'
import type { Detector, Finding, MarkerIndex } from '../detect/types.js'
import { EXCERPT_CHARS, EXCERPT_SLACK, redactFinding } from '../redact/redact-finding.js'
import { redactStep } from '../redact/redact-values.js'
import { scenarioSecretBook, secretColumns } from '../redact/scenario-secrets.js'
import type { SecretBook } from '../redact/secret-book.js'
import { FindingGrouper } from '../report/finding-groups.js'
import type { FindingGroups, HuntEvent, StepSummary } from '../report/types.js'
import type { Scenario } from '../scenario/types.js'
import type { EngineContext, LoginOutcome } from './engine-context.js'
import { ConnectionPlan } from './http-client.js'
import { HuntMetrics } from './hunt-metrics.js'
import { InFlightRegistry } from './in-flight-registry.js'
import { loginAll } from './login-phase.js'
import type { LoginPhaseResult } from './login-phase.js'
import { runClosed, runOpen } from './run-load.js'
import { sliceSize } from './slice.js'
import type { Slice } from './slice.js'
import { StepStatsTable } from './step-stats.js'
import type { VirtualUser } from './virtual-user.js'

export interface SliceHuntOptions {
  slice: Slice
  /** Epoch ms the run started (shared by every part of a run). */
  startedAt: number
  /** Epoch ms of timeline second 0; default startedAt. */
  timelineOrigin?: number
  /** Findings kept one by one; default 1000. */
  maxFindings?: number
  /** Finding groups kept per severity; default 1000. */
  maxGroups?: number
  /** The in-flight registry (a worker's records times for the parent's cross-worker picture). */
  registry?: InFlightRegistry
  /** Every finding, redacted, as it is found. */
  onFinding?(finding: Finding): void
  /** Every login attempt; `error` is redacted. */
  onLogin?(outcome: LoginOutcome, error: string | undefined): void
}

/** The `login` event of one attempt (`error` already redacted). */
export function loginEvent(
  outcome: LoginOutcome,
  error: string | undefined
): Extract<HuntEvent, { type: 'login' }> {
  return {
    type: 'login',
    t: new Date().toISOString(),
    vu: outcome.vu,
    account: outcome.account,
    ok: outcome.ok,
    ms: Math.round(outcome.ms),
    ...(error === undefined ? {} : { error }),
  }
}

export class SliceHunt {
  readonly scenario: Scenario
  readonly slice: Slice
  readonly metrics: HuntMetrics
  readonly index: MarkerIndex
  readonly secrets: SecretBook
  readonly findings: Finding[] = []
  readonly #detector: Detector
  readonly #grouper: FindingGrouper
  readonly #steps: StepStatsTable
  readonly #connections: ConnectionPlan
  readonly #stopper = new AbortController()
  readonly #loginStopper = new AbortController()
  readonly #ctx: EngineContext
  #ready: VirtualUser[] = []

  constructor(scenario: Scenario, options: SliceHuntOptions) {
    this.scenario = scenario
    this.slice = options.slice
    const { load } = scenario
    this.index = buildMarkerIndex(scenario.accounts, scenario.markers)
    // A wider excerpt than shown, so that a secret reaching into the shown part is found whole.
    this.#detector = createDetector(this.index, scenario.accounts, {
      excerptChars: EXCERPT_CHARS + EXCERPT_SLACK,
    })
    this.secrets = scenarioSecretBook(scenario)
    this.metrics = new HuntMetrics(options.startedAt, options.timelineOrigin)
    this.#grouper = new FindingGrouper(options.maxGroups)
    this.#steps = new StepStatsTable(scenario.login, scenario.pages)
    // A slice's share of a shared pool, so that the parts of a run open load.connections in all.
    const connections = Math.max(1, sliceSize(load.connections, options.slice))
    this.#connections = new ConnectionPlan(scenario.target.origin, { ...load, connections })
    // Every VU's think-time sleep listens on this signal; thousands of VUs are expected.
    setMaxListeners(0, this.#stopper.signal)
    // Ending the run destroys every connection, which fails in-flight requests at once; no
    // per-request abort listener is needed on the hot path.
    this.#stopper.signal.addEventListener('abort', () => void this.#connections.close(), {
      once: true,
    })
    const maxFindings = options.maxFindings ?? 1000
    const metrics = this.metrics
    const secrets = this.secrets
    this.#ctx = {
      scenario,
      slice: options.slice,
      connections: this.#connections,
      registry: options.registry ?? new InFlightRegistry(),
      metrics,
      steps: this.#steps,
      detector: this.#detector,
      index: this.index,
      secrets,
      secretColumns: secretColumns(scenario),
      jarObserver: {
        dropped: (reason, name) => metrics.recordCookieDrop(reason, name),
        hold: (value) => secrets.hold(value),
        release: (value) => secrets.release(value),
      },
      stop: this.#stopper.signal,
      loginStop: this.#loginStopper.signal,
      onFinding: (raw) => {
        // Redacted here, once per finding: nothing unredacted is kept or streamed.
        const finding = redactFinding(raw, secrets)
        if (finding.severity === 'leak') {
          metrics.recordLeakFinding([finding.owner.id, ...finding.foreign.map((f) => f.id)])
        } else {
          metrics.warnings++
        }
        this.#grouper.add(finding)
        if (this.findings.length < maxFindings) {
          this.findings.push(finding)
        }
        options.onFinding?.(finding)
      },
      onLogin: (outcome) => {
        const error =
          outcome.error === undefined
            ? undefined
            : secrets.redact(`${outcome.error.code}: ${outcome.error.message}`)
        options.onLogin?.(outcome, error)
      },
    }
  }

  /** Whether stop() was called. */
  get stopped(): boolean {
    return this.#stopper.signal.aborted
  }

  /** Logs the slice's VUs in (until all are done or load.loginTimeout passes). */
  async login(): Promise<LoginPhaseResult> {
    const result = await loginAll(this.#ctx, this.#loginStopper)
    this.#ready = result.vus
    return result
  }

  /** Runs the load with the VUs that logged in, until load.duration, the iterations, or stop(). */
  async load(): Promise<void> {
    const { load } = this.scenario
    const deadline =
      load.durationMs === undefined
        ? undefined
        : setTimeout(() => this.#stopper.abort(), load.durationMs)
    try {
      if (this.#ready.length === 0) {
        return
      }
      if (load.arrivalRate !== undefined) {
        await runOpen(this.#ctx, this.#ready, load.arrivalRate)
      } else {
        await runClosed(this.#ctx, this.#ready)
      }
    } finally {
      clearTimeout(deadline)
    }
  }

  /** Ends the slice now, in whatever phase: requests in flight are cut off. */
  stop(): void {
    this.#stopper.abort()
  }

  /** Drain: whatever is still in flight is cut off now, not waited for. */
  async close(): Promise<void> {
    this.#stopper.abort()
    await this.#connections.close()
    this.metrics.withoutOwner = this.#detector.withoutOwner
  }

  /** Counts the detector keeps itself, brought into the metrics (for a live snapshot). */
  syncMetrics(): HuntMetrics {
    this.metrics.withoutOwner = this.#detector.withoutOwner
    return this.metrics
  }

  /** Per step: counts and failure messages, redacted. */
  steps(): StepSummary[] {
    return this.#steps.all().map((s) => redactStep(s.summary(), (t) => this.secrets.redact(t)))
  }

  groups(): FindingGroups {
    return this.#grouper.groups()
  }
}
