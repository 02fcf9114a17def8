// What comparing a body with its page's last one costs, 8 bytes at a time (commonRun, as the
// rescan does it) against 4 at a time and one at a time, next to the cached scan it is part of:
// the figure the comment on commonRun cites. Same process, interleaved rounds, medians.
import { buildIndex } from '../src/index/build-index.js'
import { PageScan, commonRun } from '../src/rescan/page-scan.js'
import { ScanCache } from '../src/rescan/scan-cache.js'
import { ScanState } from '../src/scan/scan-state.js'
import { scan } from '../src/scan/scan.js'
import { makeIdentities } from '../test/fixtures/identities.js'
import { BENCH_OPTIONS, benchPage } from './bench-page.js'
import { median } from './median.js'

type Compare = (a: PageScan, ai: number, b: PageScan, bi: number) => number

/** commonRun without its 8-byte path: 4 bytes at a time when the offsets are equally aligned. */
function byWords(a: PageScan, ai: number, b: PageScan, bi: number): number {
  const len = Math.min(a.size - ai, b.size - bi)
  let i = 0
  if (((ai - bi) & 3) === 0) {
    while (i < len && ((ai + i) & 3) !== 0 && a.bytes[ai + i] === b.bytes[bi + i]) {
      i++
    }
    if (((ai + i) & 3) === 0) {
      const from = (ai + i) / 4
      const shift = (bi + i) / 4 - from
      const to = from + Math.floor((len - i) / 4)
      let w = from
      while (w < to && a.words[w] === b.words[w + shift]) {
        w++
      }
      i += (w - from) * 4
    }
  }
  return i + byBytes(a, ai + i, b, bi + i)
}

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
  /** CPU µs per cached scan of the page with a changed token (commonRun included). */
  scanUs: number
  /** CPU µs per comparison of the page with the last one, as the rescan makes it. */
  compareUs: Record<'eight' | 'four' | 'one', number>
}

const cpuUs = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

export function measureCompareCost(identities: number, rounds: number): CompareCost {
  const list = makeIdentities(identities)
  const index = buildIndex(list, BENCH_OPTIONS)
  const owner = list[3]!
  // Each fetch brings a new CSRF token (near the start), the rest of the page as before.
  const pages = Array.from({ length: 16 }, (_, i) =>
    Buffer.from(benchPage(owner, `f3a9c0d1e2b4${String(i).padStart(4, '0')}`))
  )
  const [a, b] = [new PageScan(), new PageScan()]
  a.setBytes(pages[0]!)
  b.setBytes(pages[1]!)
  const token = pages[0]!.indexOf('f3a9c0d1e2b4') + 16
  const state = new ScanState()
  const cache = new ScanCache()
  const n = 20_000
  const compares: Record<keyof CompareCost['compareUs'], Compare> = {
    eight: commonRun,
    four: byWords,
    one: byBytes,
  }
  const scans: number[] = []
  const times: Record<string, number[]> = { eight: [], four: [], one: [] }
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
    compareUs: { eight: median(times.eight!), four: median(times.four!), one: median(times.one!) },
  }
}
