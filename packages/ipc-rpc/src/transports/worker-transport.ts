// Parent side of a worker_thread. postMessage has no backpressure signal, so send() always
// reports done at once.
import type { Worker } from 'node:worker_threads'
import type { PeerGoneInfo, Transport } from '../endpoint/transport.js'
import { checkMs } from '../endpoint/validate-options.js'
import { BadOptionError } from '../errors.js'
import { attachOnce } from './attach-once.js'
import { watchClose } from './close-watch.js'

export interface WorkerTransportOptions {
  /**
   * After 'error', how long to wait for 'exit' so the error carries the exit code; default 500.
   * An uncaught error always ends the thread; 'exit' came 50-70 ms later on a loaded 2-core box.
   */
  exitGraceMs?: number
}

export function workerTransport(worker: Worker, options: WorkerTransportOptions = {}): Transport {
  if (typeof worker?.postMessage !== 'function') {
    throw new BadOptionError('worker', 'must be a worker_threads Worker')
  }
  const exitGraceMs = checkMs('exitGraceMs', options.exitGraceMs ?? 500, 0)
  const threadId = worker.threadId
  let lastError: Error | undefined
  return {
    send(message) {
      worker.postMessage(message)
      return true
    },
    onMessage(listener) {
      return attachOnce(worker, listener, true)
    },
    onClose(listener) {
      return watchClose(
        worker,
        {
          exit: (code): PeerGoneInfo =>
            lastError === undefined
              ? { reason: 'exit', exitCode: code as number }
              : { reason: 'error', exitCode: code as number, error: lastError },
          error: (err) => {
            lastError = err as Error
            return 'wait'
          },
        },
        listener,
        exitGraceMs,
        () => ({ reason: 'error', exitCode: null, ...(lastError ? { error: lastError } : {}) })
      )
    },
    peer: { kind: 'thread', threadId },
    channel: worker,
    serialization: 'advanced',
  }
}
