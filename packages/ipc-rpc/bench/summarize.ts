import type { Scenario } from './scenarios.js'
import type { RunnerResult } from './scenario-runner.js'

export interface Spread {
  median: number
  min: number
  max: number
}

export interface RowSummary {
  scenario: Scenario
  rounds: number
  ratio?: Spread
  reqPerSec?: Spread
  p50Us?: number
  p99Us?: number
  cores?: number
  cpuUsPerCall?: number
  // CPU per call over the limit's CPU per call, per round: robust when other work steals cores.
  cpuRatio?: Spread
  error?: string
}

// Results indexed by scenario id, one slot per round (undefined where it was not run).
export type ResultTable = Map<string, Array<RunnerResult | undefined>>

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  if (sorted.length === 0) {
    return Number.NaN
  }
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) {
    return undefined
  }
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) }
}

function limitOf(scenario: Scenario, all: readonly Scenario[]): Scenario | undefined {
  return all.find(
    (s) => s.isLimit && s.transport === scenario.transport && s.depth === scenario.depth
  )
}

// Ratios are taken per round against the limit measured in that same round, then summarised, so
// that drift in machine load between rounds cancels out.
export function summarize(scenarios: readonly Scenario[], results: ResultTable): RowSummary[] {
  return scenarios.map((scenario) => {
    const own = results.get(scenario.id) ?? []
    const limit = limitOf(scenario, scenarios)
    const limitRuns = limit ? (results.get(limit.id) ?? []) : []
    const ok = own.filter((r): r is RunnerResult => r?.ok === true)
    const ratios: number[] = []
    const cpuRatios: number[] = []
    own.forEach((run, round) => {
      const base = limitRuns[round]
      if (run?.ok && base?.ok && base.reqPerSec && run.reqPerSec !== undefined) {
        ratios.push(run.reqPerSec / base.reqPerSec)
      }
      if (run?.ok && base?.ok && base.cpuUsPerCall && run.cpuUsPerCall !== undefined) {
        cpuRatios.push(run.cpuUsPerCall / base.cpuUsPerCall)
      }
    })
    const failed = own.find((r) => r !== undefined && !r.ok)
    const summary: RowSummary = { scenario, rounds: ok.length }
    const ratio = spread(ratios)
    const reqPerSec = spread(ok.map((r) => r.reqPerSec!))
    if (ratio) {
      summary.ratio = ratio
    }
    const cpuRatio = spread(cpuRatios)
    if (cpuRatio) {
      summary.cpuRatio = cpuRatio
    }
    if (reqPerSec) {
      summary.reqPerSec = reqPerSec
      summary.p50Us = median(ok.map((r) => r.p50Us!))
      summary.p99Us = median(ok.map((r) => r.p99Us!))
      summary.cores = median(ok.map((r) => r.cores!))
      summary.cpuUsPerCall = median(ok.map((r) => r.cpuUsPerCall!))
    }
    if (failed?.error !== undefined) {
      summary.error = failed.error
    }
    return summary
  })
}
