import { childProcessTransport, createEndpoint } from '@crosstalk/ipc-rpc'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { compileBench } from './compile-bench.js'
import { makeRequest } from './workload.js'
import type { RendererApi } from './workload.js'

// Diagnostic, not a benchmark: counts what the serving child writes per reply. A message other
// than 'res' is a backpressure filler (ipcSend sends one when a write that waits for the drain
// returns false); batches are unpacked, and writes counted, to show how much they coalesce.
// Run: node --import tsx bench/filler-count.ts [depth...]
async function count(compiledDir: string, depth: number): Promise<string> {
  const child = fork(join(compiledDir, 'fixtures', 'ipc-rpc-serve.js'), [], { execArgv: [] })
  await once(child, 'message')
  const kinds = new Map<string, number>()
  let writes = 0
  child.on('message', (m: { k?: string; b?: Array<{ k?: string }> }) => {
    writes++
    for (const inner of m.k === 'batch' ? (m.b ?? []) : [m]) {
      kinds.set(inner.k ?? 'foreign', (kinds.get(inner.k ?? 'foreign') ?? 0) + 1)
    }
  })
  const endpoint = createEndpoint<RendererApi>(childProcessTransport(child))
  let running = true
  let user = 1
  const callers = Array.from({ length: depth }, async () => {
    while (running) {
      await endpoint.call('render', makeRequest(user++))
    }
  })
  await sleep(1_500)
  running = false
  await Promise.all(callers)
  endpoint.close()
  child.disconnect()
  const replies = kinds.get('res') ?? 0
  const other = [...kinds].filter(([k]) => k !== 'res')
  const extra = other.reduce((sum, [, n]) => sum + n, 0)
  const detail = other.map(([k, n]) => `${k} ${n}`).join(', ') || 'none'
  const per100 = (n: number): string => ((100 * n) / Math.max(1, replies)).toFixed(1)
  return `${depth} in flight: ${replies} replies in ${writes} writes (${per100(writes)} per 100 replies), ${extra} other messages (${per100(extra)} per 100 replies: ${detail})`
}

const compiledDir = compileBench()
const depths = process.argv.slice(2).map(Number)
for (const depth of depths.length > 0 ? depths : [1, 16, 256]) {
  console.log(await count(compiledDir, depth))
}
