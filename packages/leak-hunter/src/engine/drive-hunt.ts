// Drives a HuntPart through the phases (connect, login, load, drain) and builds the report. Every
// phase ends on time and the report says how each ended. The same driver runs a hunt in this
// process, over worker processes, and over the agents of a coordinated run.
import type { HuntEvent, HuntReport, PhaseName, ProgressSnapshot } from '../report/types.js'
import type { ShardSection } from '../report/types.js'
import { redactValues } from '../redact/redact-values.js'
import type { SecretBook } from '../redact/secret-book.js'
import { redactConfig } from '../scenario/redact-config.js'
import type { Scenario } from '../scenario/types.js'
import { liveThresholdFailure } from './abort-on-fail.js'
import { buildReport } from './build-report.js'
import type { LoginPhaseOutcome } from './build-report.js'
import type { HuntPart } from './hunt-part.js'
import { endLoginPhase } from './login-phase.js'
import { PhaseClock } from './phase-clock.js'
import { ProgressTicker } from './progress-ticker.js'

export interface DriveOptions {
  startedAt: number
  secrets: SecretBook
  progressIntervalMs?: number
  /** Stop as soon as the live figures fail a threshold (leaks at once; the rest after 1 s of load). */
  abortOnFail?: boolean
  /** Present for a shard: the report carries what merging needs. */
  shard?: Pick<ShardSection, 'index' | 'count' | 'digest' | 'runVirtualUsers' | 'host'>
}

export interface DriveHooks {
  onStart?(start: {
    seed: string
    virtualUsers: number
    ambiguities: HuntReport['ambiguities']
  }): void
  onProgress?(progress: ProgressSnapshot): void
  onEvent?(event: HuntEvent): void
  signal?: AbortSignal
}

export async function driveHunt(
  scenario: Scenario,
  part: HuntPart,
  options: DriveOptions,
  hooks: DriveHooks
): Promise<HuntReport> {
  const { load } = scenario
  const { startedAt, secrets } = options
  const emit = (event: HuntEvent): void => hooks.onEvent?.(event)
  const now = (): string => new Date().toISOString()
  const config = redactValues(
    redactConfig(scenario.raw, scenario.accountsConfig.credentials),
    (text) => secrets.redact(text)
  ) as Record<string, unknown>
  const clock = new PhaseClock()
  let interrupted: PhaseName | undefined
  let aborted: string | undefined
  const probeStop = new AbortController()
  const onAbort = (): void => {
    interrupted ??= clock.current ?? 'drain'
    probeStop.abort()
    part.stop()
  }
  hooks.signal?.addEventListener('abort', onAbort, { once: true })
  let ticker: ProgressTicker | undefined
  let loginPhase: LoginPhaseOutcome = 'ok'
  let target: { address: string; error?: string } | undefined
  let loadStart: number | undefined
  let login = { network: false, deadline: false, unfinished: 0 }
  let probeFailed = false
  try {
    await part.prepare()
    hooks.onStart?.({ seed: load.seed, virtualUsers: load.vus, ambiguities: part.ambiguities })
    emit({ type: 'run-start', t: now(), seed: load.seed, virtualUsers: load.vus, config })
    let ticks = 0
    ticker = new ProgressTicker(part.live, load.durationMs, (p) => {
      hooks.onProgress?.(p)
      emit({ type: 'progress', t: now(), ...p })
      if (options.abortOnFail === true && loadStart !== undefined && aborted === undefined) {
        const failed = liveThresholdFailure(scenario.thresholds, part, ++ticks > 1)
        if (failed !== undefined) {
          aborted = `${failed} failed with --abort-on-fail`
          part.stop()
        }
      }
    })
    ticker.start(options.progressIntervalMs ?? 1000)
    clock.start('connect')
    const probe = await part.connect(Math.min(load.timeoutMs, 5000), probeStop.signal)
    target = {
      address: probe.address,
      ...(probe.error === undefined ? {} : { error: probe.error }),
    }
    if (interrupted !== undefined) {
      clock.end('interrupted')
    } else if (probe.error !== undefined) {
      clock.end('failed', probe.error)
      loginPhase = 'target-unreachable'
      probeFailed = true
    } else {
      clock.end('complete')
      clock.start('login')
      const done = await part.login()
      login = done
      endLoginPhase(clock, done, interrupted !== undefined, load.loginTimeoutMs)
      if (interrupted === undefined && done.loggedIn === 0) {
        loginPhase = done.network ? 'target-unreachable' : 'login-failed'
      }
      if (interrupted === undefined && done.loggedIn > 0) {
        clock.start('load')
        loadStart = Date.now()
        ticker.loadStarted(loadStart)
        emit({ type: 'load-start', t: now(), loggedIn: done.loggedIn })
        await part.load()
        if (interrupted !== undefined) {
          clock.end('interrupted')
        } else if (part.lostAll) {
          clock.end('failed', 'every worker or agent was lost')
        } else if (aborted !== undefined) {
          clock.end('aborted', aborted)
        } else {
          clock.end('complete')
        }
      }
    }
  } finally {
    ticker?.stop()
    hooks.signal?.removeEventListener('abort', onAbort)
    // Drain: whatever is still in flight is cut off now, not waited for.
    clock.start('drain')
    part.stop()
    await part.close()
    clock.end('complete')
  }
  const endedAt = Date.now()
  const result = part.result()
  if (probeFailed) {
    result.metrics.errors++
    result.metrics.unanswered++
  }
  const shard: ShardSection | undefined =
    options.shard === undefined
      ? undefined
      : {
          ...options.shard,
          latency: result.metrics.latencyPart(),
          timelineOrigin: result.metrics.timelineOrigin,
          ...(loadStart === undefined ? {} : { load: { startedAt: loadStart, endedAt } }),
          login,
          ...(interrupted === undefined ? {} : { interrupted }),
        }
  const report = buildReport({
    metrics: result.metrics,
    steps: result.steps,
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
    virtualUsers: result.virtualUsers,
    openModel: load.arrivalRate !== undefined,
    ambiguities: part.ambiguities,
    groups: result.groups,
    findings: result.findings,
    lost: result.lost,
    ...(result.scale === undefined ? {} : { scale: result.scale }),
    ...(shard === undefined ? {} : { shard }),
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
