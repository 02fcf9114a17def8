// `thresholds`: latency percentiles, error rate, tolerated leaks, inconclusive limits.
import * as v from 'valibot'
import { num, record, strict } from './fields.js'
import { parseOrFail } from './problems.js'
import { INCONCLUSIVE_DEFAULTS } from './types.js'
import type { Thresholds } from './types.js'

// Unknown metric names fail loudly (k6 #1526 ignored a misspelt threshold silently). The
// lookahead keeps p0 out: a percentile is above 0.
const LATENCY_KEY = /^(?:max|p(?=[\d.]*[1-9])(?:\d{1,2}(?:\.\d+)?|100))$/

const share = (doc: string) => num({ min: 0, max: 1 }, doc)

export const thresholdsSchema = strict(
  {
    latency: v.optional(
      v.pipe(
        record(
          v.pipe(
            v.string(),
            v.regex(
              LATENCY_KEY,
              'unknown latency threshold: expected p50, p90, p99, p99.9 ... or max'
            )
          ),
          num({ min: 0 }),
          'Latency limits in ms: p50, p90, p99, p99.9, … or max'
        ),
        v.transform((limits) =>
          Object.entries(limits).map(([key, maxMs]) => ({
            percentile: key === 'max' ? 100 : Number(key.slice(1)),
            maxMs,
          }))
        )
      ),
      {}
    ),
    errorRate: v.optional(
      share('Errors per attempted request (0-1); above it: threshold-breached')
    ),
    leaks: v.optional(
      num({ min: 0, integer: true }, 'Leaking responses tolerated before the verdict is leak'),
      0
    ),
    inconclusive: v.optional(
      strict(
        {
          errorRate: v.optional(
            share('Errors per attempted request'),
            INCONCLUSIVE_DEFAULTS.errorRate
          ),
          unchecked: v.optional(
            share('Responses not checked in full, per response'),
            INCONCLUSIVE_DEFAULTS.unchecked
          ),
        },
        'Above either share the run checked too little to say clean: the verdict is inconclusive'
      ),
      {}
    ),
  },
  'Limits that decide the verdict'
)

export function resolveThresholds(t: v.InferOutput<typeof thresholdsSchema>): Thresholds {
  return { ...t, errorRate: t.errorRate }
}

export function parseThresholds(value: unknown, path: string): Thresholds {
  return resolveThresholds(parseOrFail(thresholdsSchema, value ?? {}, path))
}
