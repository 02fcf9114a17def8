// Express 5 with compression(): the guard mounted after compression() sees the body before it is
// compressed, so a gzip response is scanned and a leak is stopped; mounted before it, the body
// reaches the guard compressed and is counted unchecked (GUARD_ERR_ENCODED_BODY).
import { gunzipSync } from 'node:zlib'
import compression from 'compression'
import express from 'express'
import { afterEach, describe, expect, test } from 'vitest'
import { get } from './helpers/http-client.js'
import { closeGuards, JOHN, makeGuard, MARY } from './helpers/make-guard.js'
import { closeAll, listen } from './helpers/servers.js'

afterEach(async () => {
  await closeAll()
  closeGuards()
})

const big = (name: string): string =>
  `<html><body><h1>Welcome, ${name}</h1>${'<p>lorem ipsum dolor</p>'.repeat(200)}</body></html>`

function app(
  guard: ReturnType<typeof makeGuard>,
  order: 'guard-inside' | 'guard-outside'
): express.Express {
  const a = express()
  const g = guard.middleware({ identify: () => MARY })
  if (order === 'guard-inside') {
    a.use(compression(), g)
  } else {
    a.use(g, compression())
  }
  a.get('/clean', (_req, res) => {
    res.type('html').send(big('Mary Major'))
  })
  a.get('/leak', (_req, res) => {
    res.cookie('sid', 'x').type('html').send(big('John Jones'))
  })
  a.get('/json', (_req, res) => {
    res.json({ user: { name: 'John Jones' } })
  })
  a.get('/stream', (_req, res) => {
    res.type('html')
    res.write(big('Mary Major'))
    setTimeout(() => res.end('<p>John Jones</p>'), 10)
  })
  return a
}

describe('Express + compression()', () => {
  test('guard after compression(): a clean page arrives gzip-compressed and intact', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await listen(app(guard, 'guard-inside').listen(0, '127.0.0.1'))
    const r = await get(`${url}/clean`, { headers: { 'accept-encoding': 'gzip' } })
    expect(r.status).toBe(200)
    expect(r.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(r.body).toString()).toBe(big('Mary Major'))
    expect(guard.stats()).toMatchObject({ scanned: 1, leaks: 0 })
  })

  test('guard after compression(): leaking pages (res.send, res.json, streamed) are 500s without the cookie', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await listen(app(guard, 'guard-inside').listen(0, '127.0.0.1'))
    for (const path of ['/leak', '/json', '/stream']) {
      const r = await get(`${url}${path}`, { headers: { 'accept-encoding': 'gzip' } })
      expect(r.status, path).toBe(500)
      expect(r.headers['set-cookie']).toBeUndefined()
      const text =
        r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body).toString() : r.body.toString()
      expect(text).toBe('Internal Server Error\n')
    }
    expect(guard.stats().blocked).toBe(3)
  })

  test('guard before compression(): the body arrives compressed, counted unchecked, failed closed in block mode', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await listen(app(guard, 'guard-outside').listen(0, '127.0.0.1'))
    const r = await get(`${url}/clean`, { headers: { 'accept-encoding': 'gzip' } })
    expect(r.status).toBe(500)
    expect(guard.stats()).toMatchObject({ unchecked: { encoded: 1 }, failedClosed: 1 })
    // Without compression negotiated, the same order works.
    expect((await get(`${url}/clean`)).status).toBe(200)
  })
})
