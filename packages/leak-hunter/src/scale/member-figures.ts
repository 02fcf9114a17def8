// The latest figures of one worker or agent, as its updates bring them (cumulative counters and
// latency, changed timeline buckets): what the merge adds up, also after the member is lost.
import type { LatencyPart, TimelineBucket } from '../engine/hunt-metrics.js'
import type { StepSummary } from '../report/types.js'
import { emptyCounters } from './merge-parts.js'
import type { CookieDropList, PartCounters, PartFigures } from './merge-parts.js'

export interface FiguresUpdate {
  counters: PartCounters
  timeline: readonly TimelineBucket[]
  latency?: LatencyPart
  steps?: StepSummary[]
  cookiesDropped?: CookieDropList
}

export class MemberFigures {
  counters: PartCounters = emptyCounters()
  latency: LatencyPart | undefined
  steps: StepSummary[] = []
  cookiesDropped: CookieDropList = {}
  readonly #timeline = new Map<number, TimelineBucket>()
  readonly #origin: number

  constructor(timelineOrigin: number) {
    this.#origin = timelineOrigin
  }

  apply(update: FiguresUpdate): void {
    this.counters = update.counters
    for (const b of update.timeline) {
      this.#timeline.set(b.second, b)
    }
    if (update.latency !== undefined) {
      this.latency = update.latency
    }
    if (update.steps !== undefined) {
      this.steps = update.steps
    }
    if (update.cookiesDropped !== undefined) {
      this.cookiesDropped = update.cookiesDropped
    }
  }

  figures(affected: Iterable<string> = []): PartFigures {
    return {
      counters: this.counters,
      latency: this.latency,
      timeline: [...this.#timeline.values()],
      timelineOrigin: this.#origin,
      steps: this.steps,
      cookiesDropped: this.cookiesDropped,
      affected,
    }
  }
}
