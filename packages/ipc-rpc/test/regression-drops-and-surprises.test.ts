// Issue 13, points 7 and 10: dropped replies are counted in the right category, and the API holds
// no surprises: serialising the remote proxy sends nothing, promise-returning functions reject
// rather than throw, a shared AbortSignal gets one listener, errors carry their call id, and
// recycle.maxRequests is a cap.
import { fork } from 'node:child_process'
import { getEventListeners } from 'node:events'
import { inspect } from 'node:util'
import { afterAll, describe, expect, test, vi } from 'vitest'
import {
  childProcessTransport,
  createEndpoint,
  workerTransport,
  type Endpoint,
} from '../src/index.js'
import type { ChildApi } from './fixtures/test-api.js'
import { capture, outcome, waitFor, poolsPerTest } from './fixtures/pool-helpers.js'
import { fixturePath, forkTs, killAll, workerTs } from './helpers/fork-ts.js'
import { rejection } from './helpers/transport-contract.js'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const newPool = poolsPerTest()
afterAll(killAll)

type HostileApi = { echo(v: unknown): unknown; replyTo(ids: number[]): string }

function endpoints(): Array<[string, () => Endpoint<ChildApi>]> {
  return [
    [
      'child_process',
      () => createEndpoint<ChildApi>(childProcessTransport(forkTs('process-child.ts'))),
    ],
    [
      'worker_threads',
      () => createEndpoint<ChildApi>(workerTransport(workerTs('worker-child.ts'))),
    ],
  ]
}

/** Collects the process warnings emitted while fn runs (MaxListenersExceededWarning and friends). */
async function warningsDuring(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = []
  const onWarning = (w: Error): void => {
    seen.push(w.name)
  }
  process.on('warning', onWarning)
  try {
    await fn()
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', onWarning)
  }
  return seen
}

