// Random interleavings of calls, aborts, deadlines (call and queue), child kills, crashes,
// disconnects and recycles against a real pool. Whatever happens: every call settles, exactly
// once, with its own reply or a documented error whose fields are right; the pool recovers and
// serves plain calls afterwards; and after close() no child, timer or abort listener is left.
import { getEventListeners } from 'node:events'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Pool } from '../src/pool/pool-types.js'
import type { PoolTestApi } from './fixtures/pool-api.js'
import { capture, isAlive, testPool, within } from './fixtures/pool-helpers.js'

type Step =
  | {
      kind: 'call'
      delayMs: number
      timeoutMs: number | undefined
      queueTimeoutMs: number | undefined
      abortAfterMs: number | undefined
    }
  | { kind: 'kill'; child: number; signal: 'SIGKILL' | 'SIGTERM' }
  | { kind: 'crash'; how: 'exit' | 'disconnect' }
  | { kind: 'gap'; ms: number }

/** undefined most of the time, so most calls run with the pool's defaults. */
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb })

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 16,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      delayMs: fc.integer({ min: 0, max: 40 }),
      timeoutMs: sometimes(fc.integer({ min: 1, max: 40 })),
      queueTimeoutMs: sometimes(fc.integer({ min: 1, max: 40 })),
      abortAfterMs: sometimes(fc.integer({ min: 0, max: 40 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('kill' as const),
      child: fc.nat(3),
      signal: fc.constantFrom('SIGKILL' as const, 'SIGTERM' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      how: fc.constantFrom('exit' as const, 'disconnect' as const),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('gap' as const), ms: fc.nat(25) }) }
)

type Settled = { ok: true; value: { tag: string; pid: number } } | { ok: false; error: unknown }

interface Made {
  method: 'delay' | 'exit' | 'disconnect'
  tag: string
  spec: Extract<Step, { kind: 'call' }> | undefined
  settles: number
  result: Settled | undefined
  signal: AbortSignal | undefined
}

const MAX_QUEUE = 40
const RUNS = 5
const RECOVERY_CALLS = 6
const timerCount = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

/** Checks one rejection against what the call asked for and what the pool did. */
function checkError(
  made: Made,
  error: Record<string, unknown>,
  exits: Map<number, { code: unknown; signal: unknown }>,
  gonePairs: Set<string>
): string {
  const code = error.code as string
  const spec = made.spec
  expect(error.method, `${code} names its method`).toBe(made.method)
  switch (code) {
    case 'RPC_ERR_TIMEOUT':
      expect(spec?.timeoutMs).toBeDefined()
      expect(error.timeoutMs).toBe(spec?.timeoutMs)
      expect(Number.isSafeInteger(error.callId) && (error.callId as number) > 0).toBe(true)
      break
    case 'RPC_ERR_ABORTED':
      expect(spec?.abortAfterMs).toBeDefined()
      expect(typeof error.callId).toBe('number') // 0 when it was aborted in the pool's queue
      break
    case 'RPC_ERR_QUEUE_TIMEOUT':
      expect(spec?.queueTimeoutMs).toBeDefined()
      expect(error.queueTimeoutMs).toBe(spec?.queueTimeoutMs)
      break
    case 'RPC_ERR_QUEUE_FULL':
      expect(error.maxQueue).toBe(MAX_QUEUE)
      break
    case 'RPC_ERR_PEER_GONE': {
      const pid = error.pid as number
      const exit = exits.get(pid)
      expect(exit, `pid ${pid} exited`).toBeDefined()
      expect(Number.isSafeInteger(error.callId) && (error.callId as number) > 0).toBe(true)
      // One endpoint per child, ids never reused on it: a (pid, id) pair fails once.
      const pair = `${pid}:${String(error.callId)}`
      expect(gonePairs.has(pair), `${pair} reported twice`).toBe(false)
      gonePairs.add(pair)
      if (error.reason === 'exit') {
        expect({ code: error.exitCode, signal: error.signal }).toEqual(exit)
      } else {
        // Only a child that closed its channel and lived on past the grace has no exit code yet.
        expect(error.reason, String(error.message)).toBe('disconnect')
        expect({ code: error.exitCode, signal: error.signal }).toEqual({ code: null, signal: null })
      }
      break
    }
    case 'RPC_ERR_POOL_CLOSED':
      break
    default:
      throw new Error(`undocumented outcome ${code}: ${String(error.message)}`)
  }
  return code
}

