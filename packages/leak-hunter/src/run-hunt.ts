// runHunt: validate, log every VU in, run the load, return the report. Never prints, never exits.
import { setMaxListeners } from 'node:events'
import { performance } from 'node:perf_hooks'
import { createDetector } from './detect/detector.js'
import { buildMarkerIndex } from './detect/marker-index.js'
import type { Finding, MarkerAmbiguity } from './detect/types.js'
import { buildReport } from './engine/build-report.js'
import type { EngineContext, LoginOutcome } from './engine/engine-context.js'
import { ConnectionPlan } from './engine/http-client.js'
import { HuntMetrics } from './engine/hunt-metrics.js'
import { InFlightRegistry } from './engine/in-flight-registry.js'
import { probeTarget } from './engine/probe-target.js'
import { mapLimit, runClosed, runOpen } from './engine/run-load.js'
import { createRandom, shuffledIndexes } from './engine/seeded-random.js'
import { VirtualUser } from './engine/virtual-user.js'
import { AbortedError } from './errors.js'
import type { HuntEvent, HuntReport, ProgressSnapshot } from './report/types.js'
import { loadScenario } from './scenario/load-scenario.js'
import type { ScenarioInput } from './scenario/load-scenario.js'
import { redactConfig } from './scenario/redact-config.js'
import type { Scenario } from './scenario/types.js'

export interface HuntOptions extends ScenarioInput {
  /** How often onProgress and progress events fire; default 1000 ms. */
  progressIntervalMs?: number
  /** Findings kept in the report (all are counted and streamed as events); default 1000. */
  maxFindings?: number
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
  /** Aborting ends the run early: before the load phase it rejects, after it returns a report. */
  signal?: AbortSignal
}

const LOGIN_CONCURRENCY = 256

/** Assign accounts to VUs: a seeded shuffle, each account to at most one VU. */
export function assignAccounts(accounts: number, vus: number, seed: string): number[] {
  return shuffledIndexes(accounts, createRandom(seed, 'accounts')).slice(0, vus)
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
  const { load } = scenario
  const index = buildMarkerIndex(scenario.accounts, scenario.markers)
  const detector = createDetector(index, scenario.accounts)
  const startedAt = Date.now()
  const metrics = new HuntMetrics(startedAt)
  const config = redactConfig(scenario.raw, scenario.accountsConfig.credentials) as Record<
    string,
    unknown
  >
  const emit = (event: HuntEvent): void => hooks.onEvent?.(event)
  const now = (): string => new Date().toISOString()
  hooks.onStart?.({ seed: load.seed, virtualUsers: load.vus, ambiguities: index.ambiguities })
  emit({ type: 'run-start', t: now(), seed: load.seed, virtualUsers: load.vus, config })

  // A function, not a field read: TypeScript would narrow the flag after the first check.
  const callerAborted = (): boolean => hooks.signal?.aborted === true
  const stopper = new AbortController()
  // Every VU's think-time sleep listens on this signal; thousands of VUs are expected.
  setMaxListeners(0, stopper.signal)
  const onAbort = (): void => stopper.abort()
  hooks.signal?.addEventListener('abort', onAbort, { once: true })
  if (callerAborted()) {
    stopper.abort()
  }
  const maxFindings = options.maxFindings ?? 1000
  const findings: Finding[] = []
  const connections = new ConnectionPlan(scenario.target.origin, load)
  // Ending the run destroys every connection, which fails in-flight requests at once; no
  // per-request abort listener is needed on the hot path.
  stopper.signal.addEventListener('abort', () => void connections.close(), { once: true })
  const ctx: EngineContext = {
    scenario,
    connections,
    registry: new InFlightRegistry(),
    metrics,
    detector,
    index,
    stop: stopper.signal,
    onFinding(finding) {
      if (finding.severity === 'leak') {
        metrics.recordLeak(Date.parse(finding.time), [
          finding.owner.id,
          ...finding.foreign.map((f) => f.id),
        ])
      } else {
        metrics.warnings++
      }
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
          : { error: `${outcome.error.code}: ${outcome.error.message}` }),
      })
    },
  }

  let loadStart: number | undefined
  let lastRequests = 0
  let lastTick = performance.now()
  const snapshot = (): ProgressSnapshot => {
    const t = performance.now()
    const rps = ((metrics.requests - lastRequests) * 1000) / Math.max(1, t - lastTick)
    lastRequests = metrics.requests
    lastTick = t
    const remaining =
      load.durationMs === undefined
        ? undefined
        : load.durationMs - (loadStart === undefined ? 0 : Date.now() - loadStart)
    return {
      elapsedMs: Date.now() - startedAt,
      ...(remaining === undefined ? {} : { remainingMs: Math.max(0, remaining) }),
      requests: metrics.requests,
      rps,
      responsesChecked: metrics.checked,
      leaks: metrics.leaks,
      warnings: metrics.warnings,
      errors: metrics.errors,
    }
  }
  const progressTimer = setInterval(() => {
    const p = snapshot()
    hooks.onProgress?.(p)
    emit({ type: 'progress', t: now(), ...p })
  }, options.progressIntervalMs ?? 1000)
  progressTimer.unref()

  let loginPhase: 'ok' | 'login-failed' | 'target-unreachable' = 'ok'
  let deadline: NodeJS.Timeout | undefined
  try {
    const unreachable = await probeTarget(scenario.target, Math.min(load.timeoutMs, 5000))
    if (callerAborted()) {
      throw new AbortedError()
    }
    if (unreachable !== undefined) {
      loginPhase = 'target-unreachable'
      metrics.errors++
      metrics.unanswered++
    } else {
      const assignment = assignAccounts(scenario.accounts.length, load.vus, load.seed)
      const vus = assignment.map(
        (accountIndex, vu) => new VirtualUser(ctx, vu, scenario.accounts[accountIndex]!)
      )
      const results = await mapLimit(vus, LOGIN_CONCURRENCY, (vu) => vu.login())
      if (callerAborted()) {
        throw new AbortedError('the hunt was aborted during the login phase')
      }
      const ready = vus.filter((_, i) => results[i]!.ok)
      metrics.loggedIn = ready.length
      if (ready.length === 0) {
        loginPhase = results.every((r) => r.network) ? 'target-unreachable' : 'login-failed'
      } else {
        loadStart = Date.now()
        emit({ type: 'load-start', t: now(), loggedIn: ready.length })
        if (load.durationMs !== undefined) {
          deadline = setTimeout(() => stopper.abort(), load.durationMs)
        }
        if (load.arrivalRate !== undefined) {
          await runOpen(ctx, ready, load.arrivalRate)
        } else {
          await runClosed(ctx, ready)
        }
      }
    }
  } finally {
    clearInterval(progressTimer)
    clearTimeout(deadline)
    hooks.signal?.removeEventListener('abort', onAbort)
    stopper.abort()
    await connections.close()
  }
  const endedAt = Date.now()
  const report = buildReport({
    metrics,
    thresholds: scenario.thresholds,
    loginPhase,
    startedAt,
    endedAt,
    loadMs: loadStart === undefined ? 0 : endedAt - loadStart,
    seed: load.seed,
    config,
    virtualUsers: load.vus,
    openModel: load.arrivalRate !== undefined,
    ambiguities: index.ambiguities,
    findings,
  })
  emit({
    type: 'run-end',
    t: now(),
    verdict: report.verdict,
    exitCode: report.exitCode,
    summary: report.summary,
  })
  return report
}
