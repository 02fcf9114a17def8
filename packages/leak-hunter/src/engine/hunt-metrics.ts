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

/** A part's latency as it crosses processes: the HDR histogram (compressed, base64, in µs) and
 * the exact max, which the encoding keeps only at the histogram's precision. */
export interface LatencyPart {
  hdr: string
  maxUs: number
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
  /** The exact max; the histogram's own is exact only for values recorded into it directly. */
  #maxUs = 0

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
    const us = Math.max(1, Math.round(latencyMs * 1000))
    this.#latency.recordValue(us)
    if (us > this.#maxUs) {
      this.#maxUs = us
    }
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
    const us = percentile >= 100 ? this.#maxUs : this.#latency.getValueAtPercentile(percentile)
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

  /** The latency as a part sends it to be merged. */
  latencyPart(): LatencyPart {
    return { hdr: encodeIntoCompressedBase64(this.#latency), maxUs: this.#maxUs }
  }

  /** Adds a part's latency: counts add bucket by bucket, exactly; the max is the parts' max. */
  addLatency(part: LatencyPart): void {
    const decoded = decodeFromCompressedBase64(part.hdr)
    this.#latency.add(decoded)
    decoded.destroy()
    if (part.maxUs > this.#maxUs) {
      this.#maxUs = part.maxUs
    }
  }

  /** Requests recorded in the latency histogram. */
  get latencyCount(): number {
    return this.#latency.totalCount
  }
}
