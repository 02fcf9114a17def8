// Users and their private items, read from SQLite. Only the parent process touches the database.
import type { Database as Db, Statement } from 'better-sqlite3'

export interface UserRow {
  id: number
  username: string
  passwordHash: string
  displayName: string
  email: string
  accountId: string
  lastLoginAt: string | null
}

export interface NewUser {
  username: string
  passwordHash: string
  displayName: string
  email: string
  accountId: string
  items: string[]
}

const USER_COLUMNS = `id, username, password_hash AS passwordHash, display_name AS displayName,
  email, account_id AS accountId, last_login_at AS lastLoginAt`

export class UserStore {
  readonly #byId: Statement<[number], UserRow>
  readonly #byUsername: Statement<[string], UserRow>
  readonly #items: Statement<[number], { id: number; title: string }>
  readonly #setLastLogin: Statement<[string, number]>
  readonly #insertUser: Statement<[string, string, string, string, string]>
  readonly #insertItem: Statement<[number, string]>
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
    this.#byId = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`)
    this.#byUsername = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`)
    this.#items = db.prepare('SELECT id, title FROM items WHERE user_id = ? ORDER BY id')
    this.#setLastLogin = db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?')
    this.#insertUser = db.prepare(
      `INSERT INTO users (username, password_hash, display_name, email, account_id)
       VALUES (?, ?, ?, ?, ?)`
    )
    this.#insertItem = db.prepare('INSERT INTO items (user_id, title) VALUES (?, ?)')
  }

  byId(id: number): UserRow | undefined {
    return this.#byId.get(id)
  }

  byUsername(username: string): UserRow | undefined {
    return this.#byUsername.get(username)
  }

  items(userId: number): Array<{ id: number; title: string }> {
    return this.#items.all(userId)
  }

  setLastLogin(userId: number, at: string): void {
    this.#setLastLogin.run(at, userId)
  }

  /** Inserts users and their items in one transaction; returns the new ids in order. */
  insertMany(users: readonly NewUser[]): number[] {
    return this.#db.transaction((list: readonly NewUser[]) =>
      list.map((u) => {
        const { lastInsertRowid } = this.#insertUser.run(
          u.username,
          u.passwordHash,
          u.displayName,
          u.email,
          u.accountId
        )
        const id = Number(lastInsertRowid)
        for (const title of u.items) {
          this.#insertItem.run(id, title)
        }
        return id
      })
    )(users)
  }

  /** Removes every user, item, session and throttle counter (seeding replaces the accounts). */
  deleteAll(): void {
    this.#db.exec(
      'DELETE FROM sessions; DELETE FROM login_attempts; DELETE FROM items; DELETE FROM users;'
    )
  }
}
