// The endpoint's FIFO of outgoing calls not yet sent: they wait for an in-flight slot or for
// backpressure to clear. An array with a moving head (shift() is O(n)); calls aborted while
// queued become tombstones that the head skips.
import { QUEUED, type OutgoingCall } from './outgoing-call.js'

export class OutgoingCallQueue {
  #items: (OutgoingCall | undefined)[] = []
  #head = 0
  /** live (not aborted) calls in the queue */
  size = 0

  push(call: OutgoingCall): void {
    this.#items.push(call)
    this.size++
  }

  shift(): OutgoingCall | undefined {
    while (this.#head < this.#items.length) {
      const call = this.#items[this.#head]
      this.#items[this.#head++] = undefined
      if (call !== undefined && call.state === QUEUED) {
        this.size--
        this.#compact()
        return call
      }
    }
    this.#items.length = 0
    this.#head = 0
    return undefined
  }

  /** Marks a queued call as gone; the caller has already changed its state. */
  removed(): void {
    this.size--
    // Tombstones would otherwise pile up while the head is blocked.
    if (this.#items.length - this.#head > 2 * this.size + 1024) {
      this.#items = this.#items.filter((c, i) => i >= this.#head && c?.state === QUEUED)
      this.#head = 0
    }
  }

  drain(): OutgoingCall[] {
    const live = this.#items.filter(
      (c, i): c is OutgoingCall => i >= this.#head && c?.state === QUEUED
    )
    this.#items = []
    this.#head = 0
    this.size = 0
    return live
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }
}
