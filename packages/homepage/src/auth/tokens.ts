// Random identifiers and CSRF tokens. Session ids are 256-bit CSPRNG values; only their SHA-256
// is stored, so reading the database does not yield live cookies.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_ID_BYTES = 32

export function newSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url')
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/

export function isWellFormedSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id)
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('base64url')
}

export function newCsrfSecret(): string {
  return randomBytes(32).toString('base64url')
}

// Each token is `salt.HMAC(secret, salt)`: a fresh salt per page masks the secret (BREACH) while
// every token stays bound to the session's secret.
export function createCsrfToken(secret: string): string {
  const salt = randomBytes(12).toString('base64url')
  return `${salt}.${createHmac('sha256', secret).update(salt).digest('base64url')}`
}

export function verifyCsrfToken(secret: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length > 200) {
    return false
  }
  const dot = token.indexOf('.')
  if (dot <= 0) {
    return false
  }
  const salt = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1), 'base64url')
  const expected = createHmac('sha256', secret).update(salt).digest()
  return given.length === expected.length && timingSafeEqual(given, expected)
}
