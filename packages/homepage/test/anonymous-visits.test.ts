// Anonymous visits store nothing: GET /login sets a pre-session cookie and a login-form token
// bound to it (signed double submit), and a session is stored only at login. Real HTTP on
// 127.0.0.1, real SQLite and real Redis.
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import { describe, expect, test } from 'vitest'
import { useSeededDb } from './helpers/app-fixture.js'
import { Browser, httpGet, serve } from './helpers/http-client.js'
import { useRedis } from './helpers/redis-server.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

const db = useSeededDb(2, 17)
const redis = useRedis()

function sqliteSessions(): number {
  const handle = new Database(db.current.db, { readonly: true })
  try {
    return (handle.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n
  } finally {
    handle.close()
  }
}

async function redisKeys(url: string, prefix: string): Promise<string[]> {
  const client = new Redis(url)
  try {
    return await client.keys(`${prefix}*`)
  } finally {
    client.disconnect()
  }
}

/** 1,000 GET /login, 50 at a time, each without cookies (a new visitor every time). */
async function thousandVisits(url: string): Promise<void> {
  for (let i = 0; i < 1000; i += 50) {
    const batch = await Promise.all(Array.from({ length: 50 }, () => httpGet(url, '/login')))
    expect(batch.every((r) => r.status === 200 && r.headers['set-cookie'] !== undefined)).toBe(true)
  }
}

describe('bug: every anonymous visit stored a session', { timeout: 60_000 }, () => {
  test('sqlite: 1,000 GET /login store no row; a login stores exactly one', async () => {
    const served = await serve({
      db: db.current.db,
      createRenderer: stubFactory(createStubRenderer()),
    })
    try {
      const before = sqliteSessions()
      await thousandVisits(served.url)
      expect(sqliteSessions()).toBe(before)
      const account = db.current.accounts[0]!
      expect((await new Browser(served.url).login(account)).status).toBe(303)
      expect(sqliteSessions()).toBe(before + 1)
    } finally {
      await served.close()
    }
  })

  test.skipIf(redis.skip !== undefined)(
    'redis: 1,000 GET /login create no session key; a login creates exactly one',
    async () => {
      const prefix = 'anon:'
      const served = await serve({
        db: db.current.db,
        redisUrl: redis.url,
        redisPrefix: prefix,
        createRenderer: stubFactory(createStubRenderer()),
      })
      try {
        // Everything under the prefix but the login-form key and throttle counters is a session.
        const sessionKeys = async () =>
          (await redisKeys(redis.url, prefix)).filter(
            (k) => !k.startsWith(`${prefix}secret:`) && !k.startsWith(`${prefix}attempt:`)
          )
        await thousandVisits(served.url)
        expect(await sessionKeys()).toEqual([])
        const account = db.current.accounts[1]!
        expect((await new Browser(served.url).login(account)).status).toBe(303)
        expect(await sessionKeys()).toHaveLength(1)
      } finally {
        await served.close()
      }
    }
  )
})
