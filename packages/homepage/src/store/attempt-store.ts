// The login throttle's counters, kept where the sessions are (SQLite or Redis) so that every
// instance sharing that store shares them. An attempt is counted as a failure when it is
// reserved, before the password hash, in one atomic step with the check; a login that succeeds
// gives its attempt back. So parallel attempts cannot get past a limit, and a crash counts.

/** One counter and the failures it allows before delays start. */
export interface ThrottleKey {
  key: string
  free: number
}

export interface ThrottlePolicy {
  /** The first delay once `free` failures are reached; it doubles with each further failure. */
  baseDelayMs: number
  maxDelayMs: number
  /** A counter is forgotten this long after its last failure. */
  windowMs: number
}

export interface AttemptStore {
  /** Milliseconds until every key may try again (0: now). Reads only. */
  waitMs(keys: readonly ThrottleKey[], now: number): Promise<number>
  /**
   * Atomically: if every key may try now, counts one failure on each and resolves 0; otherwise
   * changes nothing and resolves the wait.
   */
  reserve(keys: readonly ThrottleKey[], now: number): Promise<number>
  /** After a successful login: forgets `clear`, gives one failure back on each of `release`. */
  succeeded(clear: string, release: readonly string[]): Promise<void>
  /** Drops counters whose window has passed (Redis expires them itself). */
  sweep(now: number): Promise<number>
}

/** The delay after `failures` failures on a key that allows `free`: 0, then base, 2 base, 4 base… */
export function delayAfter(failures: number, free: number, policy: ThrottlePolicy): number {
  if (failures < free) {
    return 0
  }
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(failures - free, 40))
}

/** Failures still remembered for a counter last failed at `lastAt` (0 once its window passed). */
export function liveFailures(
  failures: number,
  lastAt: number,
  now: number,
  policy: ThrottlePolicy
): number {
  return now >= lastAt + policy.windowMs ? 0 : failures
}
