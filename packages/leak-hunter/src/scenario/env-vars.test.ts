import { describe, expect, test } from 'vitest'
import { scenarioSecretBook } from '../redact/scenario-secrets.js'
import { expandEnv } from './env-vars.js'
import { loadScenario } from './load-scenario.js'

const CSV = 'username,password,displayName\nann,pw-ann-1,Ann Lee\nbob,pw-bob-2,Bob Stone\n'

function scenario(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    target: '{{env.HUNT_TARGET}}',
    accounts: { file: 'accounts.csv', credentials: ['password'] },
    markers: { columns: ['displayName'] },
    login: [
      {
        method: 'POST',
        path: '/login',
        headers: { 'x-api-key': '{{ env.API_KEY }}{{account.username}}' },
        form: { password: '{{account.password}}' },
        verify: true,
      },
    ],
    pages: [{ path: '/t/{{env.TENANT}}/home' }],
    load: { vus: 2, iterations: 1 },
    ...extra,
  }
}

const env = { HUNT_TARGET: 'http://127.0.0.1:3999', API_KEY: 'key-7c1e', TENANT: 'acme' }

describe('environment variables in scenarios', () => {
  test('expand in every string; values read outside target and accounts.file are secrets', () => {
    const out = expandEnv(scenario(), env)
    const value = out.value as ReturnType<typeof scenario>
    expect(value.target).toBe('http://127.0.0.1:3999')
    expect(JSON.stringify(value.login)).toContain('"x-api-key":"key-7c1e{{account.username}}"')
    expect(JSON.stringify(value.pages)).toContain('/t/acme/home')
    expect(out.names).toEqual(['HUNT_TARGET', 'API_KEY', 'TENANT'])
    expect(out.secrets).toEqual(['key-7c1e', 'acme'])
  })

  test('an unset or empty variable is an error naming each one and the field reading it', () => {
    const run = (): unknown => expandEnv(scenario(), { HUNT_TARGET: env.HUNT_TARGET, TENANT: '' })
    expect(run).toThrow(
      expect.objectContaining({
        code: 'HUNT_ERR_ENV_MISSING',
        path: 'login[0].headers.x-api-key',
        names: ['API_KEY', 'TENANT'],
        message:
          'login[0].headers.x-api-key: "{{env.API_KEY}}": environment variables not set: API_KEY (login[0].headers.x-api-key), TENANT (pages[0].path, set but empty)',
      })
    )
  })

  test('a placeholder that is no variable name is invalid', () => {
    expect(() => expandEnv({ target: '{{env.1X}}' }, {})).toThrow(
      expect.objectContaining({ code: 'HUNT_ERR_SCENARIO_INVALID', path: 'target' })
    )
  })

  test('loadScenario reads them; the report config keeps the placeholders; the book holds the values', async () => {
    const s = await loadScenario({ scenario: scenario(), accountsCsv: CSV, env })
    expect(s.target.origin).toBe('http://127.0.0.1:3999')
    expect(s.raw.target).toBe('{{env.HUNT_TARGET}}')
    expect(JSON.stringify(s.raw)).not.toContain('key-7c1e')
    expect(s.raw.load).toMatchObject({ vus: 2, iterations: 1, seed: s.load.seed })
    // Not a literal (the header also reads the account): only the env value makes it a secret.
    expect(scenarioSecretBook(s).redact('got key-7c1e here')).toBe('got [redacted] here')
  })

  test('the validator checks expanded values as literal text: no CR/LF into a header', async () => {
    await expect(
      loadScenario({
        scenario: scenario(),
        accountsCsv: CSV,
        env: { ...env, API_KEY: 'a\r\nX: 1' },
      })
    ).rejects.toMatchObject({
      code: 'HUNT_ERR_SCENARIO_INVALID',
      path: 'login[0].headers.x-api-key',
    })
  })

  test('a missing variable fails loadScenario before anything is read or sent', async () => {
    await expect(
      loadScenario({ scenario: scenario(), accountsCsv: CSV, env: {} })
    ).rejects.toMatchObject({
      code: 'HUNT_ERR_ENV_MISSING',
      names: ['HUNT_TARGET', 'API_KEY', 'TENANT'],
    })
  })
})
