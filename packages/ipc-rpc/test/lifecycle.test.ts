// Crashes mid-flight (each way), close with calls in flight, a 10 MB payload, and no leaks of
// listeners or timers over many calls.
import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, test, vi } from 'vitest'
import {
  childProcessTransport,
  createEndpoint,
  workerTransport,
  type Endpoint,
} from '../src/index.js'
import type { ChildApi, ParentApi } from './fixtures/test-api.js'
import { exited, forkTs, killAll, workerTs } from './helpers/fork-ts.js'
import { rejection } from './helpers/transport-contract.js'

// Child processes start slowly on a loaded 2-core machine; keep real bounds, not 5 s defaults.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

afterEach(killAll)

function start(serialization: 'json' | 'advanced' = 'json') {
  const child = forkTs('process-child.ts', { serialization })
  const endpoint = createEndpoint<ChildApi, ParentApi>(
    childProcessTransport(child, { serialization }),
    { handlers: { double: (n) => n * 2, cancelled: () => null } }
  )
  return { child, endpoint }
}

async function inFlight(endpoint: Endpoint<ChildApi>, n: number) {
  await endpoint.call('add', 0, 0) // the child is up and serving
  return Array.from({ length: n }, (_, i) => rejection(endpoint.call('delay', 60_000, `${i}`)))
}

describe('crash mid-flight rejects every call in flight at once, never hangs', () => {
  test('process.exit in the child', async () => {
    const { child, endpoint } = start()
    const calls = await inFlight(endpoint, 20)
    await endpoint.call('exitSoon', 3, 10)
    const errors = await Promise.all(calls)
    for (const [i, err] of errors.entries()) {
      expect(err).toMatchObject({ code: 'RPC_ERR_PEER_GONE', pid: child.pid, exitCode: 3 })
      expect(err).toMatchObject({ signal: null, method: 'delay', reason: 'exit' })
      expect(err.callId).toBe(errors[0]!.callId + i)
    }
  })

  test('an uncaught throw in the child', async () => {
    const { child, endpoint } = start()
    const calls = await inFlight(endpoint, 20)
    await endpoint.call('crashUncaught')
    for (const err of await Promise.all(calls)) {
      expect(err).toMatchObject({ code: 'RPC_ERR_PEER_GONE', pid: child.pid, exitCode: 1 })
    }
  })

  test('SIGKILL from outside', async () => {
    const { child, endpoint } = start('advanced')
    const calls = await inFlight(endpoint, 20)
    const killedAt = Date.now()
    child.kill('SIGKILL')
    const errors = await Promise.all(calls)
    expect(Date.now() - killedAt).toBeLessThan(1000)
    for (const err of errors) {
      expect(err).toMatchObject({ code: 'RPC_ERR_PEER_GONE', signal: 'SIGKILL', exitCode: null })
    }
    expect(endpoint.stats().inFlight).toBe(0)
  })
})

test('close() with calls in flight releases every listener and timer', async () => {
  const { child, endpoint } = start()
  await endpoint.call('add', 1, 1)
  const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  const controller = new AbortController()
  // One signal shared by 50 calls: the endpoint listens to it once, not once per call.
  const calls = Array.from({ length: 50 }, () =>
    rejection(endpoint.callWith({ timeoutMs: 60_000, signal: controller.signal }, 'waitForAbort'))
  )
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
  endpoint.close(new Error('shutting down'))
  for (const err of await Promise.all(calls)) {
    expect(err.code).toBe('RPC_ERR_CLOSED')
    expect((err.cause as Error).message).toBe('shutting down')
  }
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  expect(timersAfter).toBeLessThanOrEqual(timersBefore)
  for (const event of ['message', 'disconnect']) {
    expect(child.listenerCount(event)).toBe(0)
  }
  // Left until the child exits: the guard that keeps a late EPIPE of our own writes from
  // crashing this process ('error', and 'exit' to remove it), and fork-ts's own 'exit'.
  expect(child.listenerCount('error')).toBe(1)
  expect(child.listenerCount('exit')).toBe(2)
  child.kill('SIGKILL')
  await exited(child)
  await new Promise((resolve) => setImmediate(resolve))
  for (const event of ['message', 'disconnect', 'exit', 'error']) {
    expect(child.listenerCount(event)).toBe(0)
  }
})

