// Logged-in GET / throughput of the home page: (a) correlated renderers via ipc-rpc, (b) the same
// page rendered in-process, (c) the story's naive IPC, (g) (a) under @crosstalk/guard in block
// mode with --identities (10,000) active identities. Interleaved rounds, medians, ratios (a)/(b)
// and (g)/(a), and the p99 the guard adds. The guard is off in every configuration but (g) and the
// opt-in (s), the guard with every scan sampled out.
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedUsers } from '../src/seed/seed-users.js'
import { arg, median, medianInterval } from './bench-args.js'
import { loadHome } from './load-home.js'
import { loginAll } from './sessions.js'
import { ask, startServer, stopServers } from './start-server.js'

const ALL_CONFIGS = [
  { key: 'a', name: 'correlated (ipc-rpc pool)', mode: 'correlated', guard: 'off' },
  { key: 'b', name: 'in-process render', mode: 'in-process', guard: 'off' },
  { key: 'c', name: 'naive IPC (the bug)', mode: 'naive', guard: 'off' },
  // Opt-in (--only a,b,d): on a 2-core host, one renderer leaves a core to the server and loader.
  { key: 'd', name: 'correlated, 1 renderer', mode: 'correlated', guard: 'off', renderers: 1 },
  { key: 'g', name: 'correlated + guard (block)', mode: 'correlated', guard: 'block' },
  // Opt-in (--only a,g,s): the guard's cost per response without the scan (report mode, every
  // response sampled out), so that (g) - (s) is what the scan itself costs in the server.
  {
    key: 's',
    name: 'correlated + guard, scan sampled out',
    mode: 'correlated',
    guard: 'unscanned',
  },
] as const
// --only a,b runs a subset (for trying the harness); ratios need a and b. d and s run only when named.
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt === -1 ? undefined : (process.argv[onlyAt + 1] ?? '').split(',')
const CONFIGS = ALL_CONFIGS.filter((c) =>
  only === undefined ? c.key !== 'd' && c.key !== 's' : only.includes(c.key)
)

const ROUNDS = arg('rounds', 3)
const SECONDS = arg('seconds', 5)
const CONNECTIONS = arg('connections', 32)
const SESSIONS = arg('sessions', 200)
const RENDERERS = arg('renderers', availableParallelism())
const IDENTITIES = arg('identities', 10_000)

