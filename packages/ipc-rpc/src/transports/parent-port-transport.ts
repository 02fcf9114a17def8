// Inside a worker_thread: talks to the thread that created it.
import { parentPort } from 'node:worker_threads'
import type { Transport } from '../endpoint/transport.js'
import { NoParentError } from '../errors.js'
import { messagePortTransport } from './message-port-transport.js'

export function parentPortTransport(): Transport {
  if (parentPort === null) {
    throw new NoParentError()
  }
  return messagePortTransport(parentPort, { kind: 'thread' })
}
