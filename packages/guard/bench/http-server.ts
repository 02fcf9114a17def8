// A plain node:http server for the overhead bench (forked by run.ts): serves a home-page-like body
// for the identity named in `x-owner`, guarded in block mode (with N active identities) or not.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGuard } from '../src/index.js'
import { identity, page } from './identities.js'

const [guarded, count] = process.argv.slice(2)
const n = Number(count)
const people = Array.from({ length: n }, (_, i) => identity(i))
const pages = people.slice(0, 256).map((p) => page(p))
const guard =
  guarded === 'block'
    ? createGuard({
        mode: 'block',
        markers: { text: ['displayName', 'email'], ids: [{ field: 'userId', json: ['userId'] }] },
        registry: { maxIdentities: n },
      })
    : undefined
people.forEach((p) => guard?.activate(p))
await guard?.ready()

const server = createServer((req, res) => {
  const i = Number(req.headers['x-owner'] ?? 0) % pages.length
  guard?.protect(req, res, { identify: () => people[i], expectOwner: true })
  res.setHeader('content-type', 'text/html; charset=utf-8')
  res.setHeader('cache-control', 'no-store')
  res.end(pages[i])
})
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })
})
process.on('disconnect', () => {
  server.close()
  guard?.close()
})
