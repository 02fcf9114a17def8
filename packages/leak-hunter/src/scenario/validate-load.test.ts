import { describe, expect, test } from 'vitest'
import { LOAD_DEFAULTS, loadAsRun, parseLoad } from './validate-load.js'
import { validateScenario } from './validate-scenario.js'

function csv(rows: number): string {
  const lines = Array.from({ length: rows }, (_, i) => `u${i},pw${i},Person Number${i}`)
  return `username,password,displayName\n${lines.join('\n')}\n`
}

const scenario = {
  target: 'http://127.0.0.1:3000',
  accounts: { file: 'accounts.csv', credentials: ['password'] },
  markers: { columns: ['displayName'] },
  login: [{ path: '/', verify: true }],
  pages: [{ path: '/' }],
}

describe('load defaults', () => {
  test('no load section: one VU per account up to 10, 30 s, and the documented deadlines', async () => {
    const s = await validateScenario(scenario, () => Promise.resolve(csv(25)))
    expect(s.load).toMatchObject({
      vus: 10,
      durationMs: 30_000,
      iterations: undefined,
      rampUpMs: 0,
      arrivalRate: undefined,
      shareConnections: false,
      connections: 10,
      timeoutMs: 10_000,
      loginTimeoutMs: 60_000,
      loginRetries: 2,
      maxBodyBytes: 8 * 1024 * 1024,
    })
    expect(s.load.seed).toMatch(/^[0-9a-f]{12}$/)
    // The report's config says what the defaults chose.
    expect(s.raw.load).toEqual({ vus: 10, duration: '30s', seed: s.load.seed })
  })

  test('fewer accounts than 10: every account; a single account is one VU', async () => {
    expect((await validateScenario(scenario, () => Promise.resolve(csv(3)))).load.vus).toBe(3)
    expect((await validateScenario(scenario, () => Promise.resolve(csv(1)))).load.vus).toBe(1)
  })

  test('defaults fill each field left out; iterations alone run without a deadline', () => {
    expect(parseLoad({ iterations: 5 }, 'load', 4)).toMatchObject({
      vus: 4,
      iterations: 5,
      durationMs: undefined,
    })
    expect(parseLoad({ vus: 2 }, 'load', 4)).toMatchObject({ vus: 2, durationMs: 30_000 })
    expect(
      loadAsRun({ iterations: 5 }, parseLoad({ iterations: 5, seed: 's' }, 'load', 4))
    ).toEqual({ vus: 4, iterations: 5, seed: 's' })
    expect(LOAD_DEFAULTS.maxVus).toBe(10)
  })
})
