import { expect, test } from 'vitest'
import { redactConfig, redactQuery, secretQueryValues } from './redact-config.js'

test('secret-looking values are redacted, templates and other values kept', () => {
  const config = {
    target: 'http://127.0.0.1:3000',
    login: [
      {
        form: { username: '{{account.username}}', password: 'hunter2', _csrf: '{{csrf}}' },
        headers: { authorization: 'Bearer abc.def', 'x-api-key': 'k-123', accept: 'text/html' },
        json: { token: 'literal-token', pin: '1234' },
      },
      { headers: { authorization: 'Bearer {{token}}' } },
    ],
    load: { vus: 2, seed: 'abc' },
  }
  expect(redactConfig(config, ['pin'])).toEqual({
    target: 'http://127.0.0.1:3000',
    login: [
      {
        form: { username: '{{account.username}}', password: '[redacted]', _csrf: '{{csrf}}' },
        headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'text/html' },
        json: { token: '[redacted]', pin: '[redacted]' },
      },
      { headers: { authorization: 'Bearer {{token}}' } },
    ],
    load: { vus: 2, seed: 'abc' },
  })
})

// Regression (issue 11): redaction went by field name only, so `form.pwd` and `x-pw` showed.
test('every literal a step sends in a form, JSON or a non-public header is redacted, whatever its name', () => {
  const config = {
    login: [
      {
        path: '/login?next=/home',
        form: { pwd: 'hunter2', remember: 'on', nested: '{{vu}}' },
        json: { a: { b: ['s3cret', 42, true] }, headers: { accept: 'in-json' } },
        headers: { 'x-pw': 'hunter2', 'Content-Type': 'text/plain', 'x-mixed': 'k-{{vu}}' },
      },
    ],
  }
  expect(redactConfig(config, [])).toEqual({
    login: [
      {
        path: '/login?next=/home',
        form: { pwd: '[redacted]', remember: '[redacted]', nested: '{{vu}}' },
        json: { a: { b: ['[redacted]', 42, true] }, headers: { accept: '[redacted]' } },
        headers: { 'x-pw': '[redacted]', 'Content-Type': 'text/plain', 'x-mixed': '[redacted]' },
      },
    ],
  })
})

test('query values under secret-looking names are redacted in paths', () => {
  expect(redactQuery('/a?access_token=abc&page=2&api_key={{key}}#x')).toBe(
    '/a?access_token=[redacted]&page=2&api_key={{key}}#x'
  )
  expect(secretQueryValues('/a?access_token=abc&page=2&sig=xyz')).toEqual(['abc', 'xyz'])
  expect(redactConfig({ pages: [{ path: '/d?token=lit' }] }, [])).toEqual({
    pages: [{ path: '/d?token=[redacted]' }],
  })
})
