// Every error this package throws, emits or logs. Match on `err.code`, never on message text: the
// codes are the stable contract and are listed in the README's Errors table. No message ever
// carries a marker value or a byte of a response body.

export type GuardErrorCode = `GUARD_ERR_${string}`

export class GuardError extends Error {
  readonly code: GuardErrorCode
  constructor(code: GuardErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** An option passed to createGuard() or to an adapter is invalid; the message names it. */
export class GuardOptionError extends GuardError {
  constructor(message: string, options?: ErrorOptions) {
    super('GUARD_ERR_BAD_OPTION', message, options)
  }
}

/** The identify hook returned something that is not an identity; the message names the field. */
export class GuardIdentityError extends GuardError {
  constructor(message: string) {
    super('GUARD_ERR_BAD_IDENTITY', message)
  }
}

/**
 * A response was withheld in block mode. In Fastify the plugin hands this error to the app's
 * error handler (statusCode 500), so the app renders its own error page.
 */
export class GuardBlockedError extends GuardError {
  readonly statusCode = 500
  /** Why: the leak kinds found (foreign-identity, owner-missing, foreign-session-cookie, ...). */
  readonly reasons: readonly string[]
  constructor(reasons: readonly string[]) {
    super('GUARD_ERR_BLOCKED', `response withheld by the guard (${reasons.join(', ')})`)
    this.reasons = reasons
  }
}

/**
 * The guard itself failed on a response (a bug, a throwing identify hook, a detector error). The
 * response was failed closed (500) or open (sent unchecked) as `onError` says; the server lives on.
 */
export class GuardInternalError extends GuardError {
  constructor(message: string, options?: ErrorOptions) {
    super('GUARD_ERR_INTERNAL', message, options)
  }
}

/**
 * The body reached the guard already compressed (Content-Encoding set upstream of it), so it could
 * not be scanned: the guard sits on the wrong side of the compression step (see the README).
 */
export class GuardEncodedBodyError extends GuardError {
  constructor(encoding: string) {
    super(
      'GUARD_ERR_ENCODED_BODY',
      `body already encoded (${encoding}) when it reached the guard: put the guard before compression`
    )
  }
}

/** The Fastify plugins were registered in an order that hides Set-Cookie headers from the guard. */
export class GuardPluginOrderError extends GuardError {
  constructor(message: string) {
    super('GUARD_ERR_PLUGIN_ORDER', message)
  }
}

/** The guard was used after close(). */
export class GuardClosedError extends GuardError {
  constructor() {
    super('GUARD_ERR_CLOSED', 'the guard is closed')
  }
}
