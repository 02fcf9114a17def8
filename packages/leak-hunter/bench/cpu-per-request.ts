// Quick iteration aid: client CPU µs per request of each tool in one short run, no docs written.
// node --import tsx bench/cpu-per-request.ts [seconds=4] [tools=autocannon,undici,hunter] [rounds=1]
// Wrap in `flock /tmp/crosstalk-bench.lock` (the cores are shared); add --cpu-prof to profile.
import { accountsCsv, makeBenchAccounts } from './bench-accounts.js'
import { startBenchServer } from './server-process.js'
import { runAutocannon, runHunter, runUndici } from './throughput.js'
import type { ThroughputResult } from './throughput.js'

const seconds = Number(process.argv[2] ?? 4)
const names = (process.argv[3] ?? 'autocannon,undici,hunter').split(',')
const rounds = Number(process.argv[4] ?? 1)
const server = await startBenchServer(1000)
const csv = accountsCsv(makeBenchAccounts(1000))
const tools: Record<string, () => Promise<ThroughputResult>> = {
  autocannon: () => runAutocannon(server.url, 64, seconds),
  undici: () => runUndici(server.url, 64, seconds),
  hunter: () => runHunter(server.url, csv, 64, seconds),
}
try {
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const tool = tools[name]
      if (tool === undefined) {
        throw new Error(`unknown tool ${name}`)
      }
      const before = process.cpuUsage()
      const r = await tool()
      const used = process.cpuUsage(before)
      const us = (used.user + used.system) / r.requests
      const split = `user ${(used.user / r.requests).toFixed(1)}, system ${(used.system / r.requests).toFixed(1)}`
      console.log(
        `${name}: ${r.rps.toFixed(0)} req/s, ${us.toFixed(1)} µs CPU/req (${split}) ${r.detail}`
      )
    }
  }
} finally {
  await server.close()
}
