import { describe, expect, test } from 'vitest'
import { CookieJar, parseSetCookie } from './cookie-jar.js'

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

  test('parseSetCookie handles quotes and ignores nameless cookies', () => {
    expect(parseSetCookie('a="q v"; Path=/')?.value).toBe('q v')
    expect(parseSetCookie('novalue')).toBeUndefined()
    expect(parseSetCookie('=x')).toBeUndefined()
  })
})
