// Validate `thresholds`: latency percentiles, error rate, tolerated leaks, inconclusive limits.
import { asNumber, asObject, fail, join } from './fields.js'
import { INCONCLUSIVE_DEFAULTS } from './types.js'
import type { InconclusiveLimits, Thresholds } from './types.js'

export function parseThresholds(value: unknown, path: string): Thresholds {
  const o =
    value === undefined
      ? {}
      : asObject(value, path, ['latency', 'errorRate', 'leaks', 'inconclusive'])
  const latency: Thresholds['latency'] = []
  if (o.latency !== undefined) {
    const lat = asObject(o.latency, join(path, 'latency'), Object.keys(o.latency as object))
    for (const [key, limit] of Object.entries(lat)) {
      const keyPath = join(join(path, 'latency'), key)
      // Unknown metric names fail loudly (k6 #1526 ignored a misspelt threshold silently).
      const m = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(key)
      const percentile = key === 'max' ? 100 : m?.[1] === undefined ? NaN : Number(m[1])
      if (!(percentile > 0 && percentile <= 100)) {
        fail(keyPath, 'unknown latency threshold: expected p50, p90, p99, p99.9 ... or max')
      }
      latency.push({ percentile, maxMs: asNumber(limit, keyPath, { min: 0 }) })
    }
  }
  return {
    latency,
    errorRate:
      o.errorRate === undefined
        ? undefined
        : asNumber(o.errorRate, join(path, 'errorRate'), { min: 0, max: 1 }),
    leaks:
      o.leaks === undefined ? 0 : asNumber(o.leaks, join(path, 'leaks'), { min: 0, integer: true }),
    inconclusive: parseInconclusive(o.inconclusive, join(path, 'inconclusive')),
  }
}

function parseInconclusive(value: unknown, path: string): InconclusiveLimits {
  const o = value === undefined ? {} : asObject(value, path, ['errorRate', 'unchecked'])
  const share = (key: 'errorRate' | 'unchecked'): number =>
    o[key] === undefined
      ? INCONCLUSIVE_DEFAULTS[key]
      : asNumber(o[key], join(path, key), { min: 0, max: 1 })
  return { errorRate: share('errorRate'), unchecked: share('unchecked') }
}
