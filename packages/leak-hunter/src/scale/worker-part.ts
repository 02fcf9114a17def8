// The VUs of a slice run in N worker processes on this machine, through @crosstalk/ipc-rpc's pool:
// one `hunt` call per worker (its own slice of the VUs, so each account is logged in by exactly
// one worker), barriers as calls back from the workers, figures merged live here, leaks completed
// with the other workers' in-flight VUs (cross-in-flight.ts). A worker that dies is reported with
// what it took with it; the others go on (README "Scale out" has the rule).
import { createPool } from '@crosstalk/ipc-rpc'
import type { Pool } from '@crosstalk/ipc-rpc'
import type { Finding, MarkerAmbiguity } from '../detect/types.js'
import type { HuntPart, PartLogin, PartResult } from '../engine/hunt-part.js'
import { HuntMetrics } from '../engine/hunt-metrics.js'
import { probeTarget } from '../engine/probe-target.js'
import type { ProbeResult } from '../engine/probe-target.js'
import { sliceSize, subSlice } from '../engine/slice.js'
import type { Slice } from '../engine/slice.js'
import { FindingGrouper } from '../report/finding-groups.js'
import type { HuntEvent, PhaseName } from '../report/types.js'
import type { Scenario } from '../scenario/types.js'
import type { ScenarioInput } from '../scenario/load-scenario.js'
import { CrossInFlight } from './cross-in-flight.js'
import { scenarioDigest } from './digest.js'
import { Barrier } from './barrier.js'
import { lostPart, lostReason } from './lost-part.js'
import { mergeFigures, mergeSteps, sumCountersInto, sumLogins } from './merge-parts.js'
import { KeptFindings } from './kept-findings.js'
import { MemberFigures } from './member-figures.js'
import { WorkersStartError } from '../errors.js'
import { workerEntry } from './worker-entry.js'
import type { HunterApi, WorkerApi, WorkerUpdate } from './worker-protocol.js'

/** How often a worker sends an update: findings wait at most about this for the picture. */
const UPDATE_MS = 50

/** After stop, a worker has this long to hand over its last figures before it counts as lost. */
const FINISH_GRACE_MS = 5000

export interface WorkerPartOptions {
  slice: Slice
  startedAt: number
  timelineOrigin: number
  workers: number
  emit(event: HuntEvent): void
}

interface Member {
  index: number
  slice: Slice
  pid?: number
  figures: MemberFigures
  finished: boolean
  lost: boolean
  controller: AbortController
}

export class WorkerPart implements HuntPart {
  readonly live: HuntMetrics
  ambiguities: MarkerAmbiguity[] = []
  readonly #scenario: Scenario
  readonly #input: ScenarioInput & { maxFindings?: number; maxGroups?: number }
  readonly #options: WorkerPartOptions
  readonly #members: Member[]
  readonly #prepared: Barrier<boolean>
  readonly #loggedIn: Barrier<boolean>
  readonly #done: Barrier<void>
  readonly #logins: PartLogin[] = []
  readonly #cross: CrossInFlight
  readonly #grouper: FindingGrouper
  readonly #findings: KeptFindings
  readonly #affected = new Set<string>()
  readonly #lost: PartResult['lost'] = []
  #pool: Pool<WorkerApi> | undefined
  #calls: Array<Promise<void>> = []
  #phase: PhaseName = 'connect'
  #stopped = false