describe('issue 13', () => {
  test('13.7: a reply for an id that was never sent (aborted while queued, unserializable) counts as unknown', async () => {
    const child = fork(fixturePath('hostile-peer.mjs'), [], { stdio: 'inherit' })
    const endpoint = createEndpoint<HostileApi>(childProcessTransport(child), { maxInFlight: 1 })
    try {
      expect(await endpoint.call('echo', 'warm')).toBe('warm')
      const first = endpoint.call('echo', 'first')
      const controller = new AbortController()
      const queued = rejection(endpoint.callWith({ signal: controller.signal }, 'echo', 'q'))
      controller.abort()
      const abortedId = (await queued).callId as number
      expect(await first).toBe('first')
      // The peer now replies for an id this side never sent.
      expect(await endpoint.call('replyTo', [abortedId])).toBe('ok')
      expect(endpoint.stats().dropped).toEqual({ unknown: 1, late: 0, duplicate: 0, malformed: 0 })
      const unsendable = await rejection(endpoint.call('echo', 10n))
      expect(unsendable.code).toBe('RPC_ERR_UNSERIALIZABLE')
      const unsendableId = (unsendable.callId as number | undefined) ?? abortedId + 2
      expect(await endpoint.call('replyTo', [unsendableId])).toBe('ok')
      expect(endpoint.stats().dropped).toEqual({ unknown: 2, late: 0, duplicate: 0, malformed: 0 })
    } finally {
      endpoint.close()
      child.kill('SIGKILL')
    }
  })

  for (const [name, open] of endpoints()) {
    test(`13.10: serialising or inspecting the remote proxy sends no call (${name})`, async () => {
      const endpoint = open()
      try {
        await endpoint.call('add', 0, 0)
        const sent = endpoint.stats().sent
        expect(JSON.stringify(endpoint.remote)).toBe('{}')
        expect(JSON.stringify({ nested: endpoint.remote })).toBe('{"nested":{}}')
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the point of the test
        expect(String(endpoint.remote)).toBe('[object Object]')
        expect(`${endpoint.remote as unknown as string}`).toBe('[object Object]')
        expect(typeof inspect(endpoint.remote)).toBe('string')
        expect(await Promise.resolve(endpoint.remote)).toBe(endpoint.remote)
        expect(endpoint.stats().sent).toBe(sent)
        expect(await endpoint.remote.add(2, 3)).toBe(5)
      } finally {
        endpoint.close()
      }
    })

    test(`13.10: promise-returning functions reject, never throw (${name})`, async () => {
      const endpoint = open()
      try {
        const bad = [
          () => endpoint.callWith({ timeoutMs: -1 }, 'add', 1, 2),
          () => endpoint.callWith(null as never, 'add', 1, 2),
          () => endpoint.callWith({ signal: 'no' as never }, 'add', 1, 2),
          () => endpoint.ping({ timeoutMs: -1 }),
          () => endpoint.ping(42 as never),
        ]
        for (const fn of bad) {
          let result: Promise<unknown> | undefined
          expect(() => {
            result = fn()
          }).not.toThrow()
          expect((await rejection(result!)).code).toBe('RPC_ERR_BAD_OPTION')
        }
      } finally {
        endpoint.close()
      }
    })

    test(`13.10: one AbortSignal shared by many calls adds one listener and no warning (${name})`, async () => {
      const endpoint = open()
      try {
        await endpoint.call('add', 0, 0)
        const controller = new AbortController()
        const warnings = await warningsDuring(async () => {
          const calls = Array.from({ length: 40 }, () =>
            rejection(endpoint.callWith({ signal: controller.signal }, 'waitForAbort'))
          )
          const pings = Array.from({ length: 15 }, () =>
            rejection(endpoint.ping({ signal: controller.signal }))
          )
          expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1)
          controller.abort(new Error('all at once'))
          for (const err of await Promise.all(calls)) {
            expect(err.code).toBe('RPC_ERR_ABORTED')
          }
          // Pings may already have been answered; those that were not are aborted.
          await Promise.all(pings)
        })
        expect(warnings).not.toContain('MaxListenersExceededWarning')
        expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
      } finally {
        endpoint.close()
      }
    })

    test(`13.10: UnserializableError carries the call id, for arguments and replies (${name})`, async () => {
      const endpoint = open()
      try {
        const args = await rejection(
          endpoint.call('echo', name === 'worker_threads' ? () => 1 : 10n)
        )
        expect(args).toMatchObject({ code: 'RPC_ERR_UNSERIALIZABLE', method: 'echo' })
        expect(Number.isSafeInteger(args.callId)).toBe(true)
        const reply = await rejection(
          endpoint.call('badReply', name === 'worker_threads' ? 'function' : 'bigint')
        )
        expect(reply).toMatchObject({ code: 'RPC_ERR_UNSERIALIZABLE', method: 'badReply' })
        expect(reply.callId).toBe((args.callId as number) + 1)
      } finally {
        endpoint.close()
      }
    })
  }

  test('13.10: the pool: no call for toJSON, one abort listener for a shared signal', async () => {
    const pool = newPool({ size: 2, maxInFlightPerChild: 4 })
    await pool.ready()
    expect(JSON.stringify(pool.remote)).toBe('{}')
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the point of the test
    expect(String(pool.remote)).toBe('[object Object]')
    expect(pool.stats().children.every((c) => c.served === 0)).toBe(true)
    const controller = new AbortController()
    const warnings = await warningsDuring(async () => {
      // 8 in flight on the children, 32 waiting in the pool's queue.
      const calls = Array.from({ length: 40 }, () =>
        outcome(pool.callWith({ signal: controller.signal }, 'delay', 60_000, 'x'))
      )
      expect(pool.stats().queued).toBe(32)
      controller.abort()
      for (const r of await Promise.all(calls)) {
        expect(!r.ok && r.error.code).toBe('RPC_ERR_ABORTED')
      }
    })
    expect(warnings).not.toContain('MaxListenersExceededWarning')
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  test('13.10: recycle.maxRequests is a cap: no child serves more calls than that', async () => {
    const recycles = capture('crosstalk:ipc-rpc:pool:recycle')
    try {
      const pool = newPool({ size: 1, recycle: { maxRequests: 50, jitter: 0 } })
      await pool.ready()
      const served = new Map<number, number>()
      for (let round = 0; round < 3; round++) {
        const replies = await Promise.all(
          Array.from({ length: 120 }, (_, i) => pool.call('echo', `${round}:${i}`))
        )
        for (const reply of replies) {
          served.set(reply.pid, (served.get(reply.pid) ?? 0) + 1)
        }
      }
      expect([...served.values()].reduce((a, b) => a + b)).toBe(360)
      for (const [pid, count] of served) {
        expect(count, `pid ${pid}`).toBeLessThanOrEqual(50)
      }
      expect(served.size).toBeGreaterThanOrEqual(8)
      await waitFor(() => recycles.events.length >= 7, 10_000, 'recycle events')
    } finally {
      recycles.stop()
    }
  })
})
