import { build } from 'hdr-histogram-js'
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

// A closed loop with `depth` callers, each sending its next call when the previous one settles.
// Every reply is checked against its own request, so a misdelivered reply fails the run.
export async function measureLoad(target: Target, options: LoadOptions): Promise<LoadResult> {
  let running = true
  let measuring = false
  let nextUser = 1
  let completed = 0
  let failure: unknown
  // A histogram (µs, 3 significant digits), not an array of samples: a 16 MB sample buffer is
  // external memory that changes V8's GC sizing, and did so more for some targets than others.
  const latencies = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 })
  // Scanning /proc blocks the event loop for milliseconds; done here, before any call is in
  // flight, it cannot bunch up the replies of the load it measures.
  const pids = descendantPids(process.pid)

  const caller = async (): Promise<void> => {
    while (running) {
      const userId = nextUser++
      const started = performance.now()
      const reply = await target.call(makeRequest(userId))
      if (reply.renderedFor !== userId || reply.html.length < 900) {
        throw new Error(`reply for user ${reply.renderedFor} delivered to user ${userId}`)
      }
      if (measuring) {
        latencies.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)))
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

  const p50Us = latencies.getValueAtPercentile(50)
  const p99Us = latencies.getValueAtPercentile(99)
  latencies.destroy()
  return {
    reqPerSec: counted / wallSeconds,
    completed: counted,
    p50Us,
    p99Us,
    cores: (cpuEnd - cpuStart) / wallSeconds,
    cpuUsPerCall: ((cpuEnd - cpuStart) * 1e6) / counted,
  }
}
