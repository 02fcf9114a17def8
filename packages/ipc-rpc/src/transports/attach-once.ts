// Two endpoints on one channel would both number calls from 1 and take each other's replies:
// the very crosstalk this package exists to prevent. So a channel takes one rpc listener at a time.
import { BadOptionError } from '../errors.js'
import type { Emitter } from './close-watch.js'

const attached = new WeakSet<object>()

export function attachOnce(
  emitter: Emitter & object,
  listener: (message: unknown) => void
): () => void {
  if (attached.has(emitter)) {
    throw new BadOptionError(
      'transport',
      'this channel already has an ipc-rpc endpoint; create one endpoint per channel and share it'
    )
  }
  attached.add(emitter)
  emitter.on('message', listener)
  let attachedNow = true
  return () => {
    if (attachedNow) {
      attachedNow = false
      emitter.off('message', listener)
      attached.delete(emitter)
    }
  }
}
