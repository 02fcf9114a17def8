// One test per diagnostics channel this module publishes (the pool tests cover the pool's).
import diagnosticsChannel from 'node:diagnostics_channel'
import { MessageChannel } from 'node:worker_threads'
import { afterEach, expect, test } from 'vitest'
import {
  channels,
  createEndpoint,
  messagePortTransport,
  type CallEndMessage,
  type CallErrorMessage,
  type CallStartMessage,
  type PeerGoneMessage,
  type ReplyDroppedMessage,
} from '../src/index.js'
import { rejection } from './helpers/transport-contract.js'

type Api = { add(a: number, b: number): number; boom(): never; slow(ms: number): Promise<string> }

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) {
    cleanup()
  }
})

function record<T>(name: string): T[] {
  const seen: T[] = []
  const fn = (message: unknown): void => {
    seen.push(message as T)
  }
  diagnosticsChannel.subscribe(name, fn)
  cleanups.push(() => diagnosticsChannel.unsubscribe(name, fn))
  return seen
}

function pair() {
  const { port1, port2 } = new MessageChannel()
  const server = createEndpoint<Record<never, never>, Api>(messagePortTransport(port2), {
    name: 'server',
    handlers: {
      add: (a, b) => a + b,
      boom: () => {
        throw new RangeError('boom')
      },
      slow: (ms) => new Promise<string>((resolve) => setTimeout(() => resolve('slow'), ms)),
    },
  })
  const client = createEndpoint<Api>(messagePortTransport(port1), { name: 'client' })
  cleanups.push(() => {
    client.close()
    server.close()
    port1.close()
  })
  return { client, server, port1, port2 }
}

test(`${channels.callStart} and ${channels.callEnd} carry method, id, args and result`, async () => {
  const starts = record<CallStartMessage>(channels.callStart)
  const ends = record<CallEndMessage>(channels.callEnd)
  const { client } = pair()
  expect(await client.call('add', 2, 3)).toBe(5)
  expect(starts).toEqual([{ endpoint: 'client', method: 'add', callId: 1, args: [2, 3] }])
  expect(ends).toEqual([{ endpoint: 'client', method: 'add', callId: 1, result: 5 }])
})

test(`${channels.callError} fires for remote errors and timeouts`, async () => {
  const errors = record<CallErrorMessage>(channels.callError)
  const { client } = pair()
  await rejection(client.call('boom'))
  await rejection(client.callWith({ timeoutMs: 5 }, 'slow', 200))
  expect(errors.map((e) => [e.method, e.callId, (e.error as { code?: string }).code])).toEqual([
    ['boom', 1, 'RPC_ERR_REMOTE'],
    ['slow', 2, 'RPC_ERR_TIMEOUT'],
  ])
})

test(`${channels.replyDropped} fires for a reply nobody waits for`, async () => {
  const dropped = record<ReplyDroppedMessage>(channels.replyDropped)
  const { client, port2 } = pair()
  await client.call('add', 1, 1)
  port2.postMessage({ $ipcrpc: 1, k: 'res', id: 99, r: 'stray' })
  port2.postMessage({ $ipcrpc: 1, k: 'res', id: 1, r: 'again' })
  await client.call('add', 1, 1) // a round trip later both have arrived
  expect(dropped.map((d) => [d.reason, d.callId])).toEqual([
    ['unknown', 99],
    ['duplicate', 1],
  ])
})

test(`${channels.peerGone} fires once per endpoint with the number of calls rejected`, async () => {
  const gone = record<PeerGoneMessage>(channels.peerGone)
  const { client, port2 } = pair()
  const calls = [client.call('slow', 10_000), client.call('slow', 10_000)]
  await client.call('add', 0, 0)
  port2.close()
  for (const call of calls) {
    expect((await rejection(call)).code).toBe('RPC_ERR_PEER_GONE')
  }
  // Closing a port closes both ends, so each endpoint reports its own peer gone, once.
  expect(gone.map((g) => g.endpoint).sort()).toEqual(['client', 'server'])
  const mine = gone.find((g) => g.endpoint === 'client')!
  expect(mine.rejected).toBe(2)
  expect((mine.error as { code?: string }).code).toBe('RPC_ERR_PEER_GONE')
})
