// A page whose session was deleted while it rendered is never sent: every GET / asks the store
// after rendering, however recently the session was seen. Real HTTP on 127.0.0.1, real renderer
// code (in-process) with a slow render, SQLite and Redis sessions.
import { describe, expect, test } from 'vitest'
import { useSeededDb } from './helpers/app-fixture.js'
import { Browser, csrfIn, serve } from './helpers/http-client.js'
import { useRedis } from './helpers/redis-server.js'

const db = useSeededDb(2, 13)
const redis = useRedis()

const RENDER_MS = 400

describe('bug: a page rendered while its session was logged out was still sent', () => {
  for (const [store, skipped] of [
    ['sqlite', false],
    ['redis', redis.skip !== undefined],
  ] as const) {
    test.skipIf(skipped)(
      `${store}: a slow GET / overtaken by POST /logout gets 303 /login, 3 of 3`,
      async () => {
        // The clock stands still, so the session always counts as "seen just now".
        const now = 50_000_000
        const served = await serve({
          db: db.current.db,
          ...(store === 'redis' ? { redisUrl: redis.url, redisPrefix: 'race:' } : {}),
          ipc: 'in-process',
          renderers: 1,
          renderDelayMs: { min: RENDER_MS, max: RENDER_MS },
          clock: () => now,
        })
        try {
          const account = db.current.accounts[0]!
          for (let round = 0; round < 3; round++) {
            const b = new Browser(served.url)
            expect((await b.login(account)).status).toBe(303)
            const first = await b.get('/')
            expect(first.status).toBe(200)
            const slow = b.get('/')
            await new Promise((r) => setTimeout(r, RENDER_MS / 4))
            const out = await b.request({
              method: 'POST',
              path: '/logout',
              headers: { 'x-csrf-token': csrfIn(first.body) },
            })
            expect(out.status).toBe(303)
            const late = await slow
            expect(late.status, `round ${round + 1}`).toBe(303)
            expect(late.headers.location).toBe('/login')
            expect(late.body).not.toContain(account.displayName)
          }
        } finally {
          await served.close()
        }
      },
      30_000
    )
  }
})
