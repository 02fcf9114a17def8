// Session checklist: id entropy, cookie attributes, fixation, strictness, timeouts, logout,
// resurrection. Routes through app.inject() against a real SQLite file.
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { hashSessionId, newSessionId } from '../src/auth/tokens.js'
import type { AppOptions } from '../src/config.js'
import { buildApp } from '../src/server/build-app.js'
import type { SeededDb } from './helpers/app-fixture.js'
import {
  csrfFrom,
  errorCodeOf,
  homeCsrf,
  login,
  openLoginForm,
  postLogin,
  sessionCookieFrom,
  setCookies,
  seedTempDb,
} from './helpers/app-fixture.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

let seeded: SeededDb
const apps: FastifyInstance[] = []

beforeAll(async () => {
  seeded = await seedTempDb(5)
})
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})
afterAll(() => seeded.cleanup())

async function makeApp(options: AppOptions = {}, stub = createStubRenderer()) {
  const app = await buildApp({ db: seeded.db, createRenderer: stubFactory(stub), ...options })
  apps.push(app)
  return app
}

function account(i = 0) {
  const a = seeded.accounts[i]!
  return { username: a.username, password: a.password }
}

function sessionRows(): number {
  const db = new Database(seeded.db, { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('session ids', { timeout: 30_000 }, () => {
  test('are 256-bit base64url CSPRNG values, all distinct, stored only as a hash', async () => {
    const app = await makeApp()
    const ids = new Set<string>()
    for (let i = 0; i < 50; i++) {
      const sid = await login(app, account(i % 5))
      expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(Buffer.from(sid, 'base64url')).toHaveLength(32)
      ids.add(sid)
    }
    expect(ids.size).toBe(50)
    const db = new Database(seeded.db, { readonly: true })
    const stored = new Set(
      (db.prepare('SELECT id_hash FROM sessions').all() as Array<{ id_hash: string }>).map(
        (r) => r.id_hash
      )
    )
    db.close()
    for (const id of ids) {
      expect(stored.has(id)).toBe(false)
      expect(stored.has(hashSessionId(id))).toBe(true)
    }
  })

  test('a well-formed id the server never issued is not adopted (strict sessions)', async () => {
    const app = await makeApp()
    const forged = newSessionId()
    const page = await app.inject({ method: 'GET', url: '/', cookies: { sid: forged } })
    expect(page.headers.location).toBe('/login')
    const me = await app.inject({ method: 'GET', url: '/api/me', cookies: { sid: forged } })
    expect(me.statusCode).toBe(401)
    // Logging in with the forged cookie still present issues a new id.
    const form = await openLoginForm(app)
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: { presid: form.pre, sid: forged },
      payload: { ...account(), _csrf: form.csrf },
    })
    expect(sessionCookieFrom(res)).not.toBe(forged)
  })
})

/** The attributes of the cookie named `name` that `res` sets. */
function cookieAttrs(res: Awaited<ReturnType<FastifyInstance['inject']>>, name: string): string[] {
  const cookie = setCookies(res).find((c) => c.startsWith(`${name}=`))
  expect(cookie, `${name} cookie`).toBeDefined()
  return cookie!.split(';').map((s) => s.trim().toLowerCase())
}

describe('session and pre-session cookies', { timeout: 30_000 }, () => {
  test('over http: sid and presid, HttpOnly, SameSite=Lax, Path=/, no Secure, no lifetime, no Domain', async () => {
    const app = await makeApp()
    const form = await app.inject({ method: 'GET', url: '/login' })
    const { pre, csrf } = { pre: sessionCookieFrom(form, 'presid')!, csrf: csrfFrom(form.body) }
    const loggedIn = await postLogin(app, { pre, csrf, ...account() })
    for (const attrs of [cookieAttrs(form, 'presid'), cookieAttrs(loggedIn, 'sid')]) {
      expect(attrs).toContain('httponly')
      expect(attrs).toContain('samesite=lax')
      expect(attrs).toContain('path=/')
      expect(attrs.some((a) => a === 'secure' || a.startsWith('domain='))).toBe(false)
      expect(attrs.some((a) => a.startsWith('max-age') || a.startsWith('expires'))).toBe(false)
    }
  })

  test('with secureCookies: __Host-sid and __Host-presid, Secure, Path=/, no Domain, and HSTS', async () => {
    const app = await makeApp({ secureCookies: true })
    const res = await app.inject({ method: 'GET', url: '/login' })
    const attrs = cookieAttrs(res, '__Host-presid')
    expect(attrs).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']))
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false)
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    // The full flow works under the prefixed names.
    const sid = await login(app, account(), '__Host-sid')
    const me = await app.inject({ method: 'GET', url: '/api/me', cookies: { '__Host-sid': sid } })
    expect(me.json().userId).toBe(seeded.accounts[0]!.userId)
  })
})

