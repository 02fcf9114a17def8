import { accountsCsv, makeBenchAccounts } from './bench-accounts.ts'
import { startBenchServer } from './server-process.ts'
import { runHunter } from './throughput.ts'
const server = await startBenchServer(1000)
try {
  const r = await runHunter(server.url, accountsCsv(makeBenchAccounts(1000)), 64, 4)
  console.log(r)
} finally {
  await server.close()
}
