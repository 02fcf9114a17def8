import { describe, expect, test } from 'vitest'
import type { AppOptions } from './config.js'
import { resolveConfig } from './config.js'

describe('resolveConfig', () => {
  test('defaults: correlated, checked renderer, throttling on, bounded hashing and requests', () => {
    const c = resolveConfig({})
    expect(c).toMatchObject({
      db: ':memory:',
      redisPrefix: 'crosstalk:',
      renderer: { mode: 'correlated', renderTimeoutMs: 2000 },
      trustRenderer: false,
      secureCookies: false,
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 8 * 3600_000,
      rateLimit: {
        perAccountIp: 5,
        perIp: 100,
        baseDelayMs: 1000,
        maxDelayMs: 15 * 60_000,
        windowMs: 15 * 60_000,
      },
      hashing: { concurrency: 2, queue: 8, waitMs: 2000 },
      requestTimeoutMs: 10_000,
      headersTimeoutMs: 5_000,
    })
    expect(c.renderer.renderers).toBeGreaterThan(0)
    expect(c.renderer.renderDelayMs).toBeUndefined()
    expect(c.renderer.slowRender).toBeUndefined()
  })

  test('the guard blocks by default in the correlated mode, is off with naive IPC or a fault', () => {
    expect(resolveConfig({}).guard).toBe('block')
    expect(resolveConfig({ ipc: 'in-process' }).guard).toBe('block')
    expect(resolveConfig({ ipc: 'naive' }).guard).toBe('off')
    expect(resolveConfig({ fault: 'shared-cache' }).guard).toBe('off')
    expect(resolveConfig({ ipc: 'naive', guard: 'block' }).guard).toBe('block')
    expect(() => resolveConfig({ guard: 'on' as never })).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_BAD_OPTION' })
    )
  })

  test('each switch brings the defaults that reproduce it; explicit options win', () => {
    expect(resolveConfig({ ipc: 'naive' }).renderer).toMatchObject({
      renderDelayMs: { min: 0, max: 25 },
      renderTimeoutMs: 2000,
    })
    expect(resolveConfig({ fault: 'fifo-timeout' }).renderer).toMatchObject({
      renderTimeoutMs: 100,
      slowRender: { every: 100, ms: 250 },
    })
    expect(resolveConfig({ fault: 'module-state' }).renderer.renderDelayMs).toEqual({
      min: 0,
      max: 25,
    })
    const explicit = resolveConfig({
      fault: 'fifo-timeout',
      renderTimeoutMs: 40,
      renderDelayMs: { min: 0, max: 60 },
      slowRender: false,
    }).renderer
    expect(explicit).toMatchObject({ renderTimeoutMs: 40, renderDelayMs: { min: 0, max: 60 } })
    expect(explicit.slowRender).toBeUndefined()
    expect(resolveConfig({ requestTimeoutMs: 3000 }).headersTimeoutMs).toBe(3000)
  })

  test.each<[string, AppOptions]>([
    ['ipc', { ipc: 'fast' as never }],
    ['fault', { fault: 'oops' as never }],
    ['renderers', { renderers: 0 }],
    ['renderers', { renderers: 1.5 }],
    ['renderers', { renderers: 1000 }],
    ['renderDelayMs', { renderDelayMs: { min: 10, max: 5 } }],
    ['renderDelayMs', { renderDelayMs: { min: -1, max: 5 } }],
    ['slowRender', { slowRender: { every: 0, ms: 5 } }],
    ['renderTimeoutMs', { renderTimeoutMs: 0 }],
    ['sessionIdleMs', { sessionIdleMs: -5 }],
    ['redisUrl', { redisUrl: 'http://x' }],
    ['rateLimit.perIp', { rateLimit: { perIp: 0 } }],
    ['rateLimit.maxDelayMs', { rateLimit: { maxDelayMs: 10, baseDelayMs: 100 } }],
    ['rateLimit.maxDelayMs', { rateLimit: { maxDelayMs: 60_000, windowMs: 1000 } }],
    ['hashing.concurrency', { hashing: { concurrency: 0 } }],
    ['headersTimeoutMs', { requestTimeoutMs: 2000, headersTimeoutMs: 3000 }],
    ['db', { db: '' }],
  ])('rejects a bad %s with HOME_ERR_BAD_OPTION', (_name, options) => {
    expect(() => resolveConfig(options)).toThrow(
      expect.objectContaining({ code: 'HOME_ERR_BAD_OPTION' })
    )
  })
})
