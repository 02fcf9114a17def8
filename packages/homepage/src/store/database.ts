// Opens the SQLite database (a file or ':memory:') and brings its schema up to date.
import { closeSync, openSync } from 'node:fs'
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
  // Login throttling (failures per key, presumed until a login succeeds) and shared secrets.
  `CREATE TABLE login_attempts (
     key TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     last_at INTEGER NOT NULL
   );
   CREATE INDEX login_attempts_last_at ON login_attempts(last_at);
   CREATE TABLE app_secrets (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Creates a missing database file with mode 0600 (it holds password hashes and session hashes);
 * SQLite gives its -wal and -shm files the main file's mode. An existing file keeps its mode.
 */
function createPrivately(path: string): void {
  if (path === ':memory:' || path.startsWith('file:')) {
    return
  }
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new HomeStoreError(`cannot create SQLite database ${path}`, { cause: err })
    }
  }
}

export function openDatabase(path: string): Db {
  let db: Db
  createPrivately(path)
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
