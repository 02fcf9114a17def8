// The bounded registry of recently active identities: the set whose markers every response is
// checked against. A Map in least-recently-seen order (a touch moves an entry to the end), so
// eviction takes from the front in O(1).
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
}

/** Session cookie values remembered per identity: a few devices, not a history. */
const COOKIES_PER_IDENTITY = 4

export class IdentityRegistry {
  readonly #entries = new Map<string, Entry>()
  /** Session cookie hash → identity id. */
  readonly #cookieOwners = new Map<string, string>()
  readonly #options: RegistryOptions
  readonly #listener: RegistryListener
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
    const entry = this.#entries.get(identity.id)
    if (entry !== undefined) {
      this.#entries.delete(identity.id)
      this.#entries.set(identity.id, entry)
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
      this.#entries.set(identity.id, { identity, seen: now, bytes, cookies: undefined })
      this.#bytes += bytes
      this.#listener.set(identity)
    }
    this.#enforce(now, identity.id)
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
    for (const [id, entry] of this.#entries) {
      if (entry.seen > oldest) {
        break
      }
      this.#remove(id, 'expired')
      dropped++
    }
    return dropped
  }

  /** Every identity, least recently seen first. */
  *identities(): IterableIterator<ResolvedIdentity> {
    for (const entry of this.#entries.values()) {
      yield entry.identity
    }
  }

  #enforce(now: number, keep: string): void {
    const { maxIdentities, maxBytes, ttlMs } = this.#options
    for (const [id, entry] of this.#entries) {
      if (id === keep) {
        break
      }
      let reason: EvictionReason
      if (entry.seen <= now - ttlMs) {
        reason = 'expired'
      } else if (this.#entries.size > maxIdentities) {
        reason = 'count'
      } else if (this.#bytes > maxBytes) {
        reason = 'bytes'
      } else {
        break
      }
      this.#remove(id, reason)
    }
  }

  #remove(id: string, reason: EvictionReason): boolean {
    const entry = this.#entries.get(id)
    if (entry === undefined) {
      return false
    }
    this.#entries.delete(id)
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
