// Counters, per-second timeline buckets and an HDR latency histogram: no raw samples are kept.
import { build } from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'

export interface TimelineBucket {
  second: number
  requests: number
  leaks: number
  errors: number
}

export interface LatencySnapshot {
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

export const CHART_PERCENTILES = [0, 50, 75, 90, 95, 99, 99.9, 99.99, 100]

export class HuntMetrics {
  readonly startedAt: number
  requests = 0
  errors = 0
  /** Errors with no response at all (connection refused, reset, timeout). */
  unanswered = 0
  checked = 0
  leaks = 0
  warnings = 0
  loginFailures = 0
  loggedIn = 0
  scheduled = 0
  dropped = 0
  late = 0
  readonly affected = new Set<string>()
  readonly #timeline: TimelineBucket[] = []
  // Microseconds, 1 µs to 1 hour, 3 significant digits: about 30 KB whatever the run length.
  readonly #latency: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  })

  constructor(startedAt: number) {
    this.startedAt = startedAt
  }

  #bucket(time: number): TimelineBucket {
    const second = Math.max(0, Math.floor((time - this.startedAt) / 1000))
    let b = this.#timeline[second]
    if (b === undefined) {
      for (let s = this.#timeline.length; s <= second; s++) {
        this.#timeline[s] = { second: s, requests: 0, leaks: 0, errors: 0 }
      }
      b = this.#timeline[second]!
    }
    return b
  }

  /** One finished request; latencyMs measured from the scheduled start when a rate is set. */
  recordRequest(time: number, latencyMs: number): void {
    this.requests++
    this.#bucket(time).requests++
    this.#latency.recordValue(Math.max(1, Math.round(latencyMs * 1000)))
  }

  recordError(time: number): void {
    this.errors++
    this.#bucket(time).errors++
  }

  recordLeak(time: number, accounts: readonly string[]): void {
    this.leaks++
    this.#bucket(time).leaks++
    for (const a of accounts) {
      this.affected.add(a)
    }
  }

  latencyAt(percentile: number): number {
    if (this.#latency.totalCount === 0) {
      return 0
    }
    const us =
      percentile >= 100 ? this.#latency.maxValue : this.#latency.getValueAtPercentile(percentile)
    return us / 1000
  }

  latency(): LatencySnapshot {
    const empty = this.#latency.totalCount === 0
    return {
      p50: this.latencyAt(50),
      p90: this.latencyAt(90),
      p99: this.latencyAt(99),
      max: this.latencyAt(100),
      mean: empty ? 0 : this.#latency.mean / 1000,
    }
  }

  latencyPercentiles(): Array<{ percentile: number; ms: number }> {
    return CHART_PERCENTILES.map((percentile) => ({ percentile, ms: this.latencyAt(percentile) }))
  }

  timeline(): TimelineBucket[] {
    return this.#timeline.map((b) => ({ ...b }))
  }
}
