// Sessions in Redis, one hash per session with a TTL. Create and touch are Lua scripts, so the
// existence check and the write are one atomic step: touch never recreates a deleted key.
import type { Redis } from 'ioredis'
import { redisOp } from './redis-connection.js'
import type { SessionRecord, SessionStore } from './session-store.js'

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'csrfSecret', ARGV[2], 'createdAt', ARGV[3], 'lastSeenAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`

const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`

const ttl = (ms: number): string => String(Math.max(1, Math.ceil(ms)))

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis'
  readonly #redis: Redis
  readonly #prefix: string

  /** `redis` belongs to the caller, who closes it; keys are `prefix + idHash`. */
  constructor(redis: Redis, prefix: string) {
    this.#redis = redis
    this.#prefix = prefix
  }

  #key(idHash: string): string {
    return this.#prefix + idHash
  }

  async create(r: SessionRecord, ttlMs: number): Promise<boolean> {
    const created = await redisOp('session create', () =>
      this.#redis.eval(
        CREATE,
        1,
        this.#key(r.idHash),
        String(r.userId),
        r.csrfSecret,
        String(r.createdAt),
        String(r.lastSeenAt),
        ttl(ttlMs)
      )
    )
    return created === 1
  }

  async get(idHash: string): Promise<SessionRecord | null> {
    const h = await redisOp('session get', () => this.#redis.hgetall(this.#key(idHash)))
    const userId = Number(h.userId === '' ? NaN : h.userId)
    if (
      !Number.isSafeInteger(userId) ||
      h.csrfSecret === undefined ||
      h.createdAt === undefined ||
      h.lastSeenAt === undefined
    ) {
      return null
    }
    return {
      idHash,
      userId,
      csrfSecret: h.csrfSecret,
      createdAt: Number(h.createdAt),
      lastSeenAt: Number(h.lastSeenAt),
    }
  }

  async exists(idHash: string): Promise<boolean> {
    return (await redisOp('session exists', () => this.#redis.exists(this.#key(idHash)))) === 1
  }

  async touch(idHash: string, lastSeenAt: number, ttlMs: number): Promise<boolean> {
    const touched = await redisOp('session touch', () =>
      this.#redis.eval(TOUCH, 1, this.#key(idHash), String(lastSeenAt), ttl(ttlMs))
    )
    return touched === 1
  }

  async delete(idHash: string): Promise<boolean> {
    return (await redisOp('session delete', () => this.#redis.del(this.#key(idHash)))) === 1
  }

  sweep(_idleBefore: number, _createdBefore: number): Promise<number> {
    // Redis expires keys itself (PEXPIRE on create and touch); timeouts are also checked on read.
    return Promise.resolve(0)
  }
}
