// Throttle counters in SQLite. reserve() runs in a BEGIN IMMEDIATE transaction, which takes the
// write lock first: the check and the count are one step even across processes on one file.
import type { Database as Db, Statement, Transaction } from 'better-sqlite3'
import type { AttemptStore, ThrottleKey, ThrottlePolicy } from './attempt-store.js'
import { delayAfter, liveFailures } from './attempt-store.js'

interface Row {
  failures: number
  lastAt: number
}

export class SqliteAttemptStore implements AttemptStore {
  readonly #policy: ThrottlePolicy
  readonly #get: Statement<[string], Row>
  readonly #put: Statement<[string, number, number]>
  readonly #delete: Statement<[string]>
  readonly #release: Statement<[string]>
  readonly #sweep: Statement<[number]>
  readonly #reserve: Transaction<(keys: readonly ThrottleKey[], now: number) => number>
  readonly #succeeded: Transaction<(clear: string, release: readonly string[]) => void>

  constructor(db: Db, policy: ThrottlePolicy) {
    this.#policy = policy
    this.#get = db.prepare('SELECT failures, last_at AS lastAt FROM login_attempts WHERE key = ?')
    this.#put = db.prepare(
      `INSERT INTO login_attempts (key, failures, last_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at`
    )
    this.#delete = db.prepare('DELETE FROM login_attempts WHERE key = ?')
    this.#release = db.prepare(
      'UPDATE login_attempts SET failures = failures - 1 WHERE key = ? AND failures > 0'
    )
    this.#sweep = db.prepare('DELETE FROM login_attempts WHERE last_at <= ?')
    this.#reserve = db.transaction((keys: readonly ThrottleKey[], now: number) => {
      const wait = this.#wait(keys, now)
      if (wait.ms > 0) {
        return wait.ms
      }
      keys.forEach((k, i) => this.#put.run(k.key, wait.failures[i]! + 1, now))
      return 0
    })
    this.#succeeded = db.transaction((clear: string, release: readonly string[]) => {
      this.#delete.run(clear)
      for (const key of release) {
        this.#release.run(key)
      }
    })
  }

  #wait(keys: readonly ThrottleKey[], now: number): { ms: number; failures: number[] } {
    let ms = 0
    const failures = keys.map((k) => {
      const row = this.#get.get(k.key)
      if (row === undefined) {
        return 0
      }
      const f = liveFailures(row.failures, row.lastAt, now, this.#policy)
      if (f > 0) {
        ms = Math.max(ms, row.lastAt + delayAfter(f, k.free, this.#policy) - now)
      }
      return f
    })
    return { ms, failures }
  }

  waitMs(keys: readonly ThrottleKey[], now: number): Promise<number> {
    return Promise.resolve(this.#wait(keys, now).ms)
  }

  reserve(keys: readonly ThrottleKey[], now: number): Promise<number> {
    return Promise.resolve(this.#reserve.immediate(keys, now))
  }

  succeeded(clear: string, release: readonly string[]): Promise<void> {
    this.#succeeded.immediate(clear, release)
    return Promise.resolve()
  }

  sweep(now: number): Promise<number> {
    return Promise.resolve(this.#sweep.run(now - this.#policy.windowMs).changes)
  }
}
