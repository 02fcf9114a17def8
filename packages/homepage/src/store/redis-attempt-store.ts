// Throttle counters in Redis, one hash per key ({f: failures, t: last failure}) with a TTL of the
// window. The check and the count are one Lua script, so they are atomic across every instance.
import type { Redis } from 'ioredis'
import type { AttemptStore, ThrottleKey, ThrottlePolicy } from './attempt-store.js'
import { redisOp } from './redis-connection.js'

// ARGV: now, baseDelayMs, maxDelayMs, windowMs, reserve ('1' or '0'), then each key's `free`.
// The same arithmetic as delayAfter() and liveFailures() in attempt-store.ts.
const CHECK = `
local now, base, maxd, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local fails, wait = {}, 0
for i, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'f', 't')
  local f, t = tonumber(v[1]), tonumber(v[2])
  if f == nil or t == nil or now >= t + window then f = 0 end
  fails[i] = f
  local free = tonumber(ARGV[5 + i])
  if f > 0 and f >= free then
    wait = math.max(wait, t + math.min(maxd, base * 2 ^ math.min(f - free, 40)) - now)
  end
end
if wait > 0 or ARGV[5] ~= '1' then return wait end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'f', fails[i] + 1, 't', now)
  redis.call('PEXPIRE', key, window)
end
return 0`

const SUCCEEDED = `
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do
  local f = tonumber(redis.call('HGET', KEYS[i], 'f'))
  if f ~= nil and f > 0 then redis.call('HINCRBY', KEYS[i], 'f', -1) end
end
return 0`

export class RedisAttemptStore implements AttemptStore {
  readonly #redis: Redis
  readonly #prefix: string
  readonly #policy: ThrottlePolicy

  /** `redis` belongs to the caller, who closes it; keys are `prefix + key`. */
  constructor(redis: Redis, prefix: string, policy: ThrottlePolicy) {
    this.#redis = redis
    this.#prefix = prefix
    this.#policy = policy
  }

  async #check(keys: readonly ThrottleKey[], now: number, reserve: boolean): Promise<number> {
    const p = this.#policy
    const result = await redisOp('throttle check', () =>
      this.#redis.eval(
        CHECK,
        keys.length,
        ...keys.map((k) => this.#prefix + k.key),
        String(now),
        String(p.baseDelayMs),
        String(p.maxDelayMs),
        String(p.windowMs),
        reserve ? '1' : '0',
        ...keys.map((k) => String(k.free))
      )
    )
    return Number(result)
  }

  waitMs(keys: readonly ThrottleKey[], now: number): Promise<number> {
    return this.#check(keys, now, false)
  }

  reserve(keys: readonly ThrottleKey[], now: number): Promise<number> {
    return this.#check(keys, now, true)
  }

  async succeeded(clear: string, release: readonly string[]): Promise<void> {
    const keys = [clear, ...release].map((k) => this.#prefix + k)
    await redisOp('throttle release', () => this.#redis.eval(SUCCEEDED, keys.length, ...keys))
  }

  sweep(_now: number): Promise<number> {
    return Promise.resolve(0)
  }
}
