// CPU per scan of the bench page with a live index mid-change (a base, runs of identities set
// since, removed ones hidden) against an index built at once from the same identities, in the same
// process, interleaved; and the CPU a change costs (set() and the next read of `current`).
import { buildIndex } from '../src/index/build-index.js'
import { createLiveIndex } from '../src/index/live-index.js'
import { ScanState } from '../src/scan/scan-state.js'
import { scan } from '../src/scan/scan.js'
import type { MarkerIndex } from '../src/types.js'
import { makeIdentities } from '../test/fixtures/identities.js'
import { BENCH_OPTIONS, benchPage } from './bench-page.js'
import { median } from './median.js'

export interface ScanCost {
  n: number
  /** CPU µs per scan, median of rounds. */
  builtUs: number
  liveUs: number
  /** CPU µs per set() of a new identity plus the next read of `current`, median of rounds. */
  changeUs: number
}

function cpuUs(): number {
  const u = process.cpuUsage()
  return u.user + u.system
}

function perScan(index: MarkerIndex, page: Buffer, owner: string, rounds: number): number {
  const state = new ScanState()
  const t = cpuUs()
  for (let i = 0; i < rounds; i++) {
    scan(page, { index, owner, state })
  }
  return (cpuUs() - t) / rounds
}

export async function measureScanCost(n: number, rounds = 5): Promise<ScanCost> {
  const list = makeIdentities(n + 300)
  // 200 set since the base was built (one run), 10 more (the small run), 100 removed.
  const live = createLiveIndex({
    ...BENCH_OPTIONS,
    identities: list.slice(0, n),
    mergeAfter: 1e6,
    mergeAfterMs: 1e9,
  })
  for (const identity of list.slice(n, n + 200)) {
    live.set(identity)
  }
  void live.current
  for (const identity of list.slice(n + 200, n + 210)) {
    live.set(identity)
  }
  for (const identity of list.slice(0, 100)) {
    live.delete(identity.id)
  }
  const now = [...list.slice(100, n + 210)]
  const built = buildIndex(now, BENCH_OPTIONS)
  const owner = list[n + 205]!
  const page = Buffer.from(benchPage(owner) + `<p>${list[500]!.markers.name as string}</p>`)
  const a: number[] = []
  const b: number[] = []
  perScan(built, page, owner.id, 5000)
  perScan(live.current, page, owner.id, 5000)
  for (let r = 0; r < rounds; r++) {
    a.push(perScan(built, page, owner.id, 20_000))
    b.push(perScan(live.current, page, owner.id, 20_000))
  }
  // A change: a new identity, then the read that builds the small run it goes into.
  const changes: number[] = []
  const fresh = makeIdentities(rounds * 200, 999)
  for (let r = 0; r < rounds; r++) {
    const t = cpuUs()
    for (const identity of fresh.slice(r * 200, (r + 1) * 200)) {
      live.set({ ...identity, id: `new-${identity.id}` })
      void live.current
    }
    changes.push((cpuUs() - t) / 200)
  }
  await live.close()
  return { n, builtUs: median(a), liveUs: median(b), changeUs: median(changes) }
}
