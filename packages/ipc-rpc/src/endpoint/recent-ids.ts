// A bounded set of call ids, oldest forgotten first: the ids given up on (timeout, abort) that may
// still get a late reply, and the ids that were never written (so a reply for one is unknown).
export class RecentIds {
  #ids = new Set<number>()
  constructor(readonly capacity = 10_000) {}

  add(id: number): void {
    this.#ids.add(id)
    if (this.#ids.size > this.capacity) {
      const oldest = this.#ids.values().next()
      if (oldest.done !== true) {
        this.#ids.delete(oldest.value)
      }
    }
  }

  has(id: number): boolean {
    return this.#ids.has(id)
  }

  /** True (and forgets the id) when it was in the set. */
  take(id: number): boolean {
    return this.#ids.delete(id)
  }

  clear(): void {
    this.#ids.clear()
  }
}
