// OWASP-style login throttling: failures are counted per (account, client IP) and per client IP,
// each with a free allowance and then exponentially growing delays. Someone failing against an
// account from elsewhere delays only their own address, never the owner's logins from theirs.
import { createHash } from 'node:crypto'
import type { AttemptStore, ThrottleKey } from '../store/attempt-store.js'
import { throttleAddress } from './client-ip.js'

export interface ThrottleLimits {
  perAccountIp: number
  perIp: number
}

/** A reserved attempt: counted as a failure unless the login succeeds. */
export interface Reservation {
  succeeded(): Promise<void>
}

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; waitMs: number }

export class LoginThrottle {
  readonly #store: AttemptStore
  readonly #limits: ThrottleLimits
  readonly #clock: () => number

  constructor(store: AttemptStore, limits: ThrottleLimits, clock: () => number) {
    this.#store = store
    this.#limits = limits
    this.#clock = clock
  }

  #keys(ip: string, account: string): [ThrottleKey, ThrottleKey] {
    const address = throttleAddress(ip)
    // Hashed, so the store holds no usernames; the NUL keeps "a" + "b:c" apart from "a:b" + "c".
    const pair = createHash('sha256').update(`${address}\0${account}`).digest('base64url')
    return [
      { key: `a:${pair}`, free: this.#limits.perAccountIp },
      { key: `i:${address}`, free: this.#limits.perIp },
    ]
  }

  /** Milliseconds this (IP, account) must wait before trying; 0 when it may try now. */
  waitMs(ip: string, account: string): Promise<number> {
    return this.#store.waitMs(this.#keys(ip, account), this.#clock())
  }

  /** Reserves an attempt atomically, or says how long to wait. Call right before hashing. */
  async reserve(ip: string, account: string): Promise<ReserveResult> {
    const keys = this.#keys(ip, account)
    const waitMs = await this.#store.reserve(keys, this.#clock())
    if (waitMs > 0) {
      return { ok: false, waitMs }
    }
    // Success clears the account-and-IP counter and gives the IP its attempt back.
    return {
      ok: true,
      reservation: { succeeded: () => this.#store.succeeded(keys[0].key, [keys[1].key]) },
    }
  }

  sweep(): Promise<number> {
    return this.#store.sweep(this.#clock())
  }
}
