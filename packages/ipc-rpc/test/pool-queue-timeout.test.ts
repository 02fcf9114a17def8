// queueTimeoutMs: a deadline for waiting in the pool's queue, separate from the call's own
// deadline (which starts at dispatch).
import { afterEach, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { outcome, testPool, waitFor } from './fixtures/pool-helpers.js'

let pool: Pool<PoolTestApi> | undefined
afterEach(async () => {
  await pool?.destroy()
  pool = undefined
}, 20_000)

describe('pool: queueTimeoutMs', { timeout: 30_000 }, () => {
  test('a call that waits too long for a free child rejects RPC_ERR_QUEUE_TIMEOUT, unsent', async () => {
    pool = testPool({ size: 1, maxInFlightPerChild: 1, queueTimeoutMs: 150 })
    await pool.ready()
    const busy = pool.call('delay', 1_000, 'busy')
    const started = Date.now()
    const waited = await outcome(pool.call('delay', 1, 'waits'))
    const took = Date.now() - started
    expect(!waited.ok && waited.error).toMatchObject({
      code: 'RPC_ERR_QUEUE_TIMEOUT',
      method: 'delay',
      queueTimeoutMs: 150,
    })
    expect(took).toBeGreaterThanOrEqual(140)
    expect(took).toBeLessThan(1_000)
    // Per call: 0 waits as long as it takes, a shorter deadline wins.
    const patient = pool.callWith({ queueTimeoutMs: 0 }, 'delay', 1, 'patient')
    const hasty = await outcome(pool.callWith({ queueTimeoutMs: 20 }, 'delay', 1, 'hasty'))
    expect(!hasty.ok && hasty.error).toMatchObject({
      code: 'RPC_ERR_QUEUE_TIMEOUT',
      queueTimeoutMs: 20,
    })
    expect((await busy).tag).toBe('busy')
    expect((await patient).tag).toBe('patient')
    // Nothing timed-out was ever sent; the call deadline counter is untouched.
    expect(pool.stats()).toMatchObject({ queued: 0, timeouts: 0 })
    expect(pool.stats().children[0]!.served).toBe(2)
  })

  test('a dispatched call no longer has a queue deadline; a bad queueTimeoutMs is refused', async () => {
    pool = testPool({ size: 1, maxInFlightPerChild: 1, queueTimeoutMs: 100 })
    await pool.ready()
    const first = pool.call('delay', 50, 'first')
    // Waits about 50 ms, then runs for 300 ms: well past its queue deadline, and still fine.
    const second = pool.call('delay', 300, 'second')
    await waitFor(() => pool!.stats().queued === 0, 2_000, 'second dispatched')
    expect((await first).tag).toBe('first')
    expect((await second).tag).toBe('second')
    for (const queueTimeoutMs of [-1, 1.5, 2 ** 31]) {
      const bad = await outcome(pool.callWith({ queueTimeoutMs }, 'pid'))
      expect(!bad.ok && bad.error).toMatchObject({
        code: 'RPC_ERR_BAD_OPTION',
        option: 'queueTimeoutMs',
      })
    }
  })
})
