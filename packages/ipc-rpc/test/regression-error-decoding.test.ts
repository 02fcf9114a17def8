// Issue 13, points 6 and 8: an error from the other side is rebuilt faithfully, and peer data can
// never set a prototype, shadow a built-in, pick a class it was not registered for, or crash us.
import { fork } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, test, vi } from 'vitest'
import {
  childProcessTransport,
  createEndpoint,
  RemoteError,
  RpcError,
  workerTransport,
  type Api,
  type Endpoint,
  type ErrorClasses,
  type Transport,
} from '../src/index.js'
import type { ChildApi } from './fixtures/test-api.js'
import { fixturePath, forkTs, killAll, workerTs } from './helpers/fork-ts.js'
import { rejection, type AnyError } from './helpers/transport-contract.js'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })
afterAll(killAll)

type HostileApi = { error(kind: string): never; replyTo(ids: number[]): string }

/** The hand-written hostile peer, as a forked child (json) or a worker thread. */
function hostilePeers(): Array<[string, () => { transport: Transport; stop(): Promise<unknown> }]> {
  return [
    [
      'child_process',
      () => {
        const child = fork(fixturePath('hostile-peer.mjs'), [], { stdio: 'inherit' })
        return {
          transport: childProcessTransport(child),
          stop: async () => {
            const exited = child.exitCode !== null || child.signalCode !== null
            child.kill('SIGKILL')
            if (!exited) {
              await new Promise((resolve) => child.once('exit', resolve))
            }
          },
        }
      },
    ],
    [
      'worker_threads',
      () => {
        const worker = new Worker(fixturePath('hostile-peer.mjs'))
        return { transport: workerTransport(worker), stop: () => worker.terminate() }
      },
    ],
  ]
}

function expectPlainRemoteError(err: AnyError): void {
  expect(err).toBeInstanceOf(RemoteError)
  expect(err).toBeInstanceOf(Error)
  expect(Object.getPrototypeOf(err)).toBe(RemoteError.prototype)
  expect(err.constructor).toBe(RemoteError)
  expect(err.code).toBe('RPC_ERR_REMOTE')
  expect(typeof err.message).toBe('string')
  expect(typeof err.toString()).toBe('string')
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
}

