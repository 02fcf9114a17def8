// One cookie jar per virtual user, for its whole life (k6 resets jars per iteration: a trap here).
// A small RFC 6265bis subset: host-only and Domain cookies, Path, Expires/Max-Age, Secure, and the
// browsers' limits (set-cookie.ts), so a target that sets cookies without end cannot grow it.
import { MAX_COOKIES, MAX_COOKIES_PER_DOMAIN, cookiePair, parseSetCookie } from './set-cookie.js'
import type { CookieDropReason, ParsedSetCookie } from './set-cookie.js'

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

/** Told what the jar refuses or drops, and which values it holds (for redaction by value). */
export interface JarObserver {
  dropped(reason: CookieDropReason, name: string): void
  hold(value: string): void
  release(value: string): void
}

interface CachedHeader {
  version: number
  /** Epoch ms of the first expiry among the jar's cookies when the header was built. */
  validUntil: number
  hostname: string
  pathname: string
  protocol: string
  header: string | undefined
  /** The cookies in the header, in its order. */
  matches: StoredCookie[]
}

export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>()
  readonly #perDomain = new Map<string, number>()
  readonly #now: () => number
  readonly #observer: JarObserver | undefined
  // The last Cookie header built, reused while the jar is unchanged, the URL parts are the same
  // and no cookie has expired since: a VU asks for the same header on every request.
  #version = 0
  #cached: CachedHeader | undefined

  constructor(now: () => number = Date.now, observer?: JarObserver) {
    this.#now = now
    this.#observer = observer
  }

  /** Store the Set-Cookie headers of a response to `url`; returns the name/value pairs it set. */
  storeFromResponse(
    url: CookieUrl,
    headers: readonly string[]
  ): Array<{ name: string; value: string }> {
    const set: Array<{ name: string; value: string }> = []
    for (const header of headers) {
      const parsed = parseSetCookie(header)
      if (typeof parsed === 'string') {
        this.#observer?.dropped(parsed, nameOf(header))
        continue
      }
      const stored = this.#toStored(url, parsed)
      if (stored === undefined) {
        this.#observer?.dropped('foreign-domain', parsed.name)
        continue
      }
      const key = `${stored.name}\u0000${stored.domain}\u0000${stored.path}`
      this.#version++
      const old = this.#cookies.get(key)
      if (stored.expires !== undefined && stored.expires <= this.#now()) {
        if (old !== undefined) {
          this.#delete(key, old)
        }
        continue
      }
      // Replacing keeps the old cookie's place: its creation time stays (RFC 6265bis §5.7).
      this.#cookies.set(key, stored)
      this.#observer?.hold(stored.value)
      if (old !== undefined) {
        this.#observer?.release(old.value)
      } else {
        this.#perDomain.set(stored.domain, (this.#perDomain.get(stored.domain) ?? 0) + 1)
        this.#enforceLimits(stored.domain)
      }
      set.push({ name: stored.name, value: stored.value })
    }
    return set
  }

  #delete(key: string, cookie: StoredCookie): void {
    this.#cookies.delete(key)
    const left = (this.#perDomain.get(cookie.domain) ?? 1) - 1
    if (left === 0) {
      this.#perDomain.delete(cookie.domain)
    } else {
      this.#perDomain.set(cookie.domain, left)
    }
    this.#observer?.release(cookie.value)
  }

  /** Over a limit, expired cookies go first, then the oldest (of the domain, then of the jar). */
  #enforceLimits(domain: string): void {
    const overDomain = (): boolean => (this.#perDomain.get(domain) ?? 0) > MAX_COOKIES_PER_DOMAIN
    if (!overDomain() && this.#cookies.size <= MAX_COOKIES) {
      return
    }
    const now = this.#now()
    for (const [key, cookie] of this.#cookies) {
      if (cookie.expires !== undefined && cookie.expires <= now) {
        this.#delete(key, cookie)
      }
    }
    for (const [key, cookie] of this.#cookies) {
      if (!overDomain()) {
        break
      }
      if (cookie.domain === domain) {
        this.#delete(key, cookie)
        this.#observer?.dropped('evicted', cookie.name)
      }
    }
    for (const [key, cookie] of this.#cookies) {
      if (this.#cookies.size <= MAX_COOKIES) {
        break
      }
      this.#delete(key, cookie)
      this.#observer?.dropped('evicted', cookie.name)
    }
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
          this.#delete(key, cookie)
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
      header = cookiePair(matches[0]!.name, matches[0]!.value)
    } else if (matches.length > 1) {
      // Longer paths first, as RFC 6265 §5.4 asks.
      matches.sort((a, b) => b.path.length - a.path.length)
      header = matches.map((m) => cookiePair(m.name, m.value)).join('; ')
    }
    this.#cached = {
      version: this.#version,
      validUntil,
      hostname: url.hostname,
      pathname: url.pathname,
      protocol: url.protocol,
      header,
      matches,
    }
    return header
  }

  /** The value of a cookie by name that would be sent to `url`. */
  get(url: CookieUrl, name: string): string | undefined {
    this.cookieHeader(url)
    return this.#cached?.matches.find((m) => m.name === name)?.value
  }

  get size(): number {
    return this.#cookies.size
  }
}

/** The cookie name a Set-Cookie header gives, for reports; '' for a nameless one. */
function nameOf(header: string): string {
  const semi = header.indexOf(';')
  const pair = semi < 0 ? header : header.slice(0, semi)
  const eq = pair.indexOf('=')
  return eq < 0 ? '' : pair.slice(0, Math.min(eq, 64)).trim()
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}
