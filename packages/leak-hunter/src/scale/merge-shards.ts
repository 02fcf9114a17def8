// `leak-hunter merge`: the reports of the shards of one run (`run --shard I/N --json`) made into
// the report of the whole run, as if one process had run it: counters add, HDR histograms add
// bucket by bucket, timelines line up on the shards' whole-second origins, thresholds and the
// verdict are judged again on the sums. A shard whose report is missing is a lost part.
import { buildReport } from '../engine/build-report.js'
import type { LoginPhaseOutcome } from '../engine/build-report.js'
import { sliceSize } from '../engine/slice.js'
import { MergeInvalidError } from '../errors.js'
import { mergeFindingGroups } from '../report/finding-groups.js'
import { REPORT_SCHEMA } from '../report/types.js'
import type {
  HuntReport,
  LostPart,
  PhaseEnd,
  PhaseName,
  PhaseReport,
  ShardSection,
  ThresholdResult,
} from '../report/types.js'
import type { Thresholds } from '../scenario/types.js'
import { countersOfSummary, mergeFigures, mergeSteps } from './merge-parts.js'
import { shardSlice } from './shard.js'

export type ShardReport = HuntReport & { shard: ShardSection }

/** Findings kept one by one in the merged report, as in one run. */
const MAX_FINDINGS = 1000

const PHASES: readonly PhaseName[] = ['connect', 'login', 'load', 'drain']

/** How a merged phase ended: the first of these that some shard's did. */
const END_ORDER: readonly PhaseEnd[] = ['interrupted', 'failed', 'aborted', 'deadline', 'complete']

/** Checks that `reports` are shards of one run; `names` label them in errors (file names). */
export function checkShards(reports: readonly unknown[], names: readonly string[]): ShardReport[] {
  if (reports.length === 0) {
    throw new MergeInvalidError('no shard report given')
  }
  const out: ShardReport[] = []
  reports.forEach((r, i) => {
    const report = r as Partial<HuntReport> | null
    if (typeof report !== 'object' || report === null || report.schema !== REPORT_SCHEMA) {
      throw new MergeInvalidError(`${names[i]}: not a leak-hunter report (schema ${REPORT_SCHEMA})`)
    }
    if (report.shard === undefined) {
      throw new MergeInvalidError(
        `${names[i]}: not a shard's report (run it with --shard I/N or --shards N)`
      )
    }
    out.push(report as ShardReport)
  })
  const first = out[0]!.shard
  const seen = new Map<number, string>()
  out.forEach((r, i) => {
    const s = r.shard
    if (s.digest !== first.digest || r.seed !== out[0]!.seed) {
      throw new MergeInvalidError(
        `${names[i]} is a shard of another run than ${names[0]} (its scenario, accounts or seed differ)`
      )
    }
    if (s.count !== first.count) {
      throw new MergeInvalidError(
        `${names[i]} is shard ${s.index}/${s.count}, ${names[0]} is of ${first.count} shards`
      )
    }
    const twice = seen.get(s.index)
    if (twice !== undefined) {
      throw new MergeInvalidError(`${twice} and ${names[i]} are both shard ${s.index}/${s.count}`)
    }
    seen.set(s.index, names[i]!)
  })
  return out.sort((a, b) => a.shard.index - b.shard.index)
}

/** The thresholds a report was judged by, read back from its results. */
function thresholdsOf(results: readonly ThresholdResult[]): Thresholds {
  const limit = (name: string): number | undefined => results.find((t) => t.name === name)?.limit
  return {
    latency: results.flatMap((t) =>
      t.name === 'latency.max'
        ? [{ percentile: 100, maxMs: t.limit }]
        : t.name.startsWith('latency.p')
          ? [{ percentile: Number(t.name.slice('latency.p'.length)), maxMs: t.limit }]
          : []
    ),
    errorRate: limit('errorRate'),
    leaks: limit('leaks') ?? 0,
    inconclusive: {
      errorRate: limit('inconclusive.errorRate') ?? 0.1,
      unchecked: limit('inconclusive.unchecked') ?? 0.1,
    },
  }
}

