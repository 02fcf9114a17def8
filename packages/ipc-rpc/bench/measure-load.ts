import { setTimeout as sleep } from 'node:timers/promises'
import { descendantPids, treeCpuSeconds } from './proc-cpu.js'
import type { Target } from './target.js'
import { makeRequest } from './workload.js'

export interface LoadOptions {
  depth: number
  warmupMs: number
  windowMs: number
}

export interface LoadResult {
  reqPerSec: number
  completed: number
  p50Us: number
  p99Us: number
  cores: number
  cpuUsPerCall: number
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

// A closed loop with `depth` callers, each sending its next call when the previous one settles.
// Every reply is checked against its own request, so a misdelivered reply fails the run.
export async function measureLoad(target: Target, options: LoadOptions): Promise<LoadResult> {
  let running = true
  let measuring = false
  let nextUser = 1
  let completed = 0
  let failure: unknown
  const maxSamples = 2_000_000
  const latencies = new Float64Array(maxSamples)

  const caller = async (): Promise<void> => {
    while (running) {
      const userId = nextUser++
      const started = performance.now()
      const reply = await target.call(makeRequest(userId))
      if (reply.renderedFor !== userId || reply.html.length < 900) {
        throw new Error(`reply for user ${reply.renderedFor} delivered to user ${userId}`)
      }
      if (measuring) {
        if (completed < maxSamples) {
          latencies[completed] = performance.now() - started
        }
        completed++
      }
    }
  }
  const callers = Array.from({ length: options.depth }, () =>
    caller().catch((err: unknown) => {
      failure ??= err
      running = false
    })
  )

  await sleep(options.warmupMs)
  const pids = descendantPids(process.pid)
  const cpuStart = treeCpuSeconds(pids)
  const wallStart = performance.now()
  measuring = true
  await sleep(options.windowMs)
  measuring = false
  const wallSeconds = (performance.now() - wallStart) / 1000
  const cpuEnd = treeCpuSeconds(pids)
  const counted = completed
  running = false
  await Promise.all(callers)
  if (failure !== undefined) {
    throw failure instanceof Error ? failure : new Error(JSON.stringify(failure))
  }
  if (counted === 0) {
    throw new Error('no call completed in the measured window')
  }

  const sorted = latencies.subarray(0, Math.min(counted, maxSamples)).sort()
  return {
    reqPerSec: counted / wallSeconds,
    completed: counted,
    p50Us: percentile(sorted, 0.5) * 1000,
    p99Us: percentile(sorted, 0.99) * 1000,
    cores: (cpuEnd - cpuStart) / wallSeconds,
    cpuUsPerCall: ((cpuEnd - cpuStart) * 1e6) / counted,
  }
}
