// The two throttle stores (SQLite, real Redis) against one small model: random sequences of
// checks, reservations, successes and time steps give the same answers everywhere.
import fc from 'fast-check'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../src/store/database.js'
import type { AttemptStore, ThrottleKey, ThrottlePolicy } from '../src/store/attempt-store.js'
import { delayAfter, liveFailures } from '../src/store/attempt-store.js'
import { RedisAttemptStore } from '../src/store/redis-attempt-store.js'
import { closeRedis, connectRedis } from '../src/store/redis-connection.js'
import { SqliteAttemptStore } from '../src/store/sqlite-attempt-store.js'
import type { RedisHandle } from './helpers/redis-server.js'
import { redisSkipReason, startRedis } from './helpers/redis-server.js'

const skipRedis = redisSkipReason()
let redis: RedisHandle | undefined
let client: Redis | undefined
beforeAll(async () => {
  if (skipRedis === undefined) {
    redis = await startRedis()
    client = await connectRedis(redis.url)
  }
}, 30_000)
afterAll(async () => {
  if (client !== undefined) {
    await closeRedis(client)
  }
  await redis?.stop()
})

const POLICY: ThrottlePolicy = { baseDelayMs: 1000, maxDelayMs: 8000, windowMs: 60_000 }
const KEYS: readonly ThrottleKey[] = [
  { key: 'a:x', free: 2 },
  { key: 'a:y', free: 3 },
  { key: 'i:ip', free: 4 },
]

/** The reference: the same rules, in a Map. */
class Model {
  readonly #rows = new Map<string, { f: number; t: number }>()

  waitMs(keys: readonly ThrottleKey[], now: number): number {
    let wait = 0
    for (const k of keys) {
      const row = this.#rows.get(k.key)
      const f = row === undefined ? 0 : liveFailures(row.f, row.t, now, POLICY)
      if (row !== undefined && f > 0) {
        wait = Math.max(wait, row.t + delayAfter(f, k.free, POLICY) - now)
      }
    }
    return wait
  }

  reserve(keys: readonly ThrottleKey[], now: number): number {
    const wait = this.waitMs(keys, now)
    if (wait > 0) {
      return wait
    }
    for (const k of keys) {
      const row = this.#rows.get(k.key)
      const f = row === undefined ? 0 : liveFailures(row.f, row.t, now, POLICY)
      this.#rows.set(k.key, { f: f + 1, t: now })
    }
    return 0
  }

  succeeded(clear: string, release: readonly string[]): void {
    this.#rows.delete(clear)
    for (const key of release) {
      const row = this.#rows.get(key)
      if (row !== undefined && row.f > 0) {
        row.f -= 1
      }
    }
  }
}

type Command =
  | { op: 'wait' | 'reserve'; keys: number[] }
  | { op: 'succeeded'; clear: number; release: number[] }
  | { op: 'advance'; ms: number }

const keySet = fc.uniqueArray(fc.integer({ min: 0, max: KEYS.length - 1 }), {
  minLength: 1,
  maxLength: KEYS.length,
})
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constantFrom('wait' as const, 'reserve' as const), keys: keySet }),
  fc.record({
    op: fc.constant('succeeded' as const),
    clear: fc.integer({ min: 0, max: KEYS.length - 1 }),
    release: keySet,
  }),
  fc.record({
    op: fc.constant('advance' as const),
    ms: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constant(60_000)),
  })
)

let runs = 0
const stores: Array<[string, () => AttemptStore, boolean]> = [
  ['sqlite', () => new SqliteAttemptStore(openDatabase(':memory:'), POLICY), false],
  [
    'redis',
    () => new RedisAttemptStore(client!, `model${runs++}:`, POLICY),
    skipRedis !== undefined,
  ],
]

describe.each(stores)('%s attempt store', (_name, make, skipped) => {
  test.skipIf(skipped)(
    'answers like the model for any sequence of operations',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { maxLength: 30 }), async (commands) => {
          const store = make()
          const model = new Model()
          let now = 1_000_000
          for (const c of commands) {
            if (c.op === 'advance') {
              now += c.ms
            } else if (c.op === 'succeeded') {
              const release = c.release.map((i) => KEYS[i]!.key)
              model.succeeded(KEYS[c.clear]!.key, release)
              await store.succeeded(KEYS[c.clear]!.key, release)
            } else {
              const keys = c.keys.map((i) => KEYS[i]!)
              const [got, want] =
                c.op === 'wait'
                  ? [await store.waitMs(keys, now), model.waitMs(keys, now)]
                  : [await store.reserve(keys, now), model.reserve(keys, now)]
              expect(got, JSON.stringify(c)).toBe(want)
            }
          }
        }),
        { numRuns: 60 }
      )
    },
    60_000
  )
})
