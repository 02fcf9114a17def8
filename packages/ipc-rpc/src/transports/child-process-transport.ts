// Parent side of child_process IPC. send() passes Node's return value through, so a full
// backlog (false) becomes endpoint backpressure; its callback is the done signal.
import type { ChildProcess } from 'node:child_process'
import type { PeerGoneInfo, Serialization, Transport } from '../endpoint/transport.js'
import { BadOptionError } from '../errors.js'
import { attachOnce } from './attach-once.js'
import { watchClose } from './close-watch.js'
import { ipcSend, isChannelClosed, type IpcSend } from './ipc-send.js'

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
  const exitGraceMs = options.exitGraceMs ?? 250
  const send = child.send.bind(child) as IpcSend
  const exited = (): PeerGoneInfo => ({
    reason: 'exit',
    exitCode: child.exitCode,
    signal: child.signalCode,
  })
  return {
    send: (message, done) => ipcSend(send, message, done),
    onMessage(listener) {
      return attachOnce(child, listener)
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
          exit: (code, signal) => ({
            reason: 'exit',
            exitCode: code as number | null,
            signal: signal as string | null,
          }),
          disconnect: () =>
            child.exitCode !== null || child.signalCode !== null ? exited() : 'wait',
          error: (err) =>
            isChannelClosed(err)
              ? 'wait'
              : {
                  reason: 'error',
                  error: err as Error,
                  exitCode: child.exitCode,
                  signal: child.signalCode,
                },
        },
        listener,
        exitGraceMs,
        () =>
          child.exitCode !== null || child.signalCode !== null
            ? exited()
            : { reason: 'disconnect', exitCode: null, signal: null }
      )
    },
    peer: child.pid === undefined ? { kind: 'process' } : { kind: 'process', pid: child.pid },
    serialization,
    channel: child,
  }
}
