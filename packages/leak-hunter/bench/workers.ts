// npm run bench -w @crosstalk/leak-hunter (after run.ts): leak-hunter with 1, 2 and N worker
// processes (--workers) beside autocannon with 1, 2 and N worker threads (its `workers`), 64
// VUs/connections against one fixture server, interleaved rounds, medians of ratios. Each run is a
// process of its own; its CPU, worker processes included, comes from the kernel's children times.
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WRITE=0 leaves docs/benchmarks-workers.md alone.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { startBenchServer } from './server-process.js'
import { median } from './median.js'

const READING = '### Reading the numbers'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const N = availableParallelism()
const COUNTS = [...new Set([1, 2, N])]

/** CPU time (µs) of this process's waited-for children, from /proc/self/stat (cutime + cstime). */
function childrenCpuUs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  // Fields 16 and 17 of stat(5), counted after the ") " that ends the command name (field 2).
  return (Number(fields[13]) + Number(fields[14])) * 10_000
}

interface Run {
  rps: number
  cpuUsPerRequest: number
  serverCores: number
  clientCores: number
}

async function runOne(
  tool: 'hunter' | 'autocannon',
  workers: number,
  url: string,
  server: Awaited<ReturnType<typeof startBenchServer>>
): Promise<Run> {
  const entry = fileURLToPath(new URL('./scale-child.ts', import.meta.url))
  const cpuBefore = childrenCpuUs()
  const serverBefore = await server.cpu()
  const started = performance.now()
  const child = fork(entry, [tool, String(workers), url, String(SECONDS)], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  })
  const [[result]] = (await Promise.all([once(child, 'message'), once(child, 'exit')])) as [
    [{ rps: number; requests: number }],
    unknown,
  ]
  const wallUs = (performance.now() - started) * 1000
  const cpu = childrenCpuUs() - cpuBefore
  const serverCpu = (await server.cpu()) - serverBefore
  return {
    rps: result.rps,
    cpuUsPerRequest: cpu / result.requests,
    clientCores: cpu / wallUs,
    serverCores: serverCpu / wallUs,
  }
}

async function main(): Promise<void> {
  const server = await startBenchServer(1000)
  const configs = COUNTS.flatMap((w) => [
    { tool: 'hunter' as const, workers: w },
    { tool: 'autocannon' as const, workers: w },
  ])
  const runs = new Map<string, Run[]>(configs.map((c) => [`${c.tool}:${c.workers}`, []]))
  const lines: string[] = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = configs.map((_, i) => configs[(i + round) % configs.length]!)
      for (const c of order) {
        const r = await runOne(c.tool, c.workers, server.url, server)
        runs.get(`${c.tool}:${c.workers}`)!.push(r)
        const line = `| ${round + 1} | ${c.tool} | ${c.workers} | ${r.rps.toFixed(0)} | ${r.cpuUsPerRequest.toFixed(0)} | ${r.clientCores.toFixed(2)} + ${r.serverCores.toFixed(2)} |`
        console.log(line)
        lines.push(line)
      }
    }
  } finally {
    await server.close()
  }
  const med = (tool: string, w: number, pick: (r: Run) => number): number =>
    median(runs.get(`${tool}:${w}`)!.map(pick))
  const summary = COUNTS.map((w) => {
    const h = med('hunter', w, (r) => r.rps)
    const a = med('autocannon', w, (r) => r.rps)
    const h1 = med('hunter', 1, (r) => r.rps)
    const efficiency = h / h1 / w
    return `| ${w} | ${h.toFixed(0)} | ${a.toFixed(0)} | **${(h / a).toFixed(2)}x** | ${(h / h1).toFixed(2)}x | ${(efficiency * 100).toFixed(0)} % | ${med('hunter', w, (r) => r.cpuUsPerRequest).toFixed(0)} / ${med('autocannon', w, (r) => r.cpuUsPerRequest).toFixed(0)} |`
  })
  const doc = `# leak-hunter benchmarks: worker processes

Produced by \`npm run bench -w @crosstalk/leak-hunter\` (bench/workers.ts) on ${new Date().toISOString().slice(0, 10)},
Node ${process.version}, ${cpus().length} CPUs shared with other work (load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}
when the run ended). The target is bench/fixture-server.ts in its own process, on the same cores.

Each configuration runs in a process of its own, 64 VUs (leak-hunter: every body checked against
1,000 accounts, \`--workers\` 1, 2, N) or 64 connections (autocannon, its own \`workers\` option;
1 is its default single thread; one session for every connection, since its workers mode takes
no per-connection function), ${SECONDS} s each, ${ROUNDS} interleaved rounds. Client CPU is the run's
process and everything it started (leak-hunter's worker processes, autocannon's threads),
from the kernel's children times; cores used are CPU time over wall time.

| round | client | workers | req/s | client CPU µs/req | cores used, client + server |
| --- | --- | --- | --- | --- | --- |
${lines.join('\n')}

Medians:

| workers | leak-hunter req/s | autocannon req/s | leak-hunter / autocannon | leak-hunter vs 1 worker | per-worker efficiency | client CPU µs/req (leak-hunter / autocannon) |
| --- | --- | --- | --- | --- | --- | --- |
${summary.join('\n')}

`
  console.log(summary.join('\n'))
  if (process.env.BENCH_WRITE !== '0') {
    const file = new URL('../docs/benchmarks-workers.md', import.meta.url)
    const options = (await prettier.resolveConfig(file)) ?? {}
    // The reading of the figures is written by hand below the tables: a new run keeps it.
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : ''
    const reading = previous.includes(READING) ? previous.slice(previous.indexOf(READING)) : ''
    const text = `${doc}\n${reading}`
    writeFileSync(file, await prettier.format(text, { ...options, parser: 'markdown' }))
  }
}

await main()
