// A start line for the parts of a run: wait() resolves once every member has arrived (a lost member
// arrives on its behalf), and every arrival resolves with the value release() gives (go or stop).

export class Barrier<T> {
  readonly #count: number
  readonly #arrived = new Set<number>()
  #released: { value: T } | undefined
  readonly #waiting: Array<(value: T) => void> = []
  #all: () => void = () => {}
  readonly #allArrived: Promise<void>

  constructor(count: number) {
    this.#count = count
    this.#allArrived = new Promise((resolve) => (this.#all = resolve))
    if (count === 0) {
      this.#all()
    }
  }

  /** Member `index` is here; resolves when the barrier is released (at once if it was). */
  arrive(index: number): Promise<T> {
    this.#arrived.add(index)
    if (this.#arrived.size >= this.#count) {
      this.#all()
    }
    if (this.#released !== undefined) {
      return Promise.resolve(this.#released.value)
    }
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** Resolves when every member has arrived. */
  wait(): Promise<void> {
    return this.#allArrived
  }

  /** Lets every member (arrived or to come) go on with `value`; later releases are ignored. */
  release(value: T): void {
    if (this.#released !== undefined) {
      return
    }
    this.#released = { value }
    for (const resolve of this.#waiting.splice(0)) {
      resolve(value)
    }
  }
}
