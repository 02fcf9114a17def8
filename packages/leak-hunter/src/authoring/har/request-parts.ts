// A recorded request taken apart into the pieces a scenario step has: path segments, query
// values, headers worth replaying, and a form or JSON body.
import type { HarEntry } from './read-har.js'

/** Headers a browser adds by itself, or that the hunter sets (cookie jar, body type, host). */
const DROP_HEADER =
  /^(:.*|cookie|host|content-length|content-type|connection|keep-alive|transfer-encoding|accept|accept-encoding|accept-language|user-agent|referer|origin|cache-control|pragma|priority|dnt|te|upgrade-insecure-requests|if-none-match|if-modified-since|purpose|sec-.*)$/

export type Body =
  | { kind: 'none' }
  | { kind: 'form'; fields: Array<[string, string]> }
  | { kind: 'json'; value: unknown }
  | { kind: 'other'; mimeType: string }

export interface RequestParts {
  /** Path segments as recorded (`raw`) and decoded (`value`). */
  segments: Array<{ raw: string; value: string }>
  /** `k=v` pairs as recorded, with the value decoded too. */
  query: Array<{ rawKey: string; rawValue: string | undefined; value: string }>
  headers: Array<[string, string]>
  body: Body
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}

export function bodyOf(e: HarEntry): Body {
  if (e.postData === undefined || e.postData.text === '') {
    return { kind: 'none' }
  }
  const mime = e.postData.mimeType.toLowerCase()
  if (mime.includes('application/x-www-form-urlencoded')) {
    return { kind: 'form', fields: [...new URLSearchParams(e.postData.text)] }
  }
  if (mime.includes('json')) {
    try {
      return { kind: 'json', value: JSON.parse(e.postData.text) as unknown }
    } catch {
      return { kind: 'other', mimeType: mime }
    }
  }
  return { kind: 'other', mimeType: mime || 'unknown' }
}

export function requestParts(e: HarEntry): RequestParts {
  const segments = e.url.pathname
    .split('/')
    .slice(1)
    .map((raw) => ({ raw, value: decode(raw) }))
  const query = e.url.search
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=')
      return eq < 0
        ? { rawKey: p, rawValue: undefined, value: '' }
        : { rawKey: p.slice(0, eq), rawValue: p.slice(eq + 1), value: decode(p.slice(eq + 1)) }
    })
  const headers = e.requestHeaders.filter(([n]) => !DROP_HEADER.test(n))
  return { segments, query, headers, body: bodyOf(e) }
}

const PASSWORD = /^(pass(word)?|passwd|pwd|.*[_-]?password)$/i
const USERNAME =
  /^(user(name)?|login|email|e-?mail|account|identifier|user[_-]?(name|id|email)|.*[_[]?(username|email|login)]?)$/i

/** The username and password a login request sends, by field name. */
export function credentialsIn(
  body: Body
): { username: [string, string] | undefined; password: [string, string] } | undefined {
  const fields: Array<[string, string]> =
    body.kind === 'form'
      ? body.fields
      : body.kind === 'json' &&
          body.value !== null &&
          typeof body.value === 'object' &&
          !Array.isArray(body.value)
        ? Object.entries(body.value as Record<string, unknown>).filter(
            (f): f is [string, string] => typeof f[1] === 'string'
          )
        : []
  const password = fields.find(([k, v]) => PASSWORD.test(k) && v !== '')
  if (password === undefined) {
    return undefined
  }
  return {
    username: fields.find(([k, v]) => k !== password[0] && USERNAME.test(k) && v !== ''),
    password,
  }
}
