// Sessions in Redis, one hash per session with a TTL. Create and touch are Lua scripts, so the
// existence check and the write are one atomic step: touch never recreates a deleted key.
import { Redis } from 'ioredis'
import { HomeStoreError } from '../errors.js'
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

export interface RedisSessionStoreOptions {
  url: string
  /** Key prefix, so several apps or tests can share one Redis. */
  prefix?: string
}

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis'
  readonly #redis: Redis
  readonly #prefix: string

  private constructor(redis: Redis, prefix: string) {
    this.#redis = redis
    this.#prefix = prefix
  }

  static async connect(options: RedisSessionStoreOptions): Promise<RedisSessionStore> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    })
    // Without a listener ioredis prints every reconnect error; failures surface on the commands.
    redis.on('error', () => {})
    try {
      await redis.connect()
    } catch (err) {
      redis.disconnect()
      throw new HomeStoreError(`cannot connect to Redis at ${options.url}`, { cause: err })
    }
    return new RedisSessionStore(redis, options.prefix ?? 'crosstalk:sess:')
  }

  #key(idHash: string): string {
    return this.#prefix + idHash
  }

  async #run<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (err) {
      throw new HomeStoreError(`Redis session ${what} failed`, { cause: err })
    }
  }

  async create(r: SessionRecord, ttlMs: number): Promise<boolean> {
    const created = await this.#run('create', () =>
      this.#redis.eval(
        CREATE,
        1,
        this.#key(r.idHash),
        r.userId === null ? '' : String(r.userId),
        r.csrfSecret,
        String(r.createdAt),
        String(r.lastSeenAt),
        String(Math.max(1, Math.ceil(ttlMs)))
      )
    )
    return created === 1
  }

  async get(idHash: string): Promise<SessionRecord | null> {
    const h = await this.#run('get', () => this.#redis.hgetall(this.#key(idHash)))
    if (h.csrfSecret === undefined || h.createdAt === undefined || h.lastSeenAt === undefined) {
      return null
    }
    return {
      idHash,
      userId: h.userId === undefined || h.userId === '' ? null : Number(h.userId),
      csrfSecret: h.csrfSecret,
      createdAt: Number(h.createdAt),
      lastSeenAt: Number(h.lastSeenAt),
    }
  }

  async touch(idHash: string, lastSeenAt: number, ttlMs: number): Promise<boolean> {
    const touched = await this.#run('touch', () =>
      this.#redis.eval(
        TOUCH,
        1,
        this.#key(idHash),
        String(lastSeenAt),
        String(Math.max(1, Math.ceil(ttlMs)))
      )
    )
    return touched === 1
  }

  async delete(idHash: string): Promise<boolean> {
    return (await this.#run('delete', () => this.#redis.del(this.#key(idHash)))) === 1
  }

  sweep(_idleBefore: number, _createdBefore: number): Promise<number> {
    // Redis expires keys itself (PEXPIRE on create and touch); timeouts are also checked on read.
    return Promise.resolve(0)
  }

  async close(): Promise<void> {
    try {
      await this.#redis.quit()
    } catch {
      this.#redis.disconnect()
    }
  }
}
