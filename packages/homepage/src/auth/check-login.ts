// The password check of POST /login, in the order that keeps it cheap to refuse: the throttle's
// read first (no hash for a throttled address), then a hashing slot, then the atomic reservation
// right before the hash. A login that succeeds gives its reservation back.
import { HomeRateLimitedError, HomeRetryLaterError } from '../errors.js'
import type { HashGate } from './hash-gate.js'
import type { LoginThrottle, Reservation } from './login-throttle.js'
import { hashWork, verifyPassword } from './password.js'

export interface LoginAttempt {
  ip: string
  /** The username as typed, trimmed and lower-cased. */
  account: string
  password: string
  /** The stored hash to verify against (the dummy hash for an unknown user). */
  stored: string
}

export type LoginCheck =
  | {
      refused: undefined
      matches: boolean
      /** Present when throttling is on: call succeeded() once the login is complete. */
      reservation: Reservation | undefined
    }
  /** HOME_ERR_RATE_LIMITED (throttled) or HOME_ERR_BUSY (no hashing slot in time): no hash ran. */
  | { refused: HomeRetryLaterError }

function rateLimited(waitMs: number): HomeRateLimitedError {
  return new HomeRateLimitedError(
    'Too many failed sign-in attempts. Try again later.',
    Math.max(1, Math.ceil(waitMs / 1000))
  )
}

/** Verifies `password` against `stored` for (ip, account), or says why it was refused. */
export async function checkLogin(
  gate: HashGate,
  throttle: LoginThrottle | null,
  attempt: LoginAttempt
): Promise<LoginCheck> {
  try {
    return { refused: undefined, ...(await verifyInTurn(gate, throttle, attempt)) }
  } catch (err) {
    if (err instanceof HomeRetryLaterError) {
      return { refused: err }
    }
    throw err
  }
}

async function verifyInTurn(
  gate: HashGate,
  throttle: LoginThrottle | null,
  attempt: LoginAttempt
): Promise<{ matches: boolean; reservation: Reservation | undefined }> {
  const { ip, account, password, stored } = attempt
  if (throttle !== null) {
    const waitMs = await throttle.waitMs(ip, account)
    if (waitMs > 0) {
      throw rateLimited(waitMs)
    }
  }
  return gate.run(hashWork(stored), async () => {
    const reserved = throttle === null ? null : await throttle.reserve(ip, account)
    if (reserved !== null && !reserved.ok) {
      throw rateLimited(reserved.waitMs)
    }
    const matches = await verifyPassword(password, stored)
    return { matches, reservation: reserved?.reservation }
  })
}
