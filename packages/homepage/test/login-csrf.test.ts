// CSRF (the login form: a signed token bound to the pre-session cookie; signed-in pages: a
// synchronizer token bound to the session), same-origin checks, generic login failures.
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { hashPassword, verifyPassword } from '../src/auth/password.js'
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
} from './helpers/app-fixture.js'
import { forgetAttempts, seedTempDb } from './helpers/app-fixture.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

let seeded: SeededDb
const apps: FastifyInstance[] = []
beforeAll(async () => {
  seeded = await seedTempDb(3)
})
afterEach(async () => {
  forgetAttempts(seeded.db)
  await Promise.all(apps.splice(0).map((a) => a.close()))
})
afterAll(() => seeded.cleanup())

async function makeApp(options: AppOptions = {}) {
  const app = await buildApp({
    db: seeded.db,
    createRenderer: stubFactory(createStubRenderer()),
    ...options,
  })
  apps.push(app)
  return app
}
const acct = (i = 0) => ({
  username: seeded.accounts[i]!.username,
  password: seeded.accounts[i]!.password,
})

describe('CSRF on POST /login', { timeout: 30_000 }, () => {
  test('the form carries the token as a hidden _csrf input and a csrf-token meta', async () => {
    const app = await makeApp()
    const res = await app.inject({ url: '/login' })
    const hidden = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(res.body)?.[1]
    const meta = /<meta name="csrf-token" content="([^"]+)">/.exec(res.body)?.[1]
    expect(hidden).toBeDefined()
    expect(meta).toBe(hidden)
  })

  test('missing, wrong, or another session token is rejected with 403 HOME_ERR_CSRF', async () => {
    const app = await makeApp()
    const mine = await openLoginForm(app)
    const other = await openLoginForm(app)
    const cases = [
      { pre: mine.pre },
      { pre: mine.pre, csrf: 'x.y' },
      { pre: mine.pre, csrf: mine.csrf.slice(0, -2) + 'AA' },
      { pre: mine.pre, csrf: other.csrf },
      { csrf: mine.csrf }, // no pre-session cookie at all
    ]
    for (const c of cases) {
      const res = await postLogin(app, { ...c, ...acct() })
      expect(res.statusCode, JSON.stringify(c)).toBe(403)
      expect(errorCodeOf(res)).toBe('HOME_ERR_CSRF')
      expect(res.headers.location).toBeUndefined()
    }
    // The real token still works afterwards.
    expect((await postLogin(app, { ...mine, ...acct() })).statusCode).toBe(303)
  })

  test('a cross-site POST is refused (Sec-Fetch-Site, then Origin)', async () => {
    const app = await makeApp()
    const form = await openLoginForm(app)
    const body = new URLSearchParams({ ...acct(), _csrf: form.csrf }).toString()
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site', origin: 'http://localhost' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        cookies: { presid: form.pre },
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      })
      expect(res.statusCode).toBe(403)
      expect(errorCodeOf(res)).toBe('HOME_ERR_CROSS_SITE')
    }
    const same = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: { presid: form.pre },
      payload: body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:80',
        'sec-fetch-site': 'same-origin',
      },
    })
    expect(same.statusCode).toBe(303)
    // Chromium posts same-origin forms with `Origin: null` under strict referrer policies.
    const form2 = await openLoginForm(app)
    const chromium = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: { presid: form2.pre },
      payload: new URLSearchParams({ ...acct(), _csrf: form2.csrf }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'null',
        'sec-fetch-site': 'same-origin',
      },
    })
    expect(chromium.statusCode).toBe(303)
  })
})

describe('CSRF on POST /logout', { timeout: 30_000 }, () => {
  test('missing, wrong, or another session token is rejected and the session survives', async () => {
    const app = await makeApp()
    const sid = await login(app, acct(0))
    const otherSid = await login(app, acct(1))
    const otherToken = await homeCsrf(app, otherSid)
    for (const payload of [{}, { _csrf: 'nope' }, { _csrf: otherToken }]) {
      const res = await app.inject({ method: 'POST', url: '/logout', cookies: { sid }, payload })
      expect(res.statusCode).toBe(403)
      expect(errorCodeOf(res)).toBe('HOME_ERR_CSRF')
    }
    expect((await app.inject({ url: '/api/me', cookies: { sid } })).statusCode).toBe(200)
    // The token also works from the x-csrf-token header (scripted clients).
    const token = await homeCsrf(app, sid)
    const ok = await app.inject({
      method: 'POST',
      url: '/logout',
      cookies: { sid },
      headers: { 'x-csrf-token': token },
    })
    expect(ok.statusCode).toBe(303)
  })

  test('the CSRF secret rotates at login: the pre-login token is dead for the new session', async () => {
    const app = await makeApp()
    const form = await openLoginForm(app)
    const res = await postLogin(app, { ...form, ...acct(2) })
    const sid = sessionCookieFrom(res)!
    const stale = await app.inject({
      method: 'POST',
      url: '/logout',
      cookies: { sid },
      payload: { _csrf: form.csrf },
    })
    expect(stale.statusCode).toBe(403)
    const fresh = await homeCsrf(app, sid)
    expect(fresh).not.toBe(form.csrf)
    const ok = await app.inject({
      method: 'POST',
      url: '/logout',
      cookies: { sid },
      payload: { _csrf: fresh },
    })
    expect(ok.statusCode).toBe(303)
  })
})

