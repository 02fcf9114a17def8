import { describe, expect, test } from 'vitest'
import { CookieJar } from './cookie-jar.js'
import {
  MAX_ATTRIBUTE_BYTES,
  MAX_COOKIE_BYTES,
  MAX_COOKIES_PER_DOMAIN,
  parseSetCookie,
} from './set-cookie.js'

const site = new URL('http://127.0.0.1:3000/login')

describe('CookieJar', () => {
  test('stores, replaces and sends cookies by path', () => {
    const jar = new CookieJar()
    expect(jar.storeFromResponse(site, ['sid=a; Path=/; HttpOnly', 'pref=1; Path=/app'])).toEqual([
      { name: 'sid', value: 'a' },
      { name: 'pref', value: '1' },
    ])
    expect(jar.cookieHeader(new URL('http://127.0.0.1:3000/'))).toBe('sid=a')
    expect(jar.cookieHeader(new URL('http://127.0.0.1:3000/app/x'))).toBe('pref=1; sid=a')
    expect(jar.cookieHeader(new URL('http://127.0.0.1:3000/application'))).toBe('sid=a')
    jar.storeFromResponse(site, ['sid=b; Path=/'])
    expect(jar.get(site, 'sid')).toBe('b')
  })

  test('default path is the request directory', () => {
    const jar = new CookieJar()
    jar.storeFromResponse(new URL('http://127.0.0.1/a/b/c'), ['x=1'])
    expect(jar.cookieHeader(new URL('http://127.0.0.1/a/b/d'))).toBe('x=1')
    expect(jar.cookieHeader(new URL('http://127.0.0.1/a/'))).toBeUndefined()
  })

  test('Max-Age=0 and past Expires delete; future expiry is honoured with a fake clock', () => {
    let now = 1_000_000
    const jar = new CookieJar(() => now)
    jar.storeFromResponse(site, ['a=1; Max-Age=10', 'b=2; Path=/'])
    jar.storeFromResponse(site, ['b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'])
    expect(jar.cookieHeader(site)).toBe('a=1')
    now += 11_000
    expect(jar.cookieHeader(site)).toBeUndefined()
    expect(jar.size).toBe(0)
  })

  test('a repeated Cookie header is reused only while the jar, the URL and the clock allow', () => {
    let now = 1_000_000
    const jar = new CookieJar(() => now)
    const home = new URL('http://127.0.0.1:3000/')
    jar.storeFromResponse(site, ['sid=a; Path=/', 'tmp=1; Path=/; Max-Age=5'])
    expect(jar.cookieHeader(home)).toBe('sid=a; tmp=1')
    expect(jar.cookieHeader(home)).toBe('sid=a; tmp=1')
    // A different URL gets its own header, then the first one again.
    jar.storeFromResponse(site, ['deep=2; Path=/deep'])
    expect(jar.cookieHeader(new URL('http://127.0.0.1:3000/deep/x'))).toBe('deep=2; sid=a; tmp=1')
    expect(jar.cookieHeader(home)).toBe('sid=a; tmp=1')
    // A changed cookie and an expiry both show at once.
    jar.storeFromResponse(site, ['sid=b; Path=/'])
    expect(jar.cookieHeader(home)).toBe('sid=b; tmp=1')
    now += 4_999
    expect(jar.cookieHeader(home)).toBe('sid=b; tmp=1')
    now += 1
    expect(jar.cookieHeader(home)).toBe('sid=b')
    // Secure cookies depend on the scheme, which is part of the reuse check.
    jar.storeFromResponse(new URL('https://example.test/'), ['s=1; Secure'])
    expect(jar.cookieHeader(new URL('https://example.test/'))).toBe('s=1')
    expect(jar.cookieHeader(new URL('http://example.test/'))).toBeUndefined()
  })

  test('host-only cookies stay on their host; a foreign Domain is refused', () => {
    const jar = new CookieJar()
    jar.storeFromResponse(new URL('http://app.example.test/'), [
      'h=1',
      'd=2; Domain=example.test',
      'evil=3; Domain=other.test',
    ])
    expect(jar.cookieHeader(new URL('http://app.example.test/'))).toBe('h=1; d=2')
    expect(jar.cookieHeader(new URL('http://api.example.test/'))).toBe('d=2')
    expect(jar.cookieHeader(new URL('http://other.test/'))).toBeUndefined()
  })

  test('Secure cookies go to https and loopback only', () => {
    const jar = new CookieJar()
    jar.storeFromResponse(new URL('http://127.0.0.1/'), ['s=1; Secure'])
    expect(jar.cookieHeader(new URL('http://127.0.0.1/'))).toBe('s=1')
    const remote = new CookieJar()
    remote.storeFromResponse(new URL('https://example.test/'), ['s=1; Secure'])
    expect(remote.cookieHeader(new URL('http://example.test/'))).toBeUndefined()
    expect(remote.cookieHeader(new URL('https://example.test/'))).toBe('s=1')
  })

  test("two jars never see each other's cookies", () => {
    const a = new CookieJar()
    const b = new CookieJar()
    a.storeFromResponse(site, ['sid=for-a; Path=/'])
    b.storeFromResponse(site, ['sid=for-b; Path=/'])
    a.storeFromResponse(site, ['csrf=a2; Path=/'])
    expect(a.cookieHeader(site)).toBe('sid=for-a; csrf=a2')
    expect(b.cookieHeader(site)).toBe('sid=for-b')
  })

  test('parseSetCookie handles quotes; a pair without = is a nameless cookie (RFC 6265bis)', () => {
    expect(parseSetCookie('a="q v"; Path=/')).toMatchObject({ name: 'a', value: 'q v' })
    expect(parseSetCookie('novalue')).toMatchObject({ name: '', value: 'novalue' })
    expect(parseSetCookie('=x')).toMatchObject({ name: '', value: 'x' })
    expect(parseSetCookie('=')).toBe('invalid')
    expect(parseSetCookie('a=b\u0000c')).toBe('invalid')
    expect(parseSetCookie('a=b\tc')).toMatchObject({ value: 'b\tc' })
  })

  // Regression (issue 11): a Set-Cookie without "=" was dropped by the jar and shown in evidence
  // as if its value were a cookie name.
  test('a nameless cookie is stored and sent back as its value alone', () => {
    const jar = new CookieJar()
    expect(jar.storeFromResponse(site, ['s3cr3t-session; Path=/'])).toEqual([
      { name: '', value: 's3cr3t-session' },
    ])
    jar.storeFromResponse(site, ['sid=a; Path=/'])
    expect(jar.cookieHeader(site)).toBe('s3cr3t-session; sid=a')
  })
})

