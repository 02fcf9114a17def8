// A worker's in-flight registry that also logs every request's window on the host clock, so the
// parent can tell which VUs of other workers were in flight while a leaking response was on its
// way. The worker still answers its own findings from its own registry, at once.
import { InFlightRegistry } from '../engine/in-flight-registry.js'
import { hostNow } from './host-clock.js'

/** What a worker sends of its requests since the last take(). */
export interface InFlightLog {
  /** Finished requests: vu, account, start, end (host ms), four numbers each. */
  intervals: Float64Array
  /** Requests in flight now: vu, account, start, three numbers each. */
  open: Float64Array
  /** Host time of this log: everything that began before it is in `intervals` or `open`. */
  watermark: number
}

export class TimedRegistry extends InFlightRegistry {
  // Indexed by global VU id: the worker's VUs are a slice of them.
  readonly #start: Float64Array
  readonly #account: Int32Array
  readonly #lastStart: Float64Array
  readonly #lastEnd: Float64Array
  readonly #own: readonly number[]
  #out = new Float64Array(4096)
  #used = 0

  /** `vus`: VUs of the whole run; `own`: the ids of this worker's. */
  constructor(vus: number, own: readonly number[]) {
    super()
    this.#start = new Float64Array(vus).fill(NaN)
    this.#account = new Int32Array(vus)
    this.#lastStart = new Float64Array(vus)
    this.#lastEnd = new Float64Array(vus)
    this.#own = own
  }

  override begin(vu: number, account: number): number {
    this.#start[vu] = hostNow()
    this.#account[vu] = account
    return super.begin(vu, account)
  }

  override end(vu: number, account: number): void {
    super.end(vu, account)
    const start = this.#start[vu]!
    const end = hostNow()
    this.#start[vu] = NaN
    this.#lastStart[vu] = start
    this.#lastEnd[vu] = end
    if (this.#used + 4 > this.#out.length) {
      const grown = new Float64Array(this.#out.length * 2)
      grown.set(this.#out)
      this.#out = grown
    }
    this.#out[this.#used++] = vu
    this.#out[this.#used++] = account
    this.#out[this.#used++] = start
    this.#out[this.#used++] = end
  }

  /** The window of `vu`'s last finished request: [start, end] on the host clock. */
  lastWindow(vu: number): [number, number] {
    return [this.#lastStart[vu]!, this.#lastEnd[vu]!]
  }

  take(): InFlightLog {
    const watermark = hostNow()
    const intervals = this.#out.slice(0, this.#used)
    this.#used = 0
    const open: number[] = []
    for (const vu of this.#own) {
      const start = this.#start[vu]!
      if (!Number.isNaN(start)) {
        open.push(vu, this.#account[vu]!, start)
      }
    }
    return { intervals, open: Float64Array.from(open), watermark }
  }
}
