// Counters, per-second timeline buckets and an HDR latency histogram: no raw samples are kept.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'
import type { CookieDropReason } from './set-cookie.js'

export interface TimelineBucket {
  second: number
  requests: number
  leakingResponses: number
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

/** Cookie names listed per drop reason in the report; every drop is counted. */
const COOKIE_NAMES_KEPT = 10

/** The latency histogram's settings: every part of a run must record alike to merge exactly. */
const LATENCY_HISTOGRAM = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
} as const

export class HuntMetrics {
  readonly startedAt: number
  /** Epoch ms of timeline second 0: startedAt, or a whole second shared by parts of a run. */
  readonly timelineOrigin: number
  requests = 0
  errors = 0
  /** Errors with no response at all (connection refused, reset, deadline). */
  unanswered = 0
  /** Requests in flight when the run (or the login phase) ended: neither responses nor errors. */
  cutOff = 0
  checked = 0
  /** Answered responses whose body was cut at maxBodyBytes. */
  truncated = 0
  /** Answered responses of a binary type, which hold no text to check. */
  binary = 0
  /** Pages that should have shown their owner and showed nobody (the detector counts them). */
  withoutOwner = 0
  /** Responses with at least one leak finding. */
  leakingResponses = 0
  /** Findings with severity leak (a response can hold several). */
  leakFindings = 0
  warnings = 0
  loginAttempts = 0
  loginFailedAttempts = 0
  loggedIn = 0
  scheduled = 0
  dropped = 0
  late = 0
  readonly affected = new Set<string>()
  readonly cookieDrops = new Map<CookieDropReason, { count: number; names: Set<string> }>()
  readonly #timeline: TimelineBucket[] = []
  /** The first timeline second changed since takeTimelineChanges() last ran. */
  #changedFrom = Infinity
  // Microseconds, 1 µs to 1 hour, 3 significant digits: about 30 KB whatever the run length.
  readonly #latency: Histogram = build(LATENCY_HISTOGRAM)

  constructor(startedAt: number, timelineOrigin = startedAt) {
    this.startedAt = startedAt
    this.timelineOrigin = timelineOrigin
  }

  #bucket(time: number): TimelineBucket {
    const second = Math.max(0, Math.floor((time - this.timelineOrigin) / 1000))
    if (second < this.#changedFrom) {
      this.#changedFrom = second
    }
    let b = this.#timeline[second]
    if (b === undefined) {
      for (let s = this.#timeline.length; s <= second; s++) {
        this.#timeline[s] = { second: s, requests: 0, leakingResponses: 0, errors: 0 }
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

  /** A response with at least one leak finding (the timeline counts responses, not findings). */
  recordLeakingResponse(time: number): void {
    this.leakingResponses++
    this.#bucket(time).leakingResponses++
  }

  recordLeakFinding(accounts: readonly string[]): void {
    this.leakFindings++
    for (const a of accounts) {
      this.affected.add(a)
    }
  }

  recordCookieDrop(reason: CookieDropReason, name: string): void {
    let entry = this.cookieDrops.get(reason)
    if (entry === undefined) {
      entry = { count: 0, names: new Set() }
      this.cookieDrops.set(reason, entry)
    }
    entry.count++
    if (entry.names.size < COOKIE_NAMES_KEPT) {
      entry.names.add(name)
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

  /** The buckets changed since the last call (whole buckets, current counts): a part's live update. */
  takeTimelineChanges(): TimelineBucket[] {
    const from = this.#changedFrom
    this.#changedFrom = Infinity
    return from === Infinity ? [] : this.#timeline.slice(from).map((b) => ({ ...b }))
  }

  /** Sets bucket `b.second + shift` to `b`'s counts added to `base`'s (a merge of parts). */
  addTimelineBucket(b: TimelineBucket, shift = 0): void {
    const into = this.#bucket(this.timelineOrigin + (b.second + shift) * 1000)
    into.requests += b.requests
    into.leakingResponses += b.leakingResponses
    into.errors += b.errors
  }

  /** The latency histogram, HDR-encoded (compressed, base64): what a part sends to be merged. */
  encodeLatency(): string {
    return encodeIntoCompressedBase64(this.#latency)
  }

  /** Adds a part's encoded latency histogram: counts add bucket by bucket, exactly. */
  addEncodedLatency(encoded: string): void {
    const part = decodeFromCompressedBase64(encoded)
    this.#latency.add(part)
    part.destroy()
  }

  /** Requests recorded in the latency histogram. */
  get latencyCount(): number {
    return this.#latency.totalCount
  }
}
