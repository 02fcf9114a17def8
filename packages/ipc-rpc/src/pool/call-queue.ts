import type { CallOptions } from '../endpoint/types.js'

/** A call waiting in the pool's queue for a child with room. */
export interface PoolCall {
  readonly method: string
  readonly args: unknown[]
  readonly options: CallOptions
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
  /** removes the abort listener attached while the call waits in the queue */
  detach?: (() => void) | undefined
}

/** FIFO of calls waiting for a free child; removal of an aborted call is O(1). */
export class CallQueue {
  readonly #calls = new Set<PoolCall>()

  get size(): number {
    return this.#calls.size
  }

  push(call: PoolCall): void {
    this.#calls.add(call)
  }

  shift(): PoolCall | undefined {
    for (const call of this.#calls) {
      this.#calls.delete(call)
      call.detach?.()
      call.detach = undefined
      return call
    }
    return undefined
  }

  remove(call: PoolCall): boolean {
    const had = this.#calls.delete(call)
    call.detach?.()
    call.detach = undefined
    return had
  }

  /** Empties the queue and returns what was in it, oldest first. */
  drain(): PoolCall[] {
    const all = [...this.#calls]
    this.#calls.clear()
    for (const call of all) {
      call.detach?.()
      call.detach = undefined
    }
    return all
  }
}
