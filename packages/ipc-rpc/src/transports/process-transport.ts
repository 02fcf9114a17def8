// Child side of child_process IPC: talks to the parent through process.send.
import type { Serialization, Transport } from '../endpoint/transport.js'
import { NoParentError } from '../errors.js'
import { attachOnce } from './attach-once.js'
import { watchClose } from './close-watch.js'
import { ipcSend, type IpcSend } from './ipc-send.js'
import { guardWriteErrors, isWriteError } from './write-error-guard.js'

export interface ProcessTransportOptions {
  /** must match the parent's fork() option; Node does not expose it to the child. Default 'json' */
  serialization?: Serialization
}

export function processTransport(
  proc: NodeJS.Process = process,
  options: ProcessTransportOptions = {}
): Transport {
  if (typeof proc.send !== 'function') {
    throw new NoParentError()
  }
  const send = proc.send.bind(proc) as IpcSend
  return {
    send: (message, done) => proc.connected === false || ipcSend(send, message, done),
    onMessage(listener) {
      const off = attachOnce(proc, listener)
      guardWriteErrors(proc, undefined)
      return off
    },
    onClose(listener) {
      if (proc.connected === false) {
        const timer = setImmediate(() => listener({ reason: 'disconnect' }))
        return () => clearImmediate(timer)
      }
      // A send after the parent left emits 'error' on process; listening keeps it from crashing us.
      return watchClose(
        proc,
        {
          disconnect: () => ({ reason: 'disconnect' }),
          error: (err) =>
            isWriteError(err) ? { reason: 'disconnect' } : { reason: 'error', error: err as Error },
        },
        listener,
        0,
        () => ({ reason: 'disconnect' })
      )
    },
    peer: { kind: 'process', pid: proc.ppid },
    channel: proc,
    serialization: options.serialization ?? 'json',
  }
}
