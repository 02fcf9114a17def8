// The coordinator's side of a coordinated run: the agents (leak-hunter agent, on any machine)
// join a session over Redis, each takes a slice of the VUs, and this part, driven by driveHunt
// like any other, releases them phase by phase (connect, login, load) and merges their streamed
// figures. An agent silent for heartbeatTimeoutMs is lost and reported with its VUs and accounts.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { MarkerAmbiguity } from '../detect/types.js'
import type { HuntPart, PartLogin, PartResult } from '../engine/hunt-part.js'
import { HuntMetrics } from '../engine/hunt-metrics.js'
import type { ProbeResult } from '../engine/probe-target.js'
import { WHOLE_RUN, sliceSize, subSlice } from '../engine/slice.js'
import type { Slice } from '../engine/slice.js'
import { CoordinationError } from '../errors.js'
import { FindingGrouper, mergeFindingGroups } from '../report/finding-groups.js'
import type { FindingGroups, HuntEvent, LostPart, PhaseName, StepSummary } from '../report/types.js'
import type { Scenario } from '../scenario/types.js'
import type { DownMessage, RunPlan, UpMessage } from './coordination-protocol.js'
import { KeptFindings } from './kept-findings.js'
import { lostPart } from './lost-part.js'
import { MemberFigures } from './member-figures.js'
import { mergeFigures, mergeSteps, sumCountersInto, sumLogins } from './merge-parts.js'
import { connectRedis, readStream, send, sessionKey, streamKey } from './redis-channel.js'

export interface AgentsPartOptions {
  redisUrl: string
  runId: string
  agents: number
  plan: Omit<RunPlan, 'session' | 'agents'>
  startedAt: number
  /** How long to wait for every agent to join and be ready. */
  joinTimeoutMs: number
  heartbeatTimeoutMs: number
  maxFindings?: number
  maxGroups?: number
  emit(event: HuntEvent): void
}

interface Agent {
  index: number
  slice: Slice
  host?: string
  pid?: number
  figures?: MemberFigures
  grouper: FindingGrouper
  steps: StepSummary[]
  finalGroups?: FindingGroups
  ready: boolean
  connected?: { address: string; error?: string }
  login?: PartLogin
  finished: boolean
  lost: boolean
  lastSeen: number
}

/** After stop, an agent has this long to send its last figures before it counts as lost. */
const FINISH_GRACE_MS = 10_000

export class AgentsPart implements HuntPart {
  readonly live: HuntMetrics
  ambiguities: MarkerAmbiguity[] = []
  readonly #scenario: Scenario
  readonly #options: AgentsPartOptions
  readonly #agents: Agent[]
  readonly #session = randomUUID()
  readonly #findings: KeptFindings
  readonly #affected = new Set<string>()
  readonly #lost: LostPart[] = []
  readonly #innerLost: LostPart[] = []
  #redis: Redis | undefined
  #reader: Redis | undefined
  #stream: { stop(): void; closed: Promise<void> } | undefined
  #timer: NodeJS.Timeout | undefined
  #phase: PhaseName = 'connect'
  #stopped = false
  #failure: CoordinationError | undefined
  #wake: () => void = () => {}
  readonly #origin: number

