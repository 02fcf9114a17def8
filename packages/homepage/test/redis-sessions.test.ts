// The session store contract on real SQLite and real Redis, and two app instances sharing Redis.
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../src/store/database.js'
import { closeRedis, connectRedis } from '../src/store/redis-connection.js'
import { RedisSessionStore } from '../src/store/redis-session-store.js'
import type { SessionRecord, SessionStore } from '../src/store/session-store.js'
import { SqliteSessionStore } from '../src/store/sqlite-session-store.js'
import { buildApp } from '../src/server/build-app.js'
import type { SeededDb } from './helpers/app-fixture.js'
import {
  homeCsrf,
  openLoginForm,
  postLogin,
  seedTempDb,
  sessionCookieFrom,
} from './helpers/app-fixture.js'
import type { RedisHandle } from './helpers/redis-server.js'
import { redisSkipReason, startRedis } from './helpers/redis-server.js'

const skip = redisSkipReason()
if (skip !== undefined) {
  console.warn(skip)
}

let redis: RedisHandle | undefined
let seeded: SeededDb
beforeAll(async () => {
  seeded = await seedTempDb(3)
  if (skip === undefined) {
    redis = await startRedis()
  }
}, 30_000)
afterAll(async () => {
  await redis?.stop()
  seeded.cleanup()
})

function record(idHash: string, now = 1000): SessionRecord {
  return { idHash, userId: 7, csrfSecret: 'secret', createdAt: now, lastSeenAt: now }
}

type StoreFactory = () => Promise<{ store: SessionStore; done: () => void }>

const factories: Array<[string, StoreFactory, boolean]> = [
  [
    'sqlite',
    () => {
      const db = openDatabase(':memory:')
      // Sessions reference users; give the record's user a row.
      db.prepare(
        "INSERT INTO users (id, username, password_hash, display_name, email, account_id) VALUES (7, 'u', 'h', 'U', 'u@x', 'A')"
      ).run()
      return Promise.resolve({ store: new SqliteSessionStore(db), done: () => db.close() })
    },
    false,
  ],
  [
    'redis',
    async () => {
      const prefix = `t${Math.random().toString(36).slice(2)}:`
      const client = await connectRedis(redis!.url)
      return { store: new RedisSessionStore(client, prefix), done: () => void closeRedis(client) }
    },
    skip !== undefined,
  ],
]

describe.each(factories)('%s session store contract', (kind, make, skipped) => {
  test.skipIf(skipped)(
    'create is insert-if-absent; touch needs a live session; delete is final',
    async () => {
      const { store, done } = await make()
      try {
        expect(store.kind).toBe(kind)
        expect(await store.create(record('a'), 60_000)).toBe(true)
        expect(await store.create({ ...record('a'), userId: 8, csrfSecret: 'other' }, 60_000)).toBe(
          false
        )
        expect(await store.get('a')).toEqual(record('a'))
        expect(await store.exists('a')).toBe(true)
        expect(await store.touch('a', 2000, 60_000)).toBe(true)
        expect((await store.get('a'))?.lastSeenAt).toBe(2000)
        expect(await store.delete('a')).toBe(true)
        expect(await store.delete('a')).toBe(false)
        // No resurrection: a late touch after delete writes nothing.
        expect(await store.touch('a', 3000, 60_000)).toBe(false)
        expect(await store.get('a')).toBeNull()
        expect(await store.exists('a')).toBe(false)
        expect(await store.touch('never', 3000, 60_000)).toBe(false)
        expect(await store.get('never')).toBeNull()
      } finally {
        done()
      }
    }
  )
})

describe.skipIf(skip !== undefined)('Redis specifics', () => {
  test('session keys expire on their own (PEXPIRE on create and touch)', async () => {
    const prefix = 'ttl:'
    const connection = await connectRedis(redis!.url)
    const store = new RedisSessionStore(connection, prefix)
    const client = new Redis(redis!.url)
    try {
      await store.create(record('b'), 5_000)
      const ttl = await client.pttl(`${prefix}b`)
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(5_000)
      await store.touch('b', 2000, 50_000)
      expect(await client.pttl(`${prefix}b`)).toBeGreaterThan(5_000)
      await store.create(record('c'), 30)
      await new Promise((r) => setTimeout(r, 80))
      expect(await store.get('c')).toBeNull()
    } finally {
      client.disconnect()
      await closeRedis(connection)
    }
  })

  test('an unreachable Redis fails buildApp with HOME_ERR_STORE', async () => {
    await expect(
      buildApp({ db: ':memory:', redisUrl: 'redis://127.0.0.1:1', ipc: 'in-process', renderers: 1 })
    ).rejects.toMatchObject({ code: 'HOME_ERR_STORE' })
  })
})

describe.skipIf(skip !== undefined)('two server instances on one Redis', () => {
  test('a form from one logs in on the other; logout on either ends it everywhere', async () => {
    const prefix = 'two:'
    const apps: FastifyInstance[] = []
    try {
      for (let i = 0; i < 2; i++) {
        apps.push(
          await buildApp({
            db: seeded.db,
            redisUrl: redis!.url,
            redisPrefix: prefix,
            ipc: 'in-process',
            renderers: 1,
          })
        )
      }
      const [a, b] = apps as [FastifyInstance, FastifyInstance]
      const acct = seeded.accounts[1]!
      // The form from one instance verifies on the other: they share the login-form key.
      const form = await openLoginForm(a)
      const res = await postLogin(b, { ...form, username: acct.username, password: acct.password })
      expect(res.statusCode).toBe(303)
      const sid = sessionCookieFrom(res)!
      const page = await a.inject({ url: '/', cookies: { sid } })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain(acct.displayName.replaceAll("'", '&#x27;'))
      expect(page.body).toMatch(/Welcome/)
      const me = (await b.inject({ url: '/api/me', cookies: { sid } })).json()
      expect(me.userId).toBe(acct.userId)
      // Sessions are not in SQLite when Redis holds them.
      const db = new Database(seeded.db, { readonly: true })
      expect((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n).toBe(0)
      db.close()
      const csrf = await homeCsrf(b, sid)
      const out = await b.inject({
        method: 'POST',
        url: '/logout',
        cookies: { sid },
        payload: { _csrf: csrf },
      })
      expect(out.statusCode).toBe(303)
      expect((await a.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(401)
    } finally {
      await Promise.all(apps.map((x) => x.close()))
    }
  }, 30_000)
})