describe('issue 13', () => {
  for (const [name, start] of hostilePeers()) {
    test(`13.6: a hostile error envelope cannot change the rejection's prototype or shadow built-ins (${name})`, async () => {
      const peer = start()
      const classes: ErrorClasses = { TypeError }
      const endpoint = createEndpoint<HostileApi>(peer.transport, { errorClasses: classes })
      try {
        const proto = await rejection(endpoint.call('error', 'protoProps'))
        expectPlainRemoteError(proto)
        expect(proto.message).toBe('proto props')
        expect(Object.hasOwn(proto, '__proto__')).toBe(false)
        expect(Object.hasOwn(proto, 'constructor')).toBe(false)

        // A name that every object has is never taken for a registered class.
        for (const kind of ['builtinName', 'protoName']) {
          const err = await rejection(endpoint.call('error', kind))
          expectPlainRemoteError(err)
        }

        // Wrong field types everywhere: still a RemoteError, never a crash of this process.
        const bad = await rejection(endpoint.call('error', 'badFields'))
        expectPlainRemoteError(bad)
        expect(bad.stack).toContain('RemoteError')
        const props = await rejection(endpoint.call('error', 'badProps'))
        expectPlainRemoteError(props)
        expect(Object.hasOwn(props, 'toString')).toBe(false)

        // A peer cannot forge this package's own errors (a timeout that never happened).
        const forged = await rejection(endpoint.call('error', 'forgedTimeout'))
        expectPlainRemoteError(forged)
        expect(forged.remoteCode).toBe('RPC_ERR_TIMEOUT')

        // A cause chain 200 deep is cut, not followed.
        const deep = await rejection(endpoint.call('error', 'deepCause'))
        expectPlainRemoteError(deep)
        let depth = 0
        for (let e: unknown = deep; e instanceof Error; e = e.cause) {
          depth++
        }
        expect(depth).toBeLessThanOrEqual(10)

        if (name === 'worker_threads') {
          // A reply the thread cannot even deserialize is counted as malformed; the call's own
          // deadline ends it (nobody can tell which call it answered).
          const lost = await rejection(endpoint.callWith({ timeoutMs: 300 }, 'error', 'tooDeep'))
          expect(lost.code).toBe('RPC_ERR_TIMEOUT')
          expect(endpoint.stats().dropped.malformed).toBe(1)
        }

        expect(endpoint.stats()).toMatchObject({ inFlight: 0 })
      } finally {
        endpoint.close()
        await peer.stop()
      }
    })
  }

  const servers: Array<[string, 'json' | 'advanced', () => Endpoint<ChildApi>]> = [
    [
      'child_process json',
      'json',
      () =>
        createEndpoint<ChildApi>(childProcessTransport(forkTs('process-child.ts')), {
          errorClasses: { AggregateError, TypeError },
        }),
    ],
    [
      'child_process advanced',
      'advanced',
      () =>
        createEndpoint<ChildApi>(
          childProcessTransport(forkTs('process-child.ts', { serialization: 'advanced' }), {
            serialization: 'advanced',
          }),
          { errorClasses: { AggregateError, TypeError } }
        ),
    ],
    [
      'worker_threads',
      'advanced',
      () =>
        createEndpoint<ChildApi>(workerTransport(workerTs('worker-child.ts')), {
          errorClasses: { AggregateError, TypeError },
        }),
    ],
  ]
  for (const [name, serialization, open] of servers) {
    test(`13.8: a registered AggregateError keeps its message and errors; uncarriable props become strings (${name})`, async () => {
      const endpoint = open()
      try {
        const aggregate = await rejection(endpoint.call('fail', 'aggregate'))
        expect(aggregate).toBeInstanceOf(AggregateError)
        expect(aggregate.message).toBe('many')
        expect(aggregate.errors).toHaveLength(2)
        expect(aggregate.errors[0]).toBeInstanceOf(TypeError)
        expect(aggregate.errors[0].message).toBe('first')
        expect(aggregate.errors[1]).toMatchObject({ remoteName: 'CustomError', message: 'second' })

        const odd = await rejection(endpoint.call('fail', 'unserializable-props'))
        expect(odd).toMatchObject({ code: 'RPC_ERR_REMOTE', message: 'odd props' })
        expect(odd.fn).toBe('[function helper]')
        expect(odd.sym).toBe('Symbol(tag)')
        expect(odd.big).toBe(serialization === 'json' ? '12' : 12n)
      } finally {
        endpoint.close()
      }
    })
  }

  test('13.8: a registered class whose constructor throws or returns a non-Error falls back to RemoteError', async () => {
    class Picky extends Error {
      constructor(message: string) {
        if (message !== 'expected') {
          throw new Error('Picky refuses')
        }
        super(message)
      }
    }
    const endpoint = createEndpoint<ChildApi>(childProcessTransport(forkTs('process-child.ts')), {
      errorClasses: { TypeError: Picky, CustomError: Object as unknown as ErrorClasses[string] },
    })
    try {
      const picky = await rejection(endpoint.call('fail', 'plain'))
      expect(picky).toBeInstanceOf(RemoteError)
      expect(picky).toMatchObject({ remoteName: 'TypeError', message: 'plain failure plain' })
      const custom = await rejection(endpoint.call('fail', 'custom'))
      expect(custom).toBeInstanceOf(RpcError)
      expect(custom).toMatchObject({ remoteName: 'CustomError', remoteCode: 'E_CUSTOM' })
    } finally {
      ;(endpoint as Endpoint<Api>).close()
    }
  })
})
