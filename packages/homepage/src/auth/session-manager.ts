// Server-side sessions: strict (never adopts an id it did not issue), rotated at login, idle and
// absolute timeouts checked on every read, touched only while the session still exists.
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

  get store(): SessionStore {
    return this.#store
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

  /** A new session (pre-login when userId is null) with its own CSRF secret. */
  async create(userId: number | null): Promise<ActiveSession> {
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

  /** Login: the pre-login session is deleted and a fresh id and CSRF secret are issued. */
  async rotate(previous: ActiveSession | null, userId: number): Promise<ActiveSession> {
    if (previous !== null) {
      await this.#store.delete(previous.record.idHash)
    }
    return this.create(userId)
  }

  async destroy(session: ActiveSession): Promise<void> {
    await this.#store.delete(session.record.idHash)
  }

  /** Records activity; false when the session was deleted meanwhile (it stays deleted). */
  async touch(session: ActiveSession): Promise<boolean> {
    const now = this.#clock()
    if (now - session.record.lastSeenAt < this.#touchStepMs) {
      return true
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
