/* eslint-disable @typescript-eslint/no-explicit-any -- these tests break scenario objects on purpose */
// Request splitting: nothing in a scenario or its accounts can put a CR, LF or other control into
// a request line or a header. Each is an invalid scenario (exit 2) before anything is sent.
import { describe, expect, test } from 'vitest'
import { headerEncoder } from './template.js'
import { validateScenario } from './validate-scenario.js'

const CSV =
  'username,password,displayName,email,userId\nann,pw1,Ann Lee,ann@example.test,u1\nbob,pw2,Bob Stone,bob@example.test,u2\n'

function base(): Record<string, any> {
  return {
    target: 'http://127.0.0.1:3000',
    accounts: { file: 'accounts.csv', credentials: ['username', 'password'] },
    markers: { columns: ['displayName', 'email', 'userId'] },
    login: [
      { path: '/login' },
      { method: 'POST', path: '/login', form: { username: '{{account.username}}' } },
      { path: '/', verify: true },
    ],
    pages: [{ path: '/' }],
    load: { vus: 2, duration: '10s' },
  }
}

async function problem(mutate: (s: Record<string, any>) => void, csv = CSV): Promise<Error> {
  const s = base()
  mutate(s)
  return validateScenario(s, () => Promise.resolve(csv)).then(
    () => {
      throw new Error('expected the scenario to be rejected')
    },
    (err: Error) => err
  )
}

describe('CR, LF and other controls in a request', () => {
  // Regression (issue 11): a path with a literal CR/LF passed validation and the run ended as
  // "target unreachable" (exit 3).
  test.each([
    [
      'CR LF in a page path',
      (s: any) => (s.pages[0].path = '/a\r\nX-Evil: 1'),
      'pages[0].path: contains CR at offset 2',
    ],
    [
      'LF in a login path',
      (s: any) => (s.login[0].path = '/log\nin'),
      'login[0].path: contains LF',
    ],
    ['NUL in a path', (s: any) => (s.pages[0].path = '/a\u0000b'), 'contains U+0000'],
    [
      'a space in a path',
      (s: any) => (s.pages[0].path = '/a b'),
      'contains a space at offset 2 (write it as %20)',
    ],
    ['DEL in a path', (s: any) => (s.pages[0].path = '/a\u007f'), 'contains U+007F'],
    [
      'a tab in the target',
      (s: any) => (s.target = 'http://127.0.0.1:3000/a\tb'),
      'target: contains TAB',
    ],
    [
      'LF in the target',
      (s: any) => (s.target = 'http://127.0.0.1:3000/\nx'),
      'target: contains LF',
    ],
    [
      'CR LF in a literal header value',
      (s: any) => (s.pages[0].headers = { 'x-a': 'b\r\nSet-Cookie: x=y' }),
      'pages[0].headers.x-a: contains CR, which a header value cannot carry',
    ],
    [
      'a control character in a header around a template',
      (s: any) => (s.pages[0].headers = { 'x-a': '\u0001{{vu}}' }),
      'pages[0].headers.x-a: contains U+0001',
    ],
    [
      'a character above U+00FF in a header value',
      (s: any) => (s.pages[0].headers = { 'x-a': 'snow ☃' }),
      'contains U+2603',
    ],
  ])('%s is an invalid scenario', async (_name, mutate, message) => {
    const err = (await problem(mutate)) as Error & { code: string }
    expect(err.code).toBe('HUNT_ERR_SCENARIO_INVALID')
    expect(err.message).toContain(message)
  })

  test('an account value with a line break used in a header is refused before the run', async () => {
    const csv = `${CSV}"eve","pw3","Eve\nX-Evil: 1",eve@example.test,u3\n`
    const err = (await problem((s) => {
      s.pages[0].headers = { 'x-name': 'n={{account.displayName}}' }
    }, csv)) as Error & { code: string }
    expect(err.code).toBe('HUNT_ERR_SCENARIO_INVALID')
    expect(err.message).toContain(
      'pages[0].headers.x-name: account row 3 (eve), column displayName: contains LF'
    )
    // The value itself is never echoed: it may be a secret.
    expect(err.message).not.toContain('X-Evil')
  })

  test('the same account value is fine in a path or a form, where it is encoded', async () => {
    const csv = `${CSV}"eve","pw3","Eve\nX-Evil: 1",eve@example.test,u3\n`
    const s = base()
    s.pages[0].path = '/u/{{account.displayName}}'
    await expect(validateScenario(s, () => Promise.resolve(csv))).resolves.toBeDefined()
  })

  test('a tab and obs-text are fine in a header value, as HTTP allows', async () => {
    const s = base()
    s.pages[0].headers = { 'x-a': 'a\tb\u00e9' }
    await expect(validateScenario(s, () => Promise.resolve(CSV))).resolves.toBeDefined()
  })

  test('non-ASCII path text is sent UTF-8 percent-encoded, as browsers send it', async () => {
    const s = base()
    s.pages[0].path = '/café/{{vu}}?q=naïve'
    const v = await validateScenario(s, () => Promise.resolve(CSV))
    expect(v.pages[0]!.path.parts).toEqual([
      { kind: 'text', text: '/caf%C3%A9/' },
      { kind: 'var', name: 'vu' },
      { kind: 'text', text: '?q=na%C3%AFve' },
    ])
  })

  test('a value extracted at run time cannot inject a header either', () => {
    expect(() => headerEncoder('ok')).not.toThrow()
    for (const bad of ['a\r\nb', 'a\nb', 'a\u0000b', 'a\u007fb', '☃']) {
      expect(() => headerEncoder(bad)).toThrow(
        expect.objectContaining({ code: 'HUNT_ERR_TEMPLATE' })
      )
    }
    // The message never holds the value (an extracted token is a secret).
    expect(() => headerEncoder('secret-token\n')).toThrow(/^(?!.*secret-token)/)
  })
})
