// Ids of calls that were given up (timeout, abort) and may still get a reply. Bounded: when full the
// oldest is forgotten, and a reply for it is then counted as a duplicate instead of late.
export class LateIds {
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

  /** True (and forgets the id) when a reply for it counts as late. */
  take(id: number): boolean {
    return this.#ids.delete(id)
  }

  clear(): void {
    this.#ids.clear()
  }
}
