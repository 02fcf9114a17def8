// Parsing one Set-Cookie header as browsers do (RFC 6265bis §5.6), with their size limits.
import type { CookieDropReason } from '../report/types.js'

/** Name plus value may not exceed this many octets (RFC 6265bis §5.6, Chrome, Firefox). */
export const MAX_COOKIE_BYTES = 4096
/** An attribute value longer than this is ignored, the cookie kept (RFC 6265bis §5.6). */
export const MAX_ATTRIBUTE_BYTES = 1024
/** Cookies kept per domain, oldest evicted first (Chrome's and Firefox's limit). */
export const MAX_COOKIES_PER_DOMAIN = 180
/** Cookies kept per jar (Firefox's limit; RFC 6265bis §6.1 asks for at least 3000). */
export const MAX_COOKIES = 3000

export interface ParsedSetCookie {
  /** Empty for a nameless cookie (`Set-Cookie: abc`), which is sent back as `Cookie: abc`. */
  name: string
  value: string
  attributes: Map<string, string>
}

export type { CookieDropReason }

// Controls other than HTAB make browsers ignore the whole cookie (RFC 6265bis §5.6 step 2).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/

/** Parse one Set-Cookie value; a reason string when browsers would ignore it. */
export function parseSetCookie(header: string): ParsedSetCookie | CookieDropReason {
  const semi = header.indexOf(';')
  const pair = semi < 0 ? header : header.slice(0, semi)
  if (CONTROL.test(pair)) {
    return 'invalid'
  }
  const eq = pair.indexOf('=')
  // Without "=", the whole pair is the value of a nameless cookie, not a name.
  const name = eq < 0 ? '' : pair.slice(0, eq).trim()
  let value = (eq < 0 ? pair : pair.slice(eq + 1)).trim()
  if (name === '' && value === '') {
    return 'invalid'
  }
  if (name.length + value.length > MAX_COOKIE_BYTES) {
    return 'too-large'
  }
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1)
  }
  const attributes = new Map<string, string>()
  if (semi >= 0) {
    for (const attr of header.slice(semi + 1).split(';')) {
      const at = attr.indexOf('=')
      const key = (at < 0 ? attr : attr.slice(0, at)).trim().toLowerCase()
      const attrValue = at < 0 ? '' : attr.slice(at + 1).trim()
      if (key !== '' && attrValue.length <= MAX_ATTRIBUTE_BYTES) {
        attributes.set(key, attrValue)
      }
    }
  }
  return { name, value, attributes }
}

/** `name=value`, or the value alone for a nameless cookie (RFC 6265bis §5.8.3). */
export function cookiePair(name: string, value: string): string {
  return name === '' ? value : `${name}=${value}`
}
