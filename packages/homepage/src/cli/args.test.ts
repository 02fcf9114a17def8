import { describe, expect, test } from 'vitest'
import { DEFAULT_DB, SEED_USAGE, SERVE_USAGE, parseSeedArgs, parseServeArgs } from './args.js'

describe('parseServeArgs', () => {
  test('defaults: 127.0.0.1:3000, the default db, correlated renderer left to buildApp', () => {
    expect(parseServeArgs([])).toEqual({
      port: 3000,
      host: '127.0.0.1',
      log: false,
      app: { db: DEFAULT_DB, production: false, secureCookies: false },
    })
  })

  test('every flag maps onto AppOptions', () => {
    const args = parseServeArgs(
      '--port 0 --host 127.0.0.2 --ipc naive --fault shared-cache --renderers 3 --db x.db --redis redis://127.0.0.1:6379 --production --secure-cookies --verify-renderer --no-rate-limit --render-delay 5-20 --slow-render 50:300 --render-timeout 900 --request-timeout 4000 --trust-proxy --log'.split(
        ' '
      )
    )
    expect(args).toEqual({
      port: 0,
      host: '127.0.0.2',
      log: true,
      app: {
        db: 'x.db',
        ipc: 'naive',
        fault: 'shared-cache',
        renderers: 3,
        redisUrl: 'redis://127.0.0.1:6379',
        production: true,
        secureCookies: true,
        trustRenderer: false,
        rateLimit: false,
        renderDelayMs: { min: 5, max: 20 },
        slowRender: { every: 50, ms: 300 },
        renderTimeoutMs: 900,
        requestTimeoutMs: 4000,
        trustProxy: true,
      },
    })
  })

  test.each([
    ['--port', 'x'],
    ['--port', '70000'],
    ['--ipc', 'smoke'],
    ['--fault', 'gremlins'],
    ['--renderers', '0'],
    ['--render-delay', '20-5'],
    ['--slow-render', '0:100'],
    ['--slow-render', 'often'],
    ['--request-timeout', '5'],
    ['--unknown', '1'],
  ])('%s %s is HOME_ERR_USAGE', (flag, value) => {
    expect(() => parseServeArgs([flag, value])).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_USAGE' })
    )
  })

  test("--slow-render off turns a switch's slow renders off", () => {
    expect(parseServeArgs(['--fault', 'fifo-timeout', '--slow-render', 'off']).app).toMatchObject({
      fault: 'fifo-timeout',
      slowRender: false,
    })
  })

  test('--guard takes off, report or block', () => {
    expect(parseServeArgs(['--guard', 'report']).app.guard).toBe('report')
    expect(parseServeArgs(['--ipc', 'naive', '--guard', 'block']).app).toMatchObject({
      ipc: 'naive',
      guard: 'block',
    })
    expect(parseServeArgs([]).app.guard).toBeUndefined()
    expect(() => parseServeArgs(['--guard', 'on'])).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_USAGE' })
    )
  })

  test('--trust-renderer and --verify-renderer exclude each other', () => {
    expect(() => parseServeArgs(['--trust-renderer', '--verify-renderer'])).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_USAGE' })
    )
  })

  test('the usage lists every flag with its help', () => {
    for (const flag of [
      '--port N',
      '--fault fifo-timeout|module-state|shared-cache',
      '--guard off|report|block',
      '--log',
    ]) {
      expect(SERVE_USAGE).toContain(flag)
    }
    expect(SERVE_USAGE.split('\n').filter((l) => l.startsWith('  --'))).toHaveLength(20)
    expect(SEED_USAGE).toContain('--users N')
  })
})

describe('parseSeedArgs', () => {
  test('requires --users and --accounts', () => {
    expect(() => parseSeedArgs(['--accounts', 'a.csv'])).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_USAGE' })
    )
    expect(() => parseSeedArgs(['--users', '3'])).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_USAGE' })
    )
    expect(parseSeedArgs('--users 3 --accounts a.csv --seed 9 --items 2'.split(' '))).toEqual({
      users: 3,
      db: DEFAULT_DB,
      accounts: 'a.csv',
      seed: 9,
      items: 2,
    })
  })
})
