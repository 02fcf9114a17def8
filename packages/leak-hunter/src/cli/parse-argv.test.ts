import { describe, expect, test } from 'vitest'
import { validateScenario } from '../scenario/validate-scenario.js'
import { applyOverrides } from '../scenario/load-scenario.js'
import { parseArgv, quickScenario } from './parse-argv.js'
import { formatProgress, useColor } from './progress-line.js'

describe('parseArgv', () => {
  test('a scenario file with load overrides and outputs', () => {
    const cli = parseArgv([
      'run',
      's.yaml',
      '--vus',
      '64',
      '--duration',
      '30',
      '--seed',
      'x',
      '--rate',
      '12.5',
      '--share-connections',
      '--json',
      'r.json',
      '--events',
      'e.ndjson',
      '--html',
      'r.html',
      '-q',
      '--no-color',
    ])
    expect(cli).toMatchObject({
      command: 'run',
      scenarioFile: 's.yaml',
      overrides: { vus: 64, duration: '30s', seed: 'x', arrivalRate: 12.5, shareConnections: true },
      quick: undefined,
      json: 'r.json',
      events: 'e.ndjson',
      html: 'r.html',
      quiet: true,
      color: false,
    })
  })

  test('help and version', () => {
    expect(parseArgv(['--help'])).toEqual({ command: 'help' })
    expect(parseArgv(['run', '-h'])).toEqual({ command: 'help' })
    expect(parseArgv(['--version'])).toEqual({ command: 'version' })
  })

  test.each([
    [[], 'missing command'],
    [['hunt', 'x'], 'unknown command'],
    [['run'], 'give a scenario file'],
    [['run', 'a.yaml', 'b.yaml'], 'unexpected argument'],
    [['run', 'a.yaml', '--vus', '0'], '--vus'],
    [['run', 'a.yaml', '--rate', 'fast'], '--rate'],
    [['run', 'a.yaml', '--bogus'], 'bogus'],
    [['run', 'a.yaml', '--login-path', '/x'], '--login-path only applies without a scenario file'],
    [['run', '--target', 'http://127.0.0.1:1', '--accounts', 'a.csv'], '--markers is required'],
    [['run', 'a.yaml', '--color', '--no-color'], 'contradict'],
  ])('%j is rejected with HUNT_ERR_ARGS_INVALID', (argv, message) => {
    expect(() => parseArgv(argv)).toThrow(
      expect.objectContaining({
        code: 'HUNT_ERR_ARGS_INVALID',
        message: expect.stringContaining(message),
      })
    )
  })

  test('flags alone describe a valid form-login scenario', async () => {
    const cli = parseArgv([
      'run',
      '--target',
      'http://127.0.0.1:3000',
      '--accounts',
      'a.csv',
      '--markers',
      'displayName,email',
      '--page',
      '/',
      '--page',
      '/account',
      '--iterations',
      '3',
    ])
    if (cli.command !== 'run' || cli.quick === undefined) {
      throw new Error('expected a quick run')
    }
    const raw = applyOverrides(quickScenario(cli.quick), cli.overrides)
    const s = await validateScenario(raw, () =>
      Promise.resolve('username,password,displayName,email\nann,pw,Ann Lee,ann@x.test\n')
    )
    expect(s.login.map((l) => `${l.method} ${l.path.source}`)).toEqual([
      'GET /login',
      'POST /login',
      'GET /',
    ])
    expect(s.login[1]!.expect).toEqual([303])
    expect(s.pages.map((p) => p.path.source)).toEqual(['/', '/account'])
    expect(s.load.iterations).toBe(3)
    expect(s.markers.columns).toEqual(['displayName', 'email'])
  })

  /** The built-in scenario these marker flags describe, validated against a one-row CSV. */
  const quickWith = (...flags: string[]): Promise<unknown> => {
    const cli = parseArgv([
      'run',
      '--target',
      'http://127.0.0.1:3000',
      '--accounts',
      'a.csv',
      ...flags,
    ])
    if (cli.command !== 'run' || cli.quick === undefined) {
      throw new Error('expected a quick run')
    }
    const raw = applyOverrides(quickScenario(cli.quick), cli.overrides)
    return validateScenario(raw, () =>
      Promise.resolve('username,password,displayName,userId\nann,pw,Ann Lee,104\n')
    )
  }

  test('--id-markers names id columns found as the JSON field of their name', async () => {
    const s = (await quickWith('--markers', 'displayName', '--id-markers', 'userId')) as Awaited<
      ReturnType<typeof validateScenario>
    >
    expect(s.markers.columns).toEqual(['displayName'])
    expect(s.markers.ids).toEqual([
      { column: 'userId', json: ['userId'], attributes: [], pathSegments: [] },
    ])
  })

  test('a numeric column as free text is refused, with the flag that expresses it', async () => {
    const err = await quickWith('--markers', 'displayName,userId').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'HUNT_ERR_SCENARIO_INVALID' })
    expect((err as { message: string }).message).toMatch(
      /markers\.columns\[1\].*--id-markers userId/s
    )
  })
})

describe('terminal helpers', () => {
  test('colour only on a TTY and never with NO_COLOR', () => {
    expect(useColor(undefined, true, {})).toBe(true)
    expect(useColor(undefined, false, {})).toBe(false)
    expect(useColor(undefined, true, { NO_COLOR: '1' })).toBe(false)
    expect(useColor(true, false, { NO_COLOR: '1' })).toBe(false)
    expect(useColor(false, true, {})).toBe(false)
  })

  test('the progress line shows requests, rate, checked, leaking responses, errors, elapsed and remaining', () => {
    expect(
      formatProgress({
        elapsedMs: 65_000,
        remainingMs: 5_000,
        requests: 1200,
        rps: 410.4,
        responsesChecked: 1190,
        leakingResponses: 3,
        warnings: 0,
        errors: 2,
      })
    ).toBe('1200 req (410/s)  checked 1190  leaking 3  errors 2  1m05s / 5s left')
  })
})
