// Which other VUs had a request in flight while this one was: the leak's likely sources.

export interface Concurrent {
  vu: number
  account: number
}

const LOG_SIZE = 8192

export class InFlightRegistry {
  readonly #inFlight = new Map<number, number>()
  // A ring of recently finished requests, so a request also sees peers that started and ended
  // inside its own window.
  readonly #endVu = new Int32Array(LOG_SIZE)
  readonly #endAccount = new Int32Array(LOG_SIZE)
  readonly #endSeq = new Float64Array(LOG_SIZE)
  #seq = 0
  #ends = 0

  /** Mark `vu` in flight; returns a ticket for `end`. */
  begin(vu: number, account: number): number {
    this.#inFlight.set(vu, account)
    return ++this.#seq
  }

  /** Mark `vu` done; its request is now visible to peers whose window covers it. */
  end(vu: number, account: number): void {
    this.#inFlight.delete(vu)
    const slot = this.#ends % LOG_SIZE
    this.#endVu[slot] = vu
    this.#endAccount[slot] = account
    this.#endSeq[slot] = ++this.#seq
    this.#ends++
  }

  /**
   * The other VUs in flight at any moment between `ticket` (from begin) and now. Call before
   * `end` for the same request. Peers that began before the ticket and already ended before it
   * are not included: their windows did not overlap.
   */
  concurrentSince(vu: number, ticket: number): Concurrent[] {
    const seen = new Set<number>()
    const out: Concurrent[] = []
    for (const [other, account] of this.#inFlight) {
      if (other !== vu) {
        seen.add(other)
        out.push({ vu: other, account })
      }
    }
    const oldest = Math.max(0, this.#ends - LOG_SIZE)
    for (let i = this.#ends - 1; i >= oldest; i--) {
      const slot = i % LOG_SIZE
      if (this.#endSeq[slot]! <= ticket) {
        break
      }
      const other = this.#endVu[slot]!
      if (other !== vu && !seen.has(other)) {
        seen.add(other)
        out.push({ vu: other, account: this.#endAccount[slot]! })
      }
    }
    return out
  }

  get size(): number {
    return this.#inFlight.size
  }
}
