import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { applyOverrides, loadScenario } from './load-scenario.js'

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
