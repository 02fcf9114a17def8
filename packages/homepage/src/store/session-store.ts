// The contract every session store keeps: create is insert-if-absent, touch updates only a session
// that still exists, delete is final. No upsert anywhere, so a slow request cannot resurrect a
// session after logout. Sessions exist only for signed-in users (anonymous visits store nothing).

export interface SessionRecord {
  /** SHA-256 of the session id (base64url); the raw id only ever lives in the cookie. */
  idHash: string
  userId: number
  csrfSecret: string
  createdAt: number
  lastSeenAt: number
}

export interface SessionStore {
  readonly kind: 'sqlite' | 'redis'
  /** Inserts; resolves false (and changes nothing) when the id already exists. */
  create(record: SessionRecord, ttlMs: number): Promise<boolean>
  get(idHash: string): Promise<SessionRecord | null>
  /** Whether the session still exists (a read, no write). */
  exists(idHash: string): Promise<boolean>
  /** Moves lastSeenAt forward only if the session still exists; false means it is gone. */
  touch(idHash: string, lastSeenAt: number, ttlMs: number): Promise<boolean>
  /** Resolves true if a session was deleted. */
  delete(idHash: string): Promise<boolean>
  /** Deletes sessions last seen at or before `idleBefore` or created at or before `createdBefore`. */
  sweep(idleBefore: number, createdBefore: number): Promise<number>
}
