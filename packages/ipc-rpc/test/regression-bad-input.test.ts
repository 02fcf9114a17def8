// Issue 13, points 4, 5 and 9: bad input from the caller is refused at once with
// RPC_ERR_BAD_OPTION naming what was wrong; nothing is accepted that would hang or misfire later.
import { fileURLToPath } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import { afterAll, describe, expect, test, vi } from 'vitest'
import {
  childProcessTransport,
  createEndpoint,
  messagePortTransport,
  workerTransport,
  type Api,
  type Endpoint,
} from '../src/index.js'
import { createPool } from '../src/pool/create-pool.js'
import type { Pool } from '../src/pool/pool-types.js'
import type { ChildApi } from './fixtures/test-api.js'
import { outcome, POOL_CHILD, within, poolsPerTest } from './fixtures/pool-helpers.js'
import { forkTs, killAll, workerTs } from './helpers/fork-ts.js'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const CRASH_CHILD = fileURLToPath(new URL('./fixtures/pool-crash-child.mjs', import.meta.url))
const TIMER_LIMIT = 2 ** 31 - 1

const newPool = poolsPerTest()
afterAll(killAll)

/** Settles within ms, else fails with "still pending" (a hang). */
function settled<T>(p: Promise<T>, ms = 2_000): ReturnType<typeof outcome<T>> {
  return outcome(within(ms, p, 'the call'))
}

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

const badMethods: unknown[] = [42, undefined, null, { name: 'echo' }, Symbol('echo')]

function endpoints(): Array<[string, () => { endpoint: Endpoint<ChildApi>; stop: () => void }]> {
  return [
    [
      'child_process',
      () => {
        const endpoint = createEndpoint<ChildApi>(childProcessTransport(forkTs('process-child.ts')))
        return { endpoint, stop: () => endpoint.close() }
      },
    ],
    [
      'worker_threads',
      () => {
        const worker = workerTs('worker-child.ts')
        const endpoint = createEndpoint<ChildApi>(workerTransport(worker))
        return { endpoint, stop: () => endpoint.close() }
      },
    ],
  ]
}

