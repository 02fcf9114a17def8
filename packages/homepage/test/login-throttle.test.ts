// Login throttling through real HTTP on 127.0.0.1: attempts are reserved atomically before the
// password hash (one instance, two instances on one SQLite file, two instances on one Redis), and
// the OWASP model (per account and IP, per IP, exponential delays) keeps the owner able to log in.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import Database from 'better-sqlite3'
import { hashPassword } from '../src/auth/password.js'
import type { AppOptions } from '../src/config.js'
import { UserStore } from '../src/store/user-store.js'
import type { SeededDb } from './helpers/app-fixture.js'
import { forgetAttempts, seedTempDb } from './helpers/app-fixture.js'
import type { HttpResponse, Served } from './helpers/http-client.js'
import { Browser, errorCodeIn, serve } from './helpers/http-client.js'
import type { RedisHandle } from './helpers/redis-server.js'
import { redisSkipReason, startRedis } from './helpers/redis-server.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

const skipRedis = redisSkipReason()
let seeded: SeededDb
let redis: RedisHandle | undefined
const servers: Served[] = []

// An account with an OWASP-cost hash (about 0.3 s here), so parallel attempts overlap in the hash.
const SLOW = { username: 'slow.hash', password: 'slow hash password' }

beforeAll(async () => {
  seeded = await seedTempDb(30, 5)
  const db = new Database(seeded.db)
  new UserStore(db).insertMany([
    {
      ...SLOW,
      passwordHash: await hashPassword(SLOW.password),
      displayName: 'Slow Hash',
      email: 'slow.hash@example.test',
      accountId: 'ACC-SLOW',
      items: [],
    },
  ])
  db.close()
  if (skipRedis === undefined) {
    redis = await startRedis()
  }
}, 60_000)
afterEach(async () => {
  forgetAttempts(seeded.db)
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
afterAll(async () => {
  await redis?.stop()
  seeded.cleanup()
})

async function start(options: AppOptions = {}): Promise<Served> {
  const served = await serve({
    db: seeded.db,
    createRenderer: stubFactory(createStubRenderer()),
    ...options,
  })
  servers.push(served)
  return served
}

const account = (i: number) => ({
  username: seeded.accounts[i]!.username,
  password: seeded.accounts[i]!.password,
})
const wrong = (i: number) => ({ ...account(i), password: 'wrong password' })
const statuses = (list: HttpResponse[]) => list.map((r) => r.status)
const count = (list: HttpResponse[], status: number) =>
  list.filter((r) => r.status === status).length

type Deployment = [name: string, instances: () => Promise<Served[]>, skipped: boolean]

const LIMITS = { perAccountIp: 5, perIp: 5 }
// Every attempt gets a hashing slot in the end (no 503), so each one meets the reservation check;
// the clock stands still, so no delay elapses during the burst (after 1 s a sixth try is allowed).
const PATIENT: AppOptions = {
  rateLimit: LIMITS,
  hashing: { queue: 64, waitMs: 30_000 },
  clock: () => 7_000_000,
}
let prefixes = 0
const deployments: Deployment[] = [
  ['sqlite, one instance', async () => [await start(PATIENT)], false],
  [
    'sqlite, two instances on one file',
    async () => [await start(PATIENT), await start(PATIENT)],
    false,
  ],
  [
    'redis, two instances',
    async () => {
      const shared = { redisUrl: redis?.url ?? '', redisPrefix: `throttle${prefixes++}:` }
      return [await start({ ...shared, ...PATIENT }), await start({ ...shared, ...PATIENT })]
    },
    skipRedis !== undefined,
  ],
]

describe('bug: concurrent logins got around the rate limits', { timeout: 60_000 }, () => {
  describe.each(deployments)('%s', (_name, instances, skipped) => {
    test.skipIf(skipped)(
      '25 parallel POST /login with one form: at most perAccountIp reach the hash, the correct password last is throttled',
      async () => {
        const targets = await instances()
        // One browser opens the form; its cookie and token are replayed 25 times at once.
        const browser = new Browser(targets[0]!.url)
        const csrf = await browser.openLoginForm()
        const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
        const attempt = (i: number, credentials: { username: string; password: string }) =>
          new Browser(targets[i % targets.length]!.url).request({
            method: 'POST',
            path: '/login',
            headers: { cookie },
            form: { ...credentials, _csrf: csrf },
          })
        const wrongSlow = { ...SLOW, password: 'wrong' }
        const all = await Promise.all(
          Array.from({ length: 25 }, (_, i) => attempt(i, i === 24 ? SLOW : wrongSlow))
        )
        // Refused before hashing: 429 (throttled) or 503 (too many hashes waiting).
        const hashed = all.filter((r) => r.status !== 429 && r.status !== 503)
        expect(hashed.length, String(statuses(all))).toBeLessThanOrEqual(LIMITS.perAccountIp)
        expect(hashed.every((r) => r.status === 401 || r.status === 303)).toBe(true)
        expect(count(all, 429), String(statuses(all))).toBeGreaterThan(0)
        expect(all.filter((r) => r.status >= 429).every((r) => r.headers['retry-after'])).toBe(true)
        // However the 25 arrived, the account is throttled now: the right password waits too.
        const after = await attempt(0, SLOW)
        expect(after.status).toBe(429)
        expect(errorCodeIn(after)).toBe('HOME_ERR_RATE_LIMITED')
      }
    )

    test.skipIf(skipped)(
      '25 parallel POST /login for 25 unknown users from one IP: at most perIp reach the hash',
      async () => {
        const targets = await instances()
        // Forms first, then every POST at once (an unknown user costs an OWASP-strength hash).
        const forms = await Promise.all(
          Array.from({ length: 25 }, async (_, i) => {
            const b = new Browser(targets[i % targets.length]!.url)
            return { b, csrf: await b.openLoginForm() }
          })
        )
        const all = await Promise.all(
          forms.map(({ b, csrf }, i) =>
            b.post('/login', { username: `nobody${i}`, password: 'x', _csrf: csrf })
          )
        )
        expect(count(all, 401), String(statuses(all))).toBeLessThanOrEqual(LIMITS.perIp)
        expect(count(all, 429)).toBeGreaterThanOrEqual(25 - LIMITS.perIp)
        expect(count(all, 401) + count(all, 429)).toBe(25)
      }
    )
  })
})

describe('bug: anyone could lock an account out', { timeout: 60_000 }, () => {
  test('20 wrong passwords from another IP: the owner still logs in from theirs', async () => {
    const { url } = await start()
    const attacker = new Browser(url, '127.0.0.66')
    const seen: number[] = []
    for (let i = 0; i < 20; i++) {
      seen.push((await attacker.login(wrong(2))).status)
    }
    expect(seen).toContain(429)
    // The attacker's address is throttled for this account, even with the right password.
    expect((await attacker.login(account(2))).status).toBe(429)
    const owner = new Browser(url, '127.0.0.1')
    expect((await owner.login(account(2))).status).toBe(303)
  })

  test('per account and IP: delays start after perAccountIp failures and double, up to maxDelayMs', async () => {
    let now = 1_000_000
    const { url } = await start({
      clock: () => now,
      rateLimit: { perAccountIp: 3, perIp: 1000, baseDelayMs: 1000, maxDelayMs: 8000 },
    })
    const b = new Browser(url)
    for (let i = 0; i < 3; i++) {
      expect((await b.login(wrong(3))).status).toBe(401)
    }
    const waits: number[] = []
    for (let i = 0; i < 6; i++) {
      const blocked = await b.login(wrong(3))
      expect(blocked.status).toBe(429)
      const wait = Number(blocked.headers['retry-after'])
      waits.push(wait)
      now += wait * 1000 - 1
      expect((await b.login(wrong(3))).status, 'a millisecond early').toBe(429)
      now += 1
      expect((await b.login(wrong(3))).status, 'on time').toBe(401)
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8])
    // Another account from the same IP is not delayed by this one's failures.
    expect((await b.login(account(4))).status).toBe(303)
  })

  test('a successful login clears its account-and-IP failures', async () => {
    let now = 2_000_000
    const { url } = await start({ clock: () => now, rateLimit: { perAccountIp: 3, perIp: 1000 } })
    const b = new Browser(url)
    for (let i = 0; i < 2; i++) {
      expect((await b.login(wrong(5))).status).toBe(401)
    }
    expect((await b.login(account(5))).status).toBe(303)
    for (let i = 0; i < 3; i++) {
      expect((await b.login(wrong(5))).status, `failure ${i + 1} after the reset`).toBe(401)
    }
    expect((await b.login(wrong(5))).status).toBe(429)
    now += 1000
    expect((await b.login(account(5))).status).toBe(303)
  })

  test('per IP: a spray over many accounts is delayed for every account from that IP only', async () => {
    let now = 3_000_000
    const { url } = await start({ clock: () => now, rateLimit: { perAccountIp: 100, perIp: 4 } })
    const sprayer = new Browser(url, '127.0.0.77')
    for (let i = 0; i < 4; i++) {
      expect((await sprayer.login(wrong(10 + i))).status).toBe(401)
    }
    const blocked = await sprayer.login(account(20))
    expect(blocked.status).toBe(429)
    expect(blocked.headers['retry-after']).toBe('1')
    expect((await new Browser(url, '127.0.0.78').login(account(20))).status).toBe(303)
    now += 1000
    expect((await sprayer.login(wrong(21))).status).toBe(401)
    expect((await sprayer.login(account(22))).headers['retry-after']).toBe('2')
  })

  test('failures are forgotten windowMs after the last one', async () => {
    let now = 4_000_000
    const { url } = await start({
      clock: () => now,
      rateLimit: { perAccountIp: 2, perIp: 1000, windowMs: 60_000, maxDelayMs: 60_000 },
    })
    const b = new Browser(url)
    for (let i = 0; i < 2; i++) {
      expect((await b.login(wrong(6))).status).toBe(401)
    }
    expect((await b.login(account(6))).status).toBe(429)
    now += 60_000
    for (let i = 0; i < 2; i++) {
      expect((await b.login(wrong(6))).status, 'a fresh allowance').toBe(401)
    }
  })

  test('good logins are never throttled: 60 from one IP in a row', async () => {
    const { url } = await start()
    for (let i = 0; i < 60; i++) {
      expect((await new Browser(url).login(account(i % 30))).status).toBe(303)
    }
  })
})
