// Child side of child_process IPC: talks to the parent through process.send.
import type { Serialization, Transport } from '../endpoint/transport.js'
import { NoParentError } from '../errors.js'
import { watchClose } from './close-watch.js'

export interface ProcessTransportOptions {
  /** must match the parent's fork() option; Node does not expose it to the child. Default 'json' */
  serialization?: Serialization
}

type Send = (message: unknown, callback: (err: Error | null) => void) => boolean

export function processTransport(
  proc: NodeJS.Process = process,
  options: ProcessTransportOptions = {}
): Transport {
  if (typeof proc.send !== 'function') {
    throw new NoParentError()
  }
  const send = proc.send.bind(proc) as Send
  return {
    send,
    onMessage(listener) {
      proc.on('message', listener)
      return () => proc.off('message', listener)
    },
    onClose(listener) {
      if (proc.connected === false) {
        const timer = setImmediate(() => listener({ reason: 'disconnect' }))
        return () => clearImmediate(timer)
      }
      return watchClose(
        proc,
        { disconnect: () => ({ reason: 'disconnect' }) },
        listener,
        0,
        () => ({
          reason: 'disconnect',
        })
      )
    },
    peer: { kind: 'process', pid: proc.ppid },
    serialization: options.serialization ?? 'json',
  }
}
