// Runs the transport contract on every transport, each against a real peer.
import { MessageChannel } from 'node:worker_threads'
import { expect, vi } from 'vitest'
import {
  childProcessTransport,
  createEndpoint,
  createTransport,
  messagePortTransport,
  workerTransport,
  type Endpoint,
} from '../src/index.js'
import type { ChildApi, ParentApi } from './fixtures/test-api.js'
import { testHandlers } from './fixtures/test-handlers.js'
import { exited, forkTs, workerTs } from './helpers/fork-ts.js'
import { transportContract, type ContractTarget } from './helpers/transport-contract.js'

// Child processes start slowly on a loaded 2-core machine; keep real bounds, not 5 s defaults.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

for (const serialization of ['json', 'advanced'] as const) {
  transportContract(`child_process ${serialization}`, (options) => {
    const child = forkTs('process-child.ts', { serialization })
    const foreign: unknown[] = []
    child.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && !('$ipcrpc' in m)) {
        foreign.push(m)
      }
    })
    const endpoint = createEndpoint<ChildApi, ParentApi>(
      childProcessTransport(child, { serialization }),
      options
    )
    return Promise.resolve({
      endpoint,
      serialization,
      foreign,
      messageListeners: () => child.listenerCount('message'),
      reopen: () => createEndpoint<ChildApi>(childProcessTransport(child, { serialization })),
      checkGone: (err, exitCode) => {
        expect(err.pid).toBe(child.pid)
        expect(err.exitCode).toBe(exitCode)
        expect(err.signal).toBe(null)
      },
      stop: async () => {
        endpoint.close()
        child.kill('SIGKILL')
        await exited(child)
      },
    } satisfies ContractTarget)
  })
}

transportContract('worker_threads', (options) => {
  const worker = workerTs('worker-child.ts')
  const foreign: unknown[] = []
  worker.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && !('$ipcrpc' in m)) {
      foreign.push(m)
    }
  })
  const threadId = worker.threadId
  const endpoint = createEndpoint<ChildApi, ParentApi>(workerTransport(worker), options)
  return Promise.resolve({
    endpoint,
    serialization: 'advanced',
    foreign,
    messageListeners: () => worker.listenerCount('message'),
    reopen: () => createEndpoint<ChildApi>(workerTransport(worker)),
    checkGone: (err, exitCode) => {
      expect(err.threadId).toBe(threadId)
      expect(err.exitCode).toBe(exitCode)
    },
    stop: async () => {
      endpoint.close()
      await worker.terminate()
    },
  } satisfies ContractTarget)
})

transportContract('MessagePort pair', (options) => {
  const { port1, port2 } = new MessageChannel()
  const foreign: unknown[] = []
  port1.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && !('$ipcrpc' in m)) {
      foreign.push(m)
    }
  })
  // The serving side lives on port2 in this thread; "exit" closes the port.
  const server: Endpoint<ParentApi> = createEndpoint<ParentApi, ChildApi>(
    messagePortTransport(port2),
    {
      handlers: testHandlers(
        () => server,
        () => port2.close(),
        (payload) => port2.postMessage(payload)
      ),
    }
  )
  const endpoint = createEndpoint<ChildApi, ParentApi>(messagePortTransport(port1), options)
  return Promise.resolve({
    endpoint,
    serialization: 'advanced',
    foreign,
    messageListeners: () => port1.listenerCount('message'),
    reopen: () => createEndpoint<ChildApi>(messagePortTransport(port1)),
    checkGone: (err) => {
      expect(err.reason).toBe('close')
    },
    stop: () => {
      endpoint.close()
      server.close()
      port1.close()
      return Promise.resolve()
    },
  } satisfies ContractTarget)
})

transportContract('generic adapter over child_process', (options) => {
  const child = forkTs('process-child.ts')
  child.on('error', () => {}) // sends after exit report here; the endpoint already knows
  const foreign: unknown[] = []
  child.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && !('$ipcrpc' in m)) {
      foreign.push(m)
    }
  })
  const makeTransport = () =>
    createTransport({
      send: (message) => {
        child.send(message as object)
      },
      onMessage: (listener) => {
        child.on('message', listener)
        return () => child.off('message', listener)
      },
      onClose: (listener) => {
        const onExit = (code: number | null, signal: string | null): void =>
          listener({ reason: 'exit', exitCode: code, signal })
        child.on('exit', onExit)
        return () => child.off('exit', onExit)
      },
    })
  const endpoint = createEndpoint<ChildApi, ParentApi>(makeTransport(), options)
  return Promise.resolve({
    endpoint,
    serialization: 'json',
    foreign,
    messageListeners: () => child.listenerCount('message'),
    reopen: () => createEndpoint<ChildApi>(makeTransport()),
    checkGone: (err, exitCode) => {
      expect(err.exitCode).toBe(exitCode)
    },
    stop: async () => {
      endpoint.close()
      child.kill('SIGKILL')
      await exited(child)
    },
  } satisfies ContractTarget)
})
