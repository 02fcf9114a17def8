// Pings are answered by the other endpoint itself (not a handler), so a pong proves its event loop
// is turning. They use their own id space and skip the call queue: the pool's heartbeat uses them.
import { performance } from 'node:perf_hooks'
import { AbortedError, TimeoutError } from '../errors.js'
import { controlMessage } from '../protocol/envelope.js'
import { unwatchAbort, watchAbort } from './abort-watch.js'

interface PingOwner {
  sendControl(message: unknown): void
  closedError: ((method: string, callId: number) => Error) | undefined
}

class PendingPing {
  timer: NodeJS.Timeout | undefined = undefined
  readonly startedAt = performance.now()
  constructor(
    readonly pings: Pings,
    readonly id: number,
    readonly resolve: (ms: number) => void,
    readonly reject: (error: Error) => void,
    readonly signal: AbortSignal | undefined
  ) {}

  handleEvent(): void {
    this.pings.settle(this.id, new AbortedError('$ping', this.id, this.signal?.reason))
  }
}

export class Pings {
  readonly #pending = new Map<number, PendingPing>()
  #nextId = 0
  constructor(readonly owner: PingOwner) {}

  ping(timeoutMs: number, signal: AbortSignal | undefined): Promise<number> {
    const id = ++this.#nextId
    if (this.owner.closedError !== undefined) {
      return Promise.reject(this.owner.closedError('$ping', id))
    }
    if (signal?.aborted === true) {
      return Promise.reject(new AbortedError('$ping', id, signal.reason))
    }
    return new Promise<number>((resolve, reject) => {
      const ping = new PendingPing(this, id, resolve, reject, signal)
      this.#pending.set(id, ping)
      if (timeoutMs > 0) {
        ping.timer = setTimeout(() => {
          this.settle(id, new TimeoutError('$ping', id, timeoutMs))
        }, timeoutMs)
      }
      if (signal !== undefined) {
        watchAbort(signal, ping)
      }
      this.owner.sendControl(controlMessage('ping', id))
    })
  }

  pong(id: number): void {
    this.settle(id, undefined)
  }

  settle(id: number, error: Error | undefined): void {
    const ping = this.#pending.get(id)
    if (ping === undefined) {
      return
    }
    this.#pending.delete(id)
    if (ping.timer !== undefined) {
      clearTimeout(ping.timer)
    }
    if (ping.signal !== undefined) {
      unwatchAbort(ping.signal, ping)
    }
    if (error === undefined) {
      ping.resolve(performance.now() - ping.startedAt)
    } else {
      ping.reject(error)
    }
  }

  rejectAll(error: Error): void {
    for (const id of [...this.#pending.keys()]) {
      this.settle(id, error)
    }
  }
}
