import { afterEach, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { capture, isAlive, outcome, testPool, waitFor } from './fixtures/pool-helpers.js'

let pool: Pool<PoolTestApi> | undefined
afterEach(async () => {
  await pool?.destroy()
  pool = undefined
}, 20_000)

describe('pool: stopOnTimeout escalation', { timeout: 30_000 }, () => {
  test('a child that ignores SIGTERM gets SIGKILL after the grace periods; only that child', async () => {
    const exits = capture('crosstalk:ipc-rpc:pool:exit')
    try {
      pool = testPool(
        { size: 2, stopOnTimeout: { termGraceMs: 150, killGraceMs: 250 } },
        { POOL_FIXTURE_IGNORE_TERM: '1' }
      )
      await pool.ready()
      const [a, b] = pool.stats().children.map((c) => c.pid)
      // A long call pins one child so the timed-out call lands on the other one.
      const pinned = outcome(pool.call('delay', 60_000, 'pinned'))
      await waitFor(() => pool!.stats().busy === 1, 5_000, 'one busy child')
      const pinnedPid = pool.stats().children.find((c) => c.inFlight === 1)!.pid
      const victim = pinnedPid === a ? b! : a!
      const timedOut = await outcome(pool.callWith({ timeoutMs: 100 }, 'never'))
      const timedOutAt = Date.now()
      expect(!timedOut.ok && timedOut.error.code).toBe('RPC_ERR_TIMEOUT')
      await waitFor(() => exits.events.some((e) => e.pid === victim), 5_000, 'victim exit')
      const i = exits.events.findIndex((e) => e.pid === victim)
      expect(exits.events[i]).toMatchObject({ signal: 'SIGKILL', unexpected: false })
      // SIGTERM at +150 ms was ignored; SIGKILL came 250 ms later.
      expect(exits.times[i]! - timedOutAt).toBeGreaterThanOrEqual(380)
      expect(isAlive(pinnedPid)).toBe(true)
      expect(pool.stats()).toMatchObject({ timeouts: 1, restarts: 0 })
      // The pool replaced the stopped child and still serves; the pinned call is untouched.
      await pool.ready()
      await waitFor(() => pool!.stats().ready === 2, 10_000, 'replacement ready')
      expect(pool.stats().children.map((c) => c.pid)).not.toContain(victim)
      expect((await pool.call('echo', 1)).value).toBe(1)
      expect(pool.stats().children.find((c) => c.pid === pinnedPid)?.inFlight).toBe(1)
      await pool.destroy()
      const p = await pinned
      expect(!p.ok && p.error.code).toBe('RPC_ERR_POOL_CLOSED')
    } finally {
      exits.stop()
    }
  })

  test('a child that honours SIGTERM stops at the SIGTERM step; its other calls reject RPC_ERR_PEER_GONE', async () => {
    const exits = capture('crosstalk:ipc-rpc:pool:exit')
    try {
      pool = testPool({ size: 1, stopOnTimeout: { termGraceMs: 100, killGraceMs: 5_000 } })
      await pool.ready()
      const pid = await pool.call('pid')
      const collateral = outcome(pool.call('delay', 60_000, 'c'))
      const timedOut = await outcome(pool.callWith({ timeoutMs: 50 }, 'never'))
      expect(!timedOut.ok && timedOut.error.code).toBe('RPC_ERR_TIMEOUT')
      const c = await collateral
      expect(!c.ok && c.error.code).toBe('RPC_ERR_PEER_GONE')
      expect(!c.ok && c.error).toMatchObject({ pid, method: 'delay' })
      await waitFor(() => exits.events.some((e) => e.pid === pid), 5_000, 'exit')
      expect(exits.events.find((e) => e.pid === pid)).toMatchObject({ signal: 'SIGTERM' })
      await pool.ready()
      expect(await pool.call('pid')).not.toBe(pid)
    } finally {
      exits.stop()
    }
  })
})
