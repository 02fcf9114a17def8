/* eslint-disable @typescript-eslint/no-explicit-any -- these tests break scenario objects on purpose */
import { describe, expect, test } from 'vitest'
import { validateScenario } from './validate-scenario.js'

const CSV =
  'username,password,displayName,email,userId\nann,pw1,Ann Lee,ann@example.test,u1\nbob,pw2,Bob Stone,bob@example.test,u2\n'

function base(): Record<string, any> {
  return {
    target: 'http://127.0.0.1:3000',
    accounts: { file: 'accounts.csv', credentials: ['username', 'password'] },
    markers: { columns: ['displayName', 'email', 'userId'] },
    login: [
      { path: '/login', extract: { csrf: { selector: 'input[name=_csrf]', attribute: 'value' } } },
      {
        method: 'POST',
        path: '/login',
        form: {
          username: '{{account.username}}',
          password: '{{account.password}}',
          _csrf: '{{csrf}}',
        },
        expect: 303,
      },
      { path: '/', verify: true },
    ],
    pages: [{ path: '/' }],
    load: { vus: 2, duration: '10s', seed: 'abc' },
  }
}

const read = (): Promise<string> => Promise.resolve(CSV)

async function problem(
  mutate: (s: Record<string, any>) => void,
  csv = CSV
): Promise<{ code: string; message: string }> {
  const s = base()
  mutate(s)
  try {
    await validateScenario(s, () => Promise.resolve(csv))
  } catch (err) {
    return err as { code: string; message: string }
  }
  throw new Error('expected the scenario to be rejected')
}

