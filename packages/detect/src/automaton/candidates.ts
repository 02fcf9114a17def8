// What a pass found before the boundary rules: flat (pattern, end) pairs, owned by the caller's
// scan state so that one automaton serves every scan at once.

export class Candidates {
  pairs = new Int32Array(64)
  /** Ints used in `pairs` (two per candidate). */
  count = 0

  push(pattern: number, end: number): void {
    if (this.pairs.length < this.count + 2) {
      this.#grow(this.count + 2)
    }
    this.pairs[this.count++] = pattern
    this.pairs[this.count++] = end
  }

  /** Appends `pairs[from, to)` with their ends moved by `shift` (an earlier pass's candidates). */
  replay(pairs: Int32Array, from: number, to: number, shift: number): void {
    if (this.pairs.length < this.count + to - from) {
      this.#grow(this.count + to - from)
    }
    for (let e = from; e < to; e += 2) {
      this.pairs[this.count++] = pairs[e] as number
      this.pairs[this.count++] = (pairs[e + 1] as number) + shift
    }
  }

  #grow(capacity: number): void {
    const grown = new Int32Array(Math.max(capacity, this.pairs.length * 2))
    grown.set(this.pairs.subarray(0, this.count))
    this.pairs = grown
  }
}
