// What comparing a body with its page's last one costs: commonRun (natively compared spans,
// halved until the difference is near, as the rescan does it) against a loop over the bytes,
// next to the rescan it is part of: the figure the comment on commonRun cites. Same process,
// interleaved rounds, medians.
import { buildIndex } from '../src/index/build-index.js'
import { PageScan, commonRun } from '../src/rescan/page-scan.js'
import { ScanCache } from '../src/rescan/scan-cache.js'
import { ScanState } from '../src/scan/scan-state.js'
import { scan } from '../src/scan/scan.js'
import { makeIdentities } from '../test/fixtures/identities.js'
import { BENCH_OPTIONS, benchPage } from './bench-page.js'
import { median } from './median.js'

type Compare = (a: PageScan, ai: number, b: PageScan, bi: number) => number

function byBytes(a: PageScan, ai: number, b: PageScan, bi: number): number {
  const len = Math.min(a.size - ai, b.size - bi)
  let i = 0
  while (i < len && a.bytes[ai + i] === b.bytes[bi + i]) {
    i++
  }
  return i
}

export interface CompareCost {
  pageBytes: number
  /** CPU µs per rescan of the page with a changed token of another length (commonRun included). */
  scanUs: number
  /** CPU µs per comparison of the page with the last one, as the rescan makes it. */
  compareUs: Record<'native' | 'loop', number>
}

const cpuUs = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

export function measureCompareCost(identities: number, rounds: number): CompareCost {
  const list = makeIdentities(identities)
  const index = buildIndex(list, BENCH_OPTIONS)
  const owner = list[3]!
  // Each fetch brings a new CSRF token (near the start), the rest of the page as before. Tokens
  // of two lengths, so that no body stands for the last one (rescan/token-change.ts): each is
  // rescanned.
  const pages = Array.from({ length: 16 }, (_, i) =>
    Buffer.from(benchPage(owner, `f3a9c0d1e2b4${String(i).padStart(4 + (i & 1), '0')}`))
  )
  const [a, b] = [new PageScan(), new PageScan()]
  a.setBytes(pages[0]!)
  // A page with a token of the same length: the comparison runs the whole page, as a rescan does.
  b.setBytes(pages[2]!)
  const token = pages[0]!.indexOf('f3a9c0d1e2b4') + 16
  const state = new ScanState()
  const cache = new ScanCache()
  const n = 20_000
  const compares: Record<keyof CompareCost['compareUs'], Compare> = {
    native: commonRun,
    loop: byBytes,
  }
  const scans: number[] = []
  const times: Record<string, number[]> = { native: [], loop: [] }
  let sink = 0
  for (let r = 0; r < rounds + 1; r++) {
    let t = cpuUs()
    for (let i = 0; i < n; i++) {
      scan(pages[i & 15]!, {
        index,
        owner: owner.id,
        state,
        cache: { in: cache, group: 1, page: '/' },
      })
    }
    if (r > 0) {
      scans.push((cpuUs() - t) / n)
    }
    for (const [name, compare] of Object.entries(compares)) {
      t = cpuUs()
      // Up to the token, then from past it to the end: the whole page once, as a rescan does.
      for (let i = 0; i < n; i++) {
        sink += compare(a, 0, b, 0) + compare(a, token, b, token)
      }
      if (r > 0) {
        times[name]!.push((cpuUs() - t) / n)
      }
    }
  }
  if (sink < 0) {
    console.log(sink)
  }
  return {
    pageBytes: pages[0]!.length,
    scanUs: median(scans),
    compareUs: { native: median(times.native!), loop: median(times.loop!) },
  }
}
