import { describe, expect, test } from 'vitest'
import { Allowlist } from '@crosstalk/detect'
import { createDetector } from './detector.js'
import { headerValue } from './response-headers.js'
import { buildMarkerIndex } from './marker-index.js'
import type { Account, ResponseSample } from './types.js'

const accounts: Account[] = [
  { index: 0, id: 'mary', fields: { name: 'Mary Smith', email: 'mary@example.com' } },
  { index: 1, id: 'bob', fields: { name: 'Bob Jones', email: 'bob@example.com' } },
  { index: 2, id: 'ann', fields: { name: 'Ann Lee', email: 'ann@example.com' } },
  { index: 3, id: 'annl', fields: { name: 'Ann Leeds', email: 'annl@example.com' } },
]
const options = { columns: ['name', 'email'], caseInsensitive: false, minLength: 3 }

function detector(): ReturnType<typeof createDetector> {
  return createDetector(buildMarkerIndex(accounts, options), accounts)
}

const PRIVATE = { 'content-type': 'text/html', 'cache-control': 'no-store' }

function texts(text: string, caseInsensitive = false): Allowlist {
  return new Allowlist([{ text }], { caseInsensitive })
}

function sample(over: Partial<ResponseSample>): ResponseSample {
  return {
    vu: 1,
    owner: 0,
    page: 'home',
    method: 'GET',
    url: 'http://127.0.0.1:1/home',
    status: 200,
    headers: PRIVATE,
    body: '<h1>Welcome, Mary Smith</h1>',
    time: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
    expectOwnMarker: true,
    concurrent: [],
    setCookies: [],
    ...over,
  }
}

describe('foreign identity (a)', () => {
  test("the owner's own page has no finding", () => {
    expect(detector().inspect(sample({}))).toEqual([])
  })

  test("another account's marker is a leak with full evidence", () => {
    const filler = 'x'.repeat(200)
    const [f, ...rest] = detector().inspect(
      sample({
        body: `<p>${filler}</p><h1>Welcome, Bob&nbsp;Jones</h1><p>${filler}</p>`,
        headers: { ...PRIVATE, 'set-cookie': ['sid=secret123; Path=/; HttpOnly'], 'x-other': 'no' },
        concurrent: [
          { vu: 7, account: 1 },
          { vu: 8, account: 2 },
        ],
      })
    )
    // The owner is missing too, but the leak explains it: no extra warning.
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      kind: 'foreign-identity',
      severity: 'leak',
      time: '2026-01-02T03:04:05.006Z',
      vu: 1,
      owner: { index: 0, id: 'mary' },
      foreign: [{ index: 1, id: 'bob', column: 'name', marker: 'Bob Jones' }],
      request: { method: 'GET', url: 'http://127.0.0.1:1/home', status: 200, page: 'home' },
      headers: {
        'content-type': 'text/html',
        'cache-control': 'no-store',
        'set-cookie': 'sid=[redacted]; Path=/; HttpOnly',
      },
      concurrent: [
        { vu: 7, account: 'bob', likelySource: true },
        { vu: 8, account: 'ann', likelySource: false },
      ],
    })
    expect(JSON.stringify(f)).not.toContain('secret123')
    expect(f?.excerpt?.match).toBe('Bob Jones')
    expect(f?.excerpt?.before).toHaveLength(80)
    expect(f?.excerpt?.before.endsWith('</p><h1>Welcome, ')).toBe(true)
    expect(f?.excerpt?.after).toHaveLength(80)
    expect(f?.excerpt?.after.startsWith('</h1><p>xxx')).toBe(true)
  })

  test('context is shorter at the edges of the body', () => {
    const [f] = detector().inspect(sample({ body: 'Mary Smith sees bob@example.com' }))
    expect(f?.excerpt).toEqual({ before: 'Mary Smith sees ', match: 'bob@example.com', after: '' })
  })

  test('several foreign accounts in one response make one finding listing each', () => {
    const findings = detector().inspect(
      sample({ body: 'Mary Smith | Bob Jones | ann@example.com | Bob Jones' })
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]?.foreign.map((x) => `${x.id}:${x.column}`)).toEqual([
      'bob:name',
      'ann:email',
    ])
  })

  test("the owner's longer name hides a foreign shorter name inside it", () => {
    const findings = detector().inspect(sample({ owner: 3, body: 'Welcome, Ann Leeds' }))
    expect(findings).toEqual([])
  })

  test('JSON escaped and entity-encoded markers are found', () => {
    const json = JSON.stringify({ user: 'Bob Jones' }).replace('o', '\\u006f')
    const f = detector().inspect(
      sample({ body: `Mary Smith ${json}`, headers: { 'content-type': 'application/json' } })
    )
    expect(f.map((x) => x.kind)).toContain('foreign-identity')
    const g = detector().inspect(sample({ body: 'Mary Smith &lt;bob&#64;example.com&gt;' }))
    expect(g[0]?.foreign[0]?.marker).toBe('bob@example.com')
  })

  test('a marker shared with the owner is the owner\u2019s', () => {
    const shared: Account[] = [
      { index: 0, id: 'a', fields: { name: 'Sam Smith' } },
      { index: 1, id: 'b', fields: { name: 'Sam Smith' } },
    ]
    const d = createDetector(buildMarkerIndex(shared, { ...options, columns: ['name'] }), shared)
    expect(d.inspect(sample({ body: 'Hi Sam Smith' }))).toEqual([])
    const other = d.inspect(sample({ owner: 0, body: 'Hi Sam Smith', page: 'x' }))
    expect(other).toEqual([])
  })
})