describe('login failures', { timeout: 30_000 }, () => {
  test('unknown user and wrong password get the same 401 page and code', async () => {
    const app = await makeApp()
    const form = await openLoginForm(app)
    const unknown = await postLogin(app, { ...form, username: 'nobody', password: 'x' })
    const wrong = await postLogin(app, { ...form, username: acct().username, password: 'x' })
    for (const res of [unknown, wrong]) {
      expect(res.statusCode).toBe(401)
      expect(errorCodeOf(res)).toBe('HOME_ERR_BAD_CREDENTIALS')
      expect(res.body).toContain('Invalid username or password.')
      expect(sessionCookieFrom(res)).toBeUndefined()
    }
    // The echoed username is escaped.
    const xss = await postLogin(app, {
      ...form,
      username: '"><script>alert(1)</script>',
      password: 'x',
    })
    expect(xss.statusCode).toBe(401)
    expect(xss.body).not.toContain('<script>alert(1)')
    expect(xss.body).toContain('&quot;&gt;&lt;script&gt;')
  }, 30_000)
})

describe('unknown users cost a hash', { timeout: 30_000 }, () => {
  test('a login for an unknown user takes at least one OWASP-strength scrypt verify', async () => {
    const app = await makeApp()
    const form = await openLoginForm(app)
    const owasp = await hashPassword('pw')
    await verifyPassword('pw', owasp)
    let t = performance.now()
    await verifyPassword('pw', owasp)
    const verifyMs = performance.now() - t
    t = performance.now()
    const res = await postLogin(app, { ...form, username: 'no-such-user', password: 'pw' })
    const loginMs = performance.now() - t
    expect(res.statusCode).toBe(401)
    expect(loginMs).toBeGreaterThan(verifyMs * 0.5)
  }, 30_000)
})

describe('the login form: signed double submit', { timeout: 30_000 }, () => {
  test('the form expires with the pre-session (sessionIdleMs); a new form works', async () => {
    let now = 9_000_000
    const app = await makeApp({ clock: () => now, sessionIdleMs: 60_000 })
    const form = await openLoginForm(app)
    now += 59_000
    expect((await postLogin(app, { ...form, ...acct() })).statusCode).toBe(303)
    const stale = await openLoginForm(app)
    now += 60_000
    const res = await postLogin(app, { ...stale, ...acct() })
    expect(res.statusCode).toBe(403)
    expect(errorCodeOf(res)).toBe('HOME_ERR_CSRF')
    // The 403 page carries a fresh pre-session cookie and a token bound to it.
    const fresh = { pre: sessionCookieFrom(res, 'presid')!, csrf: csrfFrom(res.body) }
    expect(fresh.pre).not.toBe(stale.pre)
    expect((await postLogin(app, { ...fresh, ...acct() })).statusCode).toBe(303)
  })

  test('a pre-session value with a forged issue time is refused', async () => {
    const app = await makeApp()
    const form = await openLoginForm(app)
    const forged = form.pre.replace(/\.[0-9a-z]+$/, `.${(Date.now() + 1000).toString(36)}`)
    expect((await postLogin(app, { ...form, pre: forged, ...acct() })).statusCode).toBe(403)
  })

  test('GET /login keeps a live pre-session; login clears it and it never works as a session', async () => {
    const app = await makeApp()
    const form = await openLoginForm(app)
    const again = await app.inject({ url: '/login', cookies: { presid: form.pre } })
    expect(sessionCookieFrom(again, 'presid')).toBeUndefined()
    const res = await postLogin(app, { ...form, ...acct() })
    expect(res.statusCode).toBe(303)
    expect(sessionCookieFrom(res, 'presid')).toBe('')
    expect(sessionCookieFrom(res)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await app.inject({ url: '/api/me', cookies: { sid: form.pre } })).statusCode).toBe(401)
  })
})

describe('login throttling behind a proxy', { timeout: 30_000 }, () => {
  test('X-Forwarded-For names the client only with trustProxy', async () => {
    for (const trustProxy of [true, false]) {
      const app = await makeApp({ trustProxy, rateLimit: { perIp: 1, perAccountIp: 100 } })
      const form = await openLoginForm(app)
      const from = (ip: string, password: string) =>
        app.inject({
          method: 'POST',
          url: '/login',
          cookies: { presid: form.pre },
          headers: { 'x-forwarded-for': ip },
          payload: { username: acct(1).username, password, _csrf: form.csrf },
        })
      expect((await from('203.0.113.1', 'wrong')).statusCode).toBe(401)
      expect((await from('203.0.113.1', acct(1).password)).statusCode).toBe(429)
      expect((await from('203.0.113.2', acct(1).password)).statusCode).toBe(trustProxy ? 303 : 429)
    }
  })
})
