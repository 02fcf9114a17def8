// The library-level version of the session-leak question: for any interleaving of many callers,
// handler delays, out-of-order replies, timeouts and aborts, every caller gets exactly its own
// reply or a typed error, never another caller's reply.
import fc from 'fast-check'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { childProcessTransport, createEndpoint, type Endpoint } from '../src/index.js'
import type { ChildApi, ParentApi } from './fixtures/test-api.js'
import { exited, forkTs } from './helpers/fork-ts.js'
import type { ChildProcess } from 'node:child_process'

// Child processes start slowly on a loaded 2-core machine; keep real bounds, not 5 s defaults.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const callSpec = fc.record({
  caller: fc.integer({ min: 0, max: 31 }),
  delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
  timeoutMs: fc.option(fc.integer({ min: 1, max: 15 }), { freq: 4 }),
  abortAfterMs: fc.option(fc.integer({ min: 0, max: 15 }), { freq: 4 }),
  gapMs: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 8 }),
})

let child: ChildProcess
let endpoint: Endpoint<ChildApi>
let totalCalls = 0

beforeAll(() => {
  child = forkTs('process-child.ts')
  // A small in-flight limit so some calls wait in the queue and get aborted there too.
  endpoint = createEndpoint<ChildApi, ParentApi>(childProcessTransport(child), {
    maxInFlight: 48,
    handlers: { double: (n) => n * 2, cancelled: () => null },
  })
})

afterAll(async () => {
  endpoint.close()
  child.kill('SIGKILL')
  await exited(child)
})

test('every caller gets its own reply or a typed error (>= 10,000 calls)', async () => {
  let run = 0
  await fc.assert(
    fc.asyncProperty(fc.array(callSpec, { minLength: 200, maxLength: 300 }), async (specs) => {
      run++
      const outcomes = await Promise.all(
        specs.map(async (spec, i) => {
          if (spec.gapMs !== null) {
            await new Promise((resolve) => setTimeout(resolve, spec.gapMs ?? 0))
          }
          // Unique per run, call and caller: a reply for anyone else cannot match by accident.
          const token = `r${run}-c${spec.caller}-i${i}-${Math.random().toString(36).slice(2)}`
          const controller = spec.abortAfterMs === null ? undefined : new AbortController()
          const timer = controller && setTimeout(() => controller.abort(), spec.abortAfterMs ?? 0)
          try {
            const reply = await endpoint.callWith(
              {
                ...(spec.timeoutMs === null ? {} : { timeoutMs: spec.timeoutMs }),
                ...(controller ? { signal: controller.signal } : {}),
              },
              'delay',
              spec.delayMs,
              token
            )
            return reply === token ? 'own' : `MISDELIVERED ${reply} to ${token}`
          } catch (err) {
            const code = (err as { code?: string }).code
            if (code === 'RPC_ERR_TIMEOUT' && spec.timeoutMs !== null) {
              return 'typed'
            }
            if (code === 'RPC_ERR_ABORTED' && controller !== undefined) {
              return 'typed'
            }
            return `UNEXPECTED ${String(code)} ${String(err)}`
          } finally {
            clearTimeout(timer)
          }
        })
      )
      totalCalls += specs.length
      const bad = outcomes.filter((o) => o !== 'own' && o !== 'typed')
      expect(bad).toEqual([])
      expect(endpoint.stats()).toMatchObject({ inFlight: 0, queued: 0 })
    }),
    { numRuns: 50 }
  )
  expect(totalCalls).toBeGreaterThanOrEqual(10_000)
  const stats = endpoint.stats()
  // Every call the endpoint sent was settled by exactly one of: reply, timeout, abort.
  expect(stats.sent).toBeLessThanOrEqual(totalCalls)
  expect(stats.dropped.unknown + stats.dropped.malformed + stats.dropped.duplicate).toBe(0)
}, 120_000)
