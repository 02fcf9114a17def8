// npm run bench -w @crosstalk/guard (wrap it: flock /work/helpers/bench.lock npm run bench -w @crosstalk/guard)
//  1. The registry path: N identities activated, the rebuilt index settled, event-loop stalls,
//     heap per identity, a touch, 1 % churn; at 10,000 and 100,000 identities, each in its own
//     process, interleaved rounds, medians.
//  2. The per-response cost: a node:http server sending a 10 KB page, guarded in block mode with
//     10,000 active identities against unguarded, interleaved autocannon rounds: ratio, p99 added.
//     (--registry-only skips it.)
//  3. Large bodies: a node:http server sending 4 MiB JSON exports, guarded in block mode with
//     10,000 identities, whole-body scans on the event loop against on the scan thread
//     (`threadBytes`): the longest event-loop stall and the time per export. (--registry-only
//     skips it; --large-only runs it alone.)
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`)
  const value = at === -1 ? undefined : Number(process.argv[at + 1])
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback
}
const ROUNDS = arg('rounds', 3)
const SECONDS = arg('seconds', 5)
const CONNECTIONS = arg('connections', 32)
const IDENTITIES = arg('identities', 10_000)
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url))

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

interface RegistrySample {
  n: number
  fillMs: number
  activateUs: number
  settleMs: number
  maxStallMs: number
  /** The fill's longest turn of 500 activations, its longest gap between two turns, its longest GC pause. */
  batchMaxMs: number
  gapMaxMs: number
  gcMaxMs: number
  bytes: number
  estimate: number
  touchNs: number
  churnMs: number
  churnStallMs: number
  churnBatchMaxMs: number
  churnGapMaxMs: number
  churnGcMaxMs: number
  identities: number
  evicted: number
}

async function registryRound(n: number): Promise<RegistrySample> {
  const child = fork(here('./registry-child.ts'), [String(n)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const [message] = (await once(child, 'message')) as [RegistrySample]
  child.disconnect()
  await once(child, 'exit')
  return message
}

async function startServer(
  mode: string,
  file = './http-server.ts',
  args: string[] = []
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(here(file), [mode, String(IDENTITIES), ...args], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const message = await nextMessage<{ url: string }>(child, `${file} ${mode}, before listening`)
  return { child, url: message.url }
}

/** The child's next message: a server that dies first fails the bench instead of hanging it. */
async function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${what}: the server exited with code ${String(code)}`)
    }),
  ])) as [T]
  return message
}

async function load(
  url: string,
  seconds: number
): Promise<{ rps: number; p50: number; p99: number; non2xx: number }> {
  let next = 0
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-owner': String(next++) } }),
      },
    ],
  })
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors,
  }
}

const out = (s: string): boolean => process.stdout.write(s)
out(
  `guard bench: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}, ${ROUNDS} interleaved rounds\n\n`
)

const largeOnly = process.argv.includes('--large-only')
if (!largeOnly) {
  out('## 1. Registry path (activate N identities, index settled)\n')
  const sizes = [10_000, 100_000]
  const samples = new Map<number, RegistrySample[]>(sizes.map((n) => [n, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of round % 2 === 0 ? sizes : [...sizes].reverse()) {
      const s = await registryRound(n)
      samples.get(n)!.push(s)
      out(
        `  round ${round + 1} n=${n}: fill ${s.fillMs.toFixed(0)} ms, settled ${s.settleMs.toFixed(0)} ms, max stall ${s.maxStallMs.toFixed(1)} ms ` +
          `(turn of 500 ${s.batchMaxMs.toFixed(1)}, between turns ${s.gapMaxMs.toFixed(1)}, GC ${s.gcMaxMs.toFixed(1)}), churn stall ${s.churnStallMs.toFixed(1)} ms, heap ${(s.bytes / 1048576).toFixed(1)} MiB\n`
      )
    }
  }
  out(
    '\n| identities | activate µs each (new) | fill ms (500 per turn) | settled ms | max event-loop stall ms | longest turn of 500 activations ms | longest gap between turns ms | longest GC pause ms | heap MiB | bytes/identity | estimate bytes/identity | touch ns (known) | 1 % churn settled ms | churn stall ms | churn: turn / gap / GC ms |\n'
  )
  out(
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
  )
  for (const n of sizes) {
    const list = samples.get(n)!
    const m = (f: (s: RegistrySample) => number): number => median(list.map(f))
    out(
      `| ${n} | ${m((s) => s.activateUs).toFixed(1)} | ${m((s) => s.fillMs).toFixed(0)} | ${m((s) => s.settleMs).toFixed(0)} | ${m((s) => s.maxStallMs).toFixed(1)} | ` +
        `${m((s) => s.batchMaxMs).toFixed(1)} | ${m((s) => s.gapMaxMs).toFixed(1)} | ${m((s) => s.gcMaxMs).toFixed(1)} | ` +
        `${(m((s) => s.bytes) / 1048576).toFixed(1)} | ${(m((s) => s.bytes) / n).toFixed(0)} | ${(m((s) => s.estimate) / n).toFixed(0)} | ` +
        `${m((s) => s.touchNs).toFixed(0)} | ${m((s) => s.churnMs).toFixed(0)} | ${m((s) => s.churnStallMs).toFixed(1)} | ` +
        `${m((s) => s.churnBatchMaxMs).toFixed(1)} / ${m((s) => s.churnGapMaxMs).toFixed(1)} / ${m((s) => s.churnGcMaxMs).toFixed(1)} |\n`
    )
  }
  const at = (n: number, f: (s: RegistrySample) => number): number => median(samples.get(n)!.map(f))
  out(
    `\nsettled time ratio 100,000 / 10,000: ${(at(100_000, (s) => s.settleMs) / at(10_000, (s) => s.settleMs)).toFixed(1)}x\n\n`
  )
}

const registryOnly = process.argv.includes('--registry-only')
if (!largeOnly && !registryOnly) {
  out(
    `## 2. Per-response cost: node:http, 10 KB page, ${IDENTITIES} active identities, ${CONNECTIONS} connections, ${SECONDS} s rounds\n`
  )
  const servers = { off: await startServer('off'), block: await startServer('block') }
  const results: Record<'off' | 'block', Array<Awaited<ReturnType<typeof load>>>> = {
    off: [],
    block: [],
  }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 === 0
        ? (['off', 'block'] as const)
        : (['block', 'off'] as const)) {
        await load(servers[mode].url, 1) // warm-up, discarded
        const r = await load(servers[mode].url, SECONDS)
        results[mode].push(r)
        out(
          `  round ${round + 1} ${mode}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.non2xx}\n`
        )
      }
    }
  } finally {
    for (const s of Object.values(servers)) {
      s.child.disconnect()
    }
  }
  const rps = (m: 'off' | 'block'): number => median(results[m].map((r) => r.rps))
  const p99 = (m: 'off' | 'block'): number => median(results[m].map((r) => r.p99))
  out(
    `\n| server | req/s (median) | p99 ms (median) |\n| --- | ---: | ---: |\n| unguarded | ${rps('off').toFixed(0)} | ${p99('off')} |\n| guard, block | ${rps('block').toFixed(0)} | ${p99('block')} |\n`
  )
  out(
    `\nratio guard block / unguarded: ${(rps('block') / rps('off')).toFixed(2)}x, p99 added ${(p99('block') - p99('off')).toFixed(1)} ms\n`
  )
}

