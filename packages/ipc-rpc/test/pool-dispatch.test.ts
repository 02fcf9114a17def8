import { afterEach, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { outcome, POOL_CHILD, testPool, waitFor } from './fixtures/pool-helpers.js'
import { createPool } from '../src/pool/create-pool.js'

let pool: Pool<PoolTestApi> | undefined
afterEach(async () => {
  await pool?.destroy()
  pool = undefined
}, 20_000)

describe('pool: dispatch, pipelining and the queue', { timeout: 30_000 }, () => {
  test('calls go to the least-loaded ready child', async () => {
    pool = testPool({ size: 2 })
    await pool.ready()
    const slow = outcome(pool.call('delay', 60_000, 'slow'))
    await waitFor(() => pool!.stats().busy === 1, 5_000, 'one busy child')
    const busyPid = pool.stats().children.find((c) => c.inFlight === 1)!.pid
    for (let i = 0; i < 10; i++) {
      expect((await pool.call('echo', i)).pid).not.toBe(busyPid)
    }
    // Many at once spread evenly: the loads never differ by more than one call.
    const burst = Array.from({ length: 41 }, (_, i) => pool!.call('delay', 200, `b${i}`))
    const loads = pool.stats().children.map((c) => c.inFlight)
    expect(loads.reduce((a, b) => a + b)).toBe(42)
    expect(Math.abs(loads[0]! - loads[1]!)).toBeLessThanOrEqual(1)
    expect((await Promise.all(burst)).map((r) => r.tag)).toEqual(burst.map((_, i) => `b${i}`))
    await pool.destroy()
    const s = await slow
    expect(!s.ok && s.error.code).toBe('RPC_ERR_POOL_CLOSED')
  })

  test('many calls are pipelined on one child up to maxInFlightPerChild; the rest queue; a full queue rejects RPC_ERR_QUEUE_FULL; aborts', async () => {
    pool = testPool({ size: 1, maxInFlightPerChild: 4, maxQueue: 3 })
    await pool.ready()
    const accepted = Array.from({ length: 6 }, (_, i) => pool!.call('delay', 150, `q${i}`))
    const controller = new AbortController()
    const aborted = outcome(pool.callWith({ signal: controller.signal }, 'delay', 1, 'aborted'))
    expect(pool.stats()).toMatchObject({ queued: 3, busy: 1 })
    expect(pool.stats().children[0]!.inFlight).toBe(4)
    const full = await outcome(pool.call('delay', 1, 'overflow'))
    expect(!full.ok && full.error.code).toBe('RPC_ERR_QUEUE_FULL')
    // A queued call that is aborted leaves the queue without ever being sent.
    controller.abort(new Error('changed my mind'))
    const a = await aborted
    expect(!a.ok && a.error.code).toBe('RPC_ERR_ABORTED')
    expect(pool.stats().queued).toBe(2)
    expect((await Promise.all(accepted)).map((r) => r.tag)).toEqual(accepted.map((_, i) => `q${i}`))
    await waitFor(() => pool!.stats().busy === 0, 2_000, 'settled')
    expect(pool.stats().children[0]!.served).toBe(6)
    // An abort of a call in flight rejects it at once; an already aborted signal never dispatches.
    const running = new AbortController()
    const inFlight = outcome(pool.callWith({ signal: running.signal }, 'delay', 5_000, 'running'))
    await waitFor(() => pool!.stats().busy === 1, 2_000, 'running')
    running.abort()
    const r = await inFlight
    expect(!r.ok && r.error.code).toBe('RPC_ERR_ABORTED')
    const already = await outcome(pool.callWith({ signal: running.signal }, 'pid'))
    expect(!already.ok && already.error.code).toBe('RPC_ERR_ABORTED')
    const bad = await outcome(pool.callWith({ timeoutMs: -1 }, 'pid'))
    expect(!bad.ok && bad.error).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option: 'timeoutMs' })
    expect(pool.stats()).toMatchObject({ queued: 0, busy: 0 })
    // A reply nobody asked for is dropped and counted, never delivered.
    expect(await pool.call('stray')).toBe('ok')
    await waitFor(() => pool!.stats().droppedReplies === 1, 2_000, 'dropped reply counted')
  })

  test('calls made before the child is ready wait for the handshake; the child can call the parent; advanced serialization', async () => {
    pool = testPool(
      { size: 1, serialization: 'advanced', handlers: { whoami: (pid) => `child ${pid}` } },
      { POOL_FIXTURE_SERIALIZATION: 'advanced' }
    )
    expect(pool.stats().ready).toBe(0)
    const early = await pool.call('echo', 'early')
    expect(early.value).toBe('early')
    expect(pool.health()).toBe('healthy')
    expect(await pool.call('askParent')).toBe(`child ${early.pid}`)
    expect(await pool.remote.echo('via remote')).toMatchObject({
      value: 'via remote',
      pid: early.pid,
    })
    // Values only the advanced serializer carries come back intact.
    const rich = new Map<string, unknown>([
      ['n', 10n],
      ['d', new Date(0)],
    ])
    expect((await pool.call('echo', rich)).value).toEqual(rich)
    const bad = await outcome(pool.close({ timeoutMs: -1 }))
    expect(!bad.ok && bad.error).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option: 'timeoutMs' })
  })

  test('min/max size: grows under load up to max, shrinks back to min when idle', async () => {
    pool = testPool({ size: { min: 1, max: 3 }, idleTimeoutMs: 300 })
    await pool.ready()
    const calls = Array.from({ length: 30 }, (_, i) => pool!.call('delay', 400, `s${i}`))
    await waitFor(() => pool!.stats().ready >= 2, 10_000, 'scaled up')
    await Promise.all(calls)
    expect(pool.stats().size).toBeLessThanOrEqual(3)
    await waitFor(() => pool!.stats().size === 1, 10_000, 'scaled down')
    expect(pool.stats().restarts).toBe(0)
  })

  test('calls to a child share IPC writes; maxBatch 1 writes each call on its own', async () => {
    /** Writes the child receives for a burst of 40 calls, not counting the two `received` calls. */
    const writesForBurst = async (p: Pool<PoolTestApi>): Promise<number> => {
      const before = await p.call('received')
      const values = await Promise.all(Array.from({ length: 40 }, (_, i) => p.call('echo', i)))
      expect(values.map((v) => v.value)).toEqual(Array.from({ length: 40 }, (_, i) => i))
      return (await p.call('received')) - before - 1
    }
    pool = testPool({ size: 1 })
    expect(await writesForBurst(pool)).toBeLessThan(40)
    await pool.close()
    pool = testPool({ size: 1, maxBatch: 1 })
    expect(await writesForBurst(pool)).toBe(40)
  })

  test('bad options fail createPool synchronously with RPC_ERR_BAD_OPTION naming the option', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ entry: '' }, 'entry'],
      [{ entry: POOL_CHILD, size: 0 }, 'size'],
      [{ entry: POOL_CHILD, size: { min: 3, max: 2 } }, 'size.max'],
      [{ entry: POOL_CHILD, maxInFlightPerChild: 0 }, 'maxInFlightPerChild'],
      [{ entry: POOL_CHILD, maxBatch: 0 }, 'maxBatch'],
      [{ entry: POOL_CHILD, maxBatch: 2.5 }, 'maxBatch'],
      [{ entry: POOL_CHILD, recycle: { jitter: 2 } }, 'recycle.jitter'],
      [{ entry: POOL_CHILD, heartbeat: { intervalMs: 10 } }, 'heartbeat.timeoutMs'],
      [{ entry: POOL_CHILD, serialization: 'xml' }, 'serialization'],
    ]
    for (const [options, option] of bad) {
      let error: unknown
      try {
        createPool(options as never)
      } catch (err) {
        error = err
      }
      expect(error).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option })
    }
  })
})
