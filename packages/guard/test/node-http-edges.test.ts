// The node:http adapter's edges: report mode, bodiless responses, session cookies, content types,
// anonymous requests, and the guard's own failures (never a crash: fail open or closed).
import { afterEach, describe, expect, test } from 'vitest'
import { GuardIdentityError } from '../src/errors.js'
import { get } from './helpers/http-client.js'
import { closeGuards, JOHN, makeGuard, MARY } from './helpers/make-guard.js'
import { closeAll, listen } from './helpers/servers.js'

afterEach(async () => {
  await closeAll()
  closeGuards()
})

function recorder(): {
  lines: string[]
  fields: object[]
  log: { warn: (f: object, m: string) => void; error: (f: object, m: string) => void }
} {
  const lines: string[] = []
  const fields: object[] = []
  const push = (f: object, m: string): void => {
    fields.push(f)
    lines.push(m)
  }
  return { lines, fields, log: { warn: push, error: push } }
}

describe('report mode', () => {
  test('a leaking page is sent as is, counted, and logged in one line without the leaked data', async () => {
    const { lines, fields, log } = recorder()
    const guard = makeGuard({ mode: 'report', log })
    guard.activate(JOHN)
    const page = '<h1>Welcome, John Jones</h1><a href="mailto:john@example.test">mail</a>'
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => MARY })
      res.setHeader('content-type', 'text/html')
      res.end(page)
    })
    const r = await get(url)
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe(page)
    expect(guard.stats()).toMatchObject({ leaks: 1, reported: 1, blocked: 0 })
    expect(lines).toEqual([
      'guard: reported GET / (200) for identity u1: foreign-identity; markers of 1 other identity (u2; fields displayName, email)',
    ])
    expect(JSON.stringify(fields) + lines.join()).not.toMatch(/John|john@/)
  })

  test('sampleRate: only the sampled share of responses is scanned', async () => {
    let n = 0
    const guard = makeGuard({
      mode: 'report',
      sampleRate: 0.5,
      random: () => (n++ % 2 === 0 ? 0.1 : 0.9),
    })
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => MARY })
      res.end('John Jones')
    })
    guard.activate(JOHN)
    for (let i = 0; i < 4; i++) {
      await get(url)
    }
    expect(guard.stats()).toMatchObject({
      responses: 4,
      scanned: 2,
      reported: 2,
      skipped: { sampledOut: 2 },
    })
  })
})

describe('bodiless responses and content types', () => {
  test('HEAD, 204 and 304 pass with their headers; nothing is scanned', async () => {
    const guard = makeGuard()
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => MARY })
      res.statusCode = req.url === '/204' ? 204 : req.url === '/304' ? 304 : 200
      res.setHeader('etag', '"1"')
      res.end(req.url === '/' ? 'John Jones' : undefined)
    })
    guard.activate(JOHN)
    const head = await get(url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.etag).toBe('"1"')
    expect((await get(`${url}/204`)).status).toBe(204)
    expect((await get(`${url}/304`)).status).toBe(304)
    expect(guard.stats()).toMatchObject({ responses: 3, scanned: 0, skipped: { noBody: 3 } })
  })

  test('binary and event-stream bodies pass unscanned, without buffering', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => MARY })
      res.setHeader('content-type', req.url === '/sse' ? 'text/event-stream' : 'image/png')
      res.end('John Jones')
    })
    expect((await get(url)).status).toBe(200)
    expect((await get(`${url}/sse`)).body.toString()).toBe('John Jones')
    expect(guard.stats().skipped.type).toBe(2)
  })

  test('anonymous responses are not scanned unless scanAnonymous', async () => {
    for (const scanAnonymous of [false, true]) {
      const guard = makeGuard({ scanAnonymous })
      guard.activate(JOHN)
      const url = await listen((req, res) => {
        guard.protect(req, res, { identify: () => undefined })
        res.end('John Jones')
      })
      expect((await get(url)).status).toBe(scanAnonymous ? 500 : 200)
    }
  })
})