describe('allowlist', () => {
  test('matches inside allowlisted text count for nobody', () => {
    const body = 'Mary Smith <aside>Team: Bob Jones, Ann Lee</aside>'
    const clean = detector().inspect(sample({ body, allowlist: texts('Team: Bob Jones, Ann Lee') }))
    expect(clean).toEqual([])
  })

  test('the same name outside the allowlisted span is still a leak', () => {
    const body = 'Welcome Bob Jones <aside>Team: Bob Jones</aside> Mary Smith'
    const [f] = detector().inspect(sample({ body, allowlist: texts('Team: Bob Jones') }))
    expect(f?.kind).toBe('foreign-identity')
    expect(f?.excerpt?.before).toBe('Welcome ')
  })

  test('allowlist entries are normalised and follow case-insensitivity', () => {
    const d = createDetector(
      buildMarkerIndex(accounts, { ...options, caseInsensitive: true }),
      accounts
    )
    const body = 'Mary Smith <aside>TEAM:&nbsp;bob jones</aside>'
    expect(d.inspect(sample({ body, allowlist: texts('team:  Bob Jones', true) }))).toEqual([])
  })
})

describe('own identity missing (b)', () => {
  test('a page that should show the owner but does not is a warning', () => {
    const [f, ...rest] = detector().inspect(sample({ body: '<a href="/login">Sign in</a>' }))
    expect(rest).toEqual([])
    expect(f).toMatchObject({ kind: 'own-identity-missing', severity: 'warning', foreign: [] })
  })

  test('pages not expected to show the owner, and server errors, are not reported', () => {
    const d = detector()
    expect(d.inspect(sample({ body: 'public', expectOwnMarker: false }))).toEqual([])
    expect(d.inspect(sample({ body: 'oops', status: 503 }))).toEqual([])
  })

  test('reported once per VU and page until the identity is seen again', () => {
    const d = detector()
    const kinds = ['', 'x', 'Mary Smith', 'y'].map((body) => d.inspect(sample({ body })).length)
    expect(kinds).toEqual([1, 0, 0, 1])
  })
})

