// runHunt: validate, log every VU in, run the load, return the report. Never prints, never exits.
// Every phase ends on time (connect, login, load, drain) and the report says how each ended.
import { setMaxListeners } from 'node:events'
import { createDetector } from './detect/detector.js'
import { buildMarkerIndex } from './detect/marker-index.js'
import type { Finding, MarkerAmbiguity } from './detect/types.js'
import { buildReport } from './engine/build-report.js'
import type { LoginPhaseOutcome } from './engine/build-report.js'
import type { EngineContext, LoginOutcome } from './engine/engine-context.js'
import { ConnectionPlan } from './engine/http-client.js'
import { HuntMetrics } from './engine/hunt-metrics.js'
import { InFlightRegistry } from './engine/in-flight-registry.js'
import { loginAll } from './engine/login-phase.js'
import { PhaseClock } from './engine/phase-clock.js'
import { probeTarget } from './engine/probe-target.js'
import { ProgressTicker } from './engine/progress-ticker.js'
import { runClosed, runOpen } from './engine/run-load.js'
import { StepStatsTable } from './engine/step-stats.js'
import { AbortedError } from './errors.js'
import { EXCERPT_CHARS, EXCERPT_SLACK, redactFinding } from './redact/redact-finding.js'
import { redactStep, redactValues } from './redact/redact-values.js'
import { FindingGrouper } from './report/finding-groups.js'
import { scenarioSecretBook, secretColumns } from './redact/scenario-secrets.js'
import type { HuntEvent, HuntReport, PhaseName, ProgressSnapshot } from './report/types.js'
import { loadScenario } from './scenario/load-scenario.js'
import type { ScenarioInput } from './scenario/load-scenario.js'
import { redactConfig } from './scenario/redact-config.js'
import type { Scenario } from './scenario/types.js'

export { assignAccounts } from './engine/login-phase.js'

export interface HuntOptions extends ScenarioInput {
  /** How often onProgress and progress events fire; default 1000 ms. */
  progressIntervalMs?: number
  /** Findings kept in the report (all are counted and streamed as events); default 1000. */
  maxFindings?: number
  /** Finding groups kept per severity (all findings are counted in them); default 1000. */
  maxGroups?: number
}

export interface HuntStart {
  seed: string
  virtualUsers: number
  /** Markers that several accounts share, so a match cannot say whose it is. */
  ambiguities: MarkerAmbiguity[]
}

export interface HuntHooks {
  /** Once, after validation and before any request. */
  onStart?(start: HuntStart): void
  onProgress?(progress: ProgressSnapshot): void
  onEvent?(event: HuntEvent): void
  /**
   * Aborting ends the run at once: in-flight requests are cut off and the report (verdict
   * `interrupted`, unless a leak was found) says what ran. Already aborted: rejects.
   */
  signal?: AbortSignal
}

export async function runHunt(options: HuntOptions, hooks: HuntHooks = {}): Promise<HuntReport> {
  const scenario = await loadScenario(options)
  return huntScenario(scenario, options, hooks)
}

