// CSRF (synchronizer token bound to the session), same-origin checks, generic login failures,
// and rate limits per IP and per account.
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { hashPassword, verifyPassword } from '../src/auth/password.js'
import type { AppOptions } from '../src/config.js'
import { buildApp } from '../src/server/build-app.js'
import type { SeededDb } from './helpers/app-fixture.js'
import {
  errorCodeOf,
  homeCsrf,
  login,
  openLoginForm,
  postLogin,
  sessionCookieFrom,
} from './helpers/app-fixture.js'
import { seedTempDb } from './helpers/app-fixture.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

let seeded: SeededDb
const apps: FastifyInstance[] = []
beforeAll(async () => {
  seeded = await seedTempDb(3)
})
afterEach(async () => {
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
      { sid: mine.sid },
      { sid: mine.sid, csrf: 'x.y' },
      { sid: mine.sid, csrf: mine.csrf.slice(0, -2) + 'AA' },
      { sid: mine.sid, csrf: other.csrf },
      { csrf: mine.csrf }, // no session cookie at all
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
        cookies: { sid: form.sid },
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      })
      expect(res.statusCode).toBe(403)
      expect(errorCodeOf(res)).toBe('HOME_ERR_CROSS_SITE')
    }
    const same = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: { sid: form.sid },
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
      cookies: { sid: form2.sid },
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

describe('rate limits on failed logins', { timeout: 30_000 }, () => {
  test('per IP: after perIp failures even a correct login waits, with Retry-After', async () => {
    let now = 1_000_000
    const app = await makeApp({
      clock: () => now,
      rateLimit: { perIp: 3, perAccount: 100, windowMs: 60_000 },
    })
    const form = await openLoginForm(app)
    for (const username of ['nobody', acct(1).username, acct(2).username]) {
      const res = await postLogin(app, { ...form, username, password: 'x' })
      expect(res.statusCode).toBe(401)
    }
    const blocked = await postLogin(app, { ...form, ...acct() })
    expect(blocked.statusCode).toBe(429)
    expect(errorCodeOf(blocked)).toBe('HOME_ERR_RATE_LIMITED')
    expect(Number(blocked.headers['retry-after'])).toBe(60)
    // Another IP is not affected.
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: '127.0.0.9',
      cookies: { sid: form.sid },
      payload: { ...acct(), _csrf: form.csrf },
    })
    expect(elsewhere.statusCode).toBe(303)
    now += 60_000
    const form2 = await openLoginForm(app)
    expect((await postLogin(app, { ...form2, ...acct() })).statusCode).toBe(303)
  }, 30_000)

  test('per account: failures on one account block it from every IP, not other accounts', async () => {
    let now = 2_000_000
    const app = await makeApp({
      clock: () => now,
      rateLimit: { perIp: 100, perAccount: 2, windowMs: 30_000 },
    })
    const form = await openLoginForm(app)
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: `10.0.0.${i + 1}`,
        cookies: { sid: form.sid },
        payload: { username: acct().username, password: 'wrong', _csrf: form.csrf },
      })
      expect(res.statusCode).toBe(401)
    }
    const blocked = await postLogin(app, { ...form, ...acct() })
    expect(blocked.statusCode).toBe(429)
    expect(Number(blocked.headers['retry-after'])).toBe(30)
    expect((await postLogin(app, { ...form, ...acct(1) })).statusCode).toBe(303)
    now += 30_000
    const form2 = await openLoginForm(app)
    expect((await postLogin(app, { ...form2, ...acct() })).statusCode).toBe(303)
  })

  test('per IP behind a proxy: X-Forwarded-For counts only with trustProxy', async () => {
    for (const trustProxy of [true, false]) {
      const app = await makeApp({ trustProxy, rateLimit: { perIp: 1, perAccount: 100 } })
      const form = await openLoginForm(app)
      const from = (ip: string, password: string) =>
        app.inject({
          method: 'POST',
          url: '/login',
          cookies: { sid: form.sid },
          headers: { 'x-forwarded-for': ip },
          payload: { username: acct(1).username, password, _csrf: form.csrf },
        })
      expect((await from('203.0.113.1', 'wrong')).statusCode).toBe(401)
      expect((await from('203.0.113.1', acct(1).password)).statusCode).toBe(429)
      expect((await from('203.0.113.2', acct(1).password)).statusCode).toBe(trustProxy ? 303 : 429)
    }
  })

  test('default limits count only failures: 60 good logins from one IP are never throttled', async () => {
    const app = await makeApp()
    for (let i = 0; i < 60; i++) {
      await login(app, acct(i % 3))
    }
  })
})