describe('session swap (c)', () => {
  const sid = 'a1b2c3d4e5f6a7b8c9d0'

  test('a session value handed to a second VU is a leak naming the holder', () => {
    const d = detector()
    expect(
      d.inspect(sample({ vu: 1, owner: 0, setCookies: [{ name: 'sid', value: sid }] }))
    ).toEqual([])
    const findings = d.inspect(
      sample({
        vu: 2,
        owner: 1,
        body: 'Bob Jones',
        setCookies: [{ name: 'sid', value: sid }],
        concurrent: [{ vu: 1, account: 0 }],
      })
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      kind: 'session-swap',
      severity: 'leak',
      owner: { id: 'bob' },
      foreign: [{ id: 'mary', column: 'cookie:sid', marker: '[redacted]' }],
      concurrent: [{ vu: 1, account: 'mary', likelySource: true }],
    })
    expect(JSON.stringify(findings)).not.toContain(sid)
  })

  test('the same VU getting its value again, constants and clearing values are not swaps', () => {
    const d = detector()
    const again = [1, 1].map(
      (vu) => d.inspect(sample({ vu, setCookies: [{ name: 'sid', value: sid }] })).length
    )
    expect(again).toEqual([0, 0])
    for (const vu of [2, 3]) {
      const cookies = [
        { name: 'lang', value: 'en' },
        { name: 'sid', value: '' },
        { name: 'consent', value: 'accepted' },
      ]
      expect(d.inspect(sample({ vu, setCookies: cookies }))).toEqual([])
    }
  })

  test('forgetVu releases the values of a finished VU', () => {
    const d = detector()
    d.inspect(sample({ vu: 1, setCookies: [{ name: 'sid', value: sid }] }))
    d.forgetVu(1)
    expect(d.inspect(sample({ vu: 2, setCookies: [{ name: 'sid', value: sid }] }))).toEqual([])
  })
})

describe('cacheable personalised (d)', () => {
  test.each([
    [{ 'cache-control': 'public, max-age=60', vary: 'Cookie' }, 'Cache-Control: public'],
    [{ 'cache-control': 'max-age=300', vary: 'Cookie' }, 'max-age=300'],
    [{ 'cache-control': 's-maxage=30', vary: 'Cookie' }, 's-maxage=30'],
    [{ vary: 'Accept-Encoding' }, 'no Vary: Cookie'],
    [{ expires: 'Fri, 01 Jan 2100 00:00:00 GMT', vary: 'Cookie' }, 'Expires'],
  ])('%j is a warning (%s)', (headers, reason) => {
    const [f, ...rest] = detector().inspect(sample({ headers }))
    expect(rest).toEqual([])
    expect(f).toMatchObject({ kind: 'cacheable-personalised', severity: 'warning' })
    expect(f?.detail).toContain(reason)
  })

  test.each([
    [{ 'cache-control': 'no-store' }],
    [{ 'cache-control': 'private, max-age=60' }],
    [{ 'cache-control': 'public, no-store' }],
    [{ 'cache-control': 'no-cache', vary: 'Accept-Encoding, Cookie' }],
  ])('%j is fine', (headers) => {
    expect(detector().inspect(sample({ headers }))).toEqual([])
  })

  test("a sample's own header lookup is used, and headers are read only for the evidence", () => {
    const headers = { 'cache-control': 'public, max-age=60', vary: 'Cookie' }
    let recordReads = 0
    const looked: string[] = []
    const withLookup = {
      ...sample({}),
      get headers() {
        recordReads++
        return headers
      },
      header(name: string) {
        looked.push(name)
        return headerValue(headers, name)
      },
    }
    const [f] = detector().inspect(withLookup)
    expect(f).toMatchObject({ kind: 'cacheable-personalised', headers })
    expect(looked).toEqual(['content-type', 'cache-control', 'vary', 'expires'])
    // Only the finding's evidence reads the whole record.
    expect(recordReads).toBe(1)
    expect(
      detector().inspect({ ...withLookup, header: (name) => headerValue(PRIVATE, name) })
    ).toEqual([])
  })

  test('responses with no identity on them are not personalised', () => {
    const d = detector()
    const body = 'public page'
    expect(d.inspect(sample({ body, expectOwnMarker: false, headers: {} }))).toEqual([])
  })

  test('reported once per page and reason', () => {
    const d = detector()
    const headers = { 'cache-control': 'public' }
    expect(d.inspect(sample({ headers }))).toHaveLength(1)
    expect(d.inspect(sample({ headers, vu: 2 }))).toHaveLength(0)
    expect(d.inspect(sample({ headers, page: 'profile' }))).toHaveLength(1)
  })
})
