// Sessions in SQLite: INSERT OR IGNORE to create, UPDATE ... WHERE id_hash = ? to touch, DELETE to end.
import type { Database as Db, Statement } from 'better-sqlite3'
import type { SessionRecord, SessionStore } from './session-store.js'

interface Row {
  idHash: string
  userId: number | null
  csrfSecret: string
  createdAt: number
  lastSeenAt: number
}

export class SqliteSessionStore implements SessionStore {
  readonly kind = 'sqlite'
  readonly #create: Statement<[string, number | null, string, number, number]>
  readonly #get: Statement<[string], Row>
  readonly #touch: Statement<[number, string]>
  readonly #delete: Statement<[string]>
  readonly #sweep: Statement<[number, number]>

  constructor(db: Db) {
    this.#create = db.prepare(
      `INSERT INTO sessions (id_hash, user_id, csrf_secret, created_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT(id_hash) DO NOTHING`
    )
    this.#get = db.prepare(
      `SELECT id_hash AS idHash, user_id AS userId, csrf_secret AS csrfSecret,
              created_at AS createdAt, last_seen_at AS lastSeenAt
       FROM sessions WHERE id_hash = ?`
    )
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

  touch(idHash: string, lastSeenAt: number, _ttlMs: number): Promise<boolean> {
    return Promise.resolve(this.#touch.run(lastSeenAt, idHash).changes === 1)
  }

  delete(idHash: string): Promise<boolean> {
    return Promise.resolve(this.#delete.run(idHash).changes === 1)
  }

  sweep(idleBefore: number, createdBefore: number): Promise<number> {
    return Promise.resolve(this.#sweep.run(idleBefore, createdBefore).changes)
  }

  close(): Promise<void> {
    // The database belongs to the app, which closes it once.
    return Promise.resolve()
  }
}
