// Sessions in SQLite: INSERT OR IGNORE to create, UPDATE ... WHERE id_hash = ? to touch, DELETE to end.
import type { Database as Db, Statement } from 'better-sqlite3'
import type { SessionRecord, SessionStore } from './session-store.js'

export class SqliteSessionStore implements SessionStore {
  readonly kind = 'sqlite'
  readonly #create: Statement<[string, number, string, number, number]>
  readonly #get: Statement<[string], SessionRecord>
  readonly #exists: Statement<[string], { one: number }>
  readonly #touch: Statement<[number, string]>
  readonly #delete: Statement<[string]>
  readonly #sweep: Statement<[number, number]>

  constructor(db: Db) {
    this.#create = db.prepare(
      `INSERT INTO sessions (id_hash, user_id, csrf_secret, created_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT(id_hash) DO NOTHING`
    )
    // Rows from before sessions were stored only at login (pre-login rows) are not sessions.
    this.#get = db.prepare(
      `SELECT id_hash AS idHash, user_id AS userId, csrf_secret AS csrfSecret,
              created_at AS createdAt, last_seen_at AS lastSeenAt
       FROM sessions WHERE id_hash = ? AND user_id IS NOT NULL`
    )
    this.#exists = db.prepare('SELECT 1 AS one FROM sessions WHERE id_hash = ?')
    this.#touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?')
    this.#delete = db.prepare('DELETE FROM sessions WHERE id_hash = ?')
    this.#sweep = db.prepare('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?')
  }

  create(r: SessionRecord, _ttlMs: number): Promise<boolean> {
    const { changes } = this.#create.run(
      r.idHash,
      r.userId,
      r.csrfSecret,
      r.createdAt,
      r.lastSeenAt
    )
    return Promise.resolve(changes === 1)
  }

  get(idHash: string): Promise<SessionRecord | null> {
    return Promise.resolve(this.#get.get(idHash) ?? null)
  }

  exists(idHash: string): Promise<boolean> {
    return Promise.resolve(this.#exists.get(idHash) !== undefined)
  }

  touch(idHash: string, lastSeenAt: number, _ttlMs: number): Promise<boolean> {
    return Promise.resolve(this.#touch.run(lastSeenAt, idHash).changes === 1)
  }

  delete(idHash: string): Promise<boolean> {
    return Promise.resolve(this.#delete.run(idHash).changes === 1)
  }

  sweep(idleBefore: number, createdBefore: number): Promise<number> {
    return Promise.resolve(this.#sweep.run(idleBefore, createdBefore).changes)
  }
}
