// What a cached scan costs in a server rather than in a loop: the bench page of 200 sessions at
// 10,200 identities, each body with a new token, rescanned through a ScanCache as the guard does.
// Hot: scans back to back. Cold: 16 MB of other memory read before each scan, as a server's other
// work between two responses evicts the caches. Cold, warmed: the same, then another session's
// page scanned just before, which brings the code and the shared tables back but not this
// session's own kept scan and identity. Wall time of the scan alone, medians.
import { buildIndex } from '../src/index/build-index.js'
import { ScanCache } from '../src/rescan/scan-cache.js'
import { ScanState } from '../src/scan/scan-state.js'
import { scan } from '../src/scan/scan.js'
import { makeIdentities } from '../test/fixtures/identities.js'
import { BENCH_OPTIONS, benchPage } from './bench-page.js'
import { median } from './median.js'

export interface ServerScanCost {
  hotUs: number
  coldUs: number
  warmedUs: number
}

type Mode = 'hot' | 'cold' | 'warmed'

export function measureServerScan(rounds: number): ServerScanCost {
  const list = makeIdentities(10_200)
  const index = buildIndex(list, BENCH_OPTIONS)
  const sessions = list.slice(0, 200)
  const state = new ScanState()
  const cache = new ScanCache()
  const other = new Float64Array(1 << 21)
  let sink = 0
  let fetches = 0
  const fetch = (i: number): number => {
    const owner = sessions[i % sessions.length]!
    const body = Buffer.from(benchPage(owner, (++fetches * 7919).toString(16).padStart(16, '0')))
    const t = process.hrtime.bigint()
    const r = scan(body, {
      index,
      owner: owner.id,
      state,
      cache: { in: cache, group: i, page: '/' },
    })
    const us = Number(process.hrtime.bigint() - t) / 1000
    if (!r.ownerSeen || r.foreign.length > 0) {
      throw new Error('the bench page must show its owner and nobody else')
    }
    return us
  }
  const run = (mode: Mode, n: number): number => {
    const times: number[] = []
    for (let i = 0; i < n; i++) {
      const session = i % sessions.length
      if (mode !== 'hot') {
        for (let j = 0; j < other.length; j += 8) {
          sink += other[j]!++
        }
      }
      if (mode === 'warmed') {
        fetch((session + 100) % sessions.length)
      }
      times.push(fetch(session))
    }
    return median(times)
  }
  run('hot', 2000)
  run('cold', 200)
  const out: Record<Mode, number[]> = { hot: [], cold: [], warmed: [] }
  for (let r = 0; r < rounds; r++) {
    out.hot.push(run('hot', 4000))
    out.cold.push(run('cold', 800))
    out.warmed.push(run('warmed', 800))
  }
  if (sink < 0) {
    throw new Error('unreachable')
  }
  return { hotUs: median(out.hot), coldUs: median(out.cold), warmedUs: median(out.warmed) }
}
