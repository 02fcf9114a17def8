// send() returning false must hold further calls back until the transport says it drained.
import { MessageChannel } from 'node:worker_threads'
import { afterAll, expect, test, vi } from 'vitest'
import {
  childProcessTransport,
  createEndpoint,
  createTransport,
  messagePortTransport,
  type Transport,
} from '../src/index.js'
import type { ChildApi } from './fixtures/test-api.js'
import { forkTs, killAll } from './helpers/fork-ts.js'
import type { AnyError } from './helpers/transport-contract.js'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })
afterAll(killAll)

test('child_process: a full IPC backlog queues calls until it drains', async () => {
  const child = forkTs('process-child.ts')
  const inner = childProcessTransport(child)
  let falses = 0
  const transport: Transport = {
    ...inner,
    send(message, done) {
      const ok = inner.send(message, done)
      if (!ok) {
        falses++
      }
      return ok
    },
  }
  // maxBatch 2: a full batch is written at once, so the backlog shows without waiting for a tick.
  const endpoint = createEndpoint<ChildApi>(transport, { maxBatch: 2 })
  await endpoint.call('add', 0, 0)
  const payload = 'b'.repeat(2 * 1024 * 1024)
  const calls = Array.from({ length: 8 }, () => endpoint.call('size', payload))
  // The first 4 MB write exceeds Node's backlog threshold, so the rest wait in our queue.
  expect(falses).toBeGreaterThan(0)
  expect(endpoint.stats().queued).toBeGreaterThan(0)
  expect(await Promise.all(calls)).toEqual(Array(8).fill(payload.length))
  expect(endpoint.stats()).toMatchObject({ queued: 0, inFlight: 0 })
  endpoint.close()
})

test('generic adapter: a send that returns a promise is awaited before the next one', async () => {
  const { port1, port2 } = new MessageChannel()
  const server = createEndpoint<Record<never, never>, Pick<ChildApi, 'add'>>(
    messagePortTransport(port2),
    { handlers: { add: (a, b) => a + b } }
  )
  let outstanding = 0
  let maxOutstanding = 0
  const client = createEndpoint<Pick<ChildApi, 'add'>>(
    createTransport({
      send: (message) => {
        outstanding++
        maxOutstanding = Math.max(maxOutstanding, outstanding)
        port1.postMessage(message)
        return new Promise<void>((resolve) =>
          setImmediate(() => {
            outstanding--
            resolve()
          })
        )
      },
      onMessage: (listener) => {
        port1.on('message', listener)
        return () => port1.off('message', listener)
      },
    })
  )
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => client.call('add', i, i)))
  expect(results).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i))
  expect(maxOutstanding).toBe(1)
  client.close()
  server.close()
  port1.close()
})

test('generic adapter: a rejected send is the peer gone; nothing hangs', async () => {
  const client = createEndpoint<Pick<ChildApi, 'add'>>(
    createTransport({
      send: () => Promise.reject(new Error('socket reset')),
      onMessage: () => () => {},
    })
  )
  const err = (await client.call('add', 1, 2).catch((e: unknown) => e)) as AnyError
  expect(err.code).toBe('RPC_ERR_PEER_GONE')
  expect(err.reason).toBe('error')
  expect((err.cause as Error).message).toBe('socket reset')
  expect(client.closed).toBe(true)
})
