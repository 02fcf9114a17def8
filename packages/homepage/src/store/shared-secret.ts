// A random key created once per store and shared by every instance that uses the store (e.g. the
// login-form key: a form served by one instance must verify on another). First writer wins.
import { randomBytes } from 'node:crypto'
import type { Database as Db } from 'better-sqlite3'
import type { Redis } from 'ioredis'
import { redisOp } from './redis-connection.js'

const SECRET_BYTES = 32

export function sqliteSecret(db: Db, name: string): Buffer {
  db.prepare(
    'INSERT INTO app_secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING'
  ).run(name, randomBytes(SECRET_BYTES).toString('base64url'))
  const row = db.prepare('SELECT value FROM app_secrets WHERE name = ?').get(name) as {
    value: string
  }
  return Buffer.from(row.value, 'base64url')
}

export async function redisSecret(redis: Redis, key: string): Promise<Buffer> {
  const value = await redisOp('secret', async () => {
    await redis.set(key, randomBytes(SECRET_BYTES).toString('base64url'), 'NX')
    return redis.get(key)
  })
  return Buffer.from(value ?? '', 'base64url')
}
