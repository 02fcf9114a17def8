// `leak-hunter agent`: joins the coordinated run published under a run id in Redis, takes the
// next slice of its VUs, and runs it phase by phase as the coordinator releases them, streaming
// figures and findings up every UPDATE_MS (which is also its heartbeat). It stops when told,
// when its load ends, or when the coordinator's beats stop coming.
import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import type { HuntPart } from '../engine/hunt-part.js'
import { LocalPart } from '../engine/hunt-part.js'
import { WHOLE_RUN, sliceSize, subSlice } from '../engine/slice.js'
import { CoordinationError } from '../errors.js'
import type { HuntEvent } from '../report/types.js'
import { localHunt } from '../run-hunt.js'
import { loadScenario } from '../scenario/load-scenario.js'
import type { ScenarioInput } from '../scenario/load-scenario.js'
import type { AgentFigures, DownMessage, RunPlan, UpMessage } from './coordination-protocol.js'
import { scenarioDigest } from './digest.js'
import { cookieDropsOf, countersOf } from './merge-parts.js'
import type { TimelineBucket } from '../engine/hunt-metrics.js'
import { connectRedis, readStream, send, sessionKey, streamKey } from './redis-channel.js'
import { defaultWorkers } from './default-workers.js'
import { WorkerPart } from './worker-part.js'

const UPDATE_MS = 500
/** How often an agent looks for the coordinator's session while it waits to join. */
const POLL_MS = 250

export interface AgentOptions extends ScenarioInput {
  redisUrl: string
  runId: string
  /** Worker processes on this machine for the agent's VUs (default 1; `auto`: as `run`'s). */
  workers?: number | 'auto'
  /** How long to wait for a coordinator's session (default 5 min). */
  joinTimeoutMs?: number
  /** The coordinator silent this long: the agent stops (default 10 s). */
  heartbeatTimeoutMs?: number
  maxFindings?: number
  maxGroups?: number
}

export interface AgentResult {
  /** 0-based index among the run's agents. */
  agent: number
  agents: number
  vus: number
  /** Why it stopped early: told to, interrupted, or the coordinator or Redis went away. */
  stopped?: string
  /** It stopped because the coordinator or Redis went away (exit 3). */
  orphaned: boolean
  /** Its signal stopped it (Ctrl-C: exit 130); the coordinator reports its VUs as lost. */
  interrupted: boolean
}

