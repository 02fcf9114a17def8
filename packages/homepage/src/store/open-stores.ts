// The stores of one deployment: with SQLite alone, everything is in the database file; with
// Redis, sessions, throttle counters and the login-form key live in Redis so that instances
// sharing it share them (users stay in SQLite either way).
import type { Database as Db } from 'better-sqlite3'
import type { AttemptStore, ThrottlePolicy } from './attempt-store.js'
import { closeRedis, connectRedis } from './redis-connection.js'
import { RedisAttemptStore } from './redis-attempt-store.js'
import { RedisSessionStore } from './redis-session-store.js'
import type { SessionStore } from './session-store.js'
import { redisSecret, sqliteSecret } from './shared-secret.js'
import { SqliteAttemptStore } from './sqlite-attempt-store.js'
import { SqliteSessionStore } from './sqlite-session-store.js'

export interface Stores {
  sessions: SessionStore
  /** null when throttling is off. */
  attempts: AttemptStore | null
  /** Signs login-form tokens (anonymous CSRF without a stored row). */
  loginFormKey: Buffer
  /** Closes the Redis connection, if any; the SQLite database belongs to the app. */
  close(): Promise<void>
}

export interface StoreOptions {
  redisUrl: string | undefined
  redisPrefix: string
  throttle: ThrottlePolicy | null
}

const LOGIN_FORM_KEY = 'login-form'

export async function openStores(db: Db, options: StoreOptions): Promise<Stores> {
  if (options.redisUrl === undefined) {
    return {
      sessions: new SqliteSessionStore(db),
      attempts: options.throttle === null ? null : new SqliteAttemptStore(db, options.throttle),
      loginFormKey: sqliteSecret(db, LOGIN_FORM_KEY),
      close: () => Promise.resolve(),
    }
  }
  const redis = await connectRedis(options.redisUrl)
  const p = options.redisPrefix
  try {
    return {
      sessions: new RedisSessionStore(redis, `${p}sess:`),
      attempts:
        options.throttle === null
          ? null
          : new RedisAttemptStore(redis, `${p}attempt:`, options.throttle),
      loginFormKey: await redisSecret(redis, `${p}secret:${LOGIN_FORM_KEY}`),
      close: () => closeRedis(redis),
    }
  } catch (err) {
    await closeRedis(redis)
    throw err
  }
}
