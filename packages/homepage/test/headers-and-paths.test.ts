// Caching rules, helmet headers with a per-request CSP nonce, static assets without cookies, and
// 404 for every unknown path (web cache deception).
import { readdirSync } from 'node:fs'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { clientAssetsDir } from '../src/page-renderer/index.js'
import { buildApp } from '../src/server/build-app.js'
import type { SeededDb } from './helpers/app-fixture.js'
import { errorCodeOf, homeCsrf, login, seedTempDb, setCookies } from './helpers/app-fixture.js'
import type { StubRenderer } from './helpers/stub-renderer.js'
import { createStubRenderer, stubFactory } from './helpers/stub-renderer.js'

let seeded: SeededDb
let app: FastifyInstance
let stub: StubRenderer
let sid: string

beforeAll(async () => {
  seeded = await seedTempDb(2)
  stub = createStubRenderer()
  app = await buildApp({ db: seeded.db, createRenderer: stubFactory(stub) })
  const a = seeded.accounts[0]!
  sid = await login(app, { username: a.username, password: a.password })
})
afterAll(async () => {
  await app.close()
  seeded.cleanup()
})

function cacheable(res: LightMyRequestResponse): boolean {
  const cc = String(res.headers['cache-control'] ?? '')
  return !/no-store/.test(cc) && /(public|max-age=[1-9]|s-maxage)/.test(cc)
}

describe('caching', { timeout: 30_000 }, () => {
  test('every personalised or session response is Cache-Control: no-store', async () => {
    const csrf = await homeCsrf(app, sid)
    const responses = [
      await app.inject({ url: '/', cookies: { sid } }),
      await app.inject({ url: '/api/me', cookies: { sid } }),
      await app.inject({ url: '/api/me' }),
      await app.inject({ url: '/login' }),
      await app.inject({ url: '/login', cookies: { sid } }),
      await app.inject({ url: '/' }),
      await app.inject({ url: '/nope', cookies: { sid } }),
      await app.inject({ method: 'POST', url: '/logout', cookies: { sid }, payload: {} }),
    ]
    for (const res of responses) {
      expect(res.headers['cache-control'], `${res.statusCode} ${res.body.slice(0, 80)}`).toBe(
        'no-store'
      )
    }
    expect(responses[0]!.statusCode).toBe(200)
    expect(responses[0]!.body).toContain(`Welcome, ${seeded.accounts[0]!.displayName}`)
    expect(csrf).toBeTruthy()
  })

  test('static assets are cacheable and never carry Set-Cookie, even with a session cookie', async () => {
    const files = readdirSync(clientAssetsDir).filter((f) => f.endsWith('.js'))
    expect(
      files.length,
      `no client build in ${clientAssetsDir}: run npm run build`
    ).toBeGreaterThan(0)
    const res = await app.inject({ url: `/assets/${files[0]}`, cookies: { sid } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(cacheable(res)).toBe(true)
    expect(res.headers['set-cookie']).toBeUndefined()
    const missing = await app.inject({ url: '/assets/missing.js', cookies: { sid } })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['cache-control']).toBe('no-store')
  })

  test('invariant: across all routes, no response is both cacheable and setting a cookie', async () => {
    const urls = ['/', '/login', '/api/me', '/assets/missing.js', '/x']
    for (const url of urls) {
      for (const cookies of [{}, { sid }, { sid: 'garbage' }]) {
        const res = await app.inject({ url, cookies })
        if (setCookies(res).length > 0) {
          expect(cacheable(res), url).toBe(false)
        }
      }
    }
  })
})

describe('security headers', { timeout: 30_000 }, () => {
  test('helmet headers and a CSP whose script nonce is fresh per request and passed to the renderer', async () => {
    const before = stub.calls.length
    const a = await app.inject({ url: '/', cookies: { sid } })
    const b = await app.inject({ url: '/', cookies: { sid } })
    const nonces = [a, b].map((res) => {
      const csp = String(res.headers['content-security-policy'])
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? ''
      expect(scriptSrc).not.toContain('unsafe-inline')
      expect(csp).toMatch(/default-src 'self'/)
      expect(csp).toMatch(/object-src 'none'/)
      expect(csp).toMatch(/frame-ancestors 'self'/)
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1]
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      expect(res.body).toContain(`nonce="${nonce}"`)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
      expect(res.headers['referrer-policy']).toBe('same-origin')
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
      return nonce
    })
    expect(nonces[0]).not.toBe(nonces[1])
    expect(stub.calls.slice(before).map((c) => c.nonce)).toEqual(nonces)
  })
})

describe(
  'unknown paths are 404, never the personalised page (web cache deception)',
  { timeout: 30_000 },
  () => {
    const paths = [
      '/index.php',
      '/api/me.css',
      '/api/me/x.css',
      '/api/me/',
      '/home/x.css',
      '/x.css',
      '/;x.css',
      '/%3Bx.css',
      '/%23x.css',
      '/%2F',
      '//',
      '/login.css',
      '/login/x.js',
      '/.env',
      '/assets/.hidden',
    ]
    test.each(paths)('%s', async (url) => {
      const res = await app.inject({ url, cookies: { sid } })
      expect(res.statusCode).toBe(404)
      expect(errorCodeOf(res)).toBe('HOME_ERR_NOT_FOUND')
      expect(res.headers['cache-control']).toBe('no-store')
      const me = seeded.accounts[0]!
      expect(res.body).not.toContain(me.displayName)
      expect(res.body).not.toContain(me.email)
    })

    test('other methods on known paths are 404 too', async () => {
      for (const [method, url] of [
        ['POST', '/'],
        ['PUT', '/login'],
        ['DELETE', '/api/me'],
      ] as const) {
        expect((await app.inject({ method, url, cookies: { sid } })).statusCode).toBe(404)
      }
    })
  }
)

describe('anonymous access', { timeout: 30_000 }, () => {
  test('GET / redirects 303 to /login and GET /api/me is a 401 JSON error', async () => {
    const home = await app.inject({ url: '/' })
    expect(home.statusCode).toBe(303)
    expect(home.headers.location).toBe('/login')
    const me = await app.inject({ url: '/api/me' })
    expect(me.statusCode).toBe(401)
    expect(me.json()).toEqual({
      error: { code: 'HOME_ERR_UNAUTHENTICATED', message: 'not signed in' },
    })
  })

  test('GET /api/me returns the session user without secrets', async () => {
    const me = (await app.inject({ url: '/api/me', cookies: { sid } })).json()
    const a = seeded.accounts[0]!
    expect(me).toMatchObject({
      userId: a.userId,
      username: a.username,
      displayName: a.displayName,
      email: a.email,
    })
    expect(JSON.stringify(me)).not.toMatch(/scrypt|password/i)
  })
})
