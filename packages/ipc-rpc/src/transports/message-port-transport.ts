// Any MessagePort (a MessageChannel end, or a worker's parentPort). 'close' fires on both ends
// when either end closes.
import type { MessagePort } from 'node:worker_threads'
import type { PeerInfo, Transport } from '../endpoint/transport.js'
import { BadOptionError } from '../errors.js'
import { attachOnce } from './attach-once.js'
import { watchClose } from './close-watch.js'

export function messagePortTransport(
  port: MessagePort,
  peer: PeerInfo = { kind: 'port' }
): Transport {
  if (typeof port?.postMessage !== 'function' || typeof port.on !== 'function') {
    throw new BadOptionError('port', 'must be a worker_threads MessagePort')
  }
  return {
    send(message) {
      port.postMessage(message)
      return true
    },
    onMessage(listener) {
      return attachOnce(port, listener, true)
    },
    onClose(listener) {
      return watchClose(port, { close: () => ({ reason: 'close' }) }, listener, 0, () => ({
        reason: 'close',
      }))
    },
    peer,
    serialization: 'advanced',
    channel: port,
  }
}