describe('stats', () => {
  test('index figures: a new identity is pending in the overlay, then folded into one layer by ready()', async () => {
    const guard = makeGuard()
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => MARY })
      res.end('<p>Mary Major</p>')
    })
    guard.activate(JOHN)
    expect((await get(url)).status).toBe(200)
    expect((await get(url)).status).toBe(200)
    expect(guard.stats().index).toMatchObject({ indexed: 2, pending: 2, layers: 2 })
    expect(guard.stats().index.scanCacheBytes).toBeGreaterThan(0)
    await guard.ready()
    const { index } = guard.stats()
    expect(index).toMatchObject({ indexed: 2, pending: 0, layers: 1, generation: 1 })
    expect(index.bytes).toBeGreaterThan(0)
  })
})

describe('session cookies', () => {
  test("a Set-Cookie handing out another identity's session is never sent (block), even on HEAD", async () => {
    const guard = makeGuard()
    const url = await listen((req, res) => {
      const who = req.headers['x-who'] === 'john' ? JOHN : MARY
      guard.protect(req, res, { identify: () => who })
      if (req.url === '/swap') {
        res.setHeader('set-cookie', ['theme=dark', 'sid=john-session; HttpOnly'])
      }
      res.end('ok')
    })
    // John's request carries his session: the guard learns it.
    await get(url, { headers: { 'x-who': 'john', cookie: 'sid=john-session' } })
    const r = await get(`${url}/swap`)
    expect(r.status).toBe(500)
    expect(r.headers['set-cookie']).toBeUndefined()
    const head = await get(`${url}/swap`, { method: 'HEAD' })
    expect(head.status).toBe(500)
    expect(head.headers['set-cookie']).toBeUndefined()
    expect(guard.stats().reasons['foreign-session-cookie']).toBe(2)
    // John himself may be handed his own session.
    expect((await get(`${url}/swap`, { headers: { 'x-who': 'john' } })).status).toBe(200)
  })

  test('a session the response sets for its own identity is learnt: handing it to someone else later is caught', async () => {
    const guard = makeGuard()
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => (req.url === '/login' ? JOHN : MARY) })
      res.setHeader('set-cookie', 'sid=new-john-session')
      res.end('ok')
    })
    expect((await get(`${url}/login`)).status).toBe(200)
    expect((await get(`${url}/cached`)).status).toBe(500)
  })
})

describe('guard failures never crash the server', () => {
  test('identify throws: 500 in block mode (fail-closed), sent in report mode; counted', async () => {
    for (const mode of ['block', 'report'] as const) {
      const { fields, log } = recorder()
      const guard = makeGuard({ mode, log })
      const url = await listen((req, res) => {
        guard.protect(req, res, {
          identify: () => {
            throw new Error('session store down')
          },
        })
        res.end('hello')
      })
      const r = await get(url)
      expect(r.status).toBe(mode === 'block' ? 500 : 200)
      expect(guard.stats()).toMatchObject({
        errors: 1,
        [mode === 'block' ? 'failedClosed' : 'failedOpen']: 1,
      })
      expect(JSON.stringify(fields)).toContain('GUARD_ERR_INTERNAL')
    }
  })

  test('onError fail-open sends the response unchecked', async () => {
    const guard = makeGuard({ onError: 'fail-open' })
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => ({ id: '', markers: {} }) })
      res.end('John Jones')
    })
    const r = await get(url)
    expect(r.status).toBe(200)
    expect(guard.stats()).toMatchObject({ errors: 1, failedOpen: 1 })
  })

  test('an async identify is awaited; a rejected one fails closed', async () => {
    const guard = makeGuard()
    guard.activate(JOHN)
    const url = await listen((req, res) => {
      guard.protect(req, res, {
        identify: async () => {
          await new Promise((r) => setTimeout(r, 5))
          if (req.url === '/reject') {
            throw new GuardIdentityError('no session')
          }
          return MARY
        },
      })
      res.end(req.url === '/leak' ? 'John Jones' : 'Mary Major')
    })
    expect((await get(url)).status).toBe(200)
    expect((await get(`${url}/leak`)).status).toBe(500)
    expect((await get(`${url}/reject`)).status).toBe(500)
    expect(guard.stats()).toMatchObject({ blocked: 1, errors: 1 })
  })

  test('a throwing logger does not break the response', async () => {
    const guard = makeGuard({
      log: {
        warn: () => {
          throw new Error('logger down')
        },
        error: () => {},
      },
    })
    guard.activate(JOHN)
    const url = await listen((req, res) => {
      guard.protect(req, res, { identify: () => MARY })
      res.end('John Jones')
    })
    expect((await get(url)).status).toBe(500)
  })
})
