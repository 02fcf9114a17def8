import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { testPool, waitFor } from './fixtures/pool-helpers.js'

let pool: Pool<PoolTestApi>
beforeAll(async () => {
  pool = testPool({ size: 2, maxInFlightPerChild: 16, maxQueue: 100 })
  await pool.ready()
}, 30_000)
afterAll(async () => {
  await pool.destroy()
}, 20_000)

const callSpec = fc.record({
  delayMs: fc.integer({ min: 0, max: 15 }),
  timeoutMs: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  abortAfterMs: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
})

describe('pool: property', { timeout: 30_000 }, () => {
  test('random delays, timeouts, aborts and many concurrent callers: each caller gets its own reply or a typed error', async () => {
    let run = 0
    let total = 0
    const codes = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(
        fc.array(callSpec, { minLength: 40, maxLength: 160, size: 'max' }),
        async (specs) => {
          run++
          const results = await Promise.all(
            specs.map(async (spec, i) => {
              const tag = `${run}:${i}`
              const controller = spec.abortAfterMs === undefined ? undefined : new AbortController()
              const timer =
                controller === undefined
                  ? undefined
                  : setTimeout(() => controller.abort(), spec.abortAfterMs)
              try {
                const reply = await pool.callWith(
                  {
                    ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
                    ...(controller === undefined ? {} : { signal: controller.signal }),
                  },
                  'delay',
                  spec.delayMs,
                  tag
                )
                return { spec, tag, reply: reply.tag, code: undefined }
              } catch (error) {
                return { spec, tag, reply: undefined, code: (error as { code?: string }).code }
              } finally {
                clearTimeout(timer)
              }
            })
          )
          total += results.length
          for (const r of results) {
            if (r.code === undefined) {
              // Never another caller's reply.
              expect(r.reply).toBe(r.tag)
            } else {
              codes.set(r.code, (codes.get(r.code) ?? 0) + 1)
              const allowed = ['RPC_ERR_QUEUE_FULL']
              if (r.spec.timeoutMs !== undefined) {
                allowed.push('RPC_ERR_TIMEOUT')
              }
              if (r.spec.abortAfterMs !== undefined) {
                allowed.push('RPC_ERR_ABORTED')
              }
              expect(allowed).toContain(r.code)
            }
          }
          await waitFor(
            () => pool.stats().queued === 0 && pool.stats().children.every((c) => c.inFlight === 0),
            2_000,
            'pool idle'
          )
        }
      ),
      { numRuns: 40 }
    )
    expect(total).toBeGreaterThan(2_000)
    // The pool survived it all: same children, nothing restarted.
    expect(pool.stats()).toMatchObject({ restarts: 0, health: 'healthy', size: 2 })
    expect(codes.get('RPC_ERR_TIMEOUT')).toBeGreaterThan(0)
    expect(codes.get('RPC_ERR_ABORTED')).toBeGreaterThan(0)
  })
})