  constructor(scenario: Scenario, options: AgentsPartOptions) {
    this.#scenario = scenario
    this.#options = options
    this.live = new HuntMetrics(options.startedAt)
    // Whole seconds, as the agents' own timelines: they then add second to second.
    this.#origin = Math.floor(options.startedAt / 1000) * 1000
    this.#findings = new KeptFindings(options.maxFindings)
    this.#agents = Array.from({ length: options.agents }, (_, index) => ({
      index,
      slice: subSlice(WHOLE_RUN, index, options.agents),
      grouper: new FindingGrouper(options.maxGroups),
      steps: [],
      ready: false,
      finished: false,
      lost: false,
      lastSeen: 0,
    }))
  }

  get lostAll(): boolean {
    return this.#agents.every((a) => a.lost)
  }

  get #up(): string {
    return streamKey(this.#options.runId, this.#session, 'up')
  }

  get #down(): string {
    return streamKey(this.#options.runId, this.#session, 'down')
  }

  async prepare(): Promise<void> {
    const { redisUrl, runId } = this.#options
    this.#redis = await connectRedis(redisUrl, 'leak-hunter-coordinator')
    this.#reader = await connectRedis(redisUrl, 'leak-hunter-coordinator-reader')
    this.#stream = readStream<UpMessage>(
      this.#reader,
      this.#up,
      (m) => this.#receive(m),
      (err) => this.#fail(`lost Redis: ${(err as Error).message}`)
    )
    const plan: RunPlan = {
      ...this.#options.plan,
      session: this.#session,
      agents: this.#agents.length,
    }
    // A new session each run: agents of an earlier run under this id re-join this one.
    await this.#redis.set(sessionKey(runId), JSON.stringify(plan), 'EX', 86_400)
    this.#timer = setInterval(() => this.#tick(), 1000)
    const deadline = Date.now() + this.#options.joinTimeoutMs
    await this.#until(() => this.#agents.every((a) => a.ready || a.lost), deadline)
    if (this.#failure === undefined && !this.#agents.every((a) => a.ready)) {
      const ready = this.#agents.filter((a) => a.ready).length
      this.#failure = new CoordinationError(
        'HUNT_ERR_COORDINATION',
        `${ready} of ${this.#agents.length} agents joined run "${runId}" within ${this.#options.joinTimeoutMs / 1000} s`
      )
    }
    if (this.#failure !== undefined) {
      await this.#shutdown(this.#failure.message)
      throw this.#failure
    }
  }

  async connect(): Promise<ProbeResult> {
    await this.#release({ t: 'connect' }, (a) => a.connected !== undefined)
    const answers = this.#agents.flatMap((a) => (a.connected === undefined ? [] : [a.connected]))
    const ok = answers.find((c) => c.error === undefined)
    const first = ok ??
      answers[0] ?? { address: this.#scenario.target.host, error: 'no agent left' }
    return { address: first.address, ...(ok === undefined ? { error: first.error } : {}) }
  }

  async login(): Promise<PartLogin> {
    this.#phase = 'login'
    await this.#release({ t: 'login' }, (a) => a.login !== undefined)
    return sumLogins(this.#agents.map((a) => a.login))
  }

  async load(): Promise<void> {
    this.#phase = 'load'
    await this.#release({ t: 'load' }, (a) => a.finished)
  }

  stop(): void {
    if (!this.#stopped) {
      this.#stopped = true
      void this.#say({ t: 'stop', reason: 'the coordinator stopped the run' })
      this.#wake()
    }
  }

  async close(): Promise<void> {
    this.#phase = 'drain'
    this.stop()
    await this.#until(
      () => this.#agents.every((a) => a.finished || a.lost),
      Date.now() + FINISH_GRACE_MS
    )
    this.#loseAllOnFailure()
    for (const a of this.#agents) {
      this.#lose(a, `sent no last figures within ${FINISH_GRACE_MS / 1000} s of the stop`)
    }
    await this.#shutdown()
  }

  current(): HuntMetrics {
    return mergeFigures(
      this.#options.startedAt,
      this.#origin,
      this.#agents.flatMap((a) =>
        a.figures === undefined ? [] : [a.figures.figures(this.#affected)]
      )
    )
  }

  result(): PartResult {
    const groups = this.#agents
      .map((a) => a.finalGroups ?? a.grouper.groups())
      .reduce((x, y) => mergeFindingGroups(x, y))
    const lost = [...this.#innerLost, ...this.#lost]
    return {
      virtualUsers: this.#scenario.load.vus,
      metrics: this.current(),
      steps: mergeSteps(this.#agents.map((a) => a.steps)),
      groups,
      findings: this.#findings.oldest(),
      lost,
      scale: {
        mode: 'coordinated',
        parts: this.#agents.map((a) => ({
          kind: 'agent' as const,
          index: a.index,
          ...(a.pid === undefined ? {} : { pid: a.pid }),
          ...(a.host === undefined ? {} : { host: a.host }),
          slice: a.slice,
          vus: sliceSize(this.#scenario.load.vus, a.slice),
        })),
        lost,
      },
    }
  }

  /** Sends a barrier's go and waits until every agent is past it (or lost, or the run stopped). */
  async #release(message: DownMessage, past: (a: Agent) => boolean): Promise<void> {
    if (!this.#stopped) {
      await this.#say(message)
    }
    await this.#until(() => this.#stopped || this.#agents.every((a) => a.lost || past(a)))
    this.#loseAllOnFailure()
    if (this.#stopped) {
      // A stop during a barrier: what the agents still send comes in while close() waits.
      await this.#until(
        () => this.#agents.every((a) => a.lost || a.finished || past(a)),
        Date.now() + 1000
      )
    }
  }

  async #say(message: DownMessage): Promise<void> {
    try {
      await send(this.#redis!, this.#down, message)
    } catch (err) {
      this.#fail(`lost Redis: ${(err as Error).message}`)
    }
  }

  /** Resolves when `done()` holds, checked on every message and tick, or at `deadline`. */
  async #until(done: () => boolean, deadline = Infinity): Promise<void> {
    while (!done() && Date.now() < deadline && this.#failure === undefined) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve
        setTimeout(resolve, Math.max(0, Math.min(1000, deadline - Date.now()))).unref()
      })
    }
  }

  #receive(m: UpMessage): void {
    const a = this.#agents[m.agent]
    if (a === undefined) {
      return
    }
    a.lastSeen = Date.now()
    switch (m.t) {
      case 'join':
        a.host = m.host
        a.pid = m.pid
        a.figures = new MemberFigures(m.timelineOrigin)
        break
      case 'ready':
        a.ready = true
        if (this.ambiguities.length === 0) {
          this.ambiguities = m.ambiguities
        }
        break
      case 'connected':
        a.connected = { address: m.address, ...(m.error === undefined ? {} : { error: m.error }) }
        break
      case 'loggedIn':
        a.login = m.login
        break
      case 'update':
      case 'finished':
        if (a.lost) {
          break
        }
        a.figures?.apply(m.figures)
        sumCountersInto(
          this.live,
          this.#agents.flatMap((x) => (x.figures === undefined ? [] : [x.figures.counters]))
        )
        for (const login of m.logins) {
          this.#options.emit(login)
        }
        for (const finding of m.findings) {
          this.#found(a, finding)
        }
        if (m.t === 'finished') {
          a.finished = true
          a.steps = m.steps
          a.finalGroups = m.groups
          this.#innerLost.push(...m.lost.map((l) => ({ host: a.host ?? '', ...l })))
          if (m.early !== undefined) {
            // Its figures so far count; the rest of its run did not happen.
            a.finished = false
            this.#lose(a, `stopped early: ${m.early}`)
          }
        }
        break
      case 'failed':
        this.#failure ??= new CoordinationError(
          'HUNT_ERR_COORDINATION',
          `agent ${m.agent + 1} on ${m.host} failed: ${m.error}`
        )
        break
    }
    this.#wake()
  }

  #found(a: Agent, finding: Parameters<FindingGrouper['add']>[0]): void {
    if (finding.severity === 'leak') {
      this.#affected.add(finding.owner.id)
      for (const f of finding.foreign) {
        this.#affected.add(f.id)
      }
    }
    a.grouper.add(finding)
    this.#findings.add(finding)
    this.#options.emit({ type: 'finding', t: new Date().toISOString(), finding })
  }

  #tick(): void {
    void this.#say({ t: 'beat' })
    const now = Date.now()
    for (const a of this.#agents) {
      if (a.lastSeen > 0 && now - a.lastSeen > this.#options.heartbeatTimeoutMs) {
        this.#lose(a, `sent nothing for ${this.#options.heartbeatTimeoutMs / 1000} s (heartbeat)`)
      }
    }
    this.#wake()
  }

  #lose(a: Agent, reason: string): void {
    if (a.finished || a.lost) {
      return
    }
    a.lost = true
    this.#lost.push(
      lostPart(this.#scenario, {
        kind: 'agent',
        index: a.index,
        ...(a.pid === undefined ? {} : { pid: a.pid }),
        ...(a.host === undefined ? {} : { host: a.host }),
        phase: this.#phase,
        reason,
        slice: a.slice,
      })
    )
  }

  /** Redis went away mid-run: what the agents did since is not known. */
  #loseAllOnFailure(): void {
    if (this.#failure !== undefined) {
      for (const a of this.#agents) {
        this.#lose(a, this.#failure.message)
      }
    }
  }

  #fail(reason: string): void {
    this.#failure ??= new CoordinationError('HUNT_ERR_COORDINATION', reason)
    this.#wake()
  }

  async #shutdown(reason?: string): Promise<void> {
    clearInterval(this.#timer)
    if (reason !== undefined) {
      await this.#say({ t: 'stop', reason })
    }
    this.#stream?.stop()
    // The session is over: no agent joins it any more.
    await this.#redis?.del(sessionKey(this.#options.runId)).catch(() => {})
    await this.#stream?.closed
    this.#reader?.disconnect()
    await this.#redis?.quit().catch(() => {})
  }
}
