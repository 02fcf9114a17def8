// Per step: requests sent, responses, failures, and the first distinct failure messages with
// counts, so a report can say why (`login-submit: POST /login returned 303, expected 302 (96 of
// 96)`). Messages are built from the step's path template, never from a VU's values: they repeat
// across VUs (so they tally) and hold no secret.
import type { StepPhase, StepSummary } from '../report/types.js'
import type { RequestStep } from '../scenario/types.js'

/** Distinct messages kept per step; later ones are counted as `otherFailures`. */
export const MAX_MESSAGES = 10

export class StepStats {
  readonly phase: StepPhase
  readonly step: RequestStep
  sent = 0
  responses = 0
  errors = 0
  failures = 0
  leakingResponses = 0
  leakFindings = 0
  warnings = 0
  #other = 0
  readonly #messages = new Map<string, number>()

  constructor(phase: StepPhase, step: RequestStep) {
    this.phase = phase
    this.step = step
  }

  /** `METHOD /path`, as the scenario writes it. */
  get request(): string {
    return `${this.step.method} ${this.step.path.source}`
  }

  /** A failure of this step; `error` says it also counts as a request error. */
  fail(message: string, error: boolean): void {
    this.failures++
    if (error) {
      this.errors++
    }
    const n = this.#messages.get(message)
    if (n !== undefined) {
      this.#messages.set(message, n + 1)
    } else if (this.#messages.size < MAX_MESSAGES) {
      this.#messages.set(message, 1)
    } else {
      this.#other++
    }
  }

  summary(): StepSummary {
    return {
      phase: this.phase,
      name: this.step.name,
      method: this.step.method,
      path: this.step.path.source,
      sent: this.sent,
      responses: this.responses,
      errors: this.errors,
      failures: this.failures,
      messages: [...this.#messages]
        .map(([message, count]) => ({ message, count }))
        .sort((a, b) => b.count - a.count),
      otherFailures: this.#other,
      leaks: { responses: this.leakingResponses, findings: this.leakFindings },
      warnings: this.warnings,
    }
  }
}

/** The stats of every step of a scenario, looked up by the step object. */
export class StepStatsTable {
  readonly #byStep = new Map<RequestStep, StepStats>()

  constructor(login: readonly RequestStep[], pages: readonly RequestStep[]) {
    for (const step of login) {
      this.#byStep.set(step, new StepStats('login', step))
    }
    for (const step of pages) {
      this.#byStep.set(step, new StepStats('load', step))
    }
  }

  of(step: RequestStep): StepStats {
    let stats = this.#byStep.get(step)
    if (stats === undefined) {
      // A step the table was not built with (a library caller's own): counted as a page.
      stats = new StepStats('load', step)
      this.#byStep.set(step, stats)
    }
    return stats
  }

  all(): StepStats[] {
    return [...this.#byStep.values()]
  }
}
