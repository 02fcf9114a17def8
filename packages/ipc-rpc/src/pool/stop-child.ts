import type { ChildProcess } from 'node:child_process'

export interface StopPlan {
  /** disconnect the IPC channel first, so a child whose serve() is idle exits by itself */
  disconnect: boolean
  /** SIGTERM this long after the stop starts */
  termAfterMs: number
  /** SIGKILL this long after the SIGTERM */
  killAfterMs: number
}

/**
 * Stops one child step by step and never anything else: optional disconnect, SIGTERM, SIGKILL.
 * The timers are cleared as soon as the child exits. Returns a function that cancels the
 * remaining steps (used when a harder stop takes over).
 */
export function escalateStop(
  child: ChildProcess,
  exited: Promise<unknown>,
  plan: StopPlan
): () => void {
  const timers: NodeJS.Timeout[] = []
  const clear = (): void => {
    for (const t of timers) {
      clearTimeout(t)
    }
    timers.length = 0
  }
  void exited.then(clear)
  if (plan.disconnect && child.connected) {
    child.disconnect()
  }
  timers.push(
    setTimeout(() => {
      signal(child, 'SIGTERM')
      timers.push(setTimeout(() => signal(child, 'SIGKILL'), plan.killAfterMs))
    }, plan.termAfterMs)
  )
  return clear
}

/** kill() that ignores a child already gone (ESRCH) instead of throwing. */
export function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) {
    return
  }
  try {
    child.kill(sig)
  } catch {
    // exited between the check and the kill
  }
}
