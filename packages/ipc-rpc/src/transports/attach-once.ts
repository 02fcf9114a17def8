// Two endpoints on one channel would both number calls from 1 and take each other's replies:
// the very crosstalk this package exists to prevent. So a channel takes one rpc listener at a time.
import { BadOptionError } from '../errors.js'
import { ENVELOPE_TAG } from '../protocol/envelope.js'
import type { Emitter } from './close-watch.js'

const attached = new WeakSet<object>()

/**
 * Adds the endpoint's one 'message' listener. With `messageErrors` (threads and ports), a message
 * that could not be deserialized ('messageerror') reaches the endpoint as a malformed envelope, so
 * it is counted instead of vanishing.
 */
export function attachOnce(
  emitter: Emitter & object,
  listener: (message: unknown) => void,
  messageErrors = false
): () => void {
  if (attached.has(emitter)) {
    throw new BadOptionError(
      'transport',
      'this channel already has an ipc-rpc endpoint; create one endpoint per channel and share it'
    )
  }
  attached.add(emitter)
  emitter.on('message', listener)
  const onMessageError = (error: unknown): void => listener({ [ENVELOPE_TAG]: 'unreadable', error })
  if (messageErrors) {
    emitter.on('messageerror', onMessageError)
  }
  let attachedNow = true
  return () => {
    if (attachedNow) {
      attachedNow = false
      emitter.off('message', listener)
      emitter.off('messageerror', onMessageError)
      attached.delete(emitter)
    }
  }
}
