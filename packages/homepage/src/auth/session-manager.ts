// Server-side sessions: strict (never adopts an id it did not issue), created only at login, idle
// and absolute timeouts checked on every read, confirmed live before every personal response.
import type { SessionRecord, SessionStore } from '../store/session-store.js'
import { hashSessionId, isWellFormedSessionId, newCsrfSecret, newSessionId } from './tokens.js'

export interface SessionManagerOptions {
  store: SessionStore
  idleMs: number
  absoluteMs: number
  clock: () => number
}

export interface ActiveSession {
  /** The raw id; only ever placed in the cookie. */
  id: string
  record: SessionRecord
}

export class SessionManager {
  readonly #store: SessionStore
  readonly #idleMs: number
  readonly #absoluteMs: number
  readonly #clock: () => number
  // Refreshing lastSeenAt on every hit would be a write per page view; a coarse step is enough.
  readonly #touchStepMs: number

  constructor(options: SessionManagerOptions) {
    this.#store = options.store
    this.#idleMs = options.idleMs
    this.#absoluteMs = options.absoluteMs
    this.#clock = options.clock
    this.#touchStepMs = Math.min(1000, Math.floor(options.idleMs / 10))
  }

  /** The live session for a cookie value, or null (unknown, malformed, expired). */
  async load(cookieValue: string | undefined): Promise<ActiveSession | null> {
    if (cookieValue === undefined || !isWellFormedSessionId(cookieValue)) {
      return null
    }
    const record = await this.#store.get(hashSessionId(cookieValue))
    if (record === null) {
      return null
    }
    if (this.#expired(record)) {
      await this.#store.delete(record.idHash)
      return null
    }
    return { id: cookieValue, record }
  }

  /** A new session for a user who just signed in, with its own CSRF secret. */
  async create(userId: number): Promise<ActiveSession> {
    const now = this.#clock()
    // 256 random bits collide never in practice; the insert-if-absent still refuses to overwrite.
    for (;;) {
      const id = newSessionId()
      const record: SessionRecord = {
        idHash: hashSessionId(id),
        userId,
        csrfSecret: newCsrfSecret(),
        createdAt: now,
        lastSeenAt: now,
      }
      if (await this.#store.create(record, this.#ttl(record, now))) {
        return { id, record }
      }
    }
  }

  /** Login: any session the browser still holds is deleted; a new id and CSRF secret are issued. */
  async rotate(previousCookie: string | undefined, userId: number): Promise<ActiveSession> {
    if (previousCookie !== undefined && isWellFormedSessionId(previousCookie)) {
      await this.#store.delete(hashSessionId(previousCookie))
    }
    return this.create(userId)
  }

  async destroy(session: ActiveSession): Promise<void> {
    await this.#store.delete(session.record.idHash)
  }

  /**
   * Asks the store whether the session still exists, right before a response is sent: false
   * means it was deleted (logout) meanwhile and nothing personal may go out. Records activity
   * (a write) at most once per step; otherwise it is a read.
   */
  async confirm(session: ActiveSession): Promise<boolean> {
    const now = this.#clock()
    if (now - session.record.lastSeenAt < this.#touchStepMs) {
      return this.#store.exists(session.record.idHash)
    }
    const ttl = this.#ttl(session.record, now)
    if (ttl <= 0) {
      return false
    }
    return this.#store.touch(session.record.idHash, now, ttl)
  }

  sweep(): Promise<number> {
    const now = this.#clock()
    return this.#store.sweep(now - this.#idleMs, now - this.#absoluteMs)
  }

  #expired(r: SessionRecord): boolean {
    const now = this.#clock()
    return now - r.lastSeenAt >= this.#idleMs || now - r.createdAt >= this.#absoluteMs
  }

  #ttl(r: SessionRecord, now: number): number {
    return Math.min(this.#idleMs, r.createdAt + this.#absoluteMs - now)
  }
}