interface Sample {
  rps: number
  /** Server process CPU (user + system) per request, µs. */
  cpuUs: number
  /** Of which the server's main thread spent paused in garbage collection, µs per request. */
  gcUs: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

async function measure(child: ChildProcess, url: string, cookies: string[]): Promise<Sample> {
  const before = await ask<{ cpuUs: number; gcUs: number }>(child, 'cpu')
  const result = await loadHome(url, cookies, CONNECTIONS, SECONDS)
  const after = await ask<{ cpuUs: number; gcUs: number }>(child, 'cpu')
  const requests = Math.max(1, result.requests.total)
  return {
    rps: result.requests.average,
    cpuUs: (after.cpuUs - before.cpuUs) / requests,
    gcUs: (after.gcUs - before.gcUs) / requests,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

const dir = mkdtempSync(join(tmpdir(), 'homepage-bench-'))
const servers: ChildProcess[] = []
try {
  const db = join(dir, 'bench.db')
  const { accounts } = await seedUsers({ users: SESSIONS, db, seed: 2026, itemsPerUser: 5 })
  const started: Array<
    (typeof CONFIGS)[number] & {
      child: ChildProcess
      url: string
      cookies: string[]
      samples: Sample[]
    }
  > = []
  for (const config of CONFIGS) {
    const server = await startServer([
      config.mode,
      db,
      String('renderers' in config ? config.renderers : RENDERERS),
      config.guard,
      String(IDENTITIES),
    ])
    servers.push(server.child)
    const cookies = await loginAll(server.url, accounts)
    started.push({
      ...config,
      child: server.child,
      url: `${server.url}/`,
      cookies,
      samples: [] as Sample[],
    })
  }
  process.stdout.write(
    `home page GET /, ${SESSIONS} sessions, ${CONNECTIONS} connections, ${RENDERERS} renderers, ` +
      `${ROUNDS} x ${SECONDS} s interleaved rounds, (g) with ${IDENTITIES} active identities, NODE_ENV=production, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}\n`
  )
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the order each round so no configuration always runs first (or last).
    for (let i = 0; i < started.length; i += 1) {
      const config = started[(i + round) % started.length]!
      await measure(config.child, config.url, config.cookies.slice(0, 8)) // short warm-up, discarded
      const sample = await measure(config.child, config.url, config.cookies)
      config.samples.push(sample)
      process.stdout.write(
        `  round ${round + 1} ${config.key}: ${sample.rps.toFixed(0)} req/s, p50 ${sample.p50} ms, ` +
          `p99 ${sample.p99} ms, server CPU ${sample.cpuUs.toFixed(0)} µs/req (GC ${sample.gcUs.toFixed(0)}), non-2xx ${sample.non2xx}, errors ${sample.errors}\n`
      )
    }
  }
  const rows = started.map((c) => ({
    key: c.key,
    name: c.name,
    rps: median(c.samples.map((s) => s.rps)),
    p50: median(c.samples.map((s) => s.p50)),
    p99: median(c.samples.map((s) => s.p99)),
    cpuUs: median(c.samples.map((s) => s.cpuUs)),
    gcUs: median(c.samples.map((s) => s.gcUs)),
    non2xx: c.samples.reduce((n, s) => n + s.non2xx, 0),
  }))
  process.stdout.write(
    '\n| config | req/s (median) | p50 ms | p99 ms | server CPU µs/req | of which GC | non-2xx |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
  )
  for (const r of rows) {
    process.stdout.write(
      `| (${r.key}) ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.cpuUs.toFixed(0)} | ${r.gcUs.toFixed(0)} | ${r.non2xx} |\n`
    )
  }
  const rps = (key: string): number | undefined => rows.find((r) => r.key === key)?.rps
  // The ratio within each round, where both ran seconds apart: steadier than the ratio of
  // medians when the host's load drifts between rounds. With an interval for that median, so a
  // run says whether it tells a ratio from its target at all.
  const paired = (x: string, y: string, of: (s: Sample) => number = (s) => s.rps): string => {
    const samplesOf = (key: string): Sample[] => started.find((c) => c.key === key)!.samples
    const ys = samplesOf(y)
    const ratios = samplesOf(x).map((sample, r) => of(sample) / of(ys[r]!))
    const { lo, hi, coverage } = medianInterval(ratios)
    return (
      `${median(ratios).toFixed(2)}x, ${Math.floor(coverage * 100)} % interval ` +
      `${lo.toFixed(2)}-${hi.toFixed(2)}x over ${ratios.length} rounds`
    )
  }
  const [a, b, c, d, g, u] = [rps('a'), rps('b'), rps('c'), rps('d'), rps('g'), rps('s')]
  if (a !== undefined && b !== undefined) {
    process.stdout.write(
      `\nratio (a)/(b) correlated / in-process: ${(a / b).toFixed(2)}x (target >= 0.8x; per round, median ${paired('a', 'b')})\n`
    )
  }
  if (c !== undefined && b !== undefined) {
    process.stdout.write(`ratio (c)/(b) naive / in-process: ${(c / b).toFixed(2)}x\n`)
  }
  if (g !== undefined && a !== undefined) {
    const row = (key: string) => rows.find((r) => r.key === key)!
    process.stdout.write(
      `ratio (g)/(a) guard block / no guard: ${(g / a).toFixed(2)}x (target >= 0.95x; per round, median ${paired('g', 'a')}), ` +
        `p99 added ${(row('g').p99 - row('a').p99).toFixed(1)} ms, server CPU per request ` +
        `${(row('a').cpuUs / row('g').cpuUs).toFixed(2)}x (the guard adds ${(row('g').cpuUs - row('a').cpuUs).toFixed(0)} µs; ` +
        `per round, median ${paired('a', 'g', (s) => s.cpuUs)})\n`
    )
  }
  if (g !== undefined && a !== undefined && u !== undefined) {
    const cpu = (key: string): number => rows.find((r) => r.key === key)!.cpuUs
    process.stdout.write(
      `of which the guard without the scan (s) ${(cpu('s') - cpu('a')).toFixed(0)} µs (${(u / a).toFixed(2)}x), ` +
        `the scan ${(cpu('g') - cpu('s')).toFixed(0)} µs\n`
    )
  }
  if (d !== undefined && b !== undefined) {
    process.stdout.write(
      `ratio (d)/(b) correlated 1 renderer / in-process: ${(d / b).toFixed(2)}x\n`
    )
  }
} finally {
  await stopServers(servers)
  rmSync(dir, { recursive: true, force: true })
}
