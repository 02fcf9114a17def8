import { fork, type ChildProcess } from 'node:child_process'
import { READY_MESSAGE } from '../render-contract/renderer-config.js'
import { childExecArgv, naiveChildEntry } from './child-entries.js'
import { childEnv } from './child-env.js'
import type { PageRendererOptions } from './types.js'

export interface PlainChildrenOptions {
  /** Which mode these children serve (for the 'renderer-gone' log event). */
  mode: 'naive' | 'fifo-timeout'
  renderer: PageRendererOptions
  /** Children that render one request at a time, in arrival order. */
  serial: boolean
  /** Called for every child started, including replacements. */
  onSpawn(child: ChildProcess): void
  /** Called once when a child is gone (exit or IPC error), before its replacement starts. */
  onGone(child: ChildProcess, why: string): void
}

export interface PlainChildren {
  /** Round-robin over live children; undefined when none is connected. */
  next(): ChildProcess | undefined
  readonly all: readonly ChildProcess[]
  readonly restarts: number
  close(): Promise<void>
}

// Children forked with plain child_process, no ipc-rpc: the transport of the naive mode and the
// fifo-timeout fault. A child that dies is replaced so the demo keeps serving.
export async function startPlainChildren(options: PlainChildrenOptions): Promise<PlainChildren> {
  const children: ChildProcess[] = []
  const ready = new Set<ChildProcess>()
  let readyWaits: Array<Promise<void>> | null = []
  let cursor = 0
  let restarts = 0
  let closing = false

  const env = childEnv(options.renderer, options.serial)
  const start = (slot: number): ChildProcess => {
    const child = fork(naiveChildEntry, [], {
      execArgv: childExecArgv,
      env,
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    children[slot] = child
    // Handed out only after its ready message, so no request listener ever sees that message.
    const readyWait = new Promise<void>((resolve) => {
      const onReady = (message: unknown): void => {
        if (message === READY_MESSAGE) {
          child.off('message', onReady)
          ready.add(child)
          resolve()
        }
      }
      child.on('message', onReady)
      child.once('exit', () => {
        child.off('message', onReady)
        resolve()
      })
    })
    readyWaits?.push(readyWait)
    let gone = false
    const onGone = (why: string): void => {
      if (gone) {
        return
      }
      gone = true
      ready.delete(child)
      options.renderer.log?.('renderer-gone', { mode: options.mode, pid: child.pid, why })
      options.onGone(child, why)
      if (!closing) {
        restarts += 1
        start(slot)
      }
    }
    child.on('exit', (code, signal) => {
      onGone(`exit code ${String(code)}, signal ${String(signal)}`)
    })
    child.on('error', (err) => {
      onGone(`error ${err.message}`)
      child.kill('SIGKILL')
    })
    options.onSpawn(child)
    return child
  }

  for (let slot = 0; slot < options.renderer.renderers; slot += 1) {
    start(slot)
  }
  await Promise.all(readyWaits)
  readyWaits = null

  return {
    next() {
      for (let tries = 0; tries < children.length; tries += 1) {
        const child = children[cursor % children.length]
        cursor += 1
        if (child !== undefined && child.connected && ready.has(child)) {
          return child
        }
      }
      return undefined
    },
    get all() {
      return children
    },
    get restarts() {
      return restarts
    },
    async close() {
      closing = true
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            return
          }
          // Not events.once(): it rejects on 'error', and Node emits ERR_IPC_DISCONNECTED there
          // when the channel reads EOF while a reply was half-read at disconnect time.
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
          // Disconnecting lets the child exit by itself; SIGKILL if it does not within a second.
          if (child.connected) {
            child.disconnect()
          }
          const timer = setTimeout(() => child.kill('SIGKILL'), 1000)
          await exited
          clearTimeout(timer)
        })
      )
    },
  }
}
