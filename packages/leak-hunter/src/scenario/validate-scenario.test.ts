/* eslint-disable @typescript-eslint/no-explicit-any -- these tests break scenario objects on purpose */
import { describe, expect, test } from 'vitest'
import { base, CSV, INVALID_CASES } from '../../test/fixtures/invalid-scenarios.js'
import { validateScenario } from './validate-scenario.js'

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

  test.each(INVALID_CASES)('%s', async (_name, mutate, message) => {
    const err = await problem(mutate)
    expect(err.code).toBe('HUNT_ERR_SCENARIO_INVALID')
    expect(err.message).toContain(message)
  })

  test('the schema pass lists every problem it finds, the first as err.path', async () => {
    const err = (await problem((s) => {
      s.pages[0].expectOwnMarkr = false
      s.load.vus = 1.5
      s.thresholds = { errorRate: 2 }
    })) as { code: string; message: string; path?: string }
    expect(err.code).toBe('HUNT_ERR_SCENARIO_INVALID')
    expect(err.message.split('\n')).toEqual([
      'pages[0].expectOwnMarkr: unknown field (expected one of: name, method, path, headers, form, json, expect, extract, weight, expectOwnMarker, allowlist)',
      '  load.vus: expected an integer, got 1.5',
      '  thresholds.errorRate: expected at most 1, got 2',
    ])
    expect(err.path).toBe('pages[0].expectOwnMarkr')
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
