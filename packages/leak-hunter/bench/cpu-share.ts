// Diagnostic, not part of `npm run bench`: where leak-hunter's client CPU per request goes.
// Interleaved rounds of autocannon, leak-hunter, and leak-hunter with one thing changed, against the
// fixture server: every body scanned in full (no rescan of what changed); the detector's
// inspect() replaced by a no-op; each response handled on its own in a microtask, as before
// decision 10, instead of with the rest of its event-loop turn.
// flock /tmp/crosstalk-bench.lock node --import tsx bench/cpu-share.ts [rounds=6] [seconds=2]
import { ScanCache } from '@crosstalk/detect'
import { createDetector } from '../src/detect/detector.js'
import { buildMarkerIndex } from '../src/detect/marker-index.js'
import type { Finding } from '../src/detect/types.js'
import { TurnBatch } from '../src/engine/turn-batch.js'
import type { TurnMember } from '../src/engine/turn-batch.js'
import { accountsCsv, makeBenchAccounts } from './bench-accounts.js'
import { startBenchServer } from './server-process.js'
import { runAutocannon, runHunter } from './throughput.js'
import type { ThroughputResult } from './throughput.js'
import { median } from './median.js'

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
// Every ScanCache shares its prototype too: a scan after forgetting the group's pages is a full pass.
const cacheScan = Object.getOwnPropertyDescriptor(ScanCache.prototype, 'scan')!
const keptScan = cacheScan.value as ScanCache['scan']
// Every TurnBatch shares its prototype: an add() that settles and proceeds in a microtask is the
// per-response handling decision 10 replaced.
const batchAdd = Object.getOwnPropertyDescriptor(TurnBatch.prototype, 'add')!
const alone = (member: TurnMember): void =>
  queueMicrotask(() => {
    member.settle()
    member.proceed()
  })

const tools: Record<string, () => Promise<ThroughputResult>> = {
  autocannon: () => runAutocannon(server.url, 64, seconds),
  'leak-hunter': () => runHunter(server.url, csv, 64, seconds),
  'leak-hunter, full scans': async () => {
    ScanCache.prototype.scan = function (group, page, body, automaton) {
      this.forget(group)
      return keptScan.call(this, group, page, body, automaton)
    }
    try {
      return await runHunter(server.url, csv, 64, seconds)
    } finally {
      Object.defineProperty(ScanCache.prototype, 'scan', cacheScan)
    }
  },
  'leak-hunter, each response alone': async () => {
    TurnBatch.prototype.add = alone
    try {
      return await runHunter(server.url, csv, 64, seconds)
    } finally {
      Object.defineProperty(TurnBatch.prototype, 'add', batchAdd)
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
const rps: Record<string, number[]> = {}
try {
  for (let round = -1; round < rounds; round++) {
    const line: string[] = []
    for (const [name, run] of Object.entries(tools)) {
      const before = process.cpuUsage()
      const result = await run()
      const used = process.cpuUsage(before)
      const us = (used.user + used.system) / result.requests
      line.push(`${name} ${result.rps.toFixed(0)} req/s ${us.toFixed(1)} µs`)
      // Round -1 warms up (JIT, sockets) and is not counted.
      if (round >= 0) {
        ;(cpu[name] ??= []).push(us)
        ;(rps[name] ??= []).push(result.rps)
      }
    }
    // Rounds as they ran: a slow spell shows as every tool slowing down in one round.
    console.log(`round ${round}: ${line.join(' | ')}`)
  }
} finally {
  await server.close()
}
for (const [name, values] of Object.entries(cpu)) {
  const sorted = [...values].sort((a, b) => a - b)
  console.log(
    `${name}: median ${median(values).toFixed(1)} µs CPU per request (${sorted.map((v) => v.toFixed(0)).join(' ')}), median ${median(rps[name] ?? []).toFixed(0)} req/s`
  )
}
