// What one side sends within a tick shares writes (batch envelopes of at most maxBatch, written
// once they hold a quarter of the calls in flight); a message that cannot be serialized fails only
// its own call, and close() loses nothing queued.
import type { ChildProcess } from 'node:child_process'
import { afterAll, expect, test, vi } from 'vitest'
import { childProcessTransport, createEndpoint, type Transport } from '../src/index.js'
import type { ChildApi } from './fixtures/test-api.js'
import { forkTs, killAll } from './helpers/fork-ts.js'
import { rejection } from './helpers/transport-contract.js'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })
afterAll(killAll)

interface Written {
  k: string
  id: number
  b?: Array<{ k: string; id: number }>
}

/** A real child_process transport that records every write it accepted. */
function recording(): { transport: Transport; writes: Written[]; refused: Written[] } {
  const inner = childProcessTransport(forkTs('process-child.ts'))
  const writes: Written[] = []
  const refused: Written[] = []
  const transport: Transport = {
    ...inner,
    send(message, done) {
      let ok: boolean
      try {
        ok = inner.send(message, done)
      } catch (err) {
        refused.push(message as Written)
        throw err
      }
      writes.push(message as Written)
      return ok
    },
  }
  return { transport, writes, refused }
}

const sizes = (writes: Written[]): number[] => writes.map((w) => (w.k === 'batch' ? w.id : 1))
const flat = (writes: Written[]): Array<{ k: string; id: number }> =>
  writes.flatMap((w) => (w.k === 'batch' ? (w.b ?? []) : [w]))

test('a lone call is written as it is; a burst shares writes that grow with the calls in flight', async () => {
  const { transport, writes } = recording()
  const endpoint = createEndpoint<ChildApi>(transport)
  expect(await endpoint.call('add', 1, 2)).toBe(3)
  expect(writes).toHaveLength(1)
  expect(writes[0]).toMatchObject({ k: 'req', m: 'add' })

  writes.length = 0
  const sums = await Promise.all(Array.from({ length: 10 }, (_, i) => endpoint.call('add', i, i)))
  expect(sums).toEqual(Array.from({ length: 10 }, (_, i) => 2 * i))
  // a batch goes once it holds (in flight / 4) + 1 calls: 1, 1, 1, then 2, 2, then 3
  expect(sizes(writes)).toEqual([1, 1, 1, 2, 2, 3])
  const ids = flat(writes).map((m) => m.id)
  expect(ids).toEqual([...ids].sort((a, b) => a - b))
  expect(flat(writes).every((m) => m.k === 'req')).toBe(true)
  endpoint.close()
})

test('a batch holds at most maxBatch messages; maxBatch 1 writes each on its own', async () => {
  const { transport, writes } = recording()
  const endpoint = createEndpoint<ChildApi>(transport, { maxBatch: 4 })
  await Promise.all(Array.from({ length: 100 }, (_, i) => endpoint.call('echo', i)))
  expect(Math.max(...sizes(writes))).toBe(4)
  expect(flat(writes)).toHaveLength(100)
  endpoint.close()

  const single = recording()
  const unbatched = createEndpoint<ChildApi>(single.transport, { maxBatch: 1 })
  const echoed = await Promise.all(Array.from({ length: 10 }, (_, i) => unbatched.call('echo', i)))
  expect(echoed).toEqual(Array.from({ length: 10 }, (_, i) => i))
  expect(sizes(single.writes)).toEqual(Array(10).fill(1))
  expect(single.writes.every((w) => w.k === 'req')).toBe(true)
  unbatched.close()
})

test('an unserializable argument in a batch fails only its own call', async () => {
  const { transport, writes, refused } = recording()
  const endpoint = createEndpoint<ChildApi>(transport)
  // eight calls in flight first, so that the next ones are batched: [8th, a, bad] is refused whole
  const delays = Array.from({ length: 8 }, (_, i) => endpoint.call('delay', 20, `d${i}`))
  const a = endpoint.call('echo', 'a')
  const bad = rejection(endpoint.call('echo', 10n))
  const c = endpoint.call('echo', 'c')
  expect(await a).toBe('a')
  expect((await bad).code).toBe('RPC_ERR_UNSERIALIZABLE')
  expect(await c).toBe('c')
  expect(await Promise.all(delays)).toEqual(Array.from({ length: 8 }, (_, i) => `d${i}`))
  // then its messages went one by one, the bad one never written
  expect(sizes(refused)).toEqual([3, 1])
  expect(flat(writes)).toHaveLength(10)
  expect(endpoint.stats()).toMatchObject({ inFlight: 0, sent: 10, settled: 10 })
  expect(await endpoint.call('add', 2, 2)).toBe(4)
  endpoint.close()
})

test('an unserializable reply in a batch fails only its own call', async () => {
  const { transport } = recording()
  const endpoint = createEndpoint<ChildApi>(transport)
  const [good, bad, alsoGood] = await Promise.allSettled([
    endpoint.call('echo', 1),
    endpoint.call('badReply', 'bigint'),
    endpoint.call('echo', 3),
  ])
  expect(good).toEqual({ status: 'fulfilled', value: 1 })
  expect(alsoGood).toEqual({ status: 'fulfilled', value: 3 })
  expect(bad.status).toBe('rejected')
  expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: 'RPC_ERR_UNSERIALIZABLE' })
  endpoint.close()
})

test('close() in the tick of the calls still writes them, then their cancels', async () => {
  const { transport, writes } = recording()
  const endpoint = createEndpoint<ChildApi>(transport)
  const calls = [endpoint.call('delay', 50, 'x'), endpoint.call('delay', 50, 'y')]
  endpoint.close()
  for (const call of calls) {
    expect((await rejection(call)).code).toBe('RPC_ERR_CLOSED')
  }
  expect(flat(writes).map((m) => m.k)).toEqual(['req', 'req', 'cancel', 'cancel'])
})

test('under backlog the serving side batches replies and sends no drain fillers', async () => {
  const { transport } = recording()
  const child = transport.channel as ChildProcess
  let writes = 0
  let replies = 0
  let fillers = 0
  child.on('message', (m: Written) => {
    writes++
    for (const inner of m.k === 'batch' ? (m.b ?? []) : [m]) {
      if (inner.k === 'res') replies++
      if (inner.k === 'nop') fillers++
    }
  })
  const endpoint = createEndpoint<ChildApi>(transport)
  const page = 'x'.repeat(1024)
  let next = 0
  const caller = async (): Promise<void> => {
    while (next < 5_000) {
      next++
      expect(await endpoint.call('echo', page)).toBe(page)
    }
  }
  await Promise.all(Array.from({ length: 256 }, caller))
  expect(replies).toBe(5_000)
  expect(fillers).toBe(0)
  expect(writes).toBeLessThan(replies / 4)
  endpoint.close()
})