describe('a 10 MB payload', () => {
  for (const serialization of ['json', 'advanced'] as const) {
    test(`crosses both ways (${serialization}), several at once under backpressure`, async () => {
      const { endpoint } = start(serialization)
      const tenMb = 10 * 1024 * 1024
      const payload = 'p'.repeat(tenMb)
      const results = await Promise.all([
        endpoint.call('size', payload),
        endpoint.call('size', payload),
        endpoint.call('big', tenMb),
        endpoint.call('add', 2, 2),
      ])
      expect(results[0]).toBe(tenMb)
      expect(results[1]).toBe(tenMb)
      expect(results[2].length).toBe(tenMb)
      expect(results[3]).toBe(4)
      endpoint.close()
    }, 60_000)
  }
})

test('listener counts stay constant over 100,000 calls; abort listeners go on settle', async () => {
  const { child, endpoint } = start()
  await endpoint.call('add', 0, 0)
  const parentListeners = child.listenerCount('message')
  const childListeners = await endpoint.call('messageListeners')
  const controller = new AbortController()
  const total = 100_000
  const depth = 256
  let next = 0
  let mismatches = 0
  await Promise.all(
    Array.from({ length: depth }, async () => {
      while (next < total) {
        const i = next++
        const withSignal = i % 10 === 0
        const r = withSignal
          ? await endpoint.callWith({ signal: controller.signal }, 'add', i, 1)
          : await endpoint.call('add', i, 1)
        if (r !== i + 1) {
          mismatches++
        }
        if (i % 10_000 === 0) {
          expect(child.listenerCount('message')).toBe(parentListeners)
        }
      }
    })
  )
  expect(mismatches).toBe(0)
  expect(child.listenerCount('message')).toBe(parentListeners)
  expect(await endpoint.call('messageListeners')).toBe(childListeners)
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  expect(endpoint.stats()).toMatchObject({ inFlight: 0, settled: total + 3 })
  endpoint.close()
  child.kill()
  await exited(child)
}, 90_000)

test('a worker thread that throws uncaught rejects calls with its threadId and error', async () => {
  const worker = workerTs('worker-child.ts')
  const threadId = worker.threadId
  const endpoint = createEndpoint<ChildApi, ParentApi>(workerTransport(worker), {
    handlers: { double: (n) => n * 2, cancelled: () => null },
  })
  const calls = await inFlight(endpoint, 10)
  await endpoint.call('crashUncaught')
  for (const err of await Promise.all(calls)) {
    expect(err).toMatchObject({ code: 'RPC_ERR_PEER_GONE', threadId, reason: 'error', exitCode: 1 })
    expect((err.cause as Error).message).toBe('uncaught in child')
  }
})

test('when the parent disconnects, the child endpoint lets go and the child exits by itself', async () => {
  const { child, endpoint } = start()
  expect(await endpoint.call('add', 1, 2)).toBe(3)
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  endpoint.close()
  child.disconnect()
  expect(await exit).toBe(0)
})

test('a second endpoint on the same channel is refused until the first is closed', async () => {
  const { child, endpoint } = start()
  expect(() => createEndpoint<ChildApi>(childProcessTransport(child))).toThrow(
    expect.objectContaining({ code: 'RPC_ERR_BAD_OPTION', option: 'transport' })
  )
  expect(await endpoint.call('add', 1, 1)).toBe(2)
  endpoint.close()
  const second = createEndpoint<ChildApi>(childProcessTransport(child))
  expect(await second.call('add', 2, 2)).toBe(4)
  second.close()
})

test('an endpoint reopened on a channel continues its ids: an old late reply cannot match', async () => {
  // The adversarial child ignores cancels and always answers, so endpoint A's reply arrives late,
  // while endpoint B (same channel) is waiting for its own first call.
  type LateApi = { late(token: string, ms: number): string }
  const child = forkTs('adversarial-child.ts')
  const a = createEndpoint<LateApi>(childProcessTransport(child))
  const fromA = rejection(a.call('late', 'token-A', 150))
  a.close()
  expect((await fromA).code).toBe('RPC_ERR_CLOSED')
  const b = createEndpoint<LateApi>(childProcessTransport(child))
  expect(await b.call('late', 'token-B', 400)).toBe('token-B-late')
  expect(b.stats().dropped.duplicate).toBe(1) // A's reply, seen and dropped
  b.close()
})
