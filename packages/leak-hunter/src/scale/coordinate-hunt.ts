// `leak-hunter coordinate`: the run's driver when its VUs run in agents on other machines. It
// loads and checks the scenario, publishes the plan in Redis, and drives the agents as one part
// (AgentsPart) through the same phases, live thresholds and report as a run on one machine.
import { driveHunt } from '../engine/drive-hunt.js'
import type { DriveHooks } from '../engine/drive-hunt.js'
import { scenarioSecretBook } from '../redact/scenario-secrets.js'
import type { HuntReport } from '../report/types.js'
import type { HuntOptions } from '../run-hunt.js'
import { loadScenario } from '../scenario/load-scenario.js'
import type { ScenarioOverrides } from '../scenario/load-scenario.js'
import { AbortedError } from '../errors.js'
import { AgentsPart } from './agents-part.js'
import { scenarioDigest } from './digest.js'
import { withSharedSeed } from './shard-seed.js'

export interface CoordinateOptions extends Omit<HuntOptions, 'workers' | 'shard'> {
  redisUrl: string
  /** Names the run in Redis (default "default"). */
  runId?: string
  agents: number
  /** How long to wait for every agent to join (default 5 min). */
  joinTimeoutMs?: number
  /** An agent silent this long is lost (default 10 s). */
  heartbeatTimeoutMs?: number
}

/** What the agents take from the coordinator's flags: the load and the target, not local paths. */
function planOverrides(o: ScenarioOverrides = {}): ScenarioOverrides {
  const { accountsFile: _file, ...shared } = o
  return shared
}

export async function coordinateHunt(
  options: CoordinateOptions,
  hooks: DriveHooks = {}
): Promise<HuntReport> {
  const scenario = await withSharedSeed(await loadScenario(options), options)
  if (hooks.signal?.aborted === true) {
    throw new AbortedError()
  }
  const startedAt = Date.now()
  const part = new AgentsPart(scenario, {
    redisUrl: options.redisUrl,
    runId: options.runId ?? 'default',
    agents: options.agents,
    plan: {
      digest: scenarioDigest(scenario),
      seed: scenario.load.seed,
      overrides: planOverrides(options.overrides),
    },
    startedAt,
    joinTimeoutMs: options.joinTimeoutMs ?? 300_000,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
    ...(options.maxFindings === undefined ? {} : { maxFindings: options.maxFindings }),
    ...(options.maxGroups === undefined ? {} : { maxGroups: options.maxGroups }),
    emit: (e) => hooks.onEvent?.(e),
  })
  return driveHunt(
    scenario,
    part,
    {
      startedAt,
      secrets: scenarioSecretBook(scenario),
      ...(options.progressIntervalMs === undefined
        ? {}
        : { progressIntervalMs: options.progressIntervalMs }),
      ...(options.abortOnFail === true ? { abortOnFail: true } : {}),
    },
    hooks
  )
}
