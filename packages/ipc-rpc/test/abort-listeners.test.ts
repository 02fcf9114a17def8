// Regression: a call that settles inside dispatch (unserializable argument, or a transport that
// answers synchronously) must not leave its abort listener behind.
import { getEventListeners } from 'node:events'
import { MessageChannel } from 'node:worker_threads'
import { expect, test } from 'vitest'
import { createEndpoint, createTransport, messagePortTransport } from '../src/index.js'
import { rejection } from './helpers/transport-contract.js'

type EchoApi = { echo(value: unknown): unknown }

test('an unserializable argument leaves no abort listener', async () => {
  const { port1, port2 } = new MessageChannel()
  const client = createEndpoint<EchoApi>(messagePortTransport(port1))
  const controller = new AbortController()
  const err = await rejection(client.callWith({ signal: controller.signal }, 'echo', () => 1))
  expect(err.code).toBe('RPC_ERR_UNSERIALIZABLE')
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  client.close()
  port1.close()
  port2.close()
})

test('a synchronous transport that replies inside send() leaves no abort listener', async () => {
  let deliver: (message: unknown) => void = () => {}
  // The "peer" answers every request synchronously, from inside send().
  const client = createEndpoint<EchoApi>(
    createTransport({
      send: (message) => {
        const req = message as { id: number; a: unknown[] }
        deliver({ $ipcrpc: 1, k: 'res', id: req.id, r: req.a[0] })
      },
      onMessage: (listener) => {
        deliver = listener
        return () => {
          deliver = () => {}
        }
      },
    })
  )
  const controller = new AbortController()
  expect(await client.callWith({ signal: controller.signal }, 'echo', 'sync')).toBe('sync')
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  expect(client.stats()).toMatchObject({ inFlight: 0, settled: 1 })
  client.close()
})
