// Parent side of child_process IPC. send() passes Node's return value through, so a full
// backlog (false) becomes endpoint backpressure; its callback is the done signal.
import type { ChildProcess } from 'node:child_process'
import type { PeerGoneInfo, Serialization, Transport } from '../endpoint/transport.js'
import { checkMs } from '../endpoint/validate-options.js'
import { BadOptionError } from '../errors.js'
import { attachOnce } from './attach-once.js'
import { watchClose } from './close-watch.js'
import { ipcSend, type IpcSend } from './ipc-send.js'
import { guardWriteErrors, isChannelClosedError, isWriteError } from './write-error-guard.js'

export interface ChildProcessTransportOptions {
  /** must match the `serialization` the child was forked with; default 'json' */
  serialization?: Serialization
  /**
   * After 'disconnect', how long to wait for 'exit' so the error carries the exit code; default 250.
   * A dying child's 'exit' follows within a few ms; only a child that disconnects and lives waits.
   */
  exitGraceMs?: number
}

export function childProcessTransport(
  child: ChildProcess,
  options: ChildProcessTransportOptions = {}
): Transport {
  if (typeof child?.send !== 'function') {
    throw new BadOptionError('child', 'has no IPC channel: use fork() or an "ipc" stdio entry')
  }
  const serialization = options.serialization ?? 'json'
  if (serialization !== 'json' && serialization !== 'advanced') {
    throw new BadOptionError('serialization', 'must be "json" or "advanced"')
  }
  const exitGraceMs = checkMs('exitGraceMs', options.exitGraceMs ?? 250, 0)
  const send = child.send.bind(child) as IpcSend
  // A write error (EPIPE when the child was killed mid-write) usually comes before 'exit': it is
  // kept as the cause while the transport waits for the exit code and signal.
  let lastError: Error | undefined
  const exited = (): PeerGoneInfo => ({
    reason: 'exit',
    exitCode: child.exitCode,
    signal: child.signalCode,
    ...(lastError === undefined ? {} : { error: lastError }),
  })
  return {
    // Once disconnected nothing can be written; the close watch is about to report the peer gone.
    send: (message, done) => !child.connected || ipcSend(send, message, done),
    onMessage(listener) {
      const off = attachOnce(child, listener)
      if (child.exitCode === null && child.signalCode === null) {
        guardWriteErrors(child, 'exit')
      }
      return off
    },
    onClose(listener) {
      if (!child.connected || child.exitCode !== null || child.signalCode !== null) {
        // Already gone: tell the listener on the next tick, after the endpoint is constructed.
        const info: PeerGoneInfo =
          child.exitCode !== null || child.signalCode !== null ? exited() : { reason: 'disconnect' }
        const timer = setImmediate(() => listener(info))
        return () => clearImmediate(timer)
      }
      return watchClose(
        child,
        {
          exit: () => exited(),
          disconnect: () =>
            child.exitCode !== null || child.signalCode !== null ? exited() : 'wait',
          error: (err) => {
            // ERR_IPC_CHANNEL_CLOSED only echoes a disconnect the watch already has.
            if (!isChannelClosedError(err)) {
              lastError ??= err as Error
            }
            // fork() itself failed: no 'exit' will follow.
            return child.pid === undefined ? { reason: 'error', error: err as Error } : 'wait'
          },
        },
        listener,
        exitGraceMs,
        () => {
          if (child.exitCode !== null || child.signalCode !== null) {
            return exited()
          }
          // Still running: it closed its channel and lives on (a write that failed because of it,
          // EPIPE, is the cause), or the channel broke some other way.
          if (lastError === undefined) {
            return { reason: 'disconnect' }
          }
          return { reason: isWriteError(lastError) ? 'disconnect' : 'error', error: lastError }
        }
      )
    },
    peer: child.pid === undefined ? { kind: 'process' } : { kind: 'process', pid: child.pid },
    serialization,
    channel: child,
  }
}
