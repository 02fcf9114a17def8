// One registry measurement in its own process (run with --expose-gc): fill the guard's registry
// with N identities, arriving in batches of BATCH per event-loop turn (as logins would), wait for
// the rebuilt index, and report time, the longest event-loop stall, and memory. The stall is split
// into the fill's own turns (BATCH activations each, the index's set() included) and the longest
// stretch between them (the index's background work and GC), with the longest GC pause.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { createGuard } from '../src/index.js'
import { identity, page } from './identities.js'

const n = Number(process.argv[2])
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) {
  throw new Error('run with --expose-gc')
}
const heap = (): number => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const identities = Array.from({ length: n + n / 100 }, (_, i) => identity(i))
const before = heap()
const guard = createGuard({
  mode: 'block',
  markers: { text: ['displayName', 'email'], ids: [{ field: 'userId', json: ['userId'] }] },
  registry: { maxIdentities: n },
})
const pauses: Array<{ at: number; ms: number }> = []
const gcs = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    pauses.push({ at: entry.startTime, ms: entry.duration })
  }
})
gcs.observe({ entryTypes: ['gc'] })
/** The longest GC pause that began in [from, to). */
const gcMax = (from: number, to: number): number =>
  Math.max(0, ...pauses.filter((p) => p.at >= from && p.at < to).map((p) => p.ms))
const BATCH = 500
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Activates identities[from, to) in batches, one per turn, then waits until the index holds them:
 * the batches' total and longest turn, the longest gap between two turns or stall while settling.
 */
async function arrive(from: number, to: number) {
  let activateMs = 0
  let batchMaxMs = 0
  let gapMaxMs = 0
  const began = performance.now()
  let end = began
  for (let i = from; i < to; i += BATCH) {
    const start = performance.now()
    gapMaxMs = Math.max(gapMaxMs, start - end)
    for (let j = i; j < Math.min(to, i + BATCH); j++) {
      guard.activate(identities[j]!)
    }
    end = performance.now()
    activateMs += end - start
    batchMaxMs = Math.max(batchMaxMs, end - start)
    await turn()
  }
  const arrivedMs = performance.now() - began
  const settling = monitorEventLoopDelay({ resolution: 1 })
  settling.enable()
  await guard.ready()
  settling.disable()
  return { arrivedMs, activateMs, batchMaxMs, gapMaxMs: Math.max(gapMaxMs, settling.max / 1e6) }
}

const loop = monitorEventLoopDelay({ resolution: 1 })
loop.enable()
let t = performance.now()
const fill = await arrive(0, n)
const settleMs = performance.now() - t
loop.disable()
const fillGcMaxMs = gcMax(t, t + settleMs)
const after = heap()

// Steady state: a touch of a known identity (every request), a scan of a page for its owner.
t = performance.now()
const touches = 200_000
for (let i = 0; i < touches; i++) {
  guard.activate(identities[i % n]!)
}
const touchNs = ((performance.now() - t) * 1e6) / touches

// Churn: 1% new identities arrive (and as many of the oldest are evicted by the count cap).
const churn = monitorEventLoopDelay({ resolution: 1 })
churn.enable()
t = performance.now()
const churned = await arrive(n, n + n / 100)
const churnMs = performance.now() - t
churn.disable()
// Entries arrive a turn late.
await turn()
gcs.disconnect()

const stats = guard.stats()
process.send?.({
  n,
  fillMs: fill.arrivedMs,
  activateUs: (fill.activateMs * 1000) / n,
  settleMs,
  maxStallMs: loop.max / 1e6,
  batchMaxMs: fill.batchMaxMs,
  gapMaxMs: fill.gapMaxMs,
  gcMaxMs: fillGcMaxMs,
  bytes: after - before,
  estimate: stats.registryBytes,
  touchNs,
  churnMs,
  churnStallMs: churn.max / 1e6,
  churnBatchMaxMs: churned.batchMaxMs,
  churnGapMaxMs: churned.gapMaxMs,
  churnGcMaxMs: gcMax(t, t + churnMs),
  identities: stats.identities,
  evicted: stats.evicted.count,
  page: page(identities[0]!).length,
})
guard.close()
