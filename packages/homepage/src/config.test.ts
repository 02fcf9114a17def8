import { describe, expect, test } from 'vitest'
import type { AppOptions } from './config.js'
import { resolveConfig } from './config.js'

describe('resolveConfig', () => {
  test('defaults: correlated, checked renderer, no-store sessions, rate limits on', () => {
    const c = resolveConfig({})
    expect(c).toMatchObject({
      db: ':memory:',
      ipc: 'correlated',
      trustRenderer: false,
      secureCookies: false,
      renderTimeoutMs: 2000,
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 8 * 3600_000,
      rateLimit: { perIp: 100, perAccount: 10, windowMs: 15 * 60_000 },
    })
    expect(c.renderers).toBeGreaterThan(0)
  })

  test.each<[string, AppOptions]>([
    ['ipc', { ipc: 'fast' as never }],
    ['fault', { fault: 'oops' as never }],
    ['renderers', { renderers: 0 }],
    ['renderers', { renderers: 1.5 }],
    ['renderers', { renderers: 1000 }],
    ['renderDelayMs', { renderDelayMs: { min: 10, max: 5 } }],
    ['renderDelayMs', { renderDelayMs: { min: -1, max: 5 } }],
    ['renderTimeoutMs', { renderTimeoutMs: 0 }],
    ['sessionIdleMs', { sessionIdleMs: -5 }],
    ['redisUrl', { redisUrl: 'http://x' }],
    ['rateLimit.perIp', { rateLimit: { perIp: 0 } }],
    ['db', { db: '' }],
  ])('rejects a bad %s with HOME_ERR_BAD_OPTION', (_name, options) => {
    expect(() => resolveConfig(options)).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_BAD_OPTION' })
    )
  })
})
