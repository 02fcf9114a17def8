// Login CSRF without a stored row per visitor (OWASP signed double submit): GET /login sets a
// random pre-session cookie, and the form's token is an HMAC bound to that cookie's value under a
// server key. POST /login needs both, so a cross-site form cannot log a victim into an attacker's
// account; nothing is stored until the login succeeds.
import { createHmac, randomBytes } from 'node:crypto'
import { createCsrfToken, verifyCsrfToken } from './tokens.js'

// 256 random bits, then the issue time (base 36 ms), which the HMAC covers with the rest.
const PRE_SESSION = /^[A-Za-z0-9_-]{43}\.([0-9a-z]{1,11})$/

export function newPreSession(now: number): string {
  return `${randomBytes(32).toString('base64url')}.${now.toString(36)}`
}

/** When a well-formed pre-session value was issued, or undefined for anything else. */
export function preSessionIssuedAt(value: string | undefined): number | undefined {
  const m = value === undefined ? null : PRE_SESSION.exec(value)
  return m?.[1] === undefined ? undefined : Number.parseInt(m[1], 36)
}

function formSecret(key: Buffer, preSession: string): string {
  return createHmac('sha256', key).update(`login-form\0${preSession}`).digest('base64url')
}

export function createLoginFormToken(key: Buffer, preSession: string): string {
  return createCsrfToken(formSecret(key, preSession))
}

export function verifyLoginFormToken(key: Buffer, preSession: string, token: unknown): boolean {
  return verifyCsrfToken(formSecret(key, preSession), token)
}
