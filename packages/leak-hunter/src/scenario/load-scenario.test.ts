import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { applyOverrides, loadScenario } from './load-scenario.js'
import { SCENARIO_SCHEMA_ID } from './scenario-schema.js'

const dir = mkdtempSync(join(tmpdir(), 'leak-hunter-load-'))
writeFileSync(
  join(dir, 'accounts.csv'),
  'username,password,displayName\nann,pw,Ann Lee\nbob,pw,Bob Stone\n'
)
const yaml = `target: http://127.0.0.1:3000
accounts: { file: accounts.csv, credentials: [username, password] }
markers: { columns: [displayName] }
login:
  - { path: /login, extract: { csrf: { selector: 'input[name=_csrf]' } } }
  - { method: POST, path: /login, form: { username: '{{account.username}}', _csrf: '{{csrf}}' }, expect: 303 }
  - { path: /, verify: true }
pages: [{ path: / }]
load: { vus: 1, duration: 5s }
`

describe('loadScenario', () => {
  test('reads YAML, resolves the CSV next to the file, applies overrides', async () => {
    writeFileSync(join(dir, 'ok.yaml'), yaml)
    const s = await loadScenario({
      scenario: join(dir, 'ok.yaml'),
      overrides: { vus: 2, seed: 'x', duration: '1s' },
    })
    expect(s.accounts).toHaveLength(2)
    expect(s.load).toMatchObject({ vus: 2, seed: 'x', durationMs: 1000 })
  })

  test('JSON is read by the same parser', async () => {
    writeFileSync(
      join(dir, 'ok.json'),
      JSON.stringify({
        target: 'http://127.0.0.1:1',
        accounts: { file: 'accounts.csv' },
        markers: { columns: 'displayName' },
        login: [{ path: '/', verify: true }],
        pages: [{ path: '/' }],
        load: { iterations: 1 },
      })
    )
    expect((await loadScenario({ scenario: join(dir, 'ok.json') })).load.iterations).toBe(1)
  })

  test('a $schema key (what editors read) is accepted in YAML and JSON, and must be text', async () => {
    const ref = './node_modules/@crosstalk/leak-hunter/scenario.schema.json'
    writeFileSync(join(dir, 'schema.yaml'), `$schema: ${ref}\n${yaml}`)
    expect((await loadScenario({ scenario: join(dir, 'schema.yaml') })).raw.$schema).toBe(ref)
    const json = { ...(parseYaml(yaml) as object), $schema: SCENARIO_SCHEMA_ID }
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(json))
    const s = await loadScenario({ scenario: join(dir, 'schema.json') })
    expect(s.raw.$schema).toBe(SCENARIO_SCHEMA_ID)
    writeFileSync(join(dir, 'schema-bad.json'), JSON.stringify({ ...json, $schema: 7 }))
    await expect(loadScenario({ scenario: join(dir, 'schema-bad.json') })).rejects.toMatchObject({
      code: 'HUNT_ERR_SCENARIO_INVALID',
      path: '$schema',
      message: expect.stringContaining('$schema: expected a string, got number 7'),
    })
  })

  test('a missing file or bad YAML is HUNT_ERR_SCENARIO_READ', async () => {
    await expect(loadScenario({ scenario: join(dir, 'none.yaml') })).rejects.toMatchObject({
      code: 'HUNT_ERR_SCENARIO_READ',
    })
    writeFileSync(join(dir, 'bad.yaml'), 'target: [unclosed\n')
    await expect(loadScenario({ scenario: join(dir, 'bad.yaml') })).rejects.toMatchObject({
      code: 'HUNT_ERR_SCENARIO_READ',
    })
    writeFileSync(join(dir, 'dup.yaml'), 'target: a\ntarget: b\n')
    await expect(loadScenario({ scenario: join(dir, 'dup.yaml') })).rejects.toMatchObject({
      code: 'HUNT_ERR_SCENARIO_READ',
    })
  })

  test('a missing accounts file is HUNT_ERR_ACCOUNTS_INVALID', async () => {
    writeFileSync(join(dir, 'noacc.yaml'), yaml.replace('accounts.csv', 'missing.csv'))
    await expect(loadScenario({ scenario: join(dir, 'noacc.yaml') })).rejects.toMatchObject({
      code: 'HUNT_ERR_ACCOUNTS_INVALID',
    })
  })

  test('a scenario that is not an object is HUNT_ERR_SCENARIO_INVALID', async () => {
    writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n')
    await expect(loadScenario({ scenario: join(dir, 'list.yaml') })).rejects.toMatchObject({
      code: 'HUNT_ERR_SCENARIO_INVALID',
    })
  })

  test('overrides replace target, accounts file and markers', () => {
    expect(
      applyOverrides(
        { load: { vus: 1 }, markers: { minLength: 4 } },
        { target: 'http://h', accountsFile: 'a.csv', markers: ['email'], shareConnections: true }
      )
    ).toEqual({
      target: 'http://h',
      accounts: { file: 'a.csv' },
      markers: { minLength: 4, columns: ['email'] },
      load: { vus: 1, shareConnections: true },
    })
  })
})
