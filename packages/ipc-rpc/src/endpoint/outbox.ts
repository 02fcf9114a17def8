// Messages sent within one tick leave in one write, as a batch envelope of up to maxBatch. Under
// load an IPC message costs mostly its own write syscall and the wake-up of the peer, not its bytes,
// so coalescing is what puts a channel ahead of one process.send per message (see BENCHMARKS.md).
// A lone message goes as it is, so a single call pays no extra and sees no delay.
import { batchMessage, type Envelope } from '../protocol/envelope.js'
import type { Transport } from './transport.js'

/** Told when its message cannot be serialized, even on its own; the rest of the batch still goes. */
export interface Unsendable {
  unsendable(error: unknown): void
}

/** The endpoint side the outbox reports backpressure to. */
export interface OutboxOwner {
  blocked: boolean
  readonly onSent: (err: Error | null) => void
}

export class Outbox {
  readonly #transport: Transport
  readonly #owner: OutboxOwner
  readonly #maxBatch: number
  #messages: Envelope[] = []
  #senders: (Unsendable | undefined)[] = []
  #hasRequest = false
  #scheduled = false

  constructor(transport: Transport, owner: OutboxOwner, maxBatch: number) {
    this.#transport = transport
    this.#owner = owner
    this.#maxBatch = maxBatch
  }

  /** `flushAt` (at most maxBatch) writes the batch as soon as it holds that many messages. */
  push(message: Envelope, sender: Unsendable | undefined, flushAt = this.#maxBatch): void {
    this.#messages.push(message)
    this.#senders.push(sender)
    if (message.k === 'req') {
      this.#hasRequest = true
    }
    if (this.#messages.length >= Math.min(flushAt, this.#maxBatch)) {
      this.flush()
    } else if (!this.#scheduled) {
      // nextTick, not a microtask: it runs after every promise continuation of this turn, so the
      // callers woken by one batch of replies send their next calls in one batch too.
      this.#scheduled = true
      process.nextTick(this.#onTick)
    }
  }

  readonly #onTick = (): void => {
    this.#scheduled = false
    this.flush()
  }

  /** Writes everything waiting now; a close calls it so that nothing queued is lost. */
  flush(): void {
    const messages = this.#messages
    const count = messages.length
    if (count === 0) {
      return
    }
    const senders = this.#senders
    const hasRequest = this.#hasRequest
    this.#messages = []
    this.#senders = []
    this.#hasRequest = false
    if (count > 1) {
      try {
        this.#send(batchMessage(messages), hasRequest)
        return
      } catch {
        // one of them cannot be serialized: send them one by one so that only it fails
      }
    }
    for (let i = 0; i < count; i++) {
      const message = messages[i]!
      try {
        this.#send(message, message.k === 'req')
      } catch (err) {
        senders[i]?.unsendable(err)
      }
    }
  }

  /** Drops what is waiting: the channel is gone and nothing can be written any more. */
  clear(): void {
    this.#messages = []
    this.#senders = []
    this.#hasRequest = false
  }

  /**
   * Only a write that carries calls waits for the drain signal (and holds further calls back).
   * Replies and control messages need none: they are bounded by the caller's maxInFlight, and
   * asking would cost a filler message per write while the channel is backlogged.
   */
  #send(message: Envelope, carriesCalls: boolean): void {
    if (!this.#transport.send(message, carriesCalls ? this.#owner.onSent : undefined)) {
      if (carriesCalls) {
        this.#owner.blocked = true
      }
    }
  }
}
