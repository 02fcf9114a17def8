// Session cookies: which identity holds which session, learnt from the cookies a request for that
// identity carries and from the Set-Cookie its own responses send. Values are kept only as
// truncated SHA-256 hashes, so the guard holds no usable session id.
import { hash } from 'node:crypto'

export function cookieHash(value: string): string {
  // One-shot hash(): half createHash()'s cost, and it runs on every request that carries a session.
  return hash('sha256', value, 'base64url').slice(0, 22)
}

/** The values of the cookies named in `names` in a Cookie request header. */
export function requestCookies(header: string | undefined, names: ReadonlySet<string>): string[] {
  if (header === undefined || header === '' || names.size === 0) {
    return []
  }
  const found: string[] = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) {
      continue
    }
    const name = part.slice(0, eq).trim()
    if (names.has(name)) {
      const value = unquote(part.slice(eq + 1).trim())
      if (value !== '') {
        found.push(value)
      }
    }
  }
  return found
}

/** Name and value of each Set-Cookie line whose name is in `names` (cleared cookies left out). */
export function setCookies(
  header: number | string | readonly string[] | undefined,
  names: ReadonlySet<string>
): Array<{ name: string; value: string }> {
  if (header === undefined || typeof header === 'number' || names.size === 0) {
    return []
  }
  const lines = typeof header === 'string' ? [header] : header
  const found: Array<{ name: string; value: string }> = []
  for (const line of lines) {
    const semi = line.indexOf(';')
    const pair = semi < 0 ? line : line.slice(0, semi)
    const eq = pair.indexOf('=')
    if (eq <= 0) {
      continue
    }
    const name = pair.slice(0, eq).trim()
    const value = unquote(pair.slice(eq + 1).trim())
    if (names.has(name) && value !== '') {
      found.push({ name, value })
    }
  }
  return found
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value
}
