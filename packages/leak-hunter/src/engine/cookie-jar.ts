// One cookie jar per virtual user, for its whole life (k6 resets jars per iteration: a trap here).
// A small RFC 6265 subset: host-only and Domain cookies, Path, Expires/Max-Age, Secure.

/** The parts of a request URL cookies depend on; a WHATWG URL fits, so does a cheaper object. */
export interface CookieUrl {
  protocol: string
  hostname: string
  pathname: string
}

export interface StoredCookie {
  name: string
  value: string
  domain: string
  hostOnly: boolean
  path: string
  secure: boolean
  /** Epoch ms; undefined for a session cookie. */
  expires: number | undefined
}

export interface ParsedSetCookie {
  name: string
  value: string
  attributes: Map<string, string>
}

/** Parse one Set-Cookie header value; undefined when it has no name=value pair. */
export function parseSetCookie(header: string): ParsedSetCookie | undefined {
  const [pair = '', ...attrs] = header.split(';')
  const eq = pair.indexOf('=')
  if (eq < 0) {
    return undefined
  }
  const name = pair.slice(0, eq).trim()
  if (name === '') {
    return undefined
  }
  let value = pair.slice(eq + 1).trim()
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1)
  }
  const attributes = new Map<string, string>()
  for (const attr of attrs) {
    const at = attr.indexOf('=')
    const key = (at < 0 ? attr : attr.slice(0, at)).trim().toLowerCase()
    if (key !== '') {
      attributes.set(key, at < 0 ? '' : attr.slice(at + 1).trim())
    }
  }
  return { name, value, attributes }
}

function defaultPath(requestPath: string): string {
  const p = requestPath.split('?')[0] ?? '/'
  if (!p.startsWith('/')) {
    return '/'
  }
  const last = p.lastIndexOf('/')
  return last <= 0 ? '/' : p.slice(0, last)
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) {
    return true
  }
  return (
    requestPath.startsWith(cookiePath) &&
    (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/')
  )
}

function domainMatches(cookie: StoredCookie, host: string): boolean {
  if (cookie.hostOnly) {
    return host === cookie.domain
  }
  return host === cookie.domain || host.endsWith(`.${cookie.domain}`)
}

interface CachedHeader {
  version: number
  /** Epoch ms of the first expiry among the jar's cookies when the header was built. */
  validUntil: number
  hostname: string
  pathname: string
  protocol: string
  header: string | undefined
}

export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>()
  readonly #now: () => number
  // The last Cookie header built, reused while the jar is unchanged, the URL parts are the same
  // and no cookie has expired since: a VU asks for the same header on every request.
  #version = 0
  #cached: CachedHeader | undefined

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** Store the Set-Cookie headers of a response to `url`; returns the name/value pairs it set. */
  storeFromResponse(
    url: CookieUrl,
    headers: readonly string[]
  ): Array<{ name: string; value: string }> {
    const set: Array<{ name: string; value: string }> = []
    for (const header of headers) {
      const parsed = parseSetCookie(header)
      if (parsed === undefined) {
        continue
      }
      const stored = this.#toStored(url, parsed)
      if (stored === undefined) {
        continue
      }
      const key = `${stored.name}\u0000${stored.domain}\u0000${stored.path}`
      this.#version++
      if (stored.expires !== undefined && stored.expires <= this.#now()) {
        this.#cookies.delete(key)
      } else {
        this.#cookies.set(key, stored)
        set.push({ name: stored.name, value: stored.value })
      }
    }
    return set
  }

  #toStored(url: CookieUrl, c: ParsedSetCookie): StoredCookie | undefined {
    const host = url.hostname.toLowerCase()
    let domain = host
    let hostOnly = true
    const domainAttr = c.attributes.get('domain')
    if (domainAttr !== undefined && domainAttr !== '') {
      const d = domainAttr.replace(/^\./, '').toLowerCase()
      // A server may not set cookies for a domain it is not part of.
      if (host !== d && !host.endsWith(`.${d}`)) {
        return undefined
      }
      domain = d
      hostOnly = false
    }
    const pathAttr = c.attributes.get('path')
    const path = pathAttr?.startsWith('/') === true ? pathAttr : defaultPath(url.pathname)
    let expires: number | undefined
    const maxAge = c.attributes.get('max-age')
    if (maxAge !== undefined && /^-?\d+$/.test(maxAge)) {
      expires = this.#now() + Number(maxAge) * 1000
    } else {
      const exp = c.attributes.get('expires')
      if (exp !== undefined) {
        const t = Date.parse(exp)
        expires = Number.isNaN(t) ? undefined : t
      }
    }
    return {
      name: c.name,
      value: c.value,
      domain,
      hostOnly,
      path,
      secure: c.attributes.has('secure'),
      expires,
    }
  }

  /** The Cookie header for a request to `url`, or undefined when no cookie applies. */
  cookieHeader(url: CookieUrl): string | undefined {
    const now = this.#now()
    const c = this.#cached
    if (
      c !== undefined &&
      c.version === this.#version &&
      now < c.validUntil &&
      c.hostname === url.hostname &&
      c.pathname === url.pathname &&
      c.protocol === url.protocol
    ) {
      return c.header
    }
    const host = url.hostname.toLowerCase()
    // Browsers treat loopback as a secure context, so Secure cookies go to http://127.0.0.1 too.
    const secureOk = url.protocol === 'https:' || isLoopbackHost(host)
    const matches: StoredCookie[] = []
    let validUntil = Infinity
    for (const [key, cookie] of this.#cookies) {
      if (cookie.expires !== undefined) {
        if (cookie.expires <= now) {
          this.#cookies.delete(key)
          continue
        }
        // Any expiry changes the jar, so the cached header lives until the first one.
        validUntil = Math.min(validUntil, cookie.expires)
      }
      if (
        domainMatches(cookie, host) &&
        pathMatches(cookie.path, url.pathname) &&
        (!cookie.secure || secureOk)
      ) {
        matches.push(cookie)
      }
    }
    let header: string | undefined
    if (matches.length === 1) {
      header = `${matches[0]!.name}=${matches[0]!.value}`
    } else if (matches.length > 1) {
      // Longer paths first, as RFC 6265 §5.4 asks.
      matches.sort((a, b) => b.path.length - a.path.length)
      header = matches.map((m) => `${m.name}=${m.value}`).join('; ')
    }
    this.#cached = {
      version: this.#version,
      validUntil,
      hostname: url.hostname,
      pathname: url.pathname,
      protocol: url.protocol,
      header,
    }
    return header
  }

  /** The value of a cookie by name that would be sent to `url`. */
  get(url: CookieUrl, name: string): string | undefined {
    const header = this.cookieHeader(url)
    if (header === undefined) {
      return undefined
    }
    for (const part of header.split('; ')) {
      const eq = part.indexOf('=')
      if (part.slice(0, eq) === name) {
        return part.slice(eq + 1)
      }
    }
    return undefined
  }

  get size(): number {
    return this.#cookies.size
  }
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}
