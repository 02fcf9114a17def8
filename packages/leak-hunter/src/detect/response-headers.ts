// Header helpers for a finding's evidence; the cacheability check itself is @crosstalk/detect's.

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
