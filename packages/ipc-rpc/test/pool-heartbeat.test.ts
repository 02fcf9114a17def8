import { afterEach, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { capture, isAlive, outcome, testPool } from './fixtures/pool-helpers.js'

let pool: Pool<PoolTestApi> | undefined
afterEach(async () => {
  await pool?.destroy()
  pool = undefined
}, 20_000)

describe('pool: heartbeat', { timeout: 30_000 }, () => {
  test('a child stuck in a busy loop misses pings, is killed and replaced; its calls reject RPC_ERR_CHILD_HUNG', async () => {
    const exits = capture('crosstalk:ipc-rpc:pool:exit')
    try {
      pool = testPool({ size: 1, heartbeat: { intervalMs: 50, timeoutMs: 500 } })
      await pool.ready()
      const pid = await pool.call('pid')
      // Healthy idle child: heartbeats answered for a while, nothing happens.
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(await pool.call('pid')).toBe(pid)
      const waiting = outcome(pool.call('delay', 60_000, 'bystander'))
      const started = Date.now()
      const busy = await outcome(pool.call('busy', 20_000))
      const bystander = await waiting
      expect(Date.now() - started).toBeLessThan(5_000)
      for (const r of [busy, bystander]) {
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.error.code).toBe('RPC_ERR_CHILD_HUNG')
          expect(r.error).toMatchObject({ pid })
          expect((r.error.cause as { code?: string } | undefined)?.code).toBe('RPC_ERR_PEER_GONE')
        }
      }
      expect(!busy.ok && busy.error).toMatchObject({ method: 'busy' })
      expect(!bystander.ok && bystander.error).toMatchObject({ method: 'delay' })
      await pool.ready()
      const next = await pool.call('pid')
      expect(next).not.toBe(pid)
      expect(isAlive(pid)).toBe(false)
      expect(pool.stats().restarts).toBe(1)
      const exit = exits.events.find((e) => e.pid === pid)
      expect(exit).toMatchObject({ signal: 'SIGKILL', state: 'stopping' })
      // Timers may fire up to 1 ms early against Date.now().
      expect(exit?.hungAfterMs as number).toBeGreaterThanOrEqual(499)
    } finally {
      exits.stop()
    }
  })

  test('a child that is busy but answering (async work) is never taken for hung', async () => {
    pool = testPool({ size: 1, heartbeat: { intervalMs: 20, timeoutMs: 1_000 } })
    await pool.ready()
    const pid = await pool.call('pid')
    const calls = Array.from({ length: 50 }, (_, i) =>
      pool!.call('delay', 10 + (i % 5) * 10, `d${i}`)
    )
    const replies = await Promise.all(calls)
    expect(replies.map((r) => r.tag)).toEqual(calls.map((_, i) => `d${i}`))
    // Short blocking work below the deadline is fine too.
    await pool.call('busy', 300)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await pool.call('pid')).toBe(pid)
    expect(pool.stats()).toMatchObject({ restarts: 0, health: 'healthy' })
  })
})