  constructor(
    scenario: Scenario,
    input: ScenarioInput & { maxFindings?: number; maxGroups?: number },
    options: WorkerPartOptions
  ) {
    this.#scenario = scenario
    this.#input = input
    this.#options = options
    this.live = new HuntMetrics(options.startedAt, options.timelineOrigin)
    // A worker with no VU would have nothing to do: never more workers than VUs.
    const count = Math.max(
      1,
      Math.min(options.workers, sliceSize(scenario.load.vus, options.slice))
    )
    this.#members = Array.from({ length: count }, (_, index) => ({
      index,
      slice: subSlice(options.slice, index, count),
      figures: new MemberFigures(options.timelineOrigin),
      finished: false,
      lost: false,
      controller: new AbortController(),
    }))
    this.#prepared = new Barrier(count)
    this.#loggedIn = new Barrier(count)
    this.#done = new Barrier(count)
    this.#grouper = new FindingGrouper(input.maxGroups)
    this.#findings = new KeptFindings(input.maxFindings)
    const ids = scenario.accounts.map((a) => a.id)
    this.#cross = new CrossInFlight(
      count,
      (i) => ids[i] ?? `#${i}`,
      (_, f) => this.#found(f)
    )
  }

  get lostAll(): boolean {
    return this.#members.every((m) => m.lost)
  }

  async prepare(): Promise<void> {
    const entry = workerEntry()
    const pool = createPool<WorkerApi, HunterApi>({
      entry: entry.path,
      ...(entry.execArgv === undefined ? {} : { execArgv: entry.execArgv }),
      size: this.#members.length,
      serialization: 'advanced',
      name: 'leak-hunter-workers',
      // A replacement for a dead worker would get no slice (a slice is never run twice, or its
      // accounts would log in twice): restarts wait past any run, and the pool closes first.
      restart: { initialDelayMs: 3_600_000, maxDelayMs: 3_600_000 },
      heartbeat: { intervalMs: 2000, timeoutMs: 15_000 },
      handlers: {
        prepared: (member, ready) => {
          const m = this.#members[member]!
          m.pid = ready.pid
          if (this.ambiguities.length === 0) {
            this.ambiguities = ready.ambiguities
          }
          return this.#prepared.arrive(member)
        },
        update: (member, update) => this.#update(member, update),
        loggedIn: (member, login) => {
          this.#logins[member] = login
          return this.#loggedIn.arrive(member)
        },
        finished: (member, update) => {
          this.#update(member, update)
          this.#finish(member)
        },
      },
    })
    this.#pool = pool
    try {
      await pool.ready()
    } catch (err) {
      await pool.destroy()
      throw new WorkersStartError(this.#members.length, err)
    }
    const { seed } = this.#scenario.load
    const digest = scenarioDigest(this.#scenario)
    const input: ScenarioInput = {
      scenario: this.#input.scenario,
      ...(this.#input.baseDir === undefined ? {} : { baseDir: this.#input.baseDir }),
      ...(this.#input.accountsCsv === undefined ? {} : { accountsCsv: this.#input.accountsCsv }),
      overrides: { ...this.#input.overrides, seed },
      ...(this.#input.env === undefined ? {} : { env: { ...this.#input.env } }),
    }
    this.#calls = this.#members.map((m) =>
      pool
        .callWith({ signal: m.controller.signal }, 'hunt', {
          member: m.index,
          input,
          digest,
          slice: m.slice,
          startedAt: this.#options.startedAt,
          timelineOrigin: this.#options.timelineOrigin,
          ...(this.#input.maxFindings === undefined
            ? {}
            : { maxFindings: this.#input.maxFindings }),
          ...(this.#input.maxGroups === undefined ? {} : { maxGroups: this.#input.maxGroups }),
          updateMs: UPDATE_MS,
        })
        .then(
          () => {
            if (!m.finished) {
              this.#lose(m, 'ended without handing over its last figures')
            }
          },
          (err: unknown) => {
            // Our own stop: the worker still sends its last figures through `finished`.
            if ((err as { code?: string }).code !== 'RPC_ERR_ABORTED') {
              this.#lose(m, lostReason(err), err)
            }
          }
        )
    )
    await this.#prepared.wait()
  }

  connect(timeoutMs: number, signal: AbortSignal): Promise<ProbeResult> {
    return probeTarget(this.#scenario.target, timeoutMs, signal)
  }

  async login(): Promise<PartLogin> {
    this.#phase = 'login'
    this.#prepared.release(!this.#stopped)
    await this.#loggedIn.wait()
    return sumLogins(this.#logins)
  }

  async load(): Promise<void> {
    this.#phase = 'load'
    this.#loggedIn.release(!this.#stopped)
    await this.#done.wait()
  }

  stop(): void {
    if (this.#stopped) {
      return
    }
    this.#stopped = true
    this.#prepared.release(false)
    this.#loggedIn.release(false)
    for (const m of this.#members) {
      m.controller.abort()
    }
  }

  async close(): Promise<void> {
    this.#phase = 'drain'
    this.stop()
    const grace = setTimeout(() => {
      for (const m of this.#members) {
        if (!m.finished) {
          this.#lose(
            m,
            `did not hand over its figures within ${FINISH_GRACE_MS / 1000} s of the stop`
          )
        }
      }
    }, FINISH_GRACE_MS)
    await this.#done.wait()
    clearTimeout(grace)
    await Promise.all(this.#calls)
    await this.#pool?.close({ timeoutMs: 2000 })
    this.#cross.resolve(true)
  }

  current(): HuntMetrics {
    return mergeFigures(
      this.#options.startedAt,
      this.#options.timelineOrigin,
      this.#members.map((m) => m.figures.figures(this.#affected))
    )
  }

  result(): PartResult {
    this.#cross.resolve(true)
    const metrics = this.current()
    return {
      virtualUsers: sliceSize(this.#scenario.load.vus, this.#options.slice),
      metrics,
      steps: mergeSteps(this.#members.map((m) => m.figures.steps)),
      groups: this.#grouper.groups(),
      findings: this.#findings.oldest(),
      lost: this.#lost,
      scale: {
        mode: 'workers',
        parts: this.#members.map((m) => ({
          kind: 'worker' as const,
          index: m.index,
          ...(m.pid === undefined ? {} : { pid: m.pid }),
          slice: m.slice,
          vus: sliceSize(this.#scenario.load.vus, m.slice),
        })),
        lost: this.#lost,
      },
    }
  }

  #update(member: number, update: WorkerUpdate): void {
    const m = this.#members[member]!
    if (m.lost) {
      return
    }
    m.figures.apply(update)
    sumCountersInto(
      this.live,
      this.#members.map((x) => x.figures.counters)
    )
    for (const login of update.logins) {
      this.#options.emit(login)
    }
    for (const f of update.findings) {
      this.#cross.finding(member, f.finding, f.t0, f.t1)
    }
    this.#cross.log(member, update.log)
  }

  /** A finding completed with the other workers' in-flight VUs. */
  #found(finding: Finding): void {
    if (finding.severity === 'leak') {
      this.#affected.add(finding.owner.id)
      for (const f of finding.foreign) {
        this.#affected.add(f.id)
      }
    }
    this.#grouper.add(finding)
    this.#findings.add(finding)
    this.#options.emit({ type: 'finding', t: new Date().toISOString(), finding })
  }

  #finish(member: number): void {
    const m = this.#members[member]!
    if (m.finished || m.lost) {
      return
    }
    m.finished = true
    this.#cross.done(member)
    this.#arriveEverywhere(member)
  }

  #lose(m: Member, reason: string, err?: unknown): void {
    if (m.finished || m.lost) {
      return
    }
    m.lost = true
    this.#lost.push(
      lostPart(this.#scenario, {
        kind: 'worker',
        index: m.index,
        ...(m.pid === undefined ? {} : { pid: m.pid }),
        phase: this.#phase,
        reason,
        slice: m.slice,
        err,
      })
    )
    this.#cross.done(m.index)
    this.#arriveEverywhere(m.index)
  }

  #arriveEverywhere(member: number): void {
    void this.#prepared.arrive(member)
    void this.#loggedIn.arrive(member)
    void this.#done.arrive(member)
  }
}
