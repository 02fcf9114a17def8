import { describe, expect, test } from 'vitest'
import {
  headerValue,
  redactSetCookie,
  relevantHeaders,
  sharedCacheRisks as cacheRisks,
} from './response-headers.js'
import type { RawHeaders } from './response-headers.js'

describe('headers', () => {
  test('headerValue ignores name case and joins repeats', () => {
    expect(headerValue({ 'Cache-Control': 'no-store' }, 'cache-control')).toBe('no-store')
    expect(headerValue({ vary: ['Cookie', 'Accept'] }, 'vary')).toBe('Cookie, Accept')
    expect(headerValue({}, 'vary')).toBeUndefined()
  })

  test('redactSetCookie keeps names and attributes, hides values', () => {
    expect(redactSetCookie(['sid=abc; Path=/; HttpOnly', 'theme=dark'])).toBe(
      'sid=[redacted]; Path=/; HttpOnly, theme=[redacted]'
    )
  })

  // Regression (issue 11): a Set-Cookie without "=" was shown as if its value were a name.
  test('redactSetCookie hides a nameless cookie whole: without "=" the pair is the value', () => {
    expect(redactSetCookie(['s3cr3t-session-id; Path=/', 'bare'])).toBe(
      '[redacted]; Path=/, [redacted]'
    )
  })

  test('relevantHeaders keeps the useful ones, lower-cased, cookies redacted', () => {
    expect(
      relevantHeaders({
        'Content-Type': 'text/html',
        'X-Powered-By': 'x',
        'Set-Cookie': 'sid=secret; Path=/',
        Vary: ['Cookie', 'Accept-Encoding'],
        Date: 'now',
      })
    ).toEqual({
      'content-type': 'text/html',
      'set-cookie': 'sid=[redacted]; Path=/',
      vary: 'Cookie, Accept-Encoding',
    })
  })

  const sharedCacheRisks = (headers: RawHeaders, status: number, now: number): string[] =>
    cacheRisks(
      headerValue(headers, 'cache-control'),
      headerValue(headers, 'vary'),
      headerValue(headers, 'expires'),
      status,
      now
    )

  test('sharedCacheRisks: statuses a cache would not store are never a risk', () => {
    expect(sharedCacheRisks({ 'cache-control': 'public' }, 500, 0)).toEqual([])
    expect(sharedCacheRisks({ 'cache-control': 'public' }, 302, 0)).toEqual([])
  })

  test('sharedCacheRisks: the same answer for a pair seen last, first or in turn', () => {
    const none = {}
    const safe = { 'cache-control': 'no-store', vary: 'Cookie' }
    const risky = { 'Cache-Control': 'PUBLIC, max-age=60' }
    const expected = [
      'Cache-Control: public',
      'Cache-Control: max-age=60 without private/no-store',
      'no Vary: Cookie',
    ]
    for (let round = 0; round < 2; round++) {
      expect(sharedCacheRisks(none, 200, 0)).toEqual(['no Vary: Cookie'])
      expect(sharedCacheRisks(none, 200, 0)).toEqual(['no Vary: Cookie'])
      expect(sharedCacheRisks(safe, 200, 0)).toEqual([])
      expect(sharedCacheRisks(risky, 200, 0)).toEqual(expected)
      expect(sharedCacheRisks(risky, 200, 0)).toEqual(expected)
    }
  })

  test('sharedCacheRisks: a past Expires or max-age=0 is not a risk by itself', () => {
    const past = { expires: 'Thu, 01 Jan 1970 00:00:01 GMT', vary: 'Cookie' }
    expect(sharedCacheRisks(past, 200, Date.now())).toEqual([])
    expect(sharedCacheRisks({ 'cache-control': 'max-age=0', vary: 'Cookie' }, 200, 0)).toEqual([])
  })
})
