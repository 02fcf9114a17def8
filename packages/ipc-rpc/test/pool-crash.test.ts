import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { capture, isAlive, outcome, testPool, waitFor } from './fixtures/pool-helpers.js'

// One pool for the whole file: each test kills its current child and checks the respawn, so the
// pool also shows that it survives crash after crash.
let pool: Pool<PoolTestApi>
beforeAll(() => {
  // 'pipe' keeps the child's dying words (an uncaught throw's stack) out of the test output.
  pool = testPool({ size: 1, stdio: 'pipe' })
})
afterAll(async () => {
  await pool.destroy()
}, 20_000)

async function crashWhileInFlight(
  crash: (p: Pool<PoolTestApi>, pid: number) => Promise<unknown>
): Promise<{ pid: number; restarts: number; errors: Array<Error & Record<string, unknown>> }> {
  await pool.ready()
  const pid = await pool.call('pid')
  const restarts = pool.stats().restarts
  // Calls pipelined on the child when it dies: every one must reject at once.
  const inFlight = Array.from({ length: 5 }, (_, i) => outcome(pool.call('delay', 60_000, `t${i}`)))
  await waitFor(() => pool.stats().children[0]?.inFlight === 5, 5_000, 'calls in flight')
  const started = Date.now()
  const crashCall = outcome(crash(pool, pid))
  const results = await Promise.all([...inFlight, crashCall])
  expect(Date.now() - started).toBeLessThan(5_000)
  const errors = results.map((r) => {
    expect(r.ok).toBe(false)
    return (r.ok ? new Error('resolved') : r.error) as Error & Record<string, unknown>
  })
  return { pid, restarts, errors }
}

async function expectRespawned(oldPid: number, restartsBefore: number): Promise<void> {
  await pool.ready()
  const newPid = await pool.call('pid')
  expect(newPid).not.toBe(oldPid)
  expect(pool.stats().restarts).toBe(restartsBefore + 1)
  await waitFor(() => !isAlive(oldPid), 5_000, 'old child gone')
}

describe('pool: a child crashing with calls in flight', { timeout: 30_000 }, () => {
  test('process.exit: every in-flight call rejects RPC_ERR_PEER_GONE naming pid, exit code, method, callId', async () => {
    const exits = capture('crosstalk:ipc-rpc:pool:exit')
    try {
      const { pid, restarts, errors } = await crashWhileInFlight((p) => p.call('exit', 7))
      const callIds = new Set<unknown>()
      for (const error of errors) {
        expect(error.code).toBe('RPC_ERR_PEER_GONE')
        expect(error.pid).toBe(pid)
        expect(typeof error.callId).toBe('number')
        callIds.add(error.callId)
        // Node emits 'disconnect' before 'exit'; the transport waits briefly for the exit code and
        // reports a bare disconnect only if 'exit' is late.
        if (error.exitCode !== 7) {
          expect(error).toMatchObject({ exitCode: null, reason: 'disconnect' })
        }
      }
      expect(callIds.size).toBe(6)
      expect(errors.slice(0, 5).map((e) => e.method)).toEqual(Array(5).fill('delay'))
      expect(errors[5]!.method).toBe('exit')
      await expectRespawned(pid, restarts)
      const exit = exits.events.find((e) => e.pid === pid)
      expect(exit).toMatchObject({ code: 7, signal: null, unexpected: true })
    } finally {
      exits.stop()
    }
  })

  test('an uncaught throw in the child: calls reject RPC_ERR_PEER_GONE and the pool respawns', async () => {
    const { pid, restarts, errors } = await crashWhileInFlight((p) =>
      p.call('throwUncaught', 'boom')
    )
    for (const error of errors) {
      expect(error.code).toBe('RPC_ERR_PEER_GONE')
      expect(error.pid).toBe(pid)
      if (error.exitCode !== 1) {
        expect(error).toMatchObject({ exitCode: null, reason: 'disconnect' })
      }
    }
    await expectRespawned(pid, restarts)
  })

  test('SIGKILL from outside: calls reject RPC_ERR_PEER_GONE with the signal and the pool respawns', async () => {
    const { pid, restarts, errors } = await crashWhileInFlight(async (_p, target) => {
      process.kill(target, 'SIGKILL')
      return Promise.reject(Object.assign(new Error('not a call'), { code: 'NOT_A_CALL' }))
    })
    for (const error of errors.slice(0, 5)) {
      expect(error.code).toBe('RPC_ERR_PEER_GONE')
      expect(error.pid).toBe(pid)
      if (error.signal !== 'SIGKILL') {
        expect(error).toMatchObject({ signal: null, reason: 'disconnect' })
      }
      expect(error.method).toBe('delay')
    }
    await expectRespawned(pid, restarts)
    expect(pool.health()).toBe('degraded')
  })

  test('regression: a child that disconnected but has not exited yet gets no new calls', async () => {
    await pool.ready()
    const pid = await pool.call('pid')
    const restarts = pool.stats().restarts
    const gone = await outcome(pool.call('disconnect', 1_500))
    expect(!gone.ok && gone.error).toMatchObject({ code: 'RPC_ERR_PEER_GONE', pid })
    // The old child is still alive for a while; the next call must wait for its replacement.
    expect(isAlive(pid)).toBe(true)
    expect(pool.stats().ready).toBe(0)
    const next = await pool.call('pid')
    expect(next).not.toBe(pid)
    expect(pool.stats().restarts).toBe(restarts + 1)
  })
})
