// The load phase: closed model (each VU loops) or open model (arrivals at a fixed rate).
import { performance } from 'node:perf_hooks'
import type { EngineContext } from './engine-context.js'
import { PageLoop } from './page-loop.js'
import { TurnBatch } from './turn-batch.js'
import { sleep } from './virtual-user.js'
import type { VirtualUser } from './virtual-user.js'

/** An arrival that starts this much after its scheduled time counts as late. */
export const LATE_MS = 10

/**
 * Closed model: VU i (of the whole run, so a slice keeps the run's ramp) starts at rampUp*i/n and
 * loops until the deadline or its iterations.
 */
export async function runClosed(ctx: EngineContext, vus: readonly VirtualUser[]): Promise<void> {
  const { rampUpMs, vus: total } = ctx.scenario.load
  const batch = new TurnBatch()
  await Promise.all(
    vus.map(async (vu) => {
      const delay = total > 1 ? (rampUpMs * vu.id) / total : 0
      if (delay > 0) {
        await sleep(delay, ctx.stop)
      }
      await new PageLoop(ctx, vu, batch).run()
    })
  )
}

/** Seconds after the start when arrival k is due, with a linear ramp from 0 to `rate`. */
export function arrivalTime(k: number, rate: number, rampUpS: number): number {
  const rampArrivals = (rate * rampUpS) / 2
  if (k < rampArrivals) {
    return Math.sqrt((2 * rampUpS * k) / rate)
  }
  return rampUpS + (k - rampArrivals) / rate
}

/**
 * Open model: iterations start on a schedule whatever the server does. An arrival with no idle
 * VU is dropped; one that starts over LATE_MS after its time is late. Latency counts from the
 * scheduled time, which corrects for coordinated omission. A slice serves the arrivals of the
 * run's schedule whose index is its own (ctx.slice), so its parts add up to the whole rate.
 */
export async function runOpen(
  ctx: EngineContext,
  vus: readonly VirtualUser[],
  rate: number
): Promise<void> {
  const { rampUpMs, iterations } = ctx.scenario.load
  const idle = [...vus].reverse()
  const running = new Set<Promise<void>>()
  const metrics = ctx.metrics
  const start = performance.now()
  const { offset, stride } = ctx.slice
  let k = offset
  let own = 0
  while (!ctx.stop.aborted && (iterations === undefined || k < iterations)) {
    const due = start + arrivalTime(k, rate, rampUpMs / 1000) * 1000
    const wait = due - performance.now()
    if (wait > 1) {
      await sleep(wait, ctx.stop)
      continue
    }
    k += stride
    own++
    metrics.scheduled++
    const vu = idle.pop()
    if (vu === undefined) {
      metrics.dropped++
      continue
    }
    if (performance.now() - due > LATE_MS) {
      metrics.late++
    }
    const run: Promise<void> = vu.runIteration(due).finally(() => {
      running.delete(run)
      idle.push(vu)
    })
    running.add(run)
    if (own % 256 === 0) {
      // Let responses be handled when a burst of arrivals is due at once.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  // Arrivals that fell due before the end but were never reached (this loop was starved of CPU
  // when the deadline fired) were not served either: count them as dropped, not as nothing.
  const { durationMs } = ctx.scenario.load
  const end = Math.min(performance.now(), start + (durationMs ?? Infinity))
  while (
    (iterations === undefined || k < iterations) &&
    start + arrivalTime(k, rate, rampUpMs / 1000) * 1000 <= end
  ) {
    k += stride
    metrics.scheduled++
    metrics.dropped++
  }
  await Promise.all(running)
}

/** Run `task` over `items` with at most `limit` at once. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await task(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
