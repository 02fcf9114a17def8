// The README's pool example: two to four renderer children, each call to the least-loaded one,
// with recycling, heartbeats and step-by-step stops configured. Every page must be its user's own.
// Run: node --import tsx packages/ipc-rpc/examples/pool/main.ts
import { createPool } from '@crosstalk/ipc-rpc'
import type { ParentApi, RendererApi } from '../child-process/contract.js'

const users = Array.from({ length: 40 }, (_, i) => `User${i}`)
const pool = createPool<RendererApi, ParentApi>({
  entry: new URL('../child-process/renderer.ts', import.meta.url),
  size: { min: 2, max: 4 },
  timeoutMs: 2_000,
  recycle: { maxRequests: 10_000, maxAgeMs: 60 * 60_000 },
  heartbeat: { intervalMs: 1_000, timeoutMs: 3_000 },
  stopOnTimeout: { termGraceMs: 1_000, killGraceMs: 2_000 },
  handlers: { sessionCount: () => users.length },
})
await pool.ready()
const pages = await Promise.all(
  users.map((name, i) => pool.call('render', { userId: `u${i}`, name }))
)
const mismatches = pages.filter(
  (page, i) => page.renderedFor !== `u${i}` || !page.html.includes(`Welcome, ${users[i]}<`)
).length
const pids = pool.stats().children.map((child) => child.pid)
console.log(`${pages.length} pages from ${pids.length} children, ${mismatches} mismatches`)
await pool.close({ timeoutMs: 5_000 })
process.exitCode = mismatches === 0 ? 0 : 1