describe('login rotation (fixation)', { timeout: 30_000 }, () => {
  test('login issues a new id and the session the browser held before is dead afterwards', async () => {
    const app = await makeApp()
    // The browser still holds a session from an earlier login (e.g. another user on this machine).
    const stale = await login(app, account(1))
    const form = await openLoginForm(app)
    const sid = await (async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        cookies: { presid: form.pre, sid: stale },
        payload: { ...account(), _csrf: form.csrf },
      })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/')
      return sessionCookieFrom(res)!
    })()
    expect(sid).not.toBe(stale)
    const old = await app.inject({ method: 'GET', url: '/', cookies: { sid: stale } })
    expect(old.statusCode).toBe(303)
    expect(old.headers.location).toBe('/login')
    const oldMe = await app.inject({ method: 'GET', url: '/api/me', cookies: { sid: stale } })
    expect(oldMe.statusCode).toBe(401)
    expect(errorCodeOf(oldMe)).toBe('HOME_ERR_UNAUTHENTICATED')
    const me = await app.inject({ method: 'GET', url: '/api/me', cookies: { sid } })
    expect(me.statusCode).toBe(200)
  })
})

describe('sessions of deleted users', { timeout: 30_000 }, () => {
  test('are destroyed on next use instead of rendering a page for nobody', async () => {
    const app = await makeApp()
    const sid = await login(app, account(4))
    const db = new Database(seeded.db)
    db.pragma('foreign_keys = OFF') // keep the session row, as a user store on another system would
    db.prepare('DELETE FROM users WHERE id = ?').run(seeded.accounts[4]!.userId)
    db.close()
    const res = await app.inject({ url: '/', cookies: { sid } })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/login')
    expect((await app.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(401)
  })
})

describe('timeouts, enforced on the server with an injected clock', { timeout: 30_000 }, () => {
  test('idle timeout: a session unused for sessionIdleMs is rejected even if the cookie is replayed', async () => {
    let now = 1_000_000
    const app = await makeApp({ clock: () => now, sessionIdleMs: 60_000 })
    const sid = await login(app, account())
    now += 59_000
    expect((await app.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(200)
    now += 59_000 // 59 s after the last use: still alive, activity moved the idle window
    expect((await app.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(200)
    now += 60_000
    expect((await app.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(401)
    const home = await app.inject({ url: '/', cookies: { sid } })
    expect(home.headers.location).toBe('/login')
  })

  test('absolute timeout holds even with constant activity', async () => {
    let now = 5_000_000
    const app = await makeApp({
      clock: () => now,
      sessionIdleMs: 60_000,
      sessionAbsoluteMs: 300_000,
    })
    const sid = await login(app, account(1))
    for (let t = 0; t < 290_000; t += 30_000) {
      now += 30_000
      const res = await app.inject({ url: '/api/me', cookies: { sid } })
      expect(res.statusCode, `at +${t + 30_000} ms`).toBe(now - 5_000_000 < 300_000 ? 200 : 401)
    }
    now = 5_000_000 + 300_000
    expect((await app.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(401)
  })
})

describe('logout', { timeout: 30_000 }, () => {
  test('deletes the session server-side, clears the cookie and site data, redirects to /login', async () => {
    const app = await makeApp()
    const sid = await login(app, account(2))
    const rowsBefore = sessionRows()
    const csrf = await homeCsrf(app, sid)
    const res = await app.inject({
      method: 'POST',
      url: '/logout',
      cookies: { sid },
      payload: { _csrf: csrf },
    })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/login')
    expect(res.headers['clear-site-data']).toContain('"cookies"')
    const [cleared] = setCookies(res)
    expect(cleared).toMatch(/^sid=;/)
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/)
    expect(sessionRows()).toBe(rowsBefore - 1)
    const replay = await app.inject({ url: '/api/me', cookies: { sid } })
    expect(replay.statusCode).toBe(401)
  })

  test('resurrection: a slow page finishing after logout cannot bring the session back', async () => {
    const stub = createStubRenderer()
    let now = 10_000_000
    const app = await makeApp({ clock: () => now }, stub)
    const sid = await login(app, account(3))
    const csrf = await homeCsrf(app, sid)
    stub.options.delayMs = 300
    const slow = app.inject({ url: '/', cookies: { sid } })
    await new Promise((r) => setTimeout(r, 50))
    // Time passes during the render, so the slow request will try to record activity (a write).
    now += 5_000
    const out = await app.inject({
      method: 'POST',
      url: '/logout',
      cookies: { sid },
      payload: { _csrf: csrf },
    })
    expect(out.statusCode).toBe(303)
    const late = await slow
    // The slow request saw the session vanish before it could touch it: no page, no revival.
    expect(late.statusCode).toBe(303)
    expect(late.headers.location).toBe('/login')
    stub.options.delayMs = 0
    expect((await app.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(401)
    expect((await app.inject({ url: '/', cookies: { sid } })).statusCode).toBe(303)
  })
})
