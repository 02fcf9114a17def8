// --abort-on-fail: the thresholds judged on the live figures, so a run that has already failed
// stops. A leak count past thresholds.leaks is final at once; error rate and latency can still
// recover early on, so they are judged only from the second progress tick of the load phase.
import type { Thresholds } from '../scenario/types.js'
import type { HuntMetrics } from './hunt-metrics.js'

/** The name of the first threshold the live figures fail (as in the report), or undefined. */
export function liveThresholdFailure(
  thresholds: Thresholds,
  source: { current(): HuntMetrics },
  settled: boolean
): string | undefined {
  const m = source.current()
  if (m.leakingResponses > thresholds.leaks) {
    return 'leaks'
  }
  if (!settled) {
    return undefined
  }
  const attempts = m.requests + m.unanswered
  if (
    thresholds.errorRate !== undefined &&
    attempts > 0 &&
    m.errors / attempts > thresholds.errorRate
  ) {
    return 'errorRate'
  }
  for (const { percentile, maxMs } of thresholds.latency) {
    if (m.latencyAt(percentile) > maxMs) {
      return percentile === 100 ? 'latency.max' : `latency.p${percentile}`
    }
  }
  return undefined
}
