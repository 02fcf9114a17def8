// The figures of several parts of one run (workers, agents, shards) made into those of one run:
// counters add, HDR latency histograms add bucket by bucket (never averaged percentiles),
// timelines add second by second, steps add field by field. The thresholds and the verdict are
// then computed from the sum exactly as for one process.
import type { PartLogin } from '../engine/hunt-part.js'
import { HuntMetrics } from '../engine/hunt-metrics.js'
import type { LatencyPart, TimelineBucket } from '../engine/hunt-metrics.js'
import { MAX_MESSAGES } from '../engine/step-stats.js'
import type { CookieDrops, CookieDropReason, ReportSummary, StepSummary } from '../report/types.js'

/** Every count HuntMetrics keeps, by name. */
export const COUNTER_NAMES = [
  'requests',
  'errors',
  'unanswered',
  'cutOff',
  'checked',
  'truncated',
  'binary',
  'withoutOwner',
  'leakingResponses',
  'leakFindings',
  'warnings',
  'loginAttempts',
  'loginFailedAttempts',
  'loggedIn',
  'scheduled',
  'dropped',
  'late',
] as const

export type CounterName = (typeof COUNTER_NAMES)[number]
export type PartCounters = Record<CounterName, number>

export type CookieDropList = Partial<Record<CookieDropReason, CookieDrops>>

/** What one part has counted so far (cumulative), in a form that crosses processes. */
export interface PartFigures {
  counters: PartCounters
  /** Its latency histogram; undefined before the part sent one. */
  latency: LatencyPart | undefined
  /** Its timeline buckets, `second` counted from `timelineOrigin`. */
  timeline: readonly TimelineBucket[]
  timelineOrigin: number
  steps: readonly StepSummary[]
  cookiesDropped: CookieDropList
  affected: Iterable<string>
}

export function emptyCounters(): PartCounters {
  return Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as PartCounters
}

export function countersOf(m: HuntMetrics): PartCounters {
  return Object.fromEntries(COUNTER_NAMES.map((n) => [n, m[n]])) as PartCounters
}

/** The counters a report's summary holds (every one of them is there). */
export function countersOfSummary(s: ReportSummary): PartCounters {
  return {
    requests: s.requests,
    errors: s.errors,
    unanswered: s.unanswered,
    cutOff: s.cutOff,
    checked: s.responsesChecked,
    truncated: s.unchecked.truncated,
    binary: s.unchecked.binary,
    withoutOwner: s.unchecked.withoutOwner,
    leakingResponses: s.leaks.responses,
    leakFindings: s.leaks.findings,
    warnings: s.warnings,
    loginAttempts: s.login.attempts,
    loginFailedAttempts: s.login.failedAttempts,
    loggedIn: s.login.loggedIn,
    scheduled: s.arrivals?.scheduled ?? 0,
    dropped: s.arrivals?.dropped ?? 0,
    late: s.arrivals?.late ?? 0,
  }
}

export function cookieDropsOf(m: HuntMetrics): CookieDropList {
  const out: CookieDropList = {}
  for (const [reason, { count, names }] of m.cookieDrops) {
    out[reason] = { count, names: [...names] }
  }
  return out
}

/** Sets `into`'s counters to the sum of `parts`' (progress reads them while the parts run). */
export function sumCountersInto(into: HuntMetrics, parts: Iterable<PartCounters>): void {
  const sum = emptyCounters()
  for (const c of parts) {
    for (const n of COUNTER_NAMES) {
      sum[n] += c[n]
    }
  }
  for (const n of COUNTER_NAMES) {
    into[n] = sum[n]
  }
}

/** One run's metrics from its parts' figures; the timeline counts from `timelineOrigin`. */
export function mergeFigures(
  startedAt: number,
  timelineOrigin: number,
  parts: readonly PartFigures[]
): HuntMetrics {
  const m = new HuntMetrics(startedAt, timelineOrigin)
  sumCountersInto(
    m,
    parts.map((p) => p.counters)
  )
  for (const p of parts) {
    if (p.latency !== undefined) {
      m.addLatency(p.latency)
    }
    // Origins are whole seconds apart when they differ (shards line up on whole seconds).
    const shift = Math.round((p.timelineOrigin - timelineOrigin) / 1000)
    for (const b of p.timeline) {
      m.addTimelineBucket(b, shift)
    }
    for (const [reason, drops] of Object.entries(p.cookiesDropped) as Array<
      [CookieDropReason, CookieDrops]
    >) {
      for (const name of drops.names) {
        m.recordCookieDrop(reason, name)
      }
      // recordCookieDrop counted one per name listed; the rest of the count comes on top.
      m.cookieDrops.get(reason)!.count += drops.count - drops.names.length
    }
    for (const a of p.affected) {
      m.affected.add(a)
    }
  }
  return m
}

const stepKey = (s: StepSummary): string => JSON.stringify([s.phase, s.name, s.method, s.path])

/**
 * The steps of several parts as one: every count adds. The failure messages are the ten most
 * frequent of those the parts kept (each part keeps its first ten distinct ones); the others
 * count in otherFailures, so messages plus otherFailures still add up to failures.
 */
export function mergeSteps(lists: ReadonlyArray<readonly StepSummary[]>): StepSummary[] {
  const merged = new Map<string, { step: StepSummary; messages: Map<string, number> }>()
  for (const list of lists) {
    for (const s of list) {
      const key = stepKey(s)
      let into = merged.get(key)
      if (into === undefined) {
        into = {
          step: {
            ...s,
            sent: 0,
            responses: 0,
            errors: 0,
            failures: 0,
            messages: [],
            otherFailures: 0,
            leaks: { responses: 0, findings: 0 },
            warnings: 0,
          },
          messages: new Map(),
        }
        merged.set(key, into)
      }
      const t = into.step
      t.sent += s.sent
      t.responses += s.responses
      t.errors += s.errors
      t.failures += s.failures
      t.otherFailures += s.otherFailures
      t.leaks.responses += s.leaks.responses
      t.leaks.findings += s.leaks.findings
      t.warnings += s.warnings
      for (const { message, count } of s.messages) {
        into.messages.set(message, (into.messages.get(message) ?? 0) + count)
      }
    }
  }
  return [...merged.values()].map(({ step, messages }) => {
    const sorted = [...messages]
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count || (a.message < b.message ? -1 : 1))
    const kept = sorted.slice(0, MAX_MESSAGES)
    const rest = sorted.slice(MAX_MESSAGES).reduce((n, m) => n + m.count, 0)
    return { ...step, messages: kept, otherFailures: step.otherFailures + rest }
  })
}

/** The login phase of several parts as one (a part that never reported counts for nothing). */
export function sumLogins(logins: ReadonlyArray<PartLogin | undefined>): PartLogin {
  const sum: PartLogin = { loggedIn: 0, total: 0, network: true, deadline: false, unfinished: 0 }
  let tried = false
  for (const l of logins) {
    if (l === undefined) {
      continue
    }
    sum.loggedIn += l.loggedIn
    sum.total += l.total
    sum.deadline ||= l.deadline
    sum.unfinished += l.unfinished
    // Unreachable only when every VU that tried, in every part, got no response at all.
    if (l.total - l.unfinished > 0) {
      tried = true
      sum.network &&= l.network
    }
  }
  sum.network &&= tried
  return sum
}
