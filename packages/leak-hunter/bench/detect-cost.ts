import { createDetector } from '../src/detect/detector.js'
import { buildMarkerIndex } from '../src/detect/marker-index.js'
import type { ResponseSample } from '../src/detect/types.js'
import { makeBenchAccounts } from './bench-accounts.js'
import { benchPage } from './bench-page.js'

export interface DetectCost {
  accounts: number
  buildMs: number
  /** CPU milliseconds of the build (wall time suffers most when the cores are shared). */
  buildCpuMs: number
  pageBytes: number
  /** CPU microseconds per detector.inspect() of one page (normalise, scan, findings). */
  inspectUs: number
}

/** CPU time of detection alone, per response, on the bench page: robust when the cores are shared. */
export function measureDetectCost(accounts: number, rounds = 20_000): DetectCost {
  const list = makeBenchAccounts(accounts).map((a, index) => ({
    index,
    id: a.username,
    fields: { displayName: a.displayName, email: a.email, userId: a.userId },
  }))
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const index = buildMarkerIndex(list, {
    columns: ['displayName', 'email', 'userId'],
    caseInsensitive: false,
    minLength: 3,
  })
  const buildMs = performance.now() - t0
  const buildCpu = process.cpuUsage(cpu0)
  const detector = createDetector(index, list)
  const owner = 5
  // Bytes, as the engine hands them over: decoding to a string is part of what is not done.
  const body = Buffer.from(benchPage(makeBenchAccounts(owner + 1)[owner]!))
  const sample: ResponseSample = {
    vu: 1,
    owner,
    page: 'home',
    method: 'GET',
    url: 'http://127.0.0.1/',
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body,
    time: Date.now(),
    expectOwnMarker: true,
    allowlist: [],
    concurrent: [],
    setCookies: [],
  }
  if (detector.inspect(sample).length !== 0) {
    throw new Error('the bench page should be clean for its owner')
  }
  for (let i = 0; i < 2000; i++) {
    detector.inspect(sample)
  }
  const before = process.cpuUsage()
  for (let i = 0; i < rounds; i++) {
    detector.inspect(sample)
  }
  const used = process.cpuUsage(before)
  return {
    accounts,
    buildMs,
    buildCpuMs: (buildCpu.user + buildCpu.system) / 1000,
    pageBytes: body.length,
    inspectUs: (used.user + used.system) / rounds,
  }
}
