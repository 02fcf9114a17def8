import { describe, expect, test } from 'vitest'
import { headerValue, redactSetCookie, relevantHeaders } from './response-headers.js'

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
})
