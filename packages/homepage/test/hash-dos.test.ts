// Password hashing cannot starve the server: a bounded number of scrypt hashes run at once (so
// libuv keeps threads for file reads), a short queue waits behind them, and beyond it logins get
// 503 with Retry-After. Real HTTP on 127.0.0.1, OWASP-cost hashes (unknown users).
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type { SeededDb } from './helpers/app-fixture.js'
import { seedTempDb } from './helpers/app-fixture.js'
import type { HttpResponse, Served } from './helpers/http-client.js'
import { Browser, errorCodeIn, httpGet, serve } from './helpers/http-client.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

let seeded: SeededDb
const servers: Served[] = []
beforeAll(async () => {
  seeded = await seedTempDb(4, 9)
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
afterAll(() => seeded.cleanup())

// The client bundle built by `npm run build` (the root pretest builds it).
const built = fileURLToPath(new URL('../dist/public/', import.meta.url))
const asset = `/assets/${readdirSync(built).find((f) => f.endsWith('.js'))!}`

async function start(): Promise<Served> {
  // No rate limit: these are many logins from one IP, and the point is the hashing alone.
  const served = await serve({
    db: seeded.db,
    createRenderer: stubFactory(createStubRenderer()),
    rateLimit: false,
  })
  servers.push(served)
  return served
}

/** `n` logins for unknown users at once (each costs one OWASP-strength hash), one form each. */
async function unknownUserLogins(url: string, n: number): Promise<Array<Promise<HttpResponse>>> {
  const forms = await Promise.all(
    Array.from({ length: n }, async () => {
      const b = new Browser(url)
      return { b, csrf: await b.openLoginForm() }
    })
  )
  return forms.map(({ b, csrf }, i) =>
    b.post('/login', { username: `nobody-${i}`, password: 'guess', _csrf: csrf })
  )
}

describe('bug: password hashing was a denial-of-service lever', { timeout: 60_000 }, () => {
  test('16 parallel unknown-user logins leave GET /assets/… fast', async () => {
    const { url } = await start()
    const baseline = await httpGet(url, asset)
    expect(baseline.status).toBe(200)
    const logins = await unknownUserLogins(url, 16)
    // Let the hashes start, then read the asset while they run.
    await new Promise((r) => setTimeout(r, 100))
    const during: HttpResponse[] = []
    for (let i = 0; i < 3; i++) {
      during.push(await httpGet(url, asset))
    }
    const results = await Promise.all(logins)
    expect(during.every((r) => r.status === 200)).toBe(true)
    // Before the hash gate this took 2.7 s here (16 x 128 MiB scrypt queued on libuv's 4 threads).
    expect(
      Math.max(...during.map((r) => r.ms)),
      `asset ms ${during.map((r) => r.ms.toFixed(0)).join(', ')}`
    ).toBeLessThan(300)
    expect(results.every((r) => r.status === 401 || r.status === 503)).toBe(true)
  })

  test('a burst larger than the queue gets 503 HOME_ERR_BUSY with Retry-After at once', async () => {
    const { url } = await start()
    const started = performance.now()
    const logins = await unknownUserLogins(url, 40)
    const results = await Promise.all(
      logins.map((p) => p.then((r) => ({ ...r, at: performance.now() - started })))
    )
    const busy = results.filter((r) => r.status === 503)
    expect(busy.length).toBeGreaterThan(0)
    for (const r of busy) {
      expect(errorCodeIn(r)).toBe('HOME_ERR_BUSY')
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0)
    }
    // Never more than the queue's wait plus one hash (0.3-1 s here) before an answer.
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(5_000)
    expect(results.every((r) => r.status === 401 || r.status === 503)).toBe(true)
  })

  test('seeded accounts (cheap hashes) log in 64 at once without a 503', async () => {
    const { url } = await start()
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => {
        const a = seeded.accounts[i % seeded.accounts.length]!
        return new Browser(url).login({ username: a.username, password: a.password })
      })
    )
    expect(results.map((r) => r.status)).toEqual(results.map(() => 303))
  })
})
