// One registry measurement in its own process (run with --expose-gc): fill the guard's registry
// with N identities, arriving in batches of BATCH per event-loop turn (as logins would), wait for
// the rebuilt index, and report time, the longest event-loop stall, and memory.
import { monitorEventLoopDelay } from 'node:perf_hooks'
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
const loop = monitorEventLoopDelay({ resolution: 1 })
loop.enable()
const BATCH = 500
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
let activateMs = 0
let t = performance.now()
for (let i = 0; i < n; i += BATCH) {
  const start = performance.now()
  for (let j = i; j < Math.min(n, i + BATCH); j++) {
    guard.activate(identities[j]!)
  }
  activateMs += performance.now() - start
  await turn()
}
const fillMs = performance.now() - t
await guard.ready()
const settleMs = performance.now() - t
loop.disable()
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
for (let i = n; i < n + n / 100; i += BATCH) {
  for (let j = i; j < Math.min(n + n / 100, i + BATCH); j++) {
    guard.activate(identities[j]!)
  }
  await turn()
}
await guard.ready()
const churnMs = performance.now() - t
churn.disable()

const stats = guard.stats()
process.send?.({
  n,
  fillMs,
  activateUs: (activateMs * 1000) / n,
  settleMs,
  maxStallMs: loop.max / 1e6,
  bytes: after - before,
  estimate: stats.registryBytes,
  touchNs,
  churnMs,
  churnStallMs: churn.max / 1e6,
  identities: stats.identities,
  evicted: stats.evicted.count,
  page: page(identities[0]!).length,
})
guard.close()
