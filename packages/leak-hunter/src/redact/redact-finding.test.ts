import { describe, expect, test } from 'vitest'
import type { Finding } from '../detect/types.js'
import { EXCERPT_CHARS, redactExcerpt, redactFinding } from './redact-finding.js'
import { REDACTED, SecretBook } from './secret-book.js'

const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00'
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function book(...values: string[]): SecretBook {
  const b = new SecretBook(false)
  values.forEach((v) => b.hold(v))
  return b
}

describe('redactFinding', () => {
  test('URL, headers, marker, excerpt and detail are redacted by value', () => {
    const finding: Finding = {
      kind: 'foreign-identity',
      severity: 'leak',
      time: '2026-01-01T00:00:00.000Z',
      vu: 1,
      owner: { index: 0, id: 'ann' },
      foreign: [{ index: 1, id: 'bob', column: 'displayName', marker: 'Bob Stone' }],
      request: { method: 'GET', url: `http://h/x?t=${TOKEN}`, status: 200, page: 'p' },
      headers: { location: `/next?t=${TOKEN}` },
      excerpt: { before: `token ${TOKEN} `, match: 'Bob Stone', after: ` ${TOKEN}` },
      concurrent: [],
      detail: `saw ${TOKEN}`,
    }
    const out = redactFinding(finding, book(TOKEN))
    expect(JSON.stringify(out)).not.toContain(TOKEN)
    expect(out.request.url).toBe(`http://h/x?t=${REDACTED}`)
    expect(out.excerpt).toEqual({
      before: `token ${REDACTED} `,
      match: 'Bob Stone',
      after: ` ${REDACTED}`,
    })
    expect(out.detail).toBe(`saw ${REDACTED}`)
    // The original is left alone.
    expect(finding.detail).toBe(`saw ${TOKEN}`)
  })
})

describe('redactExcerpt', () => {
  test('a secret that starts outside the shown characters and ends inside them goes whole', () => {
    const before = `${'a'.repeat(500)}${TOKEN}${'x'.repeat(EXCERPT_CHARS - 10)}`
    const out = redactExcerpt({ before, match: 'Bob', after: '' }, book(TOKEN))
    // Without the wider window the detector cuts, 10 characters of the token would show here.
    expect(out.before).toBe(`${REDACTED}${'x'.repeat(EXCERPT_CHARS - 10)}`)
  })

  test('cuts to the shown characters without splitting a mark or a surrogate pair', () => {
    const out = redactExcerpt(
      { before: `${'😀'.repeat(100)}`, match: 'Bob', after: `${TOKEN}${'😀'.repeat(100)}` },
      book(TOKEN)
    )
    expect(out.before.length).toBeLessThanOrEqual(EXCERPT_CHARS)
    expect(out.before).not.toMatch(LONE_SURROGATE)
    expect(out.after.startsWith(REDACTED)).toBe(true)
    expect(out.after).not.toMatch(LONE_SURROGATE)
    expect(out.after.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1)
  })

  test('a secret spanning the match and its context is covered on both sides', () => {
    const out = redactExcerpt({ before: 'id=Bo', match: 'b Stone', after: '!' }, book('Bob Stone'))
    expect(out).toEqual({ before: `id=${REDACTED}`, match: REDACTED, after: '!' })
  })
})

describe('secrets the page marks', () => {
  test('a CSRF meta tag, a hidden input, a nonce and a JSON token are redacted though no VU held them', () => {
    const before =
      '<meta name="csrf-token" content="ZpaZwYSa4m4lkJJq.CnDHpEs3a4cw"><script nonce="n0nc3v4lu3">' +
      '{"user":"x","accessToken":"eyJhbGciOi.payload.sig"}</script>' +
      '<input type="hidden" name="_csrf" value="h1dd3n-t0k3n"><title>Home · '
    const out = redactExcerpt(
      { before: `${'z'.repeat(300)}${before}`, match: 'Ana Nilsson', after: '</title>' },
      new SecretBook(false)
    )
    for (const secret of ['ZpaZwYSa4m4lkJJq', 'n0nc3v4lu3', 'eyJhbGciOi', 'h1dd3n-t0k3n']) {
      expect(out.before).not.toContain(secret.slice(-6))
    }
    expect(out.before).toContain(`value="${REDACTED}"><title>Home · `)
    expect(out.match).toBe('Ana Nilsson')
  })

  test('other attribute values and JSON values stay', () => {
    const out = redactExcerpt(
      {
        before: '<meta name="viewport" content="width=device-width">{"name":"Ana"} ',
        match: 'Ana',
        after: '',
      },
      new SecretBook(false)
    )
    expect(out.before).toBe('<meta name="viewport" content="width=device-width">{"name":"Ana"} ')
  })
})