function mergePhases(reports: readonly ShardReport[]): PhaseReport[] {
  return PHASES.flatMap((name) => {
    const runs = reports.flatMap((r) =>
      r.phases.filter((p) => p.name === name).map((p) => ({ p, index: r.shard.index }))
    )
    if (runs.length === 0) {
      return []
    }
    const end = END_ORDER.find((e) => runs.some((x) => x.p.end === e)) ?? 'complete'
    const telling = runs.find((x) => x.p.end === end && x.p.detail !== undefined)
    return [
      {
        name,
        ms: Math.max(...runs.map((x) => x.p.ms)),
        end,
        ...(telling === undefined ? {} : { detail: `shard ${telling.index}: ${telling.p.detail}` }),
      },
    ]
  })
}

function loginOutcome(reports: readonly ShardReport[], loggedIn: number): LoginPhaseOutcome {
  if (loggedIn > 0) {
    return 'ok'
  }
  const unreachable = reports.every(
    (r) => r.target.error !== undefined || r.verdict === 'target-unreachable'
  )
  return unreachable ? 'target-unreachable' : 'login-failed'
}

/** The report of the whole run from the reports of its shards (checked with checkShards). */
export function mergeShards(reports: readonly ShardReport[]): HuntReport {
  const first = reports[0]!
  const { count, runVirtualUsers } = first.shard
  const origin = Math.min(...reports.map((r) => r.shard.timelineOrigin))
  const startedAt = Math.min(...reports.map((r) => Date.parse(r.startedAt)))
  const endedAt = Math.max(...reports.map((r) => Date.parse(r.startedAt) + r.durationMs))
  const metrics = mergeFigures(
    startedAt,
    origin,
    reports.map((r) => ({
      counters: countersOfSummary(r.summary),
      latency: r.shard.latency,
      timeline: r.timeline,
      timelineOrigin: r.shard.timelineOrigin,
      steps: r.summary.steps,
      cookiesDropped: r.summary.cookiesDropped,
      affected: r.summary.leaks.affectedAccounts,
    }))
  )
  const present = new Set(reports.map((r) => r.shard.index))
  const missing: LostPart[] = []
  for (let index = 1; index <= count; index++) {
    if (!present.has(index)) {
      const vus = sliceSize(runVirtualUsers, shardSlice({ index, count }))
      missing.push({
        kind: 'shard',
        index: index - 1,
        reason: 'sent no report',
        vus,
        accounts: [],
        accountsOmitted: vus,
      })
    }
  }
  // A shard's own lost workers, named with the shard's host.
  const lost = [
    ...reports.flatMap((r) => (r.scale?.lost ?? []).map((l) => ({ host: r.shard.host, ...l }))),
    ...missing,
  ]
  const loads = reports.flatMap((r) => (r.shard.load === undefined ? [] : [r.shard.load]))
  const loadMs =
    loads.length === 0
      ? 0
      : Math.max(...loads.map((l) => l.endedAt)) - Math.min(...loads.map((l) => l.startedAt))
  const interrupted = reports.find((r) => r.shard.interrupted !== undefined)?.shard.interrupted
  const findings = reports
    .flatMap((r) => r.findings)
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
    .slice(0, MAX_FINDINGS)
  const unreachable = reports.find((r) => r.target.error !== undefined)
  return buildReport({
    metrics,
    steps: mergeSteps(reports.map((r) => r.summary.steps)),
    thresholds: thresholdsOf(first.thresholds),
    loginPhase: loginOutcome(reports, metrics.loggedIn),
    ...(interrupted === undefined ? {} : { interrupted }),
    target: reports.every((r) => r.target.error !== undefined)
      ? unreachable!.target
      : { address: first.target.address },
    phases: mergePhases(reports),
    startedAt,
    endedAt,
    loadMs,
    seed: first.seed,
    config: first.config,
    virtualUsers: runVirtualUsers,
    openModel: first.summary.arrivals !== undefined,
    ambiguities: first.ambiguities,
    groups: reports.map((r) => r.groups).reduce(mergeFindingGroups),
    findings,
    lost,
    scale: {
      mode: 'shards',
      parts: reports.map((r) => ({
        kind: 'shard' as const,
        index: r.shard.index - 1,
        host: r.shard.host,
        slice: shardSlice(r.shard),
        vus: r.summary.virtualUsers,
      })),
      lost,
    },
  })
}