describe('CookieJar limits (browser behaviour)', () => {
  function observed(): { jar: CookieJar; drops: string[]; held: Map<string, number> } {
    const drops: string[] = []
    const held = new Map<string, number>()
    const jar = new CookieJar(Date.now, {
      dropped: (reason, name) => drops.push(`${reason}:${name}`),
      hold: (v) => held.set(v, (held.get(v) ?? 0) + 1),
      release: (v) => {
        const n = (held.get(v) ?? 0) - 1
        if (n <= 0) {
          held.delete(v)
        } else {
          held.set(v, n)
        }
      },
    })
    return { jar, drops, held }
  }

  test(`a cookie whose name and value pass ${MAX_COOKIE_BYTES} bytes is refused and reported`, () => {
    const { jar, drops } = observed()
    jar.storeFromResponse(site, [
      `big=${'x'.repeat(MAX_COOKIE_BYTES - 2)}`,
      `ok=${'x'.repeat(MAX_COOKIE_BYTES - 2)}`,
    ])
    expect(drops).toEqual(['too-large:big'])
    expect(jar.size).toBe(1)
  })

  test('an attribute over 1,024 bytes is ignored, the cookie kept', () => {
    const jar = new CookieJar()
    jar.storeFromResponse(site, [`a=1; Path=/${'p'.repeat(MAX_ATTRIBUTE_BYTES)}`])
    // The long Path is ignored, so the default path (/) applies.
    expect(jar.cookieHeader(new URL('http://127.0.0.1:3000/'))).toBe('a=1')
  })

  test(`at most ${MAX_COOKIES_PER_DOMAIN} cookies per domain: the oldest go, each reported`, () => {
    const { jar, drops, held } = observed()
    jar.storeFromResponse(site, ['sid=session-value; Path=/'])
    const many = Array.from({ length: 200 }, (_, i) => `c${i}=value-${i}; Path=/`)
    jar.storeFromResponse(site, many)
    expect(jar.size).toBe(MAX_COOKIES_PER_DOMAIN)
    expect(drops).toHaveLength(21)
    expect(drops[0]).toBe('evicted:sid')
    expect(drops[20]).toBe('evicted:c19')
    // The values it no longer holds are released, so the book stays as small as the jar.
    expect(held.size).toBe(MAX_COOKIES_PER_DOMAIN)
    expect(held.has('session-value')).toBe(false)
  })

  test('expired cookies are evicted before live ones', () => {
    let now = 1_000_000
    const jar = new CookieJar(() => now)
    jar.storeFromResponse(site, ['old=1; Path=/', 'short=2; Path=/; Max-Age=1'])
    now += 2000
    jar.storeFromResponse(
      site,
      Array.from({ length: MAX_COOKIES_PER_DOMAIN - 1 }, (_, i) => `c${i}=v; Path=/`)
    )
    // 181 stored, one of them expired: it goes, the oldest live one stays.
    expect(jar.size).toBe(MAX_COOKIES_PER_DOMAIN)
    expect(jar.get(site, 'old')).toBe('1')
  })

  test('replacing a cookie releases the old value and keeps its place', () => {
    const { jar, held } = observed()
    jar.storeFromResponse(site, ['a=first-value; Path=/', 'b=2; Path=/'])
    jar.storeFromResponse(site, ['a=second-value; Path=/'])
    expect([...held.keys()].sort()).toEqual(['2', 'second-value'])
    expect(jar.cookieHeader(site)).toBe('a=second-value; b=2')
  })

  test('a foreign Domain and control characters are reported as dropped', () => {
    const { jar, drops } = observed()
    jar.storeFromResponse(new URL('http://app.example.test/'), [
      'evil=3; Domain=other.test',
      'bad=a\u0001b',
    ])
    expect(drops).toEqual(['foreign-domain:evil', 'invalid:bad'])
  })
})
