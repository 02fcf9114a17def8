// Benchmark target, run as its own process: POST /login {username} sets a session cookie; GET /
// returns a ~2 KB page personalised for that session (with a fresh CSRF token and render time on
// each response). Cheap on purpose, so the load tools are measured.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { makeBenchAccounts } from './bench-accounts.js'
import { benchPage } from './bench-page.js'
import type { BenchAccount } from './bench-accounts.js'

const count = Number(process.argv[2] ?? 1000)
const accounts = makeBenchAccounts(count)
const byUsername = new Map(accounts.map((a) => [a.username, a]))
const sessions = new Map<string, BenchAccount>()
let pageHits = 0

// Tokens cut from one random pool: randomBytes() per response would make the server the bottleneck.
const pool = randomBytes(1 << 16)
let poolAt = 0

function csrfToken(): string {
  poolAt = (poolAt + 16) % (pool.length - 16)
  return pool.toString('hex', poolAt, poolAt + 16)
}

function sessionOf(cookie: string | undefined): BenchAccount | undefined {
  const m = cookie === undefined ? null : /(?:^|;\s*)sid=([0-9a-f]+)/.exec(cookie)
  return m?.[1] === undefined ? undefined : sessions.get(m[1])
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/login') {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      let user: BenchAccount | undefined
      try {
        user = byUsername.get(String((JSON.parse(body) as { username?: unknown }).username))
      } catch {
        user = undefined
      }
      if (user === undefined) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('unknown user')
        return
      }
      const sid = randomBytes(16).toString('hex')
      sessions.set(sid, user)
      res.writeHead(204, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` }).end()
    })
    return
  }
  if (req.method === 'GET' && req.url === '/') {
    const user = sessionOf(req.headers.cookie)
    if (user === undefined) {
      res.writeHead(401, { 'content-type': 'text/html' }).end('<p>Please log in</p>')
      return
    }
    pageHits++
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        vary: 'Cookie',
      })
      .end(benchPage(user, csrfToken(), String(Date.now())))
    return
  }
  res.writeHead(404).end()
})
server.keepAliveTimeout = 60_000

process.on('message', (msg: unknown) => {
  if (msg === 'hits') {
    process.send?.({ hits: pageHits })
  } else if (msg === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send?.({ cpu: user + system })
  }
})
process.on('disconnect', () => process.exit(0))
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 })
})
