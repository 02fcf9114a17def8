// Header helpers for evidence and the cacheability check (finding d).

export type RawHeaders = Record<string, string | string[] | undefined>

const RELEVANT = [
  'content-type',
  'cache-control',
  'vary',
  'expires',
  'age',
  'pragma',
  'etag',
  'last-modified',
  'set-cookie',
  'location',
  'via',
  'x-cache',
  'x-cache-status',
  'cf-cache-status',
  'x-request-id',
  'server-timing',
]

/** A header's value, case-insensitive on the name; repeated headers are joined with ', '. */
export function headerValue(headers: RawHeaders, name: string): string | undefined {
  let value = headers[name]
  if (value === undefined) {
    // Node and undici lower-case names already; other callers may not. Length check first: cheap.
    for (const key in headers) {
      if (key.length === name.length && key !== name && key.toLowerCase() === name) {
        value = headers[key]
        break
      }
    }
  }
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * Replaces each cookie value with `[redacted]`, keeping names and attributes (Path, HttpOnly...).
 * A pair without `=` is a nameless cookie's value (RFC 6265bis §5.6), so it goes whole.
 */
export function redactSetCookie(value: string | string[]): string {
  const list = Array.isArray(value) ? value : [value]
  return list
    .map((cookie) => {
      const semi = cookie.indexOf(';')
      const pair = semi === -1 ? cookie : cookie.slice(0, semi)
      const eq = pair.indexOf('=')
      const rest = semi === -1 ? '' : cookie.slice(semi)
      return eq === -1 ? `[redacted]${rest}` : `${pair.slice(0, eq).trim()}=[redacted]${rest}`
    })
    .join(', ')
}

/** The headers worth showing next to a finding, lower-cased, with cookie values redacted. */
export function relevantHeaders(headers: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  const lower = new Map<string, string | string[]>()
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) {
      lower.set(k.toLowerCase(), v)
    }
  }
  for (const name of RELEVANT) {
    const value = lower.get(name)
    if (value === undefined) {
      continue
    }
    out[name] = name === 'set-cookie' ? redactSetCookie(value) : [value].flat().join(', ')
  }
  return out
}

/** Statuses a shared cache may store without explicit freshness (RFC 9110 §15.1). */
const HEURISTIC_STATUSES = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501])

/**
 * Why a shared cache could serve this personalised response to someone else, or [] if it cannot:
 * `no-store` or `private` make it safe; otherwise `public`, a positive max-age/s-maxage, a future
 * Expires, or the absence of `Vary: Cookie` (caches key on the URL alone) are each a reason.
 */
export function sharedCacheRisks(
  cacheControl: string | undefined,
  varyHeader: string | undefined,
  expires: string | undefined,
  status: number,
  now: number
): string[] {
  if (!HEURISTIC_STATUSES.has(status)) {
    return []
  }
  const rawCc = cacheControl ?? ''
  const rawVary = varyHeader ?? ''
  // Every response of a page carries the same two headers: parse each pair once. The last pair
  // is compared as sent, before any string is built for the memo.
  if (expires === undefined) {
    if (rawCc === last.cc && rawVary === last.vary) {
      return last.risks
    }
    const cc = rawCc.toLowerCase()
    const vary = rawVary.toLowerCase()
    const key = `${cc}\n${vary}`
    let risks = riskMemo.get(key)
    if (risks === undefined) {
      risks = computeRisks(cc, vary, undefined, now)
      if (riskMemo.size >= 256) {
        riskMemo.clear()
      }
      riskMemo.set(key, risks)
    }
    last.cc = rawCc
    last.vary = rawVary
    last.risks = risks
    return risks
  }
  return computeRisks(rawCc.toLowerCase(), rawVary.toLowerCase(), expires, now)
}

const riskMemo = new Map<string, string[]>()
/** The pair sharedCacheRisks saw last, as sent (undefined before the first). */
const last: { cc: string | undefined; vary: string | undefined; risks: string[] } = {
  cc: undefined,
  vary: undefined,
  risks: [],
}

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
