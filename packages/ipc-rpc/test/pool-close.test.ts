import { afterEach, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { capture, isAlive, outcome, testPool, waitFor } from './fixtures/pool-helpers.js'

let pool: Pool<PoolTestApi> | undefined
afterEach(async () => {
  await pool?.destroy()
  pool = undefined
}, 20_000)

describe('pool: close and destroy', { timeout: 30_000 }, () => {
  test('close lets calls in flight finish, rejects new and queued calls, then stops every child', async () => {
    pool = testPool({ size: 2, maxInFlightPerChild: 2 })
    await pool.ready()
    const pids = pool.stats().children.map((c) => c.pid)
    const inFlight = [100, 200, 300, 150].map((ms, i) => pool!.call('delay', ms, `f${i}`))
    const queued = outcome(pool.call('delay', 10, 'queued'))
    await waitFor(() => pool!.stats().queued === 1, 5_000, 'one queued')
    const closing = pool.close({ timeoutMs: 5_000 })
    const q = await queued
    expect(!q.ok && q.error.code).toBe('RPC_ERR_POOL_CLOSED')
    const late = await outcome(pool.call('pid'))
    expect(!late.ok && late.error.code).toBe('RPC_ERR_POOL_CLOSED')
    expect((await Promise.all(inFlight)).map((r) => r.tag)).toEqual(['f0', 'f1', 'f2', 'f3'])
    await closing
    expect(pids.every((pid) => !isAlive(pid))).toBe(true)
    expect(pool.stats()).toMatchObject({ size: 0, queued: 0 })
    const ready = await outcome(pool.ready())
    expect(!ready.ok && ready.error.code).toBe('RPC_ERR_POOL_CLOSED')
    // close() is idempotent.
    await pool.close()
  })

  test('close past its deadline rejects what is left with RPC_ERR_POOL_CLOSED and stops the children', async () => {
    pool = testPool({ size: 1 })
    await pool.ready()
    const pid = await pool.call('pid')
    const stuck = outcome(pool.call('never'))
    const quick = pool.call('delay', 50, 'quick')
    const started = Date.now()
    await pool.close({ timeoutMs: 300 })
    expect(Date.now() - started).toBeLessThan(3_000)
    expect((await quick).tag).toBe('quick')
    const s = await stuck
    expect(!s.ok && s.error.code).toBe('RPC_ERR_POOL_CLOSED')
    expect(isAlive(pid)).toBe(false)
  })

  test('destroy kills every child now and rejects in-flight and queued calls', async () => {
    const exits = capture('crosstalk:ipc-rpc:pool:exit')
    try {
      pool = testPool({ size: 2, maxInFlightPerChild: 1 })
      await pool.ready()
      const pids = pool.stats().children.map((c) => c.pid)
      const calls = Array.from({ length: 5 }, (_, i) =>
        outcome(pool!.call('delay', 60_000, `d${i}`))
      )
      await waitFor(() => pool!.stats().queued === 3, 5_000, 'three queued')
      await pool.destroy()
      for (const r of await Promise.all(calls)) {
        expect(!r.ok && r.error.code).toBe('RPC_ERR_POOL_CLOSED')
      }
      expect(pids.every((pid) => !isAlive(pid))).toBe(true)
      expect(exits.events.filter((e) => pids.includes(e.pid as number))).toHaveLength(2)
      for (const e of exits.events) {
        expect(e.signal).toBe('SIGKILL')
      }
      const after = await outcome(pool.call('pid'))
      expect(!after.ok && after.error.code).toBe('RPC_ERR_POOL_CLOSED')
    } finally {
      exits.stop()
    }
  })

  test('close while children are still starting stops them and resolves', async () => {
    pool = testPool({ size: 2 })
    const early = outcome(pool.call('pid'))
    const spawned = pool.stats().children.map((c) => c.pid)
    await pool.close({ timeoutMs: 2_000 })
    const e = await early
    expect(!e.ok && e.error.code).toBe('RPC_ERR_POOL_CLOSED')
    expect(spawned.every((pid) => !isAlive(pid))).toBe(true)
  })
})
