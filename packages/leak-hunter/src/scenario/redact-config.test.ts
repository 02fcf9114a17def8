import { expect, test } from 'vitest'
import { redactConfig } from './redact-config.js'

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
