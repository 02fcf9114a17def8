// The bounded registry of recently active identities: the set whose markers every response is
// checked against. A Map finds an entry; a doubly linked list keeps them in least-recently-seen
// order (a touch moves an entry to the tail), so eviction takes from the head in O(1). Not the
// Map's own order: re-inserting on every touch leaves deleted slots at its front, and each walk
// from the front skipped them (a touch cost 71 µs at 100,000 identities; bench/run.ts).
//
// Eviction, in this order (README "Registry"):
//  1. forget(id): the application says the user logged out or was deleted.
//  2. expiry: an identity not seen for `ttlMs` is dropped by the next sweep (every `sweepMs`) or
//     by the next touch that finds it at the front.
//  3. caps: a touch that takes the registry over `maxIdentities` or `maxBytes` drops the
//     least recently seen identities until it is within both again (never the one just touched).
import type { ResolvedIdentity } from './identity.js'
import { identityBytes, sameFields } from './identity.js'

export interface RegistryOptions {
  /** An identity not seen for this long is evicted. Default 30 minutes. */
  ttlMs: number
  /** At most this many identities. Default 100,000. */
  maxIdentities: number
  /** At most this many estimated bytes (identityBytes). Default 64 MiB. */
  maxBytes: number
}

export type EvictionReason = 'forgotten' | 'expired' | 'count' | 'bytes'

/** What the registry tells its listener (the marker index) about each change. */
export interface RegistryListener {
  set(identity: ResolvedIdentity): void
  delete(id: string, reason: EvictionReason): void
}

interface Entry {
  identity: ResolvedIdentity
  seen: number
  bytes: number
  /** Hashes of session cookie values this identity was seen with (newest last). */
  cookies: string[] | undefined
  /** Neighbours in least-recently-seen order. */
  older: Entry | undefined
  newer: Entry | undefined
}

/** Session cookie values remembered per identity: a few devices, not a history. */
const COOKIES_PER_IDENTITY = 4

export class IdentityRegistry {
  readonly #entries = new Map<string, Entry>()
  /** Session cookie hash → identity id. */
  readonly #cookieOwners = new Map<string, string>()
  readonly #options: RegistryOptions
  readonly #listener: RegistryListener
  /** Least and most recently seen. */
  #oldest: Entry | undefined
  #newest: Entry | undefined
  #bytes = 0
  readonly evicted: Record<EvictionReason, number> = {
    forgotten: 0,
    expired: 0,
    count: 0,
    bytes: 0,
  }

  constructor(options: RegistryOptions, listener: RegistryListener) {
    this.#options = options
    this.#listener = listener
  }

  get size(): number {
    return this.#entries.size
  }

  get bytes(): number {
    return this.#bytes
  }

  has(id: string): boolean {
    return this.#entries.has(id)
  }

  /** Marks `identity` active now; adds it, or updates its markers when they changed. */
  touch(identity: ResolvedIdentity, now: number): void {
    let entry = this.#entries.get(identity.id)
    if (entry !== undefined) {
      this.#unlink(entry)
      entry.seen = now
      if (!sameFields(entry.identity.fields, identity.fields)) {
        this.#bytes -= entry.bytes
        entry.identity = identity
        entry.bytes = identityBytes(identity)
        this.#bytes += entry.bytes
        this.#listener.set(identity)
      }
    } else {
      const bytes = identityBytes(identity)
      entry = { identity, seen: now, bytes, cookies: undefined, older: undefined, newer: undefined }
      this.#entries.set(identity.id, entry)
      this.#bytes += bytes
      this.#listener.set(identity)
    }
    this.#append(entry)
    this.#enforce(now, entry)
  }

  /** Records that `id` holds the session cookie whose value hashes to `hash`. */
  holdCookie(id: string, hash: string): void {
    const entry = this.#entries.get(id)
    if (entry === undefined) {
      return
    }
    const owner = this.#cookieOwners.get(hash)
    if (owner === id) {
      return
    }
    if (owner !== undefined) {
      // A session id now used by someone else (login rotation reuses nothing; be safe anyway).
      this.#dropCookie(owner, hash)
    }
    entry.cookies ??= []
    entry.cookies.push(hash)
    this.#cookieOwners.set(hash, id)
    if (entry.cookies.length > COOKIES_PER_IDENTITY) {
      this.#cookieOwners.delete(entry.cookies.shift() as string)
    }
  }

  /** The identity holding the session cookie with this hash, if any. */
  cookieOwner(hash: string): string | undefined {
    return this.#cookieOwners.get(hash)
  }

  forget(id: string): boolean {
    return this.#remove(id, 'forgotten')
  }

  /** Drops every identity not seen since `now - ttlMs`; returns how many. */
  sweep(now: number): number {
    const oldest = now - this.#options.ttlMs
    let dropped = 0
    while (this.#oldest !== undefined && this.#oldest.seen <= oldest) {
      this.#remove(this.#oldest.identity.id, 'expired')
      dropped++
    }
    return dropped
  }

  /** Every identity, least recently seen first. */
  *identities(): IterableIterator<ResolvedIdentity> {
    for (let e = this.#oldest; e !== undefined; e = e.newer) {
      yield e.identity
    }
  }

  /** Evicts from the oldest end while over a cap or expired; never `keep`. */
  #enforce(now: number, keep: Entry): void {
    const { maxIdentities, maxBytes, ttlMs } = this.#options
    for (let e = this.#oldest; e !== undefined && e !== keep; e = this.#oldest) {
      let reason: EvictionReason
      if (e.seen <= now - ttlMs) {
        reason = 'expired'
      } else if (this.#entries.size > maxIdentities) {
        reason = 'count'
      } else if (this.#bytes > maxBytes) {
        reason = 'bytes'
      } else {
        return
      }
      this.#remove(e.identity.id, reason)
    }
  }

  #append(entry: Entry): void {
    entry.older = this.#newest
    entry.newer = undefined
    if (this.#newest !== undefined) {
      this.#newest.newer = entry
    } else {
      this.#oldest = entry
    }
    this.#newest = entry
  }

  #unlink(entry: Entry): void {
    if (entry.older !== undefined) {
      entry.older.newer = entry.newer
    } else {
      this.#oldest = entry.newer
    }
    if (entry.newer !== undefined) {
      entry.newer.older = entry.older
    } else {
      this.#newest = entry.older
    }
    entry.older = undefined
    entry.newer = undefined
  }

  #remove(id: string, reason: EvictionReason): boolean {
    const entry = this.#entries.get(id)
    if (entry === undefined) {
      return false
    }
    this.#entries.delete(id)
    this.#unlink(entry)
    this.#bytes -= entry.bytes
    for (const hash of entry.cookies ?? []) {
      this.#cookieOwners.delete(hash)
    }
    this.evicted[reason]++
    this.#listener.delete(id, reason)
    return true
  }

  #dropCookie(id: string, hash: string): void {
    const cookies = this.#entries.get(id)?.cookies
    const at = cookies?.indexOf(hash) ?? -1
    if (cookies !== undefined && at >= 0) {
      cookies.splice(at, 1)
    }
    this.#cookieOwners.delete(hash)
  }
}
