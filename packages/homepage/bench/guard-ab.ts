// What the guard costs the home page server, read in one server: logged-in GET / under steady load,
// with the guard (block mode, --identities (10,000) other active identities) switched on and off in
// alternating slices of --slice-ms (150) for --seconds (60) (guard-slices.ts). Each (on, off) pair
// of slices gives the server CPU per request both ways, under a second apart, and their ratio:
// what the throughput ratio is where the server's CPU is the bottleneck. Medians over the pairs,
// with a distribution-free interval of about 95 %. run.ts compares separate servers instead (the issue's (g)/(a)); on a shared host
// their rounds are tens of seconds apart, which is where its wide intervals come from.
// Run: node --import tsx bench/guard-ab.ts [--seconds N] [--slice-ms N] [--identities N] [--control] [--unscanned] [--churn N]
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ScannerStats } from '@crosstalk/guard'
import { seedUsers } from '../src/seed/seed-users.js'
import { arg, median, medianInterval } from './bench-args.js'
import type { Slice } from './guard-slices.js'
import { loadHome } from './load-home.js'
import { loginAll } from './sessions.js'
import { ask, startServer, stopServers } from './start-server.js'

const SECONDS = arg('seconds', 60)
const SLICE_MS = arg('slice-ms', 150)
const CONNECTIONS = arg('connections', 32)
const SESSIONS = arg('sessions', 200)
const RENDERERS = arg('renderers', availableParallelism())
const IDENTITIES = arg('identities', 10_000)
// --control: the guard on in both slices of each pair, to show the method's own spread.
const CONTROL = process.argv.includes('--control')
// --unscanned: the guard in report mode with every response sampled out (all it does but the scan).
const UNSCANNED = process.argv.includes('--unscanned')
// --churn N: N more users marked active each second, as users log in (0: the steady state).
const CHURN = arg('churn', 0)

async function load(url: string, cookies: string[], seconds: number): Promise<number> {
  const result = await loadHome(url, cookies, CONNECTIONS, seconds)
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx responses and ${result.errors} errors under load`)
  }
  return result.requests.total
}

const fmt = (values: readonly number[], digits: number, unit: string): string => {
  const { lo, hi, coverage } = medianInterval(values)
  return (
    `${median(values).toFixed(digits)}${unit} (${Math.floor(coverage * 100)} % interval ` +
    `${lo.toFixed(digits)}-${hi.toFixed(digits)}${unit})`
  )
}

const dir = mkdtempSync(join(tmpdir(), 'guard-ab-'))
let server: ChildProcess | undefined
try {
  const db = join(dir, 'bench.db')
  const { accounts } = await seedUsers({ users: SESSIONS, db, seed: 2026, itemsPerUser: 5 })
  const started = await startServer([
    'correlated',
    db,
    String(RENDERERS),
    UNSCANNED ? 'unscanned' : 'block',
    String(IDENTITIES),
    String(SLICE_MS),
    CONTROL ? 'control' : '',
    String(CHURN),
  ])
  server = started.child
  const cookies = await loginAll(started.url, accounts)
  // Every session's page once with the guard on, so that each has a kept scan; then a warm-up.
  await load(`${started.url}/`, cookies, 3)
  await ask(server, 'slices-start')
  const total = await load(`${started.url}/`, cookies, SECONDS)
  const { slices, index } = await ask<{ slices: Slice[]; index: ScannerStats }>(server, 'slices')
  // Whole (on, off) pairs; the last, partial slice is dropped.
  const pairs: Array<[Slice, Slice]> = []
  for (let i = 0; i + 1 < slices.length - 1; i += 2) {
    pairs.push([slices[i]!, slices[i + 1]!])
  }
  const perRequest = (s: Slice): number => s.cpuUs / Math.max(1, s.requests)
  const scannedOff = pairs.reduce((n, [, off]) => n + off.scanned, 0)
  const scannedOn = pairs.reduce((n, [on]) => n + on.scanned, 0)
  const requestsOn = pairs.reduce((n, [on]) => n + on.requests, 0)
  process.stdout.write(
    `home page GET /, one server, the guard (${UNSCANNED ? 'every scan sampled out' : 'block'}, ` +
      `${IDENTITIES} other active identities${CHURN > 0 ? `, ${CHURN} more each second` : ''}) ` +
      `${CONTROL ? 'on in both slices of each pair (control)' : 'on and off'} ` +
      `in ${SLICE_MS} ms slices for ${SECONDS} s: ${pairs.length} pairs, ${total} requests, ` +
      `${SESSIONS} sessions, ${CONNECTIONS} connections, ${RENDERERS} renderers, ` +
      `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}\n` +
      `  bodies scanned: ${scannedOn} of ${requestsOn} requests in the on slices, ${scannedOff} in the off slices; ` +
      `the index at the end: ${index.indexed} identities, ${index.generation} swaps, ${index.layers} layers, ` +
      `${index.pending} pending; over the whole run ${index.tokenChanges} bodies were answered with their page's last result (only tokens changed)\n` +
      `  server CPU per request, guard off: ${fmt(
        pairs.map(([, off]) => perRequest(off)),
        0,
        ' µs'
      )}; on: ${fmt(
        pairs.map(([on]) => perRequest(on)),
        0,
        ' µs'
      )}\n` +
      `  the guard adds, per pair: ${fmt(
        pairs.map(([on, off]) => perRequest(on) - perRequest(off)),
        1,
        ' µs'
      )}\n` +
      `  server CPU per request off / on, per pair: ${fmt(
        pairs.map(([on, off]) => perRequest(off) / perRequest(on)),
        3,
        'x'
      )} (target >= 0.95x)\n` +
      `  requests on / off, per pair: ${fmt(
        pairs.map(([on, off]) => on.requests / Math.max(1, off.requests)),
        3,
        'x'
      )}\n`
  )
} finally {
  await stopServers(server === undefined ? [] : [server])
  rmSync(dir, { recursive: true, force: true })
}
