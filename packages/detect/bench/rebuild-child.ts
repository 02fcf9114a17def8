// One rebuild measured in a fresh process (clean RSS), from the built package (dist/, as users
// run it; a worker started from the TypeScript sources would spend its time loading tsx). A live
// index of `n` identities gets 256 new ones, which starts a background rebuild ('slices' or
// 'worker'); or, the baseline, the same index is built at once on the main thread ('sync'). After
// a warm-up rebuild, one is measured on a quiet event loop (its wall time and main-thread time),
// then one while a request loop scans a page with the current snapshot on every turn of the event
// loop: the longest gap between two turns is the longest a request would have waited.
import { ScanState, buildIndex, createLiveIndex, scan } from '@crosstalk/detect'
import type { MarkerIndex } from '@crosstalk/detect'
import { makeIdentities } from '../test/fixtures/identities.js'
import { BENCH_OPTIONS, benchPage } from './bench-page.js'

export interface RebuildResult {
  n: number
  mode: string
  /** Until the rebuilt index is in use, on a quiet event loop, ms. */
  wallMs: number
  /** Main-thread busy time in that window (event loop utilisation), ms. */
  mainMs: number
  /** Until the rebuilt index is in use, with a request on every turn, ms. */
  loadedWallMs: number
  /** Longest gap between two turns of the request loop, ms. */
  maxGapMs: number
  /** Scans the request loop made meanwhile. */
  scans: number
  rssBeforeMb: number
  rssPeakMb: number
  /** Heap bytes of the index's tables once rebuilt, MB. */
  indexMb: number
}

const [n, mode] = [Number(process.argv[2]), process.argv[3] as 'sync' | 'slices' | 'worker']
const BATCH = 256
const list = makeIdentities(n + 3 * BATCH)
const page = Buffer.from(benchPage(list[3]!))
const state = new ScanState()
const mb = (bytes: number): number => bytes / 1024 / 1024
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const live =
  mode === 'sync'
    ? undefined
    : createLiveIndex({
        ...BENCH_OPTIONS,
        identities: list.slice(0, n),
        mode,
        mergeAfter: BATCH,
        mergeAfterMs: 1e9,
      })
let built: MarkerIndex = buildIndex(list.slice(0, n), BENCH_OPTIONS)
const current = (): MarkerIndex => live?.current ?? built

/** The next rebuild: 256 more identities, then until the rebuilt index is in use. */
let added = n
async function rebuild(): Promise<void> {
  const batch = list.slice(added, added + BATCH)
  added += BATCH
  if (live === undefined) {
    // The baseline: what a plain buildIndex() of everyone does on a change.
    await turn()
    built = buildIndex(list.slice(0, added), BENCH_OPTIONS)
    return
  }
  for (const identity of batch) {
    live.set(identity)
  }
  await live.settled()
}

await rebuild()
global.gc?.()
// Quiet: what the rebuild costs, with nothing else on the event loop.
const elu = performance.eventLoopUtilization()
let t0 = performance.now()
await rebuild()
const wallMs = performance.now() - t0
const mainMs = performance.eventLoopUtilization(elu).active
global.gc?.()
await new Promise((resolve) => setTimeout(resolve, 100))
// Loaded: a request on every turn while it rebuilds.
const rssBefore = process.memoryUsage.rss()
let rssPeak = rssBefore
let scans = 0
let maxGap = 0
let running = true
let last = performance.now()
const loop = (): void => {
  const now = performance.now()
  maxGap = Math.max(maxGap, now - last)
  last = now
  scan(page, { index: current(), owner: list[3]!.id, state })
  scans++
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
  if (running) {
    setImmediate(loop)
  }
}
setImmediate(loop)
await new Promise((resolve) => setTimeout(resolve, 100))
scans = 0
maxGap = 0
t0 = performance.now()
await rebuild()
const loadedWallMs = performance.now() - t0
// One more turn so that a gap ending with the build is counted.
await turn()
running = false
rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
const result: RebuildResult = {
  n,
  mode,
  wallMs,
  mainMs,
  loadedWallMs,
  maxGapMs: maxGap,
  scans,
  rssBeforeMb: mb(rssBefore),
  rssPeakMb: mb(rssPeak),
  indexMb: mb(current().byteLength),
}
process.send?.(result)
await live?.close()
