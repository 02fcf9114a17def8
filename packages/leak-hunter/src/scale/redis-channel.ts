// The Redis side of a coordinated run (ioredis): the session key agents poll for the plan, and
// the two streams of the session, written with XADD and read with blocking XREAD on a connection
// of their own. Every key expires a day after the run's last write.
import { Redis } from 'ioredis'
import { CoordinationError } from '../errors.js'

const EXPIRE_S = 86_400

/** How long one blocking read waits before it looks at the stop flag again (ms). */
const BLOCK_MS = 500

export function sessionKey(runId: string): string {
  return `leak-hunter:${runId}:session`
}

export function streamKey(runId: string, session: string, name: 'up' | 'down' | 'next'): string {
  return `leak-hunter:${runId}:${session}:${name}`
}

/** A connection that fails fast (one attempt) rather than queueing commands forever. */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    connectionName: name,
    retryStrategy: (times) => (times > 5 ? null : Math.min(times * 200, 1000)),
  })
  // Errors surface through the commands that fail; a listener keeps ioredis from logging them.
  redis.on('error', () => {})
  try {
    await redis.connect()
  } catch (err) {
    redis.disconnect()
    throw new CoordinationError(
      'HUNT_ERR_REDIS_UNREACHABLE',
      `cannot connect to Redis at ${url}: ${(err as Error).message}`,
      { cause: err }
    )
  }
  return redis
}

export async function send(redis: Redis, key: string, message: unknown): Promise<void> {
  await redis.multi().xadd(key, '*', 'm', JSON.stringify(message)).expire(key, EXPIRE_S).exec()
}

/**
 * Reads `key` from its start and calls `onMessage` for each message, until stop() is called;
 * `closed` settles then. A read error (Redis gone) ends it and goes to `onError`.
 */
export function readStream<T>(
  redis: Redis,
  key: string,
  onMessage: (message: T) => void,
  onError: (err: unknown) => void
): { stop(): void; closed: Promise<void> } {
  let stopped = false
  let last = '0'
  const closed = (async () => {
    while (!stopped) {
      let reply: Array<[string, Array<[string, string[]]>]> | null
      try {
        reply = await redis.xread('BLOCK', BLOCK_MS, 'STREAMS', key, last)
      } catch (err) {
        if (!stopped) {
          onError(err)
        }
        return
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          last = id
          if (!stopped) {
            onMessage(JSON.parse(fields[1]!) as T)
          }
        }
      }
    }
  })()
  return {
    stop: () => {
      stopped = true
    },
    closed,
  }
}
