// Counts over the pool's children and the pool:spawn / pool:exit messages about them.
import { poolExitChannel, poolSpawnChannel } from '../diagnostics.js'
import type { ChildEnd, ChildState, PoolChild } from './pool-child.js'
import type { PoolExitMessage, PoolSpawnMessage } from './pool-types.js'

/** Ready (or retiring) and not lost: what health and ready() count, whatever their caps. */
export function upCount(children: readonly PoolChild[]): number {
  let n = 0
  for (const c of children) {
    n += (c.state === 'ready' || c.state === 'retiring') && !c.lost ? 1 : 0
  }
  return n
}

/**
 * Children that count toward the size: a retiring child and its replacement count once. A child
 * lost to a failure keeps its place until it has ended and its failure is counted, so that its
 * replacement is a restart after that failure's backoff, not a spawn made in between (by the
 * backoff timer of another failure) that the breaker and the restart count never see.
 */
export function capacity(children: readonly PoolChild[]): number {
  let n = 0
  for (const c of children) {
    if (c.state === 'starting' || c.state === 'ready') {
      n++
    } else if (c.state === 'retiring' && c.replacement === undefined) {
      n++
    } else if (c.state === 'stopping' && c.failure !== undefined) {
      n++
    }
  }
  return n
}

export function publishSpawn(
  pool: string,
  child: PoolChild,
  reason: PoolSpawnMessage['reason']
): void {
  if (poolSpawnChannel.hasSubscribers) {
    const message: PoolSpawnMessage = { pool, pid: child.pid, seq: child.seq, reason }
    poolSpawnChannel.publish(message)
  }
}

/** `state` is the one it died in, or the stop the pool had begun ('stopping', 'draining'). */
export function publishExit(
  pool: string,
  child: PoolChild,
  end: ChildEnd,
  state: ChildState
): void {
  if (poolExitChannel.hasSubscribers) {
    const message: PoolExitMessage = {
      pool,
      pid: child.pid,
      seq: child.seq,
      code: end.code,
      signal: end.signal,
      state,
      unexpected: child.failure !== undefined,
      hungAfterMs: child.hungAfterMs,
    }
    poolExitChannel.publish(message)
  }
}
