// One memory measurement in a fresh process: RSS before and during a hunt with N virtual users.
// Run with --expose-gc so the baseline is taken after a collection.
import { runHunt } from '../src/index.js'
import { accountsCsv, makeBenchAccounts } from './bench-accounts.js'
import { benchScenario } from './throughput.js'

const [url = '', vusArg = '1000', secondsArg = '5'] = process.argv.slice(2)
const vus = Number(vusArg)
const seconds = Number(secondsArg)
const csv = accountsCsv(makeBenchAccounts(vus))

const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const baseline = process.memoryUsage().rss
let peak = baseline
let peakHeap = 0
const baseHeap = process.memoryUsage().heapUsed
let liveHeap = 0
let ticks = 0
const sampler = setInterval(() => {
  // Every second, collect first: live heap (what VUs retain) apart from garbage not yet collected.
  if (++ticks % 10 === 0 && gc !== undefined) {
    gc()
    liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed - baseHeap)
  }
  const m = process.memoryUsage()
  peak = Math.max(peak, m.rss)
  peakHeap = Math.max(peakHeap, m.heapUsed)
}, 100)
const report = await runHunt({ scenario: benchScenario(url, vus, seconds), accountsCsv: csv })
clearInterval(sampler)
process.send?.({
  vus,
  baseline,
  peak,
  peakHeap,
  liveHeap,
  requests: report.summary.requests,
  verdict: report.verdict,
  loginFailures: report.summary.loginFailures,
  errors: report.summary.errors,
})