describe('validateScenario', () => {
  test('a valid scenario resolves with defaults', async () => {
    const s = await validateScenario(base(), read)
    expect(s.target.origin).toBe('http://127.0.0.1:3000')
    expect(s.accounts.map((a) => a.id)).toEqual(['ann', 'bob'])
    expect(s.accounts[0]!.fields.displayName).toBe('Ann Lee')
    expect(s.markers).toEqual({
      columns: ['displayName', 'email', 'userId'],
      ids: [],
      caseInsensitive: false,
      minLength: 3,
    })
    expect(s.login.map((l) => [l.method, l.verify])).toEqual([
      ['GET', false],
      ['POST', false],
      ['GET', true],
    ])
    expect(s.login[1]!.expect).toEqual([303])
    expect(s.pages[0]).toMatchObject({
      name: 'page-1',
      weight: 1,
      expectOwnMarker: true,
      allowlist: { rules: [] },
    })
    expect(s.load).toMatchObject({
      vus: 2,
      durationMs: 10_000,
      rampUpMs: 0,
      seed: 'abc',
      shareConnections: false,
      connections: 2,
    })
    expect(s.order).toBe('weighted')
    expect(s.thresholds).toEqual({
      latency: [],
      errorRate: undefined,
      leaks: 0,
      inconclusive: { errorRate: 0.1, unchecked: 0.1 },
    })
  })

  test.each([
    [
      'selector of the wrong type',
      (s: any) => (s.login[0].extract.csrf.selector = 42),
      'login[0].extract.csrf.selector: expected a string',
    ],
    ['unknown top-level field', (s: any) => (s.pages2 = []), 'pages2: unknown field'],
    ['unknown step field', (s: any) => (s.login[1].body = {}), 'login[1].body: unknown field'],
    ['missing target', (s: any) => delete s.target, 'target: expected a string'],
    [
      'non-http target',
      (s: any) => (s.target = 'ftp://x'),
      'target: expected an http: or https: URL',
    ],
    [
      'absolute URL as a path',
      (s: any) => (s.pages[0].path = 'http://evil.test/'),
      'pages[0].path: expected a path starting with "/"',
    ],
    ['bad method', (s: any) => (s.login[0].method = 'FETCH'), 'login[0].method: expected one of'],
    [
      'variable used before extraction',
      (s: any) => (s.login[0].headers = { 'x-t': '{{csrf}}' }),
      'login[0].headers.x-t: "{{csrf}}" is not extracted by an earlier step',
    ],
    [
      'unknown account column',
      (s: any) => (s.login[1].form.username = '{{account.login}}'),
      'login[1].form.username: "{{account.login}}": the accounts CSV has no column "login"',
    ],
    [
      'two extraction sources',
      (s: any) => (s.login[0].extract.csrf = { selector: 'a', regex: 'b' }),
      'login[0].extract.csrf: expected only one source',
    ],
    [
      'no extraction source',
      (s: any) => (s.login[0].extract.csrf = {}),
      'login[0].extract.csrf: expected one of selector',
    ],
    [
      'bad selector',
      (s: any) => (s.login[0].extract.csrf.selector = 'input[name='),
      'login[0].extract.csrf.selector: invalid CSS selector',
    ],
    [
      'bad regex',
      (s: any) => (s.login[0].extract.csrf = { regex: '(' }),
      'login[0].extract.csrf.regex: invalid regular expression',
    ],
    [
      'regex group out of range',
      (s: any) => (s.login[0].extract.csrf = { regex: 'a(b)', group: 2 }),
      'login[0].extract.csrf.group: the regex has 1 capture group(s)',
    ],
    [
      'bad JSON path',
      (s: any) => (s.login[0].extract.csrf = { json: 'a..b' }),
      'login[0].extract.csrf.json: cannot parse',
    ],
    ['no verify step', (s: any) => (s.login[2].verify = false), 'login: no step has verify: true'],
    [
      'GET with a body',
      (s: any) => (s.login[0].form = { a: 'b' }),
      'login[0]: a GET step cannot have a form or json body',
    ],
    [
      'form and json',
      (s: any) => (s.login[1].json = {}),
      'login[1]: a step has either form or json, not both',
    ],
    [
      'status out of range',
      (s: any) => (s.login[1].expect = [303, 700]),
      'login[1].expect[1]: expected at most 599',
    ],
    [
      'marker column missing',
      (s: any) => (s.markers.columns = ['displayName', 'phone']),
      'markers.columns[1]: the accounts CSV has no column "phone"',
    ],
    [
      'credential as marker',
      (s: any) => (s.markers.columns = ['username']),
      'markers.columns[0]: "username" is a credential column',
    ],
    ['vus not an integer', (s: any) => (s.load.vus = 1.5), 'load.vus: expected an integer'],
    [
      'bad duration',
      (s: any) => (s.load.duration = '10 parsecs'),
      'load.duration: expected a duration',
    ],
    [
      'think time max below min',
      (s: any) => (s.thinkTime = { min: '2s', max: '1s' }),
      'thinkTime.max: expected at least min',
    ],
    [
      'unknown latency threshold',
      (s: any) => (s.thresholds = { latency: { p999x: 5 } }),
      'thresholds.latency.p999x: unknown latency threshold',
    ],
    [
      'error rate above 1',
      (s: any) => (s.thresholds = { errorRate: 2 }),
      'thresholds.errorRate: expected at most 1',
    ],
    ['bad order', (s: any) => (s.order = 'random'), 'order: expected "weighted" or "sequence"'],
    [
      'allowlist of the wrong type',
      (s: any) => (s.pages[0].allowlist = [1]),
      'pages[0].allowlist[0]: expected text or one of { text }, { selector }, { json }',
    ],
    [
      'header name with a space',
      (s: any) => (s.pages[0].headers = { 'x y': 'z' }),
      'pages[0].headers.x y: not a valid header name',
    ],
    [
      'extracting into a built-in',
      (s: any) => (s.login[0].extract = { vu: { cookie: 'a' } }),
      'login[0].extract.vu: "vu" is a built-in variable',
    ],
  ])('%s', async (_name, mutate, message) => {
    const err = await problem(mutate)
    expect(err.code).toBe('HUNT_ERR_SCENARIO_INVALID')
    expect(err.message).toContain(message)
  })

  test('more VUs than accounts is HUNT_ERR_NOT_ENOUGH_ACCOUNTS', async () => {
    expect((await problem((s) => (s.load.vus = 3))).code).toBe('HUNT_ERR_NOT_ENOUGH_ACCOUNTS')
  })

  test('duplicate account ids and malformed CSV are HUNT_ERR_ACCOUNTS_INVALID', async () => {
    expect((await problem(() => undefined, `${CSV}ann,x,y,z,w\n`)).code).toBe(
      'HUNT_ERR_ACCOUNTS_INVALID'
    )
    expect((await problem(() => undefined, 'username,password\n"ann,pw\n')).code).toBe(
      'HUNT_ERR_ACCOUNTS_INVALID'
    )
  })

  test('templates may use variables extracted by earlier steps and built-ins', async () => {
    const s = base()
    s.pages = [
      {
        path: '/u/{{vu}}/{{iteration}}',
        headers: { 'x-csrf': '{{csrf}}' },
        allowlist: 'Team A, Team B',
      },
    ]
    const v = await validateScenario(s, read)
    expect(v.pages[0]!.allowlist.rules).toEqual([{ text: 'Team A' }, { text: 'Team B' }])
  })

  test('latency thresholds accept pNN, pNN.N and max', async () => {
    const s = base()
    s.thresholds = { latency: { p50: 10, 'p99.9': 200, max: 1000 }, errorRate: 0.01, leaks: 2 }
    const v = await validateScenario(s, read)
    expect(v.thresholds).toEqual({
      latency: [
        { percentile: 50, maxMs: 10 },
        { percentile: 99.9, maxMs: 200 },
        { percentile: 100, maxMs: 1000 },
      ],
      errorRate: 0.01,
      leaks: 2,
      inconclusive: { errorRate: 0.1, unchecked: 0.1 },
    })
  })
})
