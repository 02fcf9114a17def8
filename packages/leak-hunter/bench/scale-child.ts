// One client run of bench/workers.ts in a process of its own, so that the parent can count its CPU
// time with its worker processes' (or autocannon's worker threads'). argv: tool workers url seconds
import autocannon from 'autocannon'
// The built package, as users run it: its worker processes then load compiled JavaScript.
import { runHunt } from '../dist/index.js'
import { accountsCsv, makeBenchAccounts } from './bench-accounts.js'
import { benchScenario } from './throughput.js'

const [tool, workersText, url, secondsText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
]
const workers = Number(workersText)
const seconds = Number(secondsText)
const VUS = 64

async function hunter(): Promise<{ rps: number; requests: number }> {
  const report = await runHunt({
    scenario: benchScenario(url, VUS, seconds),
    accountsCsv: accountsCsv(makeBenchAccounts(1000)),
    workers,
  })
  if (report.verdict !== 'clean' || report.summary.errors > 0) {
    throw new Error(`bench hunt was not clean: ${report.verdict}, ${report.summary.errors} errors`)
  }
  const s = report.summary
  const pages = s.requests - 2 * VUS
  return { rps: pages / (s.requests / s.throughput), requests: pages }
}

async function cannon(): Promise<{ rps: number; requests: number }> {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'user0' }),
  })
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  // One session for every connection: in workers mode autocannon takes no per-connection function.
  const result = await autocannon({
    url: `${url}/`,
    connections: VUS,
    duration: seconds,
    headers: { cookie },
    ...(workers > 1 ? { workers } : {}),
  })
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`autocannon saw ${result.non2xx} non-2xx and ${result.errors} errors`)
  }
  return { rps: result.requests.total / result.duration, requests: result.requests.total }
}

const out = tool === 'hunter' ? await hunter() : await cannon()
process.send!(out)
