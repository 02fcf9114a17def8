// Opens the SQLite database (a file or ':memory:') and brings its schema up to date.
import Database from 'better-sqlite3'
import type { Database as Db } from 'better-sqlite3'
import { HomeStoreError } from '../errors.js'

// Append only: each entry runs once, in order, tracked by PRAGMA user_version.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     display_name TEXT NOT NULL,
     email TEXT NOT NULL UNIQUE,
     account_id TEXT NOT NULL UNIQUE,
     last_login_at TEXT
   );
   CREATE TABLE items (
     id INTEGER PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     title TEXT NOT NULL
   );
   CREATE INDEX items_user_id ON items(user_id);
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
     csrf_secret TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_last_seen ON sessions(last_seen_at);`,
]

export const SCHEMA_VERSION = MIGRATIONS.length

export function openDatabase(path: string): Db {
  let db: Db
  try {
    db = new Database(path)
  } catch (err) {
    throw new HomeStoreError(`cannot open SQLite database ${path}`, { cause: err })
  }
  try {
    if (path !== ':memory:') {
      db.pragma('journal_mode = WAL')
      db.pragma('busy_timeout = 5000')
    }
    db.pragma('foreign_keys = ON')
    migrate(db)
  } catch (err) {
    db.close()
    throw err instanceof HomeStoreError
      ? err
      : new HomeStoreError(`cannot migrate SQLite database ${path}`, { cause: err })
  }
  return db
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length) {
    throw new HomeStoreError(
      `database schema version ${current} is newer than this build (${MIGRATIONS.length})`
    )
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] ?? '')
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}