async function waitForPlan(
  redis: Redis,
  options: AgentOptions,
  signal?: AbortSignal
): Promise<RunPlan> {
  const deadline = Date.now() + (options.joinTimeoutMs ?? 300_000)
  for (;;) {
    const text = await redis.get(sessionKey(options.runId))
    if (text !== null) {
      return JSON.parse(text) as RunPlan
    }
    if (Date.now() > deadline || signal?.aborted === true) {
      throw new CoordinationError(
        'HUNT_ERR_COORDINATION',
        `no coordinator published run "${options.runId}" on ${options.redisUrl} in time (start leak-hunter coordinate)`
      )
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** The buckets of `now` that differ from those already sent (which it updates). */
function changedBuckets(
  now: readonly TimelineBucket[],
  sent: Map<number, string>
): TimelineBucket[] {
  return now.filter((b) => {
    const key = `${b.requests},${b.leakingResponses},${b.errors}`
    if (sent.get(b.second) === key) {
      return false
    }
    sent.set(b.second, key)
    return true
  })
}

export async function runAgent(
  options: AgentOptions,
  hooks: { signal?: AbortSignal } = {}
): Promise<AgentResult> {
  const redis = await connectRedis(options.redisUrl, 'leak-hunter-agent')
  const reader = await connectRedis(options.redisUrl, 'leak-hunter-agent-reader')
  let stream: { stop(): void; closed: Promise<void> } | undefined
  try {
    const plan = await waitForPlan(redis, options, hooks.signal)
    // The coordinator's load flags and seed, for this process and its workers alike.
    const input = {
      ...options,
      overrides: { ...options.overrides, ...plan.overrides, seed: plan.seed },
    }
    const scenario = await loadScenario(input)
    const up = streamKey(options.runId, plan.session, 'up')
    const say = (m: UpMessage): Promise<void> => send(redis, up, m)
    const agent = (await redis.incr(streamKey(options.runId, plan.session, 'next'))) - 1
    if (agent >= plan.agents) {
      throw new CoordinationError(
        'HUNT_ERR_COORDINATION',
        `run "${options.runId}" already has its ${plan.agents} agents`
      )
    }
    if (scenarioDigest(scenario) !== plan.digest) {
      const error =
        "its scenario or accounts differ from the coordinator's (every agent needs the same files)"
      await say({ t: 'failed', agent, host: hostname(), error })
      throw new CoordinationError('HUNT_ERR_COORDINATION', `this agent: ${error}`)
    }
    const slice = subSlice(WHOLE_RUN, agent, plan.agents)
    const startedAt = Date.now()
    const timelineOrigin = Math.floor(startedAt / 1000) * 1000
    let findings: Extract<HuntEvent, { type: 'finding' }>['finding'][] = []
    let logins: Array<Extract<HuntEvent, { type: 'login' }>> = []
    let streamed = 0
    const maxFindings = options.maxFindings ?? 1000
    const emit = (e: HuntEvent): void => {
      if (e.type === 'login') {
        logins.push(e)
      } else if (e.type === 'finding' && streamed++ < maxFindings) {
        // Every finding counts in the agent's groups; the report lists the first ones.
        findings.push(e.finding)
      }
    }
    const workers =
      options.workers === 'auto'
        ? await defaultWorkers(scenario.target, sliceSize(scenario.load.vus, slice))
        : (options.workers ?? 1)
    const part: HuntPart =
      workers > 1
        ? new WorkerPart(scenario, input, { slice, startedAt, timelineOrigin, workers, emit })
        : new LocalPart(localHunt(scenario, options, { slice, startedAt, timelineOrigin, emit }))
    const sent = new Map<number, string>()
    const figures = (all = false): AgentFigures => {
      const m = part.current()
      return {
        counters: countersOf(m),
        timeline: all ? m.timeline() : changedBuckets(m.timeline(), sent),
        latency: m.latencyPart(),
        cookiesDropped: cookieDropsOf(m),
      }
    }
    const take = (): Pick<Extract<UpMessage, { t: 'update' }>, 'findings' | 'logins'> => {
      const out = { findings, logins }
      findings = []
      logins = []
      return out
    }
    // The coordinator's messages: barriers resolve waiters; stop, or silence, stops the part.
    let stopped: string | undefined
    let orphaned = false
    let fromCoordinator = false
    let lastBeat = Date.now()
    const seen = new Set<DownMessage['t']>()
    let wake: () => void = () => {}
    const stop = (reason: string): void => {
      stopped ??= reason
      part.stop()
      wake()
    }
    stream = readStream<DownMessage>(
      reader,
      streamKey(options.runId, plan.session, 'down'),
      (m) => {
        lastBeat = Date.now()
        seen.add(m.t)
        if (m.t === 'stop') {
          fromCoordinator = stopped === undefined
          stop(m.reason)
        }
        wake()
      },
      (err) => {
        orphaned = true
        stop(`lost Redis: ${(err as Error).message}`)
      }
    )
    const heartbeatMs = options.heartbeatTimeoutMs ?? 10_000
    let interrupted = false
    const onAbort = (): void => {
      interrupted = true
      stop('this agent was interrupted')
    }
    hooks.signal?.addEventListener('abort', onAbort, { once: true })
    const barrier = async (t: DownMessage['t']): Promise<boolean> => {
      while (!seen.has(t) && stopped === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, 250).unref()
        })
      }
      return stopped === undefined
    }
    const timer = setInterval(() => {
      if (Date.now() - lastBeat > heartbeatMs) {
        orphaned = true
        stop(`the coordinator sent nothing for ${heartbeatMs / 1000} s`)
      }
      say({ t: 'update', agent, figures: figures(), ...take() }).catch(() => {})
    }, UPDATE_MS)
    try {
      await say({ t: 'join', agent, host: hostname(), pid: process.pid, timelineOrigin })
      await part.prepare()
      await say({ t: 'ready', agent, ambiguities: part.ambiguities })
      if (await barrier('connect')) {
        const probe = await part.connect(
          Math.min(scenario.load.timeoutMs, 5000),
          new AbortController().signal
        )
        await say({
          t: 'connected',
          agent,
          address: probe.address,
          ...(probe.error === undefined ? {} : { error: probe.error }),
        })
        if (await barrier('login')) {
          const login =
            probe.error !== undefined
              ? { loggedIn: 0, total: 0, network: true, deadline: false, unfinished: 0 }
              : await part.login()
          await say({ t: 'loggedIn', agent, login })
          if (login.loggedIn > 0 && (await barrier('load'))) {
            await part.load()
          }
        }
      }
    } finally {
      clearInterval(timer)
      hooks.signal?.removeEventListener('abort', onAbort)
      part.stop()
      await part.close()
      const result = part.result()
      await say({
        t: 'finished',
        agent,
        figures: figures(true),
        ...take(),
        steps: result.steps,
        groups: result.groups,
        lost: result.lost,
        ...(stopped === undefined || fromCoordinator ? {} : { early: stopped }),
      })
    }
    return {
      agent,
      agents: plan.agents,
      vus: sliceSize(scenario.load.vus, slice),
      ...(stopped === undefined ? {} : { stopped }),
      orphaned,
      interrupted,
    }
  } finally {
    stream?.stop()
    await stream?.closed
    reader.disconnect()
    await redis.quit().catch(() => {})
  }
}