describe('pool: random interleavings', { timeout: 120_000 }, () => {
  test('calls, aborts, deadlines, kills, crashes, disconnects and recycles: each call settles once, correctly; close() leaves nothing', async () => {
    const seen = new Map<string, number>()
    let recycled = 0
    let recovered = 0
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 40, maxLength: 80 }), async (steps) => {
        run++
        const timersBefore = timerCount()
        const exits = capture<{ pid: number; code: unknown; signal: unknown }>(
          'crosstalk:ipc-rpc:pool:exit'
        )
        const spawns = capture<{ reason: string }>('crosstalk:ipc-rpc:pool:spawn')
        const pool: Pool<PoolTestApi> = testPool({
          size: 2,
          stdio: 'pipe',
          maxInFlightPerChild: 6,
          maxQueue: MAX_QUEUE,
          recycle: { maxRequests: 8, jitter: 0 },
          restart: { initialDelayMs: 5, maxDelayMs: 20, maxRestarts: 1_000, windowMs: 60_000 },
        })
        const made: Made[] = []
        const track = (m: Made, p: Promise<unknown>): void => {
          made.push(m)
          p.then(
            (value) => {
              m.settles++
              m.result = { ok: true, value: value as { tag: string; pid: number } }
            },
            (error: unknown) => {
              m.settles++
              m.result = { ok: false, error }
            }
          )
        }
        const abortTimers: NodeJS.Timeout[] = []
        try {
          await pool.ready()
          for (const [i, s] of steps.entries()) {
            if (s.kind === 'gap') {
              await new Promise((resolve) => setTimeout(resolve, s.ms))
            } else if (s.kind === 'kill') {
              const children = pool.stats().children
              const target = children[s.child % Math.max(1, children.length)]
              if (target !== undefined && isAlive(target.pid)) {
                process.kill(target.pid, s.signal)
              }
            } else if (s.kind === 'crash') {
              const m: Made = {
                method: s.how,
                tag: '',
                spec: undefined,
                settles: 0,
                result: undefined,
                signal: undefined,
              }
              track(m, s.how === 'exit' ? pool.call('exit', 3) : pool.call('disconnect', 5_000))
            } else {
              const tag = `${run}:${i}`
              const controller = s.abortAfterMs === undefined ? undefined : new AbortController()
              if (controller !== undefined) {
                abortTimers.push(setTimeout(() => controller.abort(), s.abortAfterMs))
              }
              const options = {
                ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }),
                ...(s.queueTimeoutMs === undefined ? {} : { queueTimeoutMs: s.queueTimeoutMs }),
                ...(controller === undefined ? {} : { signal: controller.signal }),
              }
              const m: Made = {
                method: 'delay',
                tag,
                spec: s,
                settles: 0,
                result: undefined,
                signal: controller?.signal,
              }
              track(m, pool.callWith(options, 'delay', s.delayMs, tag))
            }
          }
          // Let what can finish finish (respawns and replacements take a while), then close.
          const end = Date.now() + 5_000
          const busy = (): boolean =>
            made.some((m) => m.settles === 0) ||
            pool.stats().children.some((c) => c.state === 'starting')
          while (busy() && Date.now() < end) {
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
          // Whatever happened, the pool recovers: once it is back to size, plain calls succeed.
          await within(15_000, pool.ready(), 'ready after the run')
          const after = await within(
            15_000,
            Promise.all(
              Array.from({ length: RECOVERY_CALLS }, (_, i) =>
                pool.call('delay', 0, `${run}:after:${i}`)
              )
            ),
            'calls after the run'
          )
          for (const [i, reply] of after.entries()) {
            expect(reply.tag).toBe(`${run}:after:${i}`)
          }
          recovered += after.length
        } finally {
          // Calls still running get a short deadline, then close stops every child.
          await pool.close({ timeoutMs: 1_000 })
          for (const t of abortTimers) {
            clearTimeout(t)
          }
          exits.stop()
          spawns.stop()
          for (const e of spawns.events) {
            seen.set(`spawn:${e.reason}`, (seen.get(`spawn:${e.reason}`) ?? 0) + 1)
          }
        }
        // Every call settled by the time close() resolved, once.
        await new Promise((resolve) => setImmediate(resolve))
        const exitByPid = new Map(
          exits.events.map((e) => [e.pid, { code: e.code, signal: e.signal }] as const)
        )
        const gonePairs = new Set<string>()
        for (const m of made) {
          expect(m.settles, `${m.method} ${m.tag}`).toBe(1)
          const r = m.result!
          if (r.ok) {
            expect(m.method).toBe('delay')
            expect(r.value.tag).toBe(m.tag)
            expect(exitByPid.has(r.value.pid)).toBe(true)
            seen.set('ok', (seen.get('ok') ?? 0) + 1)
          } else {
            const code = checkError(m, r.error as Record<string, unknown>, exitByPid, gonePairs)
            seen.set(code, (seen.get(code) ?? 0) + 1)
          }
        }
        recycled += pool.stats().recycled
        // Nothing outlives close(): no child, no timer, no abort listener.
        expect(pool.stats()).toMatchObject({ size: 0, queued: 0 })
        for (const pid of exitByPid.keys()) {
          expect(isAlive(pid), `pid ${pid}`).toBe(false)
        }
        for (const m of made) {
          if (m.signal !== undefined) {
            expect(getEventListeners(m.signal, 'abort')).toHaveLength(0)
          }
        }
        expect(timerCount()).toBeLessThanOrEqual(timersBefore)
      }),
      { numRuns: RUNS, endOnFailure: true }
    )
    // The runs did exercise what they claim to.
    const summary = JSON.stringify({ ...Object.fromEntries(seen), recycled, recovered })
    // How many random calls succeed depends on child start-up time (a child serves 8 calls, then
    // its replacement must be up) and so on the machine's load (64-73 of ~250 on a quiet 2-core
    // box). A run whose every random call meets a deadline, an abort or a kill is a correct
    // outcome (CI saw one in five on a loaded box), so success is asserted across the runs, and
    // that each run's pool serves again afterwards (every recovery call must succeed).
    expect(seen.get('ok') ?? 0, summary).toBeGreaterThan(0)
    expect(recovered, summary).toBe(RUNS * RECOVERY_CALLS)
    expect(seen.get('RPC_ERR_PEER_GONE'), summary).toBeGreaterThan(0)
    expect(seen.get('spawn:restart'), summary).toBeGreaterThan(0)
    expect(recycled, summary).toBeGreaterThan(0)
    for (const code of ['RPC_ERR_TIMEOUT', 'RPC_ERR_ABORTED', 'RPC_ERR_QUEUE_TIMEOUT']) {
      expect(seen.get(code) ?? 0, summary).toBeGreaterThan(0)
    }
  })
})
