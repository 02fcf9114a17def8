// Forks a renderer child and renders pages for many users at once. Every reply comes back to the
// request that asked for it, matched by id, even though the child answers out of order.
// Run: node --import tsx packages/ipc-rpc/examples/child-process/main.ts
import { fork } from 'node:child_process'
import { childProcessTransport, createEndpoint } from '@crosstalk/ipc-rpc'
import type { ParentApi, RendererApi } from './contract.js'

const users = ['Mary', 'Ann', 'Bob', 'Chen', 'Dana', 'Eli', 'Fay', 'Gus']
const child = fork(new URL('./renderer.ts', import.meta.url), { execArgv: ['--import', 'tsx'] })
const renderer = createEndpoint<RendererApi, ParentApi>(childProcessTransport(child), {
  timeoutMs: 5000,
  handlers: { sessionCount: () => users.length },
})

const pages = await Promise.all(
  users.map((name, i) => renderer.call('render', { userId: `u${i}`, name }))
)
let mismatches = 0
for (const [i, page] of pages.entries()) {
  const ok = page.renderedFor === `u${i}` && page.html.includes(users[i]!)
  if (!ok) {
    mismatches++
  }
  console.log(`${ok ? 'ok      ' : 'MISMATCH'} u${i} ${page.html}`)
}
console.log(`${pages.length} pages, ${mismatches} mismatches`)
renderer.close()
child.kill()
process.exitCode = mismatches === 0 ? 0 : 1
