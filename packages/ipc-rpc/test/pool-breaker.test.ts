import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { capture, outcome, testPool, waitFor } from './fixtures/pool-helpers.js'

const CRASH_CHILD = fileURLToPath(new URL('./fixtures/pool-crash-child.mjs', import.meta.url))

let pool: Pool<PoolTestApi> | undefined
afterEach(async () => {
  await pool?.destroy()
  pool = undefined
}, 20_000)

describe('pool: crash-loop breaker', { timeout: 30_000 }, () => {
  test('children that die at start trip the breaker: health failing, calls reject RPC_ERR_POOL_FAILING', async () => {
    const spawns = capture('crosstalk:ipc-rpc:pool:spawn')
    const health = capture<{ from: string; to: string }>('crosstalk:ipc-rpc:pool:health')
    try {
      pool = testPool({
        entry: CRASH_CHILD,
        execArgv: [],
        stdio: 'pipe',
        size: 2,
        maxQueue: 100,
        restart: { initialDelayMs: 10, maxDelayMs: 40, maxRestarts: 3, windowMs: 30_000 },
      })
      // A call made before the pool is up waits in the queue, then fails with the pool.
      const queued = outcome(pool.call('pid'))
      const ready = await outcome(pool.ready())
      expect(ready.ok).toBe(false)
      expect(!ready.ok && ready.error.code).toBe('RPC_ERR_POOL_FAILING')
      const q = await queued
      expect(!q.ok && q.error.code).toBe('RPC_ERR_POOL_FAILING')
      expect(pool.health()).toBe('failing')
      const late = await outcome(pool.call('pid'))
      expect(!late.ok && late.error.code).toBe('RPC_ERR_POOL_FAILING')
      // The 4th failure in the window trips. Every spawn failed: 2 initial, the rest restarts
      // (the last restart may or may not have been spawned before the 4th failure came in).
      await waitFor(() => pool!.stats().size === 0, 10_000, 'children gone')
      const spawned = spawns.events.length
      expect(spawned).toBeGreaterThanOrEqual(4)
      expect(spawned).toBeLessThanOrEqual(5)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(spawns.events.length).toBe(spawned)
      expect(pool.stats()).toMatchObject({ restarts: spawned - 2, health: 'failing', queued: 0 })
      expect(health.events.at(-1)).toMatchObject({ to: 'failing' })
    } finally {
      spawns.stop()
      health.stop()
    }
  })

  test('respawns back off: the delay doubles between failures', async () => {
    const spawns = capture<{ reason: string }>('crosstalk:ipc-rpc:pool:spawn')
    const exits = capture('crosstalk:ipc-rpc:pool:exit')
    try {
      pool = testPool({
        entry: CRASH_CHILD,
        execArgv: [],
        stdio: 'pipe',
        size: 1,
        restart: { initialDelayMs: 100, maxDelayMs: 10_000, maxRestarts: 3, windowMs: 30_000 },
      })
      await outcome(pool.ready())
      expect(pool.health()).toBe('failing')
      expect(spawns.events.map((e) => e.reason)).toEqual([
        'initial',
        'restart',
        'restart',
        'restart',
      ])
      // Respawn i+1 follows exit i by at least initialDelayMs * 2^i.
      const gaps = [0, 1, 2].map((i) => spawns.times[i + 1]! - exits.times[i]!)
      expect(gaps[0]).toBeGreaterThanOrEqual(95)
      expect(gaps[1]).toBeGreaterThanOrEqual(195)
      expect(gaps[2]).toBeGreaterThanOrEqual(395)
    } finally {
      spawns.stop()
      exits.stop()
    }
  })

  test('health: healthy when up, degraded after a crash, healthy again once the failure leaves the window', async () => {
    const health = capture<{ from: string; to: string }>('crosstalk:ipc-rpc:pool:health')
    try {
      pool = testPool({
        size: 1,
        restart: { initialDelayMs: 10, maxDelayMs: 100, maxRestarts: 5, windowMs: 1_000 },
      })
      await pool.ready()
      expect(pool.health()).toBe('healthy')
      const pid = await pool.call('pid')
      process.kill(pid, 'SIGKILL')
      await waitFor(() => pool!.health() === 'degraded', 5_000, 'degraded')
      await waitFor(() => pool!.health() === 'healthy', 15_000, 'healthy again')
      expect(pool.stats().restarts).toBe(1)
      // The recovery is published too, not only visible when polled.
      await waitFor(() => health.events.at(-1)?.to === 'healthy', 2_000, 'healthy event')
      expect(health.events.map((e) => e.to)).toEqual(['healthy', 'degraded', 'healthy'])
    } finally {
      health.stop()
    }
  })

  test('half-open: after the cool-down one probe child starts; a failed probe keeps it failing, a good one closes it', async () => {
    const spawns = capture<{ reason: string }>('crosstalk:ipc-rpc:pool:spawn')
    const health = capture<{ from: string; to: string }>('crosstalk:ipc-rpc:pool:health')
    const dir = mkdtempSync(join(tmpdir(), 'ipc-rpc-breaker-'))
    const crashFile = join(dir, 'crash')
    writeFileSync(crashFile, '')
    try {
      pool = testPool(
        {
          size: 2,
          stdio: 'pipe',
          restart: {
            initialDelayMs: 10,
            maxDelayMs: 20,
            maxRestarts: 1,
            windowMs: 30_000,
            coolDownMs: 300,
          },
        },
        { POOL_FIXTURE_CRASH_WHILE: crashFile }
      )
      const failed = await outcome(pool.ready())
      expect(!failed.ok && failed.error).toMatchObject({
        code: 'RPC_ERR_POOL_FAILING',
        exitCode: 5,
      })
      expect(!failed.ok && (failed.error as { stderr?: string }).stderr).toContain('giving up')
      // The first probe still crashes: the pool stays failing and probes again later.
      await waitFor(() => spawns.events.some((e) => e.reason === 'probe'), 10_000, 'a probe')
      await waitFor(() => pool!.stats().size === 0, 10_000, 'probe gone')
      expect(pool.health()).toBe('failing')
      const during = await outcome(pool.call('pid'))
      expect(!during.ok && during.error.code).toBe('RPC_ERR_POOL_FAILING')
      // The cause goes away: the next probe passes its handshake and the pool comes back to size.
      rmSync(crashFile)
      await waitFor(() => pool!.health() !== 'failing', 15_000, 'breaker closed')
      await pool.ready()
      await waitFor(() => pool!.stats().ready === 2, 15_000, 'back to size')
      expect(typeof (await pool.call('pid'))).toBe('number')
      const probes = spawns.events.filter((e) => e.reason === 'probe').length
      expect(probes).toBeGreaterThanOrEqual(2)
      expect(health.events.map((e) => e.to)).toContain('failing')
      expect(health.events.at(-1)?.to).not.toBe('failing')
    } finally {
      spawns.stop()
      health.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
