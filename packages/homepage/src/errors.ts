// Every error the homepage raises on purpose. Codes are stable; tests and callers match `code`.
// The README's Errors table lists exactly these codes (a test keeps them in step).

export interface HomeErrorOptions {
  cause?: unknown
}

export class HomeError extends Error {
  readonly code: string = 'HOME_ERR'
  readonly statusCode: number = 500
  constructor(message: string, options?: HomeErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** An option passed to buildApp, the CLI or a store was missing or invalid. */
export class HomeBadOptionError extends HomeError {
  override readonly code = 'HOME_ERR_BAD_OPTION'
  override readonly statusCode = 500
}

/** A CLI command or flag was wrong. */
export class HomeUsageError extends HomeError {
  override readonly code = 'HOME_ERR_USAGE'
  override readonly statusCode = 400
}

/** A request body or parameter was malformed. */
export class HomeBadRequestError extends HomeError {
  override readonly code = 'HOME_ERR_BAD_REQUEST'
  override readonly statusCode = 400
}

/** No valid session (anonymous, expired, logged out). */
export class HomeUnauthenticatedError extends HomeError {
  override readonly code = 'HOME_ERR_UNAUTHENTICATED'
  override readonly statusCode = 401
}

/** Wrong username or password; deliberately does not say which. */
export class HomeBadCredentialsError extends HomeError {
  override readonly code = 'HOME_ERR_BAD_CREDENTIALS'
  override readonly statusCode = 401
}

/** CSRF token missing, malformed, or not the one bound to this session. */
export class HomeCsrfError extends HomeError {
  override readonly code = 'HOME_ERR_CSRF'
  override readonly statusCode = 403
}

/** An unsafe request came from another site (Sec-Fetch-Site or Origin). */
export class HomeCrossSiteError extends HomeError {
  override readonly code = 'HOME_ERR_CROSS_SITE'
  override readonly statusCode = 403
}

/** A refusal worth retrying later; `retryAfterSeconds` goes into the Retry-After header. */
export abstract class HomeRetryLaterError extends HomeError {
  readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds: number, options?: HomeErrorOptions) {
    super(message, options)
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** Too many failed logins from this IP, or for this account from this IP. */
export class HomeRateLimitedError extends HomeRetryLaterError {
  override readonly code = 'HOME_ERR_RATE_LIMITED'
  override readonly statusCode = 429
}

/** The server is hashing as many passwords as it allows (and the queue is full or too slow). */
export class HomeBusyError extends HomeRetryLaterError {
  override readonly code = 'HOME_ERR_BUSY'
  override readonly statusCode = 503
}

/** Unknown path. Never falls back to a personalised page (web cache deception). */
export class HomeNotFoundError extends HomeError {
  override readonly code = 'HOME_ERR_NOT_FOUND'
  override readonly statusCode = 404
}

/** A stored password hash could not be parsed or has out-of-range parameters. */
export class HomeBadHashError extends HomeError {
  override readonly code = 'HOME_ERR_BAD_HASH'
  override readonly statusCode = 500
}

/** The session or user store failed (SQLite or Redis). */
export class HomeStoreError extends HomeError {
  override readonly code = 'HOME_ERR_STORE'
  override readonly statusCode = 500
}

/** No renderer could take the request (child died, pool closed or failing). */
export class HomeRendererUnavailableError extends HomeError {
  override readonly code = 'HOME_ERR_RENDERER_UNAVAILABLE'
  override readonly statusCode = 503
}

/** The renderer did not answer within renderTimeoutMs. */
export class HomeRenderTimeoutError extends HomeError {
  override readonly code = 'HOME_ERR_RENDER_TIMEOUT'
  override readonly statusCode = 504
}

/** The renderer replied for another user than the session's: never sent, logged as an incident. */
export class HomeRenderMismatchError extends HomeError {
  override readonly code = 'HOME_ERR_RENDER_MISMATCH'
  override readonly statusCode = 500
  readonly expectedUserId: number | undefined
  readonly renderedFor: number | undefined
  constructor(
    message: string,
    ids?: { expectedUserId?: number; renderedFor?: number },
    options?: HomeErrorOptions
  ) {
    super(message, options)
    this.expectedUserId = ids?.expectedUserId
    this.renderedFor = ids?.renderedFor
  }
}
