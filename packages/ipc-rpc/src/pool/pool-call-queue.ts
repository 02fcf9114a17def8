import { unwatchAbort, watchAbort, type AbortTarget } from '../endpoint/abort-watch.js'
import type { CallOptions } from '../endpoint/types.js'
import { AbortedError, QueueTimeoutError } from '../errors.js'

/**
 * A call waiting in the pool's queue for a child with room. Its signal firing or its queue
 * deadline passing takes it out without it ever being sent (callId 0: it never got one).
 */
export class PoolCall implements AbortTarget {
  timer: NodeJS.Timeout | undefined = undefined
  constructor(
    readonly queue: PoolCallQueue,
    readonly method: string,
    readonly args: unknown[],
    /** what the child's endpoint gets: undefined = its defaults */
    readonly callOptions: CallOptions | undefined,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: Error) => void
  ) {}

  handleEvent(): void {
    if (this.queue.remove(this)) {
      this.reject(new AbortedError(this.method, 0, this.callOptions?.signal?.reason))
    }
  }
}

function expire(call: PoolCall, queueTimeoutMs: number): void {
  call.timer = undefined
  if (call.queue.remove(call)) {
    call.reject(new QueueTimeoutError(call.method, queueTimeoutMs))
  }
}

/** The pool's FIFO of PoolCalls waiting for a free child; removing one that gave up is O(1). */
export class PoolCallQueue {
  readonly #calls = new Set<PoolCall>()

  get size(): number {
    return this.#calls.size
  }

  push(call: PoolCall, queueTimeoutMs: number): void {
    this.#calls.add(call)
    const signal = call.callOptions?.signal
    if (signal !== undefined) {
      watchAbort(signal, call)
    }
    if (queueTimeoutMs > 0) {
      call.timer = setTimeout(expire, queueTimeoutMs, call, queueTimeoutMs)
    }
  }

  shift(): PoolCall | undefined {
    for (const call of this.#calls) {
      this.remove(call)
      return call
    }
    return undefined
  }

  /** False when the call had already left the queue. */
  remove(call: PoolCall): boolean {
    if (!this.#calls.delete(call)) {
      return false
    }
    const signal = call.callOptions?.signal
    if (signal !== undefined) {
      unwatchAbort(signal, call)
    }
    clearTimeout(call.timer)
    call.timer = undefined
    return true
  }

  /** Rejects every waiting call, oldest first. */
  rejectAll(make: (method: string) => Error): void {
    for (const call of [...this.#calls]) {
      this.remove(call)
      call.reject(make(call.method))
    }
  }
}
