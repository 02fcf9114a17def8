// `leak-hunter init` with no target or recording, through the real bin: the starter it writes,
// that it never clobbers files, and --out - for piping.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadScenario } from '../src/index.js'
import { runBin } from './fixtures/run-bin.js'
import { writeScenarioDir } from './fixtures/scenarios.js'

describe.concurrent('leak-hunter init (starter)', { timeout: 60_000 }, () => {
  test('writes a commented starter that validates once the CSV has rows, and the CSV header', async () => {
    const dir = writeScenarioDir([])
    const csv = join(dir, 'accounts.csv')
    writeFileSync(csv, '') // the fixture writes one; init must create its own here
    const r0 = await runBin(['init', '--accounts', 'users.csv', '--markers', 'fullName,email'], {
      cwd: dir,
    })
    expect(r0.stderr).toBe('')
    expect(r0.code).toBe(0)
    expect(r0.stdout).toContain('wrote scenario.yaml')
    expect(r0.stdout).toContain('wrote users.csv (header only: username,password,fullName,email)')
    expect(r0.stdout).toMatch(/^check: target: the URL of the server to hunt$/m)
    const yaml = readFileSync(join(dir, 'scenario.yaml'), 'utf8')
    expect(yaml).toMatch(/^# leak-hunter scenario:/)
    expect(yaml).toContain('# A page that shows the logged-in user')
    expect(readFileSync(join(dir, 'users.csv'), 'utf8')).toBe('username,password,fullName,email\n')
    writeFileSync(
      join(dir, 'users.csv'),
      'username,password,fullName,email\nann,pw1,Ann Lee,ann@x.test\nbob,pw2,Bob Ray,bob@x.test\n'
    )
    const s = await loadScenario({ scenario: join(dir, 'scenario.yaml') })
    expect(s.markers.columns).toEqual(['fullName', 'email'])
    expect(s.accountsConfig.credentials).toEqual(['password'])
    expect(s.login.map((l) => `${l.method} ${l.path.source}`)).toEqual([
      'GET /login',
      'POST /login',
      'GET /',
    ])
    expect(s.load.vus).toBe(2)
  })

  test('never overwrites the scenario without --force, and never the accounts CSV', async () => {
    const dir = writeScenarioDir([])
    writeFileSync(join(dir, 'scenario.yaml'), 'mine\n')
    const refused = await runBin(['init'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(
      'HUNT_ERR_ARGS_INVALID: scenario.yaml exists: use --force to overwrite it'
    )
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe('mine\n')
    const accounts = readFileSync(join(dir, 'accounts.csv'), 'utf8')
    const forced = await runBin(['init', '--force'], { cwd: dir })
    expect(forced.code).toBe(0)
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toMatch(/^# leak-hunter scenario/)
    expect(forced.stdout).toContain('kept the existing accounts.csv')
    expect(readFileSync(join(dir, 'accounts.csv'), 'utf8')).toBe(accounts)
  })

  test('--out - prints the scenario to stdout and the notes to stderr, writing no file', async () => {
    const dir = writeScenarioDir([])
    const r = await runBin(['init', '--out', '-', '--accounts', 'new.csv'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^# leak-hunter scenario/)
    expect(r.stderr).toContain('check: target')
    expect(existsSync(join(dir, 'scenario.yaml'))).toBe(false)
    expect(existsSync(join(dir, 'new.csv'))).toBe(false)
  })

  test.each([
    [['init', 'extra'], 'unexpected argument "extra": init takes flags only'],
    [
      ['init', '--har', 'a.har', '--target', 'http://127.0.0.1:1'],
      '--har and --target contradict each other',
    ],
    [['init', '--target', 'ftp://x'], '--target: expected an http: or https: URL'],
    [['init', '--har', 'missing.har'], 'HUNT_ERR_HAR_INVALID: cannot read'],
  ])('%j exits 2: %s', async (args, message) => {
    const dir = writeScenarioDir([])
    const r = await runBin(args, { cwd: dir })
    expect(r.stderr).toContain(message)
    expect(r.stderr).not.toContain('this is a bug')
    expect(r.code).toBe(2)
  })
})
