export interface HeartbeatOptions {
  intervalMs: number
  /** A ping not answered within this deadline marks the child hung. */
  timeoutMs: number
}

/**
 * Pings a child every intervalMs (one ping outstanding at most) and calls onHung once when a
 * ping goes unanswered past its deadline. The endpoint answers pings itself, so only a child
 * whose event loop is blocked misses them. Returns a stop function.
 */
export function startHeartbeat(
  ping: () => Promise<unknown>,
  options: HeartbeatOptions,
  onHung: (waitedMs: number) => void
): () => void {
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const schedule = (fn: () => void, ms: number): void => {
    timer = setTimeout(fn, ms)
    // The child's IPC channel keeps the parent alive; the heartbeat must not.
    timer.unref()
  }

  const beat = (): void => {
    if (stopped) {
      return
    }
    const sentAt = Date.now()
    let answered = false
    schedule(() => {
      if (!answered && !stopped) {
        stopped = true
        onHung(Date.now() - sentAt)
      }
    }, options.timeoutMs)
    ping().then(
      () => {
        answered = true
        if (stopped) {
          return
        }
        clearTimeout(timer)
        const elapsed = Date.now() - sentAt
        schedule(beat, Math.max(0, options.intervalMs - elapsed))
      },
      // A failed ping means the channel is gone; the exit path handles that, not the heartbeat.
      () => {
        answered = true
        stopped = true
        clearTimeout(timer)
      }
    )
  }

  schedule(beat, options.intervalMs)
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
