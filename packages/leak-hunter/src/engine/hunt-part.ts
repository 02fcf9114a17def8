// What runHunt drives phase by phase: this process's own VUs (LocalPart), worker processes on this
// machine, or the agents of a coordinated run. Each reports the same way, so one report comes out.
import type { Finding, MarkerAmbiguity } from '../detect/types.js'
import type {
  FindingGroups,
  HuntEvent,
  LostPart,
  ScaleReport,
  StepSummary,
} from '../report/types.js'
import type { HuntMetrics } from './hunt-metrics.js'
import { probeTarget } from './probe-target.js'
import type { ProbeResult } from './probe-target.js'
import type { SliceHunt } from './slice-hunt.js'
import { sliceSize } from './slice.js'

/** The login phase of a part: its VUs' outcome, summed over its members. */
export interface PartLogin {
  loggedIn: number
  /** VUs the part tried to log in. */
  total: number
  /** Every VU that tried got no response at all. */
  network: boolean
  /** load.loginTimeout ended the phase somewhere before every VU was done. */
  deadline: boolean
  /** VUs not done logging in when the phase ended. */
  unfinished: number
}

export interface PartResult {
  /** VUs the part was given (logged in or not). */
  virtualUsers: number
  metrics: HuntMetrics
  steps: StepSummary[]
  groups: FindingGroups
  findings: Finding[]
  /** Workers or agents lost on the way, with what they took with them. */
  lost: LostPart[]
  /** How the run was spread over processes and machines; undefined for one process. */
  scale?: ScaleReport
}

/** Events a part raises that runHunt streams (`login`, `finding`). */
export type PartEvent = Extract<HuntEvent, { type: 'login' | 'finding' }>

export interface HuntPart {
  /** Counters kept current while the part runs (progress reads them). */
  readonly live: HuntMetrics
  /** The counters and the latency histogram as of now (for --abort-on-fail). */
  current(): HuntMetrics
  /** Every worker or agent of the part was lost: nothing runs any more. */
  readonly lostAll: boolean
  /** Markers several accounts share; known after prepare(). */
  readonly ambiguities: MarkerAmbiguity[]
  /** Every process is up and its marker index built. */
  prepare(): Promise<void>
  /** Can the target be reached at all (one TCP connection)? */
  connect(timeoutMs: number, signal: AbortSignal): Promise<ProbeResult>
  login(): Promise<PartLogin>
  load(): Promise<void>
  /** Ends the part at once, in whatever phase. */
  stop(): void
  /** Cuts off what is in flight and closes every connection (and process). */
  close(): Promise<void>
  result(): PartResult
}

/** The VUs of one slice, run in this process. */
export class LocalPart implements HuntPart {
  readonly lostAll = false
  readonly #hunt: SliceHunt

  constructor(hunt: SliceHunt) {
    this.#hunt = hunt
  }

  get live(): HuntMetrics {
    return this.#hunt.metrics
  }

  get ambiguities(): MarkerAmbiguity[] {
    return this.#hunt.index.ambiguities
  }

  current(): HuntMetrics {
    return this.#hunt.syncMetrics()
  }

  async prepare(): Promise<void> {}

  connect(timeoutMs: number, signal: AbortSignal): Promise<ProbeResult> {
    return probeTarget(this.#hunt.scenario.target, timeoutMs, signal)
  }

  async login(): Promise<PartLogin> {
    const r = await this.#hunt.login()
    return {
      loggedIn: r.vus.length,
      total: r.total,
      network: r.network,
      deadline: r.deadline,
      unfinished: r.unfinished,
    }
  }

  load(): Promise<void> {
    return this.#hunt.load()
  }

  stop(): void {
    this.#hunt.stop()
  }

  close(): Promise<void> {
    return this.#hunt.close()
  }

  result(): PartResult {
    return {
      virtualUsers: sliceSize(this.#hunt.scenario.load.vus, this.#hunt.slice),
      metrics: this.#hunt.metrics,
      steps: this.#hunt.steps(),
      groups: this.#hunt.groups(),
      findings: this.#hunt.findings,
      lost: [],
    }
  }
}
