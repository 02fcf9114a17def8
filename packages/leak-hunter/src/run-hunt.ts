// runHunt: validate, log every VU in, run the load, return the report. Never prints, never exits.
// Every phase ends on time (connect, login, load, drain) and the report says how each ended. The
// VUs run in this process, or in worker processes (`workers`); a shard runs its slice only.
import { hostname } from 'node:os'
import { driveHunt } from './engine/drive-hunt.js'
import type { HuntPart } from './engine/hunt-part.js'
import { LocalPart } from './engine/hunt-part.js'
import { SliceHunt, loginEvent } from './engine/slice-hunt.js'
import { WHOLE_RUN, sliceSize } from './engine/slice.js'
import type { Slice } from './engine/slice.js'
import type { MarkerAmbiguity } from './detect/types.js'
import { AbortedError } from './errors.js'
import type { HuntEvent, HuntReport, ProgressSnapshot } from './report/types.js'
import { scenarioSecretBook } from './redact/scenario-secrets.js'
import { loadScenario } from './scenario/load-scenario.js'
import type { ScenarioInput } from './scenario/load-scenario.js'
import type { Scenario } from './scenario/types.js'
import { defaultWorkers } from './scale/default-workers.js'
import { scenarioDigest } from './scale/digest.js'
import { withSharedSeed } from './scale/shard-seed.js'
import { shardSlice } from './scale/shard.js'
import type { ShardSpec } from './scale/shard.js'
import { WorkerPart } from './scale/worker-part.js'

export { assignAccounts } from './engine/login-phase.js'

export interface HuntOptions extends ScenarioInput {
  /** How often onProgress and progress events fire; default 1000 ms. */
  progressIntervalMs?: number
  /** Findings kept in the report (all are counted and streamed as events); default 1000. */
  maxFindings?: number
  /** Finding groups kept per severity (all findings are counted in them); default 1000. */
  maxGroups?: number
  /**
   * Worker processes that run the VUs (accounts split between them); default 1, in this process.
   * `auto`: one per core, half the cores for a target on this host, at most one per 32 VUs
   * (defaultWorkers(); the CLI's default).
   */
  workers?: number | 'auto'
  /** Run only this shard's slice (1-based index of count); the report carries a `shard` section. */
  shard?: ShardSpec
  /** Stop as soon as the live figures fail a threshold. */
  abortOnFail?: boolean
}

export interface HuntStart {
  seed: string
  virtualUsers: number
  /** Markers that several accounts share, so a match cannot say whose it is. */
  ambiguities: MarkerAmbiguity[]
}

export interface HuntHooks {
  /** Once, after validation and before any request. */
  onStart?(start: HuntStart): void
  onProgress?(progress: ProgressSnapshot): void
  onEvent?(event: HuntEvent): void
  /**
   * Aborting ends the run at once: in-flight requests are cut off and the report (verdict
   * `interrupted`, unless a leak was found) says what ran. Already aborted: rejects.
   */
  signal?: AbortSignal
}

export async function runHunt(options: HuntOptions, hooks: HuntHooks = {}): Promise<HuntReport> {
  const loaded = await loadScenario(options)
  const scenario = options.shard === undefined ? loaded : await withSharedSeed(loaded, options)
  return huntScenario(scenario, options, hooks)
}

export async function huntScenario(
  scenario: Scenario,
  options: HuntOptions,
  hooks: HuntHooks
): Promise<HuntReport> {
  if (hooks.signal?.aborted === true) {
    throw new AbortedError()
  }
  const startedAt = Date.now()
  const slice = options.shard === undefined ? WHOLE_RUN : shardSlice(options.shard)
  // Shards line their timelines up on whole seconds, so that merging them adds bucket to bucket.
  const timelineOrigin =
    options.shard === undefined ? startedAt : Math.floor(startedAt / 1000) * 1000
  const emit = (event: HuntEvent): void => hooks.onEvent?.(event)
  const workers =
    options.workers === 'auto'
      ? await defaultWorkers(scenario.target, sliceSize(scenario.load.vus, slice))
      : (options.workers ?? 1)
  let part: HuntPart
  let secrets
  if (workers > 1) {
    part = new WorkerPart(scenario, options, { slice, startedAt, timelineOrigin, workers, emit })
    secrets = scenarioSecretBook(scenario)
  } else {
    const hunt = localHunt(scenario, options, { slice, startedAt, timelineOrigin, emit })
    part = new LocalPart(hunt)
    secrets = hunt.secrets
  }
  return driveHunt(
    scenario,
    part,
    {
      startedAt,
      secrets,
      ...(options.progressIntervalMs === undefined
        ? {}
        : { progressIntervalMs: options.progressIntervalMs }),
      ...(options.abortOnFail === true ? { abortOnFail: true } : {}),
      ...(options.shard === undefined
        ? {}
        : {
            shard: {
              ...options.shard,
              digest: scenarioDigest(scenario),
              runVirtualUsers: scenario.load.vus,
              host: hostname(),
            },
          }),
    },
    hooks
  )
}

export interface LocalHuntOptions {
  slice: Slice
  startedAt: number
  timelineOrigin: number
  emit(event: HuntEvent): void
}

/** The slice's VUs in this process, streaming `login` and `finding` events. */
export function localHunt(
  scenario: Scenario,
  options: Pick<HuntOptions, 'maxFindings' | 'maxGroups'>,
  local: LocalHuntOptions
): SliceHunt {
  const now = (): string => new Date().toISOString()
  return new SliceHunt(scenario, {
    slice: local.slice,
    startedAt: local.startedAt,
    timelineOrigin: local.timelineOrigin,
    ...(options.maxFindings === undefined ? {} : { maxFindings: options.maxFindings }),
    ...(options.maxGroups === undefined ? {} : { maxGroups: options.maxGroups }),
    onFinding: (finding) => local.emit({ type: 'finding', t: now(), finding }),
    onLogin: (outcome, error) => local.emit(loginEvent(outcome, error)),
  })
}
