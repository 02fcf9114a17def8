// A write to an IPC channel whose peer just died fails with EPIPE (or ECONNRESET), and Node
// reports it as an 'error' event, one per message written. With no listener that event would
// crash this process, so while the endpoint may still have writes under way those errors are
// ours: they are dropped (the close watch reports the peer gone). Any other error is rethrown
// when nobody else listens, as Node would have done.
import type { Emitter } from './close-watch.js'

const WRITE_ERRORS = new Set(['EPIPE', 'ECONNRESET', 'ERR_IPC_CHANNEL_CLOSED'])
const guarded = new WeakSet<object>()

export function isChannelClosedError(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ERR_IPC_CHANNEL_CLOSED'
}

export function isWriteError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && WRITE_ERRORS.has(code)
}

/**
 * Guards `channel` until `until` fires (the child's 'exit'), or for good when no such event is
 * given (a child's own process: its parent leaving ends the channel for good).
 */
export function guardWriteErrors(
  channel: Emitter & object & { listenerCount(event: string): number },
  until: string | undefined
): void {
  if (guarded.has(channel)) {
    return
  }
  guarded.add(channel)
  const onError = (err: unknown): void => {
    if (!isWriteError(err) && channel.listenerCount('error') === 1) {
      throw err
    }
  }
  channel.on('error', onError)
  if (until !== undefined) {
    const release = (): void => {
      channel.off(until, release)
      // Errors of writes made just before are emitted on the next ticks.
      setImmediate(() => {
        channel.off('error', onError)
        guarded.delete(channel)
      })
    }
    channel.on(until, release)
  }
}