if (!registryOnly) {
  const MIB = arg('mib', 4)
  const EXPORTS = 8
  out(
    `\n## 3. Large bodies: ${MIB} MiB JSON exports, ${IDENTITIES} active identities, ${EXPORTS} per round, 2 at a time\n`
  )
  const modes = ['off', 'thread'] as const
  const servers = {
    off: await startServer('off', './large-body-server.ts', [String(MIB)]),
    thread: await startServer('thread', './large-body-server.ts', [String(MIB)]),
  }
  type Sample = {
    pageMs: number
    maxMs: number
    p99Ms: number
    threadScans: number
  }
  const results: Record<(typeof modes)[number], Sample[]> = { off: [], thread: [] }
  const ask = (child: ChildProcess, message: string): Promise<Record<string, number>> => {
    const reply = nextMessage<Record<string, number>>(child, message)
    child.send(message)
    return reply
  }
  const fetchExports = async (url: string): Promise<number> => {
    const started = performance.now()
    let next = 0
    await Promise.all(
      [0, 1].map(async () => {
        while (next < EXPORTS) {
          const owner = next++
          const response = await fetch(url, { headers: { 'x-owner': String(owner) } })
          await response.arrayBuffer()
          if (response.status !== 200) {
            throw new Error(`export ${owner}: status ${response.status}`)
          }
        }
      })
    )
    return (performance.now() - started) / EXPORTS
  }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
        const { child, url } = servers[mode]
        await fetchExports(url) // warm-up, discarded
        await ask(child, 'reset')
        const pageMs = await fetchExports(url)
        const read = await ask(child, 'read')
        const sample = { pageMs, ...read } as Sample
        results[mode].push(sample)
        out(
          `  round ${round + 1} ${mode}: ${pageMs.toFixed(1)} ms per export (2 in flight), longest event-loop stall ${sample.maxMs.toFixed(1)} ms, p99 delay ${sample.p99Ms.toFixed(1)} ms, thread scans ${sample.threadScans}\n`
        )
      }
    }
  } finally {
    for (const s of Object.values(servers)) {
      s.child.disconnect()
    }
  }
  const m = (mode: (typeof modes)[number], f: (s: Sample) => number): number =>
    median(results[mode].map(f))
  out(
    '\n| whole-body scans | ms per export (median) | longest event-loop stall ms | p99 event-loop delay ms |\n| --- | ---: | ---: | ---: |\n'
  )
  for (const mode of modes) {
    out(
      `| ${mode === 'off' ? 'on the event loop' : 'on the scan thread (threadBytes 64 KiB)'} | ${m(mode, (s) => s.pageMs).toFixed(1)} | ${m(mode, (s) => s.maxMs).toFixed(1)} | ${m(mode, (s) => s.p99Ms).toFixed(1)} |\n`
    )
  }
  out(
    `\nlongest stall, thread / event loop: ${(m('thread', (s) => s.maxMs) / m('off', (s) => s.maxMs)).toFixed(2)}x; ms per export: ${(m('thread', (s) => s.pageMs) / m('off', (s) => s.pageMs)).toFixed(2)}x\n`
  )
}
