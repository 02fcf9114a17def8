// Diagnostic, not part of `npm run bench`: how much of leak-hunter's client CPU per request is
// detection. Interleaved rounds of autocannon, leak-hunter, leak-hunter scanning every body in
// full (no rescan of what changed), and leak-hunter with the detector's inspect() replaced by a
// no-op (everything else unchanged), against the fixture server.
// flock /tmp/crosstalk-bench.lock node --import tsx bench/detection-share.ts [rounds=6] [seconds=2]
import { createDetector } from '../src/detect/detector.js'
import { buildMarkerIndex } from '../src/detect/marker-index.js'
import { PageScan, Rescanner } from '../src/detect/rescan.js'
import { ScanCache } from '../src/detect/scan-cache.js'
import type { Finding } from '../src/detect/types.js'
import { accountsCsv, makeBenchAccounts } from './bench-accounts.js'
import { startBenchServer } from './server-process.js'
import { runAutocannon, runHunter } from './throughput.js'
import type { ThroughputResult } from './throughput.js'

const rounds = Number(process.argv[2] ?? 6)
const seconds = Number(process.argv[3] ?? 2)
const server = await startBenchServer(1000)
const csv = accountsCsv(makeBenchAccounts(1000))
// Every detector shares its class's prototype: swapping inspect there switches detection off.
const probe = buildMarkerIndex([{ index: 0, id: 'x', fields: { n: 'xyz' } }], {
  columns: ['n'],
  caseInsensitive: false,
  minLength: 1,
})
const proto = Object.getPrototypeOf(createDetector(probe, [])) as {
  inspect: (sample: unknown) => Finding[]
}
const inspect = proto.inspect
const nothing: Finding[] = []
// Every ScanCache shares its prototype too: a scan with no base is a full pass.
const cacheScan = Object.getOwnPropertyDescriptor(ScanCache.prototype, 'scan')!
const fullPass = new Rescanner()
const fullPage = new PageScan()

const tools: Record<string, () => Promise<ThroughputResult>> = {
  autocannon: () => runAutocannon(server.url, 64, seconds),
  'leak-hunter': () => runHunter(server.url, csv, 64, seconds),
  'leak-hunter, full scans': async () => {
    ScanCache.prototype.scan = (_vu, _page, body, automaton) =>
      fullPass.scan(undefined, fullPage, body, automaton)
    try {
      return await runHunter(server.url, csv, 64, seconds)
    } finally {
      Object.defineProperty(ScanCache.prototype, 'scan', cacheScan)
    }
  },
  'leak-hunter, detection off': async () => {
    proto.inspect = () => nothing
    try {
      return await runHunter(server.url, csv, 64, seconds)
    } finally {
      proto.inspect = inspect
    }
  },
}
const cpu: Record<string, number[]> = {}
try {
  for (let round = -1; round < rounds; round++) {
    for (const [name, run] of Object.entries(tools)) {
      const before = process.cpuUsage()
      const result = await run()
      const used = process.cpuUsage(before)
      // Round -1 warms up (JIT, sockets) and is not counted.
      if (round >= 0) {
        ;(cpu[name] ??= []).push((used.user + used.system) / result.requests)
      }
    }
  }
} finally {
  await server.close()
}
for (const [name, values] of Object.entries(cpu)) {
  const sorted = [...values].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0
  console.log(
    `${name}: median ${median.toFixed(1)} µs CPU per request (${sorted.map((v) => v.toFixed(0)).join(' ')})`
  )
}
