// The progress snapshot every interval (onProgress and `progress` events).
import { performance } from 'node:perf_hooks'
import type { ProgressSnapshot } from '../report/types.js'
import type { HuntMetrics } from './hunt-metrics.js'

export class ProgressTicker {
  readonly #metrics: HuntMetrics
  readonly #durationMs: number | undefined
  readonly #onTick: (p: ProgressSnapshot) => void
  #loadStart: number | undefined
  #lastRequests = 0
  #lastTick = performance.now()
  #timer: NodeJS.Timeout | undefined

  constructor(
    metrics: HuntMetrics,
    durationMs: number | undefined,
    onTick: (p: ProgressSnapshot) => void
  ) {
    this.#metrics = metrics
    this.#durationMs = durationMs
    this.#onTick = onTick
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => this.#onTick(this.snapshot()), intervalMs)
    this.#timer.unref()
  }

  /** Remaining time counts from here. */
  loadStarted(at: number): void {
    this.#loadStart = at
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  snapshot(): ProgressSnapshot {
    const m = this.#metrics
    const t = performance.now()
    const rps = ((m.requests - this.#lastRequests) * 1000) / Math.max(1, t - this.#lastTick)
    this.#lastRequests = m.requests
    this.#lastTick = t
    const remaining =
      this.#durationMs === undefined
        ? undefined
        : this.#durationMs - (this.#loadStart === undefined ? 0 : Date.now() - this.#loadStart)
    return {
      elapsedMs: Date.now() - m.startedAt,
      ...(remaining === undefined ? {} : { remainingMs: Math.max(0, remaining) }),
      requests: m.requests,
      rps,
      responsesChecked: m.checked,
      leakingResponses: m.leakingResponses,
      warnings: m.warnings,
      errors: m.errors,
    }
  }
}
