// Issue 13, points 1-3: a child that goes away in the awkward ways (disconnects and lives on, is
// killed while the parent is still writing to it) never leaves a call hanging, never gives an
// error without its exit code and signal, and never takes new calls once it is dying.
import { afterAll, describe, expect, test, vi } from 'vitest'
import { childProcessTransport, createEndpoint } from '../src/index.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import {
  capture,
  isAlive,
  outcome,
  waitFor,
  within,
  poolsPerTest,
} from './fixtures/pool-helpers.js'
import { forkTs, killAll } from './helpers/fork-ts.js'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const newPool = poolsPerTest()
afterAll(killAll)

/**
 * SIGKILLs pid and blocks this thread until it is surely dead, so the writes that follow in this
 * tick fail with EPIPE before the event loop has seen the channel close: the race of point 2.
 */
function killAndKeepWriting(pid: number): void {
  process.kill(pid, 'SIGKILL')
  const end = Date.now() + 50
  while (Date.now() < end) {
    // spin
  }
}

describe('issue 13', () => {
  test('13.1: a child that disconnects its IPC channel but stays alive is replaced and stopped; a call with a deadline does not hang', async () => {
    const exits = capture<{ pid: number; unexpected: boolean; signal: string | null }>(
      'crosstalk:ipc-rpc:pool:exit'
    )
    try {
      const pool = newPool({ size: 1, stdio: 'pipe' })
      await pool.ready()
      const pid = await pool.call('pid')
      // The child closes its channel and would keep running for a minute on its own.
      const gone = await outcome(pool.call('disconnect', 60_000))
      expect(!gone.ok && gone.error).toMatchObject({ code: 'RPC_ERR_PEER_GONE', pid })
      const next = await within(
        15_000,
        pool.callWith({ timeoutMs: 1_000 }, 'pid'),
        'call after the disconnect'
      )
      expect(next).not.toBe(pid)
      // The pool did not leave the disconnected child running, and counted it as a failure.
      await waitFor(() => !isAlive(pid), 10_000, 'disconnected child stopped')
      await waitFor(() => exits.events.some((e) => e.pid === pid), 5_000, 'exit published')
      expect(exits.events.find((e) => e.pid === pid)).toMatchObject({ unexpected: true })
      expect(pool.stats()).toMatchObject({ restarts: 1, size: 1, ready: 1 })
    } finally {
      exits.stop()
    }
  })

  test('13.2: a child SIGKILLed while the parent is writing to it: every error names the signal', async () => {
    const child = forkTs('pool-child.ts')
    const endpoint = createEndpoint<PoolTestApi>(childProcessTransport(child))
    try {
      await endpoint.call('pid')
      const inFlight = Array.from({ length: 8 }, () => outcome(endpoint.call('never')))
      await new Promise((resolve) => setTimeout(resolve, 50))
      killAndKeepWriting(child.pid!)
      const written = Array.from({ length: 8 }, () => outcome(endpoint.call('echo', 'x')))
      const errors = (await Promise.all([...inFlight, ...written])).map((r) => (r.ok ? r : r.error))
      for (const error of errors) {
        expect(error).toMatchObject({
          code: 'RPC_ERR_PEER_GONE',
          pid: child.pid,
          exitCode: null,
          signal: 'SIGKILL',
        })
      }
    } finally {
      endpoint.close()
    }
  })

  test('13.2: a stall longer than the exit grace, right after the disconnect, still gets the signal', async () => {
    const child = forkTs('pool-child.ts')
    const endpoint = createEndpoint<PoolTestApi>(childProcessTransport(child))
    try {
      await endpoint.call('pid')
      const inFlight = Array.from({ length: 4 }, () => outcome(endpoint.call('never')))
      // Blocks this thread for longer than the transport's 250 ms grace as soon as the channel
      // closes (a GC pause, a loaded machine): the exit is signalled but not yet read.
      child.once('disconnect', () => {
        const end = Date.now() + 400
        while (Date.now() < end) {
          // spin
        }
      })
      child.kill('SIGKILL')
      for (const r of await Promise.all(inFlight)) {
        expect(r.ok ? r : r.error).toMatchObject({
          code: 'RPC_ERR_PEER_GONE',
          exitCode: null,
          signal: 'SIGKILL',
        })
      }
    } finally {
      endpoint.close()
    }
  })

  test('13.2: the same through the pool, with the method and call id of each call', async () => {
    const pool = newPool({ size: 1 })
    await pool.ready()
    const pid = await pool.call('pid')
    const inFlight = Array.from({ length: 8 }, () => outcome(pool.call('never')))
    await new Promise((resolve) => setTimeout(resolve, 50))
    killAndKeepWriting(pid)
    const written = Array.from({ length: 8 }, () => outcome(pool.call('echo', 'x')))
    const results = await Promise.all([...inFlight, ...written])
    const ids = new Set<unknown>()
    for (const [i, r] of results.entries()) {
      expect(r.ok).toBe(false)
      const error = (r.ok ? {} : r.error) as Record<string, unknown>
      expect(error).toMatchObject({ code: 'RPC_ERR_PEER_GONE', pid, signal: 'SIGKILL' })
      expect(error.method).toBe(i < 8 ? 'never' : 'echo')
      ids.add(error.callId)
    }
    expect(ids.size).toBe(16)
  })

  test('13.3: a dying child takes no new calls while a healthy child is free', async () => {
    const pool = newPool({ size: 2 })
    await pool.ready()
    const a = pool.stats().children[0]!.pid
    // Long calls on both children: those on a fail with its death, those on b finish.
    const inFlight = Array.from({ length: 8 }, (_, i) => outcome(pool.call('delay', 2_000, `${i}`)))
    await waitFor(() => pool.stats().children.every((c) => c.inFlight === 4), 5_000, 'spread')
    // From the moment the first call reports a's death, every new call must succeed elsewhere.
    let reported = false
    const after: Array<ReturnType<typeof outcome<{ value: unknown; pid: number }>>> = []
    const watch = (p: ReturnType<typeof outcome<unknown>>) =>
      p.then((r) => {
        if (!r.ok && r.error.code === 'RPC_ERR_PEER_GONE') {
          reported = true
        }
        if (reported) {
          after.push(outcome(pool.call('echo', 'after')))
        }
        return r
      })
    const watched = inFlight.map(watch)
    killAndKeepWriting(a)
    watched.push(...Array.from({ length: 8 }, () => watch(outcome(pool.call('echo', 'x')))))
    await Promise.all(watched)
    expect(reported).toBe(true)
    expect(after.length).toBeGreaterThan(0)
    for (const r of await Promise.all(after)) {
      // On b, or on a's replacement once it is up; never on a.
      expect(r.ok && r.value).toMatchObject({ value: 'after' })
      expect(r.ok && r.value.pid).not.toBe(a)
    }
  })
})
