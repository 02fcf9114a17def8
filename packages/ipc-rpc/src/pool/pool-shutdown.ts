import { PoolClosedError } from '../errors.js'
import type { PoolChild } from './pool-child.js'
import { escalateStop, signal, type StopPlan } from './stop-child.js'

/** Past close()'s deadline: disconnect, SIGTERM now, SIGKILL a second later. */
const DEADLINE_STOP: StopPlan = { disconnect: true, termAfterMs: 0, killAfterMs: 1_000 }

/** close(): idle and starting children stop now; busy ones drain and stop when idle. */
export function drainAll(children: readonly PoolChild[], stop: (child: PoolChild) => void): void {
  for (const child of children) {
    if (child.state === 'starting' || child.inFlight === 0) {
      stop(child)
    } else if (child.state !== 'stopping') {
      child.state = 'draining'
    }
  }
}

/** close()'s deadline: what is still in flight rejects now and every child is stopped. */
export function cutShort(children: readonly PoolChild[], detail: string): void {
  for (const child of [...children]) {
    child.endpoint.close(new PoolClosedError(undefined, detail))
    child.runCleanups()
    child.state = 'stopping'
    child.cleanups.push(escalateStop(child.process, child.ended, DEADLINE_STOP))
  }
}

/** destroy(): every call rejects and every child gets SIGKILL now. */
export function killAll(children: readonly PoolChild[], detail: string): void {
  for (const child of children) {
    child.state = 'stopping'
    child.endpoint.close(new PoolClosedError(undefined, detail))
    signal(child.process, 'SIGKILL')
  }
}

/** Resolves once the list is empty: children only leave it once the pool is closing. */
export async function allEnded(children: readonly PoolChild[]): Promise<void> {
  while (children.length > 0) {
    await Promise.all(children.map((c) => c.ended))
  }
}