describe('issue 13', () => {
  for (const [name, start] of endpoints()) {
    test(`13.4: a non-string method name rejects at once with RPC_ERR_BAD_OPTION (${name})`, async () => {
      const { endpoint, stop } = start()
      try {
        expect(await endpoint.call('add', 1, 2)).toBe(3)
        const untyped = endpoint as unknown as Endpoint<Api>
        for (const method of badMethods) {
          for (const call of [
            () => untyped.call(method as string),
            () => untyped.callWith({}, method as string),
          ]) {
            const r = await settled(call())
            expect(!r.ok && r.error).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option: 'method' })
          }
        }
        expect(endpoint.stats()).toMatchObject({ inFlight: 0, queued: 0 })
      } finally {
        stop()
      }
    })

    test(`13.5: deadlines beyond Node's timer limit are refused, the limit itself works (${name})`, async () => {
      const { endpoint, stop } = start()
      try {
        for (const timeoutMs of [2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
          const r = await settled(endpoint.callWith({ timeoutMs }, 'delay', 20, 'x'))
          expect(!r.ok && r.error).toMatchObject({
            code: 'RPC_ERR_BAD_OPTION',
            option: 'timeoutMs',
          })
          expect(!r.ok && r.error.message).toContain(String(TIMER_LIMIT))
          const p = await settled(endpoint.ping({ timeoutMs }))
          expect(!p.ok && p.error).toMatchObject({
            code: 'RPC_ERR_BAD_OPTION',
            option: 'timeoutMs',
          })
        }
        expect(await endpoint.callWith({ timeoutMs: TIMER_LIMIT }, 'delay', 20, 'ok')).toBe('ok')
        expect(endpoint.stats().timeouts).toBe(0)
      } finally {
        stop()
      }
    })
  }

  test('13.4: the pool rejects a non-string method name at once', async () => {
    const pool = newPool({ size: 1 })
    await pool.ready()
    const untyped = pool as unknown as Pool<Api>
    for (const method of badMethods) {
      const r = await settled(untyped.call(method as string))
      expect(!r.ok && r.error).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option: 'method' })
    }
    expect(pool.stats()).toMatchObject({ queued: 0, busy: 0 })
  })

  test('13.5: the pool refuses deadlines beyond the timer limit, in options, calls and close()', async () => {
    for (const option of ['timeoutMs', 'startTimeoutMs', 'idleTimeoutMs', 'queueTimeoutMs']) {
      expect(thrown(() => createPool({ entry: POOL_CHILD, [option]: 2 ** 31 }))).toMatchObject({
        code: 'RPC_ERR_BAD_OPTION',
        option,
      })
    }
    const { port1, port2 } = new MessageChannel()
    expect(
      thrown(() => createEndpoint(messagePortTransport(port1), { timeoutMs: 2 ** 31 }))
    ).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option: 'timeoutMs' })
    port1.close()
    port2.close()
    const pool = newPool({ size: 1 })
    await pool.ready()
    const r = await settled(pool.callWith({ timeoutMs: 2 ** 31 }, 'delay', 20, 'x'))
    expect(!r.ok && r.error).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option: 'timeoutMs' })
    // A close deadline past the limit used to fire at once and cut this call short.
    const running = pool.call('delay', 300, 'finishes')
    const closing = await settled(pool.close({ timeoutMs: 2 ** 31 }))
    expect(!closing.ok && closing.error).toMatchObject({
      code: 'RPC_ERR_BAD_OPTION',
      option: 'timeoutMs',
    })
    expect((await running).tag).toBe('finishes')
  })

  test('13.5: the transports refuse an exitGraceMs beyond the timer limit or not a number', async () => {
    const child = forkTs('process-child.ts')
    const worker = workerTs('worker-child.ts')
    try {
      for (const exitGraceMs of [2 ** 31, -1, '250']) {
        const options = { exitGraceMs } as { exitGraceMs: number }
        for (const open of [
          () => childProcessTransport(child, options),
          () => workerTransport(worker, options),
        ]) {
          expect(thrown(open)).toMatchObject({ code: 'RPC_ERR_BAD_OPTION', option: 'exitGraceMs' })
        }
      }
      // The limit itself is a valid grace.
      const endpoint = createEndpoint<ChildApi>(
        workerTransport(worker, { exitGraceMs: TIMER_LIMIT })
      )
      expect(await endpoint.call('add', 1, 2)).toBe(3)
      endpoint.close()
    } finally {
      child.kill('SIGKILL')
      await worker.terminate()
    }
  })

  test('13.9: bad fork options and transports fail with RPC_ERR_BAD_OPTION naming them', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ execArgv: '--inspect' }, 'execArgv'],
      [{ execArgv: ['--import', 42] }, 'execArgv'],
      [{ env: 'str' }, 'env'],
      [{ env: { A: 1 } }, 'env.A'],
      [{ restart: 'fast' }, 'restart'],
      [{ recycle: 100 }, 'recycle'],
      [{ heartbeat: true }, 'heartbeat'],
      [{ stopOnTimeout: 'yes' }, 'stopOnTimeout'],
      [{ handlers: { whoami: 'not a function' } }, 'handlers.whoami'],
      [{ name: 42 }, 'name'],
      [{ size: 'two' }, 'size'],
    ]
    for (const [options, option] of bad) {
      expect(thrown(() => createPool({ entry: POOL_CHILD, ...options }))).toMatchObject({
        code: 'RPC_ERR_BAD_OPTION',
        option,
      })
    }
    const child = forkTs('process-child.ts')
    for (const transport of [{}, child, null, undefined, { send() {} }]) {
      expect(thrown(() => createEndpoint(transport as never))).toMatchObject({
        code: 'RPC_ERR_BAD_OPTION',
        option: 'transport',
      })
    }
    child.kill('SIGKILL')
  })

  test('13.9: a pool whose breaker trips says why: the last exit code, signal and stderr', async () => {
    const pool = newPool({
      entry: CRASH_CHILD,
      execArgv: [],
      size: 1,
      stdio: 'pipe',
      restart: { initialDelayMs: 10, maxDelayMs: 20, maxRestarts: 2, windowMs: 30_000 },
    })
    const ready = await outcome(pool.ready())
    expect(!ready.ok && ready.error).toMatchObject({
      code: 'RPC_ERR_POOL_FAILING',
      exitCode: 3,
      signal: null,
    })
    const error = (ready.ok ? {} : ready.error) as { stderr?: string; message: string }
    expect(error.stderr).toContain('crash-child: cannot start')
    expect(error.message).toContain('exit code 3')
    const call = await outcome(pool.call('pid'))
    expect(!call.ok && call.error).toMatchObject({
      code: 'RPC_ERR_POOL_FAILING',
      method: 'pid',
      exitCode: 3,
    })
  })
})