export async function huntScenario(
  scenario: Scenario,
  options: HuntOptions,
  hooks: HuntHooks
): Promise<HuntReport> {
  if (hooks.signal?.aborted === true) {
    throw new AbortedError()
  }
  const { load } = scenario
  const index = buildMarkerIndex(scenario.accounts, scenario.markers)
  // A wider excerpt than shown, so that a secret reaching into the shown part is found whole.
  const detector = createDetector(index, scenario.accounts, {
    excerptChars: EXCERPT_CHARS + EXCERPT_SLACK,
  })
  const secrets = scenarioSecretBook(scenario)
  const startedAt = Date.now()
  const metrics = new HuntMetrics(startedAt)
  const config = redactValues(
    redactConfig(scenario.raw, scenario.accountsConfig.credentials),
    (text) => secrets.redact(text)
  ) as Record<string, unknown>
  const emit = (event: HuntEvent): void => hooks.onEvent?.(event)
  const now = (): string => new Date().toISOString()
  hooks.onStart?.({ seed: load.seed, virtualUsers: load.vus, ambiguities: index.ambiguities })
  emit({ type: 'run-start', t: now(), seed: load.seed, virtualUsers: load.vus, config })

  const clock = new PhaseClock()
  let interrupted: PhaseName | undefined
  const stopper = new AbortController()
  const loginStopper = new AbortController()
  // Every VU's think-time sleep listens on this signal; thousands of VUs are expected.
  setMaxListeners(0, stopper.signal)
  const onAbort = (): void => {
    interrupted ??= clock.current ?? 'drain'
    stopper.abort()
  }
  hooks.signal?.addEventListener('abort', onAbort, { once: true })
  const maxFindings = options.maxFindings ?? 1000
  const findings: Finding[] = []
  const grouper = new FindingGrouper(options.maxGroups)
  const connections = new ConnectionPlan(scenario.target.origin, load)
  // Ending the run destroys every connection, which fails in-flight requests at once; no
  // per-request abort listener is needed on the hot path.
  stopper.signal.addEventListener('abort', () => void connections.close(), { once: true })
  const steps = new StepStatsTable(scenario.login, scenario.pages)
  const ctx: EngineContext = {
    scenario,
    connections,
    registry: new InFlightRegistry(),
    metrics,
    steps,
    detector,
    index,
    secrets,
    secretColumns: secretColumns(scenario),
    jarObserver: {
      dropped: (reason, name) => metrics.recordCookieDrop(reason, name),
      hold: (value) => secrets.hold(value),
      release: (value) => secrets.release(value),
    },
    stop: stopper.signal,
    loginStop: loginStopper.signal,
    onFinding(raw) {
      // Redacted here, once per finding: nothing unredacted is kept or streamed.
      const finding = redactFinding(raw, secrets)
      if (finding.severity === 'leak') {
        metrics.recordLeakFinding([finding.owner.id, ...finding.foreign.map((f) => f.id)])
      } else {
        metrics.warnings++
      }
      grouper.add(finding)
      if (findings.length < maxFindings) {
        findings.push(finding)
      }
      emit({ type: 'finding', t: now(), finding })
    },
    onLogin(outcome: LoginOutcome) {
      emit({
        type: 'login',
        t: now(),
        vu: outcome.vu,
        account: outcome.account,
        ok: outcome.ok,
        ms: Math.round(outcome.ms),
        ...(outcome.error === undefined
          ? {}
          : { error: secrets.redact(`${outcome.error.code}: ${outcome.error.message}`) }),
      })
    },
  }

  const ticker = new ProgressTicker(metrics, load.durationMs, (p) => {
    hooks.onProgress?.(p)
    emit({ type: 'progress', t: now(), ...p })
  })
  ticker.start(options.progressIntervalMs ?? 1000)
  let loginPhase: LoginPhaseOutcome = 'ok'
  let target: { address: string; error?: string } | undefined
  let loadStart: number | undefined
  let deadline: NodeJS.Timeout | undefined
  try {
    clock.start('connect')
    const probe = await probeTarget(scenario.target, Math.min(load.timeoutMs, 5000), stopper.signal)
    target = {
      address: probe.address,
      ...(probe.error === undefined ? {} : { error: probe.error }),
    }
    if (interrupted !== undefined) {
      clock.end('interrupted')
    } else if (probe.error !== undefined) {
      clock.end('failed', probe.error)
      loginPhase = 'target-unreachable'
      metrics.errors++
      metrics.unanswered++
    } else {
      clock.end('complete')
      const ready = await loginAll(ctx, clock, loginStopper, () => interrupted !== undefined)
      if (interrupted === undefined && ready.vus.length === 0) {
        loginPhase = ready.network ? 'target-unreachable' : 'login-failed'
      }
      if (interrupted === undefined && ready.vus.length > 0) {
        clock.start('load')
        loadStart = Date.now()
        ticker.loadStarted(loadStart)
        emit({ type: 'load-start', t: now(), loggedIn: ready.vus.length })
        let ranOut = false
        if (load.durationMs !== undefined) {
          deadline = setTimeout(() => {
            ranOut = true
            stopper.abort()
          }, load.durationMs)
        }
        if (load.arrivalRate !== undefined) {
          await runOpen(ctx, ready.vus, load.arrivalRate)
        } else {
          await runClosed(ctx, ready.vus)
        }
        clock.end(interrupted !== undefined && !ranOut ? 'interrupted' : 'complete')
      }
    }
  } finally {
    ticker.stop()
    clearTimeout(deadline)
    hooks.signal?.removeEventListener('abort', onAbort)
    // Drain: whatever is still in flight is cut off now, not waited for.
    clock.start('drain')
    stopper.abort()
    await connections.close()
    clock.end('complete')
  }
  const endedAt = Date.now()
  metrics.withoutOwner = detector.withoutOwner
  const report = buildReport({
    metrics,
    steps: steps.all().map((s) => redactStep(s.summary(), (t) => secrets.redact(t))),
    thresholds: scenario.thresholds,
    loginPhase,
    ...(interrupted === undefined ? {} : { interrupted }),
    target: target ?? { address: scenario.target.host },
    phases: clock.list(),
    startedAt,
    endedAt,
    loadMs: loadStart === undefined ? 0 : endedAt - loadStart,
    seed: load.seed,
    config,
    virtualUsers: load.vus,
    openModel: load.arrivalRate !== undefined,
    ambiguities: index.ambiguities,
    groups: grouper.groups(),
    findings,
  })
  emit({
    type: 'run-end',
    t: now(),
    verdict: report.verdict,
    exitCode: report.exitCode,
    reasons: report.reasons,
    summary: report.summary,
  })
  return report
}
