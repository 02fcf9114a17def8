export interface RecycleOptions {
  maxRequests?: number
  maxAgeMs?: number
  /** 0..1: each child's limits are drawn from [limit * (1 - jitter), limit]. */
  jitter: number
}

export interface RecycleLimits {
  /** Calls this child takes at most (a cap); Infinity = no cap. */
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

/** How many start-ups' worth of calls are left when the replacement is started. */
const PRESTART_MARGIN = 1.5

export type ReplacementDue = 'age' | 'cap' | undefined

/**
 * Whether a child should get its replacement now, and why. 'cap': at its current rate it would
 * reach its request cap within about one start-up of a new child (so the replacement is usually
 * ready before the cap stops the old one taking calls), or has reached it. 'age': it is old.
 * The rate is taken over at least one start-up, so an opening burst does not look like a trend.
 */
export function replacementDue(
  limits: RecycleLimits,
  dispatched: number,
  ageMs: number,
  servingMs: number,
  startupMs: number
): ReplacementDue {
  const left = limits.requests - dispatched
  if (Number.isFinite(left)) {
    const perMs = dispatched / Math.max(1, servingMs, startupMs)
    if (left <= 0 || left <= perMs * startupMs * PRESTART_MARGIN) {
      return 'cap'
    }
  }
  return ageMs >= limits.ageMs ? 'age' : undefined
}
