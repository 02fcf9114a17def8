import autocannon from 'autocannon'
import { Client } from 'undici'
import { sendRequest } from '../src/engine/http-client.js'
import { runHunt } from '../src/index.js'
import { BENCH_MARKERS } from './bench-accounts.js'

export interface ThroughputResult {
  /** Page requests per second during the load window. */
  rps: number
  requests: number
  detail: string
}

/** Logs `count` sessions in (outside the measured window) and returns their cookies. */
async function loginSessions(url: string, count: number): Promise<string[]> {
  const cookies: string[] = []
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `user${i}` }),
    })
    const cookie = res.headers.get('set-cookie')?.split(';')[0]
    if (res.status !== 204 || cookie === undefined) {
      throw new Error(`bench login ${i} failed with ${res.status}`)
    }
    cookies.push(cookie)
  }
  return cookies
}

/** autocannon, one connection per session, checking nothing: the ceiling a Node load tool reaches. */
export async function runAutocannon(
  url: string,
  connections: number,
  seconds: number
): Promise<ThroughputResult> {
  const cookies = await loginSessions(url, connections)
  let next = 0
  const result = await autocannon({
    url: `${url}/`,
    connections,
    duration: seconds,
    setupClient: (client) => client.setHeaders({ cookie: cookies[next++ % cookies.length] }),
  })
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`autocannon saw ${result.non2xx} non-2xx and ${result.errors} errors`)
  }
  return {
    rps: result.requests.total / result.duration,
    requests: result.requests.total,
    detail: `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
  }
}

/**
 * Context, not a contender: bare undici as leak-hunter's engine uses it (one Client, so one
 * connection, per session, and the engine's own dispatch handler), reading each body and
 * checking nothing. Separates HTTP-client cost from the rest.
 */
export async function runUndici(
  url: string,
  connections: number,
  seconds: number
): Promise<ThroughputResult> {
  const cookies = await loginSessions(url, connections)
  let requests = 0
  const started = performance.now()
  const end = started + seconds * 1000
  await Promise.all(
    cookies.map(async (cookie) => {
      const client = new Client(url, { pipelining: 1 })
      const request = { method: 'GET', path: '/', headers: { cookie }, body: null }
      try {
        while (performance.now() < end) {
          const res = await sendRequest(client, request, 1 << 20)
          if (res.status !== 200 || res.bytes.length === 0) {
            throw new Error(`undici baseline got ${res.status}`)
          }
          requests++
        }
      } finally {
        await client.close()
      }
    })
  )
  const elapsed = (performance.now() - started) / 1000
  return { rps: requests / elapsed, requests, detail: '' }
}

/** The bench scenario: JSON login, then GET / checked against every account's markers. */
export function benchScenario(url: string, vus: number, seconds: number): Record<string, unknown> {
  return {
    target: url,
    accounts: { file: 'bench-accounts.csv', id: 'username', credentials: ['username'] },
    markers: { columns: BENCH_MARKERS.columns, ids: [{ column: 'userId', path: ['users'] }] },
    login: [
      {
        name: 'login',
        method: 'POST',
        path: '/login',
        json: { username: '{{account.username}}' },
        expect: 204,
      },
      { name: 'verify', path: '/', verify: true },
    ],
    pages: [{ name: 'home', path: '/' }],
    load: { vus, duration: `${seconds}s`, seed: 'bench' },
  }
}

/** leak-hunter's library API, `vus` VUs, every body scanned for all accounts in `accountsCsv`. */
export async function runHunter(
  url: string,
  accountsCsv: string,
  vus: number,
  seconds: number
): Promise<ThroughputResult> {
  const report = await runHunt({ scenario: benchScenario(url, vus, seconds), accountsCsv })
  if (report.verdict !== 'clean' || report.summary.errors > 0) {
    throw new Error(`bench hunt was not clean: ${report.verdict}, ${report.summary.errors} errors`)
  }
  const s = report.summary
  // throughput is requests over the load phase; take out the 2 login requests per VU.
  const loadSeconds = s.requests / s.throughput
  const pages = s.requests - 2 * vus
  return {
    rps: pages / loadSeconds,
    requests: pages,
    detail: `checked ${s.responsesChecked}, p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms`,
  }
}
