// One Redis connection per app, shared by the session store, the login throttle and the secrets.
import { Redis } from 'ioredis'
import { HomeStoreError } from '../errors.js'

export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
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
    throw new HomeStoreError(`cannot connect to Redis at ${url}`, { cause: err })
  }
  return redis
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit()
  } catch {
    redis.disconnect()
  }
}

/** Runs a Redis command, turning its failure into HOME_ERR_STORE naming what failed. */
export async function redisOp<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (err) {
    throw new HomeStoreError(`Redis ${what} failed`, { cause: err })
  }
}
