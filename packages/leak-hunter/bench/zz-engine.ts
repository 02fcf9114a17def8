import { createDetector } from '../src/detect/detector.js'
import { buildMarkerIndex } from '../src/detect/marker-index.js'
import type { Finding } from '../src/detect/types.js'
import { accountsCsv, makeBenchAccounts } from './bench-accounts.js'
import { startBenchServer } from './server-process.js'
import { runAutocannon, runHunter, runUndici } from './throughput.js'
const probe = buildMarkerIndex([{ index: 0, id: 'x', fields: { n: 'xyz' } }], { columns: ['n'], caseInsensitive: false, minLength: 1 })
const proto = Object.getPrototypeOf(createDetector(probe, [])) as { inspect: (s: unknown) => Finding[] }
const inspect = proto.inspect
const server = await startBenchServer(1000)
const csv = accountsCsv(makeBenchAccounts(1000))
const secs = Number(process.argv[2] ?? 5)
const mode = process.argv[3] ?? 'all'
const tools: Record<string, () => Promise<{ requests: number; rps: number }>> = {
  autocannon: () => runAutocannon(server.url, 64, secs),
  undici: () => runUndici(server.url, 64, secs),
  hunter: () => runHunter(server.url, csv, 64, secs),
  'hunter-nodetect': async () => { proto.inspect = () => []; try { return await runHunter(server.url, csv, 64, secs) } finally { proto.inspect = inspect } },
}
try {
  for (let r = 0; r < 3; r++) for (const [name, run] of Object.entries(tools)) {
    if (mode !== 'all' && mode !== name) continue
    const c = process.cpuUsage(); const res = await run(); const u = process.cpuUsage(c)
    console.log(r, name, res.rps.toFixed(0), ((u.user + u.system) / res.requests).toFixed(1))
  }
} finally { await server.close() }
