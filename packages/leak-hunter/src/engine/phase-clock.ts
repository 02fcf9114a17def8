// Which phase a run is in and how each ended, for the report (`phases`).
import { performance } from 'node:perf_hooks'
import type { PhaseEnd, PhaseName, PhaseReport } from '../report/types.js'

export class PhaseClock {
  readonly #done: PhaseReport[] = []
  #current: { name: PhaseName; started: number } | undefined

  get current(): PhaseName | undefined {
    return this.#current?.name
  }

  start(name: PhaseName): void {
    this.#current = { name, started: performance.now() }
  }

  /** Ends the current phase (a no-op when none runs). */
  end(end: PhaseEnd, detail?: string): void {
    const c = this.#current
    if (c === undefined) {
      return
    }
    this.#done.push({
      name: c.name,
      ms: Math.round(performance.now() - c.started),
      end,
      ...(detail === undefined ? {} : { detail }),
    })
    this.#current = undefined
  }

  list(): PhaseReport[] {
    return [...this.#done]
  }
}
