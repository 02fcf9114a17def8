// scrypt password hashing. The hash records its own parameters (`scrypt$N$r$p$salt$hash`), so
// verify() needs no configuration and seeded demo accounts can use a cheaper N than sign-ups.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { HomeBadHashError, HomeBadOptionError } from '../errors.js'

export interface ScryptParams {
  N: number
  r: number
  p: number
}

/** OWASP Password Storage Cheat Sheet: scrypt N=2^17 (128 MiB), r=8, p=1. */
export const OWASP_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 })

/** Cost used by `homepage seed` for demo accounts only: 10,000 OWASP hashes would take ~80 min on 2 cores. */
export const DEMO_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 8, r: 8, p: 1 })

const KEY_LENGTH = 32
const SALT_LENGTH = 16
const MAX_N = 2 ** 20
const MAX_R = 32
const MAX_P = 16

function checkParams(params: ScryptParams, fail: (message: string) => Error): void {
  const { N, r, p } = params
  if (!Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) {
    throw fail(`scrypt N must be a power of two in 2..2^20, got ${N}`)
  }
  if (!Number.isInteger(r) || r < 1 || r > MAX_R) {
    throw fail(`scrypt r must be an integer in 1..${MAX_R}, got ${r}`)
  }
  if (!Number.isInteger(p) || p < 1 || p > MAX_P) {
    throw fail(`scrypt p must be an integer in 1..${MAX_P}, got ${p}`)
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // Node's default maxmem (32 MiB) rejects N=2^17,r=8; scrypt needs 128*N*r*p bytes plus slack.
  const maxmem = 128 * params.N * params.r * params.p + 32 * 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...params, maxmem }, (err, key) => {
      if (err) {
        reject(err)
      } else {
        resolve(key)
      }
    })
  })
}

export async function hashPassword(
  password: string,
  params: ScryptParams = OWASP_SCRYPT
): Promise<string> {
  checkParams(params, (m) => new HomeBadOptionError(m))
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, params)
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

export interface ParsedHash {
  params: ScryptParams
  salt: Buffer
  key: Buffer
}

export function parseHash(stored: string): ParsedHash {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new HomeBadHashError('stored password hash is not in scrypt$N$r$p$salt$hash format')
  }
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string]
  const params = { N: Number(n), r: Number(r), p: Number(p) }
  checkParams(params, (m) => new HomeBadHashError(m))
  const saltBuf = Buffer.from(salt, 'base64url')
  const keyBuf = Buffer.from(key, 'base64url')
  if (saltBuf.length < 8 || keyBuf.length !== KEY_LENGTH) {
    throw new HomeBadHashError('stored password hash has a short salt or a wrong key length')
  }
  return { params, salt: saltBuf, key: keyBuf }
}

/** Constant-time check against a stored hash, at the cost recorded in that hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, key } = parseHash(stored)
  const candidate = await derive(password, salt, params)
  return timingSafeEqual(candidate, key)
}

// Verified against when the username is unknown, so that case costs one OWASP-strength hash too.
// Its key is random: no password matches it.
const DUMMY_HASH = `scrypt$${OWASP_SCRYPT.N}$${OWASP_SCRYPT.r}$${OWASP_SCRYPT.p}$${randomBytes(SALT_LENGTH).toString('base64url')}$${randomBytes(KEY_LENGTH).toString('base64url')}`

export function dummyHash(): string {
  return DUMMY_HASH
}

/** The work one verify against `stored` costs (scrypt N*r*p); the hash gate queues by it. */
export function hashWork(stored: string): number {
  const { N, r, p } = parseHash(stored).params
  return N * r * p
}

export const OWASP_WORK = OWASP_SCRYPT.N * OWASP_SCRYPT.r * OWASP_SCRYPT.p
