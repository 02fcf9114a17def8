// One behavioural suite that every transport runs (child_process json/advanced, worker_threads,
// a MessagePort pair, the generic adapter): same calls, same errors, same lifecycle guarantees.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Api, Endpoint, EndpointOptions, RpcError } from '../../src/index.js'
import type { ChildApi, ParentApi } from '../fixtures/test-api.js'

export interface ContractTarget {
  endpoint: Endpoint<ChildApi>
  serialization: 'json' | 'advanced'
  /** what the application's own 'message' listener saw (foreign traffic) */
  foreign: unknown[]
  /** 'message' listeners on the parent side of the channel right now */
  messageListeners(): number
  /** a new endpoint on the same channel (after `endpoint` was closed) */
  reopen(): Endpoint<ChildApi>
  /** checks the peer identity and exit code carried by a PeerGoneError */
  checkGone(err: RpcError & Record<string, unknown>, exitCode: number): void
  stop(): Promise<void>
}

export type CreateTarget = (options: EndpointOptions<ParentApi>) => Promise<ContractTarget>

/** A rejection as the tests inspect it: our fields plus whatever the remote error carried. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyError = RpcError & Record<string, any>

export async function rejection(promise: Promise<unknown>): Promise<AnyError> {
  try {
    await promise
  } catch (err) {
    return err as AnyError
  }
  throw new Error('expected the promise to reject')
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time')
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export function transportContract(name: string, create: CreateTarget): void {
  describe(`transport contract: ${name}`, () => {
    const cancelled: Array<{ callId: number; reason: string }> = []
    const options = (extra: EndpointOptions<ParentApi> = {}): EndpointOptions<ParentApi> => ({
      handlers: {
        double: (n) => n * 2,
        cancelled: (callId, reason) => {
          cancelled.push({ callId, reason })
          return null
        },
      },
      errorClasses: { TypeError },
      ...extra,
    })
    let t: ContractTarget
    beforeAll(async () => {
      t = await create(options())
    })
    afterAll(async () => {
      await t.stop()
    })

    test('calls methods by name and through the remote proxy', async () => {
      expect(await t.endpoint.call('add', 2, 3)).toBe(5)
      expect(await t.endpoint.remote.echo({ a: [1, 'x', null] })).toEqual({ a: [1, 'x', null] })
    })

    test('500 concurrent calls with random delays each get their own reply', async () => {
      const calls = Array.from({ length: 500 }, (_, i) =>
        t.endpoint.call('delay', Math.floor(Math.random() * 6), `tag-${i}`)
      )
      const replies = await Promise.all(calls)
      replies.forEach((reply, i) => expect(reply).toBe(`tag-${i}`))
    })

    test('errors cross with name, message, stack, code, props, cause and errors', async () => {
      const custom = await rejection(t.endpoint.call('fail', 'custom'))
      expect(custom.code).toBe('RPC_ERR_REMOTE')
      expect(custom.remoteName).toBe('CustomError')
      expect(custom.remoteCode).toBe('E_CUSTOM')
      expect(custom.message).toBe('custom failure')
      expect(custom.remoteStack).toContain('test-handlers')
      expect(custom.detail).toEqual({ userId: 42, tags: ['a', 'b'] })
      expect(custom.status).toBe(418)

      const plain = await rejection(t.endpoint.call('fail', 'plain'))
      expect(plain).toBeInstanceOf(TypeError) // registered in errorClasses
      expect(plain.message).toBe('plain failure plain')
      expect(plain.stack).toContain('test-handlers')

      const aggregate = await rejection(t.endpoint.call('fail', 'aggregate'))
      expect(aggregate.remoteName).toBe('AggregateError')
      expect(aggregate.errors).toHaveLength(2)
      expect(aggregate.errors[0]).toBeInstanceOf(TypeError)
      expect(aggregate.errors[1].remoteCode).toBe('E_CUSTOM')

      const chained = await rejection(t.endpoint.call('fail', 'cause'))
      expect(chained.message).toBe('outer')
      expect(chained.cause).toMatchObject({ remoteName: 'RangeError', message: 'inner' })
      expect((chained.cause as Error).cause).toBe('root')
    })

    test('a thrown non-Error value arrives as a RemoteError holding it', async () => {
      for (const [kind, value] of [
        ['string', 'a plain string'],
        ['null', null],
        ['object', { reason: 'an object', n: 1 }],
      ] as const) {
        const err = await rejection(t.endpoint.call('fail', kind))
        expect(err.code).toBe('RPC_ERR_REMOTE')
        expect(err.remoteName).toBe('NonError')
        expect(err.thrown).toEqual(value)
      }
    })

    test('an unknown method rejects with RPC_ERR_METHOD_NOT_FOUND', async () => {
      const untyped = t.endpoint as unknown as Endpoint<Api>
      const err = await rejection(untyped.call('noSuchMethod'))
      expect(err.code).toBe('RPC_ERR_METHOD_NOT_FOUND')
      expect(err.method).toBe('noSuchMethod')
    })

    test('an argument the serializer cannot carry fails that call only', async () => {
      const bad = t.serialization === 'json' ? 10n : () => 1
      const err = await rejection(t.endpoint.call('echo', bad))
      expect(err.code).toBe('RPC_ERR_UNSERIALIZABLE')
      expect(t.endpoint.stats().inFlight).toBe(0)
      expect(await t.endpoint.call('add', 1, 1)).toBe(2)
    })

    test('a reply the serializer cannot carry fails that call only', async () => {
      const err = await rejection(
        t.endpoint.call('badReply', t.serialization === 'json' ? 'bigint' : 'function')
      )
      expect(err.code).toBe('RPC_ERR_UNSERIALIZABLE')
      expect(await t.endpoint.call('add', 2, 2)).toBe(4)
    })

    test('a timeout rejects the caller and fires the handler signal', async () => {
      const before = t.endpoint.stats().timeouts
      const err = await rejection(t.endpoint.callWith({ timeoutMs: 50 }, 'waitForAbort'))
      expect(err.code).toBe('RPC_ERR_TIMEOUT')
      expect(t.endpoint.stats().timeouts).toBe(before + 1)
      await until(() => cancelled.some((c) => c.callId === err.callId))
    })

    test('an abort rejects the caller with its reason and fires the handler signal', async () => {
      const controller = new AbortController()
      const call = t.endpoint.callWith({ signal: controller.signal }, 'waitForAbort')
      setTimeout(() => controller.abort(new Error('user left')), 20)
      const err = await rejection(call)
      expect(err.code).toBe('RPC_ERR_ABORTED')
      expect((err.cause as Error).message).toBe('user left')
      await until(() => cancelled.some((c) => c.callId === err.callId))
    })

    test('an already aborted signal rejects without sending', async () => {
      const sent = t.endpoint.stats().sent
      const err = await rejection(t.endpoint.callWith({ signal: AbortSignal.abort() }, 'add', 1, 2))
      expect(err.code).toBe('RPC_ERR_ABORTED')
      expect(t.endpoint.stats().sent).toBe(sent)
    })

    test('child-to-parent calls work over the same channel', async () => {
      expect(await t.endpoint.call('askParent', 21)).toBe(42)
    })

    test('foreign messages pass through to the application untouched', async () => {
      const before = t.endpoint.stats()
      expect(await t.endpoint.call('sendForeign', { app: 'hello', n: 1 })).toBe(true)
      await until(() => t.foreign.length > 0)
      expect(t.foreign).toContainEqual({ app: 'hello', n: 1 })
      const after = t.endpoint.stats()
      expect(after.foreign).toBe(before.foreign + 1)
      expect(after.dropped).toEqual(before.dropped)
    })

    test('ping is answered by the other endpoint', async () => {
      expect(await t.endpoint.ping({ timeoutMs: 5000 })).toBeGreaterThanOrEqual(0)
    })

    test('maxInFlight queues calls; a queued call aborted is never sent; a full queue rejects', async () => {
      const q = await create(options({ maxInFlight: 1, maxQueue: 1 }))
      try {
        const first = q.endpoint.call('delay', 100, 'first')
        const controller = new AbortController()
        const queued = q.endpoint.callWith({ signal: controller.signal }, 'delay', 0, 'queued')
        expect(q.endpoint.stats()).toMatchObject({ inFlight: 1, queued: 1, sent: 1 })
        const full = await rejection(q.endpoint.call('add', 1, 1))
        expect(full.code).toBe('RPC_ERR_QUEUE_FULL')
        controller.abort()
        expect((await rejection(queued)).code).toBe('RPC_ERR_ABORTED')
        expect(q.endpoint.stats()).toMatchObject({ queued: 0, sent: 1 })
        expect(await first).toBe('first')
        expect(await q.endpoint.call('add', 3, 4)).toBe(7)
        expect(q.endpoint.stats()).toMatchObject({ sent: 2, settled: 2, inFlight: 0 })
      } finally {
        await q.stop()
      }
    })

    test('close() rejects every pending call with RPC_ERR_CLOSED and removes its listener', async () => {
      const c = await create(options())
      try {
        const withListener = c.messageListeners()
        const calls = Array.from({ length: 10 }, () => c.endpoint.call('waitForAbort'))
        await c.endpoint.call('add', 0, 0) // all ten are running in the peer now
        const abortsBefore = await c.endpoint.call('abortsSeen')
        c.endpoint.close()
        for (const call of calls) {
          expect((await rejection(call)).code).toBe('RPC_ERR_CLOSED')
        }
        expect((await rejection(c.endpoint.call('add', 1, 1))).code).toBe('RPC_ERR_CLOSED')
        expect(c.endpoint.closed).toBe(true)
        expect(c.messageListeners()).toBe(withListener - 1)
        // close() sent a cancel per call in flight: the peer's ten handlers saw their signals fire.
        const again = c.reopen()
        let aborts = 0
        const deadline = Date.now() + 5000
        while (aborts < abortsBefore + 10 && Date.now() < deadline) {
          aborts = await again.call('abortsSeen')
        }
        expect(aborts).toBe(abortsBefore + 10)
        again.close()
      } finally {
        await c.stop()
      }
    })

    test('the peer going away rejects every call in flight at once with RPC_ERR_PEER_GONE', async () => {
      const g = await create(options())
      try {
        const calls = Array.from({ length: 5 }, (_, i) => g.endpoint.call('delay', 10_000, `${i}`))
        await g.endpoint.call('exitSoon', 7, 20)
        const started = Date.now()
        const errors = await Promise.all(calls.map(rejection))
        expect(Date.now() - started).toBeLessThan(2000)
        const ids = new Set<number>()
        for (const err of errors) {
          expect(err.code).toBe('RPC_ERR_PEER_GONE')
          expect(err.method).toBe('delay')
          ids.add(err.callId as number)
          g.checkGone(err, 7)
        }
        expect(ids.size).toBe(5)
        expect(g.endpoint.closed).toBe(true)
        expect((await rejection(g.endpoint.call('add', 1, 1))).code).toBe('RPC_ERR_PEER_GONE')
      } finally {
        await g.stop()
      }
    })
  })
}
