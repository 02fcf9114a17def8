// `leak-hunter init` with no target or recording, through the real bin: the starter it writes,
// that it never clobbers files, and --out - for piping.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadScenario } from '../src/index.js'
import { SCENARIO_SCHEMA_ID } from '../src/scenario/scenario-schema.js'
import { SCHEMA_FILE } from '../scripts/scenario-json-schema.js'
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

  test('the scenario names its JSON Schema: the installed copy by a relative path, else the URL', async () => {
    const dir = writeScenarioDir([])
    const alone = await runBin(['init', '--out', '-'], { cwd: dir })
    expect(alone.code).toBe(0)
    // The modeline for VS Code's YAML extension, the key for JetBrains IDEs and JSON tools.
    expect(alone.stdout).toContain(
      `\n# yaml-language-server: $schema=${SCENARIO_SCHEMA_ID}\n$schema: ${SCENARIO_SCHEMA_ID}\n`
    )
    const installed = join(dir, 'node_modules', '@crosstalk', 'leak-hunter')
    mkdirSync(installed, { recursive: true })
    copyFileSync(SCHEMA_FILE, join(installed, 'scenario.schema.json'))
    mkdirSync(join(dir, 'hunts'))
    const r = await runBin(['init', '--out', 'hunts/nightly.yaml'], { cwd: dir })
    expect(r.code).toBe(0)
    const yaml = readFileSync(join(dir, 'hunts', 'nightly.yaml'), 'utf8')
    const ref = '../node_modules/@crosstalk/leak-hunter/scenario.schema.json'
    expect(yaml).toContain(`\n# yaml-language-server: $schema=${ref}\n$schema: ${ref}\n`)
    expect(existsSync(join(dir, 'hunts', ref))).toBe(true)
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
