import { describe, expect, test } from 'vitest'
import { DEFAULT_DB, parseSeedArgs, parseServeArgs } from './args.js'

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
      '--port 0 --host 127.0.0.2 --ipc naive --fault shared-cache --renderers 3 --db x.db --redis redis://127.0.0.1:6379 --production --secure-cookies --verify-renderer --no-rate-limit --render-delay 5-20 --render-timeout 900 --trust-proxy --log'.split(
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
        renderTimeoutMs: 900,
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
    ['--unknown', '1'],
  ])('%s %s is HOME_ERR_USAGE', (flag, value) => {
    expect(() => parseServeArgs([flag, value])).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_USAGE' })
    )
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
