// The generic adapter for anything else (a socket, a custom bus). Returning a promise from send()
// makes the endpoint wait for it before sending more; a rejected send means the channel is gone.
import type { PeerGoneInfo, Serialization, Transport } from '../endpoint/transport.js'
import { BadOptionError } from '../errors.js'

export interface TransportAdapter {
  send(message: unknown): void | boolean | Promise<void>
  onMessage(listener: (message: unknown) => void): () => void
  onClose?(listener: (info: PeerGoneInfo) => void): () => void
  serialization?: Serialization
  /** the underlying channel object, so endpoints reopened on it continue one id sequence */
  channel?: object
}

function isPromiseLike(value: unknown): value is PromiseLike<void> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
}

export function createTransport(adapter: TransportAdapter): Transport {
  if (typeof adapter?.send !== 'function' || typeof adapter.onMessage !== 'function') {
    throw new BadOptionError('adapter', 'needs send() and onMessage() functions')
  }
  const closeListeners = new Set<(info: PeerGoneInfo) => void>()
  let gone: PeerGoneInfo | undefined
  const fireClose = (info: PeerGoneInfo): void => {
    if (gone !== undefined) {
      return
    }
    gone = info
    for (const listener of [...closeListeners]) {
      listener(info)
    }
    closeListeners.clear()
  }
  let offAdapterClose: (() => void) | undefined
  return {
    send(message, done) {
      const result = adapter.send(message)
      if (isPromiseLike(result)) {
        result.then(
          () => done?.(null),
          (err: unknown) => {
            const error = err instanceof Error ? err : new Error(String(err))
            done?.(error)
            fireClose({ reason: 'error', error })
          }
        )
        return false
      }
      return true
    },
    onMessage(listener) {
      return adapter.onMessage(listener)
    },
    onClose(listener) {
      if (gone !== undefined) {
        const info = gone
        const timer = setImmediate(() => listener(info))
        return () => clearImmediate(timer)
      }
      closeListeners.add(listener)
      offAdapterClose ??= adapter.onClose?.(fireClose)
      return () => {
        closeListeners.delete(listener)
        if (closeListeners.size === 0) {
          offAdapterClose?.()
          offAdapterClose = undefined
        }
      }
    },
    peer: { kind: 'custom' },
    serialization: adapter.serialization ?? 'json',
    ...(adapter.channel === undefined ? {} : { channel: adapter.channel }),
  }
}
