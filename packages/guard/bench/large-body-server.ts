// A node:http server for the large-body bench (forked by run.ts): sends a JSON export of about
// `mib` MiB for one of 4 owners, guarded in block mode with N active identities, its whole-body
// scans on the event loop ('off') or on the scan thread (threadBytes 64 KiB). It tracks its own
// event loop's delay, reset and read over IPC around each round.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createGuard } from '../src/index.js'
import { identity } from './identities.js'

const [thread, count, mib] = process.argv.slice(2)
const n = Number(count)
const people = Array.from({ length: n }, (_, i) => identity(i))
const rows = Math.round((Number(mib) * 1024 * 1024) / 100)
/** One owner's export: their own name and email in every row, never another's. */
const exportOf = (i: number): string =>
  JSON.stringify({
    owner: people[i]!.markers,
    rows: Array.from({ length: rows }, (_, k) => ({
      k,
      by: people[i]!.markers.displayName,
      note: `entry ${k} of this account's export, text`,
    })),
  })
/** Four owners' exports, built before the server listens (building one holds the loop too). */
const bodies = [0, 1, 2, 3].map(exportOf)
const guard = createGuard({
  mode: 'block',
  markers: { text: ['displayName', 'email'], ids: [{ field: 'userId', json: ['userId'] }] },
  registry: { maxIdentities: n },
  threadBytes: thread === 'thread' ? 64 * 1024 : false,
})
people.forEach((p) => guard.activate(p))
await guard.ready()

const delay = monitorEventLoopDelay({ resolution: 1 })
delay.enable()
const server = createServer((req, res) => {
  const i = Number(req.headers['x-owner'] ?? 0) % bodies.length
  const body = bodies[i]!
  guard.protect(req, res, { identify: () => people[i] })
  res.setHeader('content-type', 'application/json')
  res.end(body)
})
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })
})
process.on('message', (message: unknown) => {
  if (message === 'reset') {
    delay.reset()
    process.send?.({})
  } else if (message === 'read') {
    process.send?.({
      maxMs: delay.max / 1e6,
      p99Ms: delay.percentile(99) / 1e6,
      threadScans: guard.stats().index.thread?.scans ?? 0,
    })
  }
})
process.on('disconnect', () => {
  server.close()
  guard.close()
})
