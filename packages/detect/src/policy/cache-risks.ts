// Whether a shared cache (a CDN, a reverse proxy) could store a personalised response and serve it
// to someone else (Steam, December 2015): the check both tools make on a response that shows an
// identity.

/** Statuses a shared cache may store without explicit freshness (RFC 9110 §15.1). */
const HEURISTIC_STATUSES = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501])

/** The response headers the check reads (values as sent; repeated headers joined with ', '). */
export interface CacheHeaders {
  cacheControl?: string | undefined
  vary?: string | undefined
  expires?: string | undefined
  status: number
  /** Epoch ms, to compare Expires with. */
  now: number
}

/**
 * Why a shared cache could serve this personalised response to someone else, or [] if it cannot:
 * `no-store` or `private` make it safe; otherwise `public`, a positive max-age/s-maxage, a future
 * Expires, or the absence of `Vary: Cookie` (caches key on the URL alone) are each a reason.
 */
export function sharedCacheRisks(response: CacheHeaders): string[] {
  if (!HEURISTIC_STATUSES.has(response.status)) {
    return []
  }
  return computeRisks(
    (response.cacheControl ?? '').toLowerCase(),
    (response.vary ?? '').toLowerCase(),
    response.expires,
    response.now
  )
}

/**
 * sharedCacheRisks() with its answers kept per (Cache-Control, Vary) pair: every response of a
 * page carries the same two headers, and parsing them was about 1 µs of a 3-6 µs rescan in
 * leak-hunter's detection bench (measured when this was written). Bounded; one per caller.
 */
export class CacheRiskMemo {
  readonly #memo = new Map<string, string[]>()
  #lastCc: string | undefined
  #lastVary: string | undefined
  #last: string[] = []

  risks(response: CacheHeaders): readonly string[] {
    if (!HEURISTIC_STATUSES.has(response.status)) {
      return NONE
    }
    if (response.expires !== undefined) {
      return sharedCacheRisks(response)
    }
    const rawCc = response.cacheControl ?? ''
    const rawVary = response.vary ?? ''
    // The pair seen last, compared as sent, before any string is built for the memo.
    if (rawCc === this.#lastCc && rawVary === this.#lastVary) {
      return this.#last
    }
    const cc = rawCc.toLowerCase()
    const vary = rawVary.toLowerCase()
    const key = `${cc}\n${vary}`
    let risks = this.#memo.get(key)
    if (risks === undefined) {
      risks = computeRisks(cc, vary, undefined, response.now)
      if (this.#memo.size >= 256) {
        this.#memo.clear()
      }
      this.#memo.set(key, risks)
    }
    this.#lastCc = rawCc
    this.#lastVary = rawVary
    this.#last = risks
    return risks
  }
}

const NONE: readonly string[] = Object.freeze([])

function computeRisks(
  cc: string,
  vary: string,
  expires: string | undefined,
  now: number
): string[] {
  const directives = new Map<string, string>()
  for (const part of cc.split(',')) {
    const [name, value] = part.split('=', 2)
    if (name !== undefined && name.trim() !== '') {
      directives.set(name.trim(), (value ?? '').trim().replace(/^"|"$/g, ''))
    }
  }
  if (directives.has('no-store') || directives.has('private')) {
    return []
  }
  const risks: string[] = []
  if (directives.has('public')) {
    risks.push('Cache-Control: public')
  }
  for (const d of ['max-age', 's-maxage']) {
    const seconds = Number(directives.get(d))
    if (directives.has(d) && seconds > 0) {
      risks.push(`Cache-Control: ${d}=${seconds} without private/no-store`)
    }
  }
  if (expires !== undefined && !directives.has('max-age') && Date.parse(expires) > now) {
    risks.push('Expires in the future without private/no-store')
  }
  const varies = vary.split(',').map((v) => v.trim())
  if (!varies.includes('cookie') && !varies.includes('*')) {
    risks.push('no Vary: Cookie')
  }
  return risks
}
