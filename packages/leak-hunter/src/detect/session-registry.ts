// Finding (c): which VU was handed each session-like cookie value. A value handed to a second VU
// means the server gave one user's session to another.

/** Values that clear a cookie rather than set a session. */
const CLEARING = new Set(['', 'deleted', 'null', 'undefined', 'none', 'expired', '0', 'false'])

const SESSION_NAME = /sess|sid|token|auth|jwt|login|connect|remember|user/i

/**
 * Infrastructure cookies that legitimately carry the same value for many clients: load-balancer
 * affinity (one value per backend), analytics and bot-management ids. Never a session swap.
 */
const SHARED_BY_DESIGN =
  /^(route|srv_?id|server_?id|backend|awsalb(cors)?|awselb|bigipserver.*|arraffinity(samesite)?|ak_bmsc|bm_sv|__cf_bm|_ga.*|_gid|_gat.*|_fbp|__utm.*|incap_ses_.*|visid_incap_.*|nlbi_.*)$/i

/**
 * A cookie is treated as a session credential when it looks random enough to be unguessable: long
 * (>= 16 chars) with letters and digits, or a session-like name with >= 8 chars. Constant cookies
 * ("lang=en", "consent=yes") are handed to everyone and must not count as swaps.
 */
export function isSessionLike(name: string, value: string): boolean {
  if (CLEARING.has(value.toLowerCase()) || SHARED_BY_DESIGN.test(name)) {
    return false
  }
  const mixed = /[0-9]/.test(value) && /[A-Za-z]/.test(value)
  if (value.length >= 16 && mixed) {
    return true
  }
  return SESSION_NAME.test(name) && value.length >= 8 && new Set(value).size >= 6
}

export interface SwapHit {
  name: string
  /** The VU that held the value first. */
  holder: number
}

export class SessionRegistry {
  private readonly byValue = new Map<string, number>()
  private readonly byVu = new Map<number, string[]>()

  constructor(private readonly maxEntries = 1_000_000) {}

  get size(): number {
    return this.byValue.size
  }

  /** Records the cookies handed to `vu`; returns the ones another live VU already held. */
  record(vu: number, cookies: ReadonlyArray<{ name: string; value: string }>): SwapHit[] {
    const hits: SwapHit[] = []
    for (const { name, value } of cookies) {
      if (!isSessionLike(name, value)) {
        continue
      }
      const key = `${name}=${value}`
      const holder = this.byValue.get(key)
      if (holder === undefined) {
        this.remember(vu, key)
      } else if (holder !== vu) {
        hits.push({ name, holder })
      }
    }
    return hits
  }

  /** Forgets a VU's values when it ends, so long runs with many VUs do not keep them all. */
  forget(vu: number): void {
    for (const key of this.byVu.get(vu) ?? []) {
      if (this.byValue.get(key) === vu) {
        this.byValue.delete(key)
      }
    }
    this.byVu.delete(vu)
  }

  private remember(vu: number, key: string): void {
    if (this.byValue.size >= this.maxEntries) {
      // Oldest first: Map iteration order is insertion order.
      const oldest = this.byValue.keys().next()
      if (oldest.done !== true) {
        this.byValue.delete(oldest.value)
      }
    }
    this.byValue.set(key, vu)
    const list = this.byVu.get(vu)
    if (list === undefined) {
      this.byVu.set(vu, [key])
    } else {
      list.push(key)
    }
  }
}
