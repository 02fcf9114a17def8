export interface RecycleOptions {
  maxRequests?: number
  maxAgeMs?: number
  /** 0..1: each child's limits are drawn from [limit * (1 - jitter), limit]. */
  jitter: number
}

export interface RecycleLimits {
  /** Calls this child may take before it is replaced; Infinity = never. */
  requests: number
  /** Age in ms after which this child is replaced; Infinity = never. */
  ageMs: number
}

/**
 * Draws one child's recycle limits. Jitter spreads children spawned together so that they are
 * not all replaced at the same moment.
 */
export function recycleLimits(
  options: RecycleOptions,
  random: () => number = Math.random
): RecycleLimits {
  const shrink = (limit: number): number => limit * (1 - options.jitter * random())
  return {
    requests:
      options.maxRequests === undefined
        ? Infinity
        : Math.max(1, Math.floor(shrink(options.maxRequests))),
    ageMs:
      options.maxAgeMs === undefined ? Infinity : Math.max(1, Math.round(shrink(options.maxAgeMs))),
  }
}

/** True when a child has served its share or outlived its age. */
export function isRecycleDue(limits: RecycleLimits, dispatched: number, ageMs: number): boolean {
  return dispatched >= limits.requests || ageMs >= limits.ageMs
}
