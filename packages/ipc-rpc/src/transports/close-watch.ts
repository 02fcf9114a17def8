// Turns a set of emitter events into one "peer gone" notification that fires exactly once.
import type { PeerGoneInfo } from '../endpoint/transport.js'

export type CloseHandler = (info: PeerGoneInfo) => void

/** What ChildProcess, process, Worker and MessagePort have in common. */
export interface Emitter {
  // Node's emitter typings take `any` listener args; `unknown` would not accept their overloads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown
}

/**
 * Listens for `events` on `emitter`; the first one decides. `toInfo` returns the info to fire now,
 * or undefined to wait for a later event (used to let 'exit' follow 'disconnect' with its code).
 */
export function watchClose(
  emitter: Emitter,
  events: Record<string, (...args: unknown[]) => PeerGoneInfo | 'wait'>,
  listener: CloseHandler,
  graceMs: number,
  onGraceExpired: () => PeerGoneInfo
): () => void {
  let done = false
  let timer: NodeJS.Timeout | undefined
  let check: NodeJS.Immediate | undefined
  const handlers = new Map<string, (...args: unknown[]) => void>()
  const remove = (): void => {
    done = true
    if (timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
    }
    if (check !== undefined) {
      clearImmediate(check)
      check = undefined
    }
    for (const [event, handler] of handlers) {
      emitter.off(event, handler)
    }
    handlers.clear()
  }
  const fire = (info: PeerGoneInfo): void => {
    if (done) {
      return
    }
    remove()
    listener(info)
  }
  for (const [event, toInfo] of Object.entries(events)) {
    const handler = (...args: unknown[]): void => {
      const info = toInfo(...args)
      if (info !== 'wait') {
        fire(info)
      } else if (timer === undefined && !done) {
        // Timers run before I/O in a loop turn: after a stall longer than the grace (GC, a loaded
        // machine) the 'exit' already signalled would not have been read yet. One poll first.
        timer = setTimeout(() => {
          check = setImmediate(() => fire(onGraceExpired()))
        }, graceMs)
      }
    }
    handlers.set(event, handler)
    emitter.on(event, handler)
  }
  return remove
}
