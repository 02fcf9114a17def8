import { afterEach, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { capture, isAlive, testPool, waitFor } from './fixtures/pool-helpers.js'

let pool: Pool<PoolTestApi> | undefined
afterEach(async () => {
  await pool?.destroy()
  pool = undefined
}, 20_000)

/**
 * Keeps `callers` calls going until done() or maxMs (child start-up time varies a lot with the
 * machine's load); returns failures and the lowest ready count seen.
 */
async function load(
  p: Pool<PoolTestApi>,
  callers: number,
  done: () => boolean,
  maxMs = 20_000,
  delayMs = (i: number) => i % 3
): Promise<{
  calls: number
  failures: unknown[]
  minReady: number
  pids: Set<number>
  servedBy: Map<number, number>
}> {
  const end = Date.now() + maxMs
  const failures: unknown[] = []
  const servedBy = new Map<number, number>()
  let calls = 0
  let minReady = Infinity
  const sampler = setInterval(() => {
    minReady = Math.min(minReady, p.stats().ready)
  }, 2)
  try {
    await Promise.all(
      Array.from({ length: callers }, async (_, caller) => {
        for (let i = 0; Date.now() < end && !done() && i < 100_000; i++) {
          const tag = `${caller}:${i}`
          try {
            const reply = await p.call('delay', delayMs(i), tag)
            if (reply.tag !== tag) {
              failures.push(new Error(`got ${reply.tag} for ${tag}`))
            }
            servedBy.set(reply.pid, (servedBy.get(reply.pid) ?? 0) + 1)
          } catch (error) {
            failures.push(error)
          }
          calls++
          minReady = Math.min(minReady, p.stats().ready)
        }
      })
    )
  } finally {
    clearInterval(sampler)
  }
  return { calls, failures, minReady, pids: new Set(servedBy.keys()), servedBy }
}

describe('pool: recycling as a rolling replacement', { timeout: 45_000 }, () => {
  test('maxRequests under load: no call fails, ready capacity never drops, no child exceeds its cap', async () => {
    const recycles = capture<{ pid: number; replacementPid: number }>(
      'crosstalk:ipc-rpc:pool:recycle'
    )
    try {
      // About 3 s of life per child at this load: several start-ups, so each replacement is
      // started early enough to be ready before the old child reaches its cap.
      const maxRequests = 2_500
      pool = testPool({ size: 2, recycle: { maxRequests, jitter: 0.2 } })
      await pool.ready()
      const result = await load(
        pool,
        8,
        () => pool!.stats().recycled >= 2,
        30_000,
        () => 5
      )
      expect(result.failures).toEqual([])
      expect(result.minReady).toBeGreaterThanOrEqual(2)
      expect(result.calls).toBeGreaterThan(1_000)
      for (const [pid, served] of result.servedBy) {
        expect(served, `pid ${pid}`).toBeLessThanOrEqual(maxRequests)
      }
      const stats = pool.stats()
      expect(stats.recycled).toBeGreaterThanOrEqual(2)
      expect(stats.recycled).toBe(recycles.events.length)
      expect(stats.restarts).toBe(0)
      expect(result.pids.size).toBeGreaterThanOrEqual(3)
      // Recycled children drain and exit on their own.
      const old = recycles.events.map((e) => e.pid)
      await waitFor(
        () =>
          old.every((pid) => !isAlive(pid)) &&
          pool!.stats().children.every((c) => !old.includes(c.pid)),
        10_000,
        'recycled children gone'
      )
    } finally {
      recycles.stop()
    }
  })

  test('after maxAgeMs (with jitter): replaced while serving, no call fails', async () => {
    pool = testPool({ size: 1, recycle: { maxAgeMs: 700, jitter: 0.1 } })
    await pool.ready()
    const first = await pool.call('pid')
    const result = await load(pool, 4, () => pool!.stats().recycled >= 2)
    expect(result.failures).toEqual([])
    expect(result.minReady).toBeGreaterThanOrEqual(1)
    expect(pool.stats().recycled).toBeGreaterThanOrEqual(2)
    // The load stops as soon as the 2nd replacement is up, maybe before it served anything.
    expect(result.pids.size).toBeGreaterThanOrEqual(2)
    await waitFor(() => !isAlive(first), 10_000, 'first child gone')
  })
})
