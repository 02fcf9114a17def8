// Every error the package throws carries a stable `code`; callers and tests match the code, never the text.

export class HuntError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** The scenario (file or flags) is invalid; `path` names the field, e.g. `login[1].extract.csrf.selector`. */
export class ScenarioInvalidError extends HuntError {
  readonly path: string
  constructor(path: string, problem: string) {
    super('HUNT_ERR_SCENARIO_INVALID', path === '' ? problem : `${path}: ${problem}`)
    this.path = path
  }
}

/** A `{{env.NAME}}` placeholder names a variable that is unset or empty; `names` lists each one. */
export class EnvVarMissingError extends HuntError {
  readonly path: string
  readonly names: string[]
  constructor(path: string, names: string[], problem: string) {
    super('HUNT_ERR_ENV_MISSING', `${path}: ${problem}`)
    this.path = path
    this.names = names
  }
}

/** The scenario file could not be read or parsed as YAML/JSON. */
export class ScenarioReadError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_SCENARIO_READ', message, options)
  }
}

/** The accounts CSV could not be read, is malformed, or lacks a column the scenario names. */
export class AccountsInvalidError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_ACCOUNTS_INVALID', message, options)
  }
}

/** Fewer accounts than virtual users: checkout is exclusive, so each VU needs its own account. */
export class NotEnoughAccountsError extends HuntError {
  constructor(accounts: number, vus: number) {
    super(
      'HUNT_ERR_NOT_ENOUGH_ACCOUNTS',
      `load.vus: ${vus} virtual users need ${vus} accounts, the accounts file has ${accounts}`
    )
  }
}

/** Command-line arguments are invalid (unknown flag, bad value, missing scenario). */
export class ArgsInvalidError extends HuntError {
  constructor(message: string) {
    super('HUNT_ERR_ARGS_INVALID', message)
  }
}

/** A HAR recording given to `init --har` cannot be read, is not HAR, or holds no usable request. */
export class HarInvalidError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_HAR_INVALID', message, options)
  }
}

/** A template names a variable that has no value when the request is built. */
export class TemplateError extends HuntError {
  constructor(message: string) {
    super('HUNT_ERR_TEMPLATE', message)
  }
}

/** An extraction rule found nothing in the response it was applied to. */
export class ExtractError extends HuntError {
  constructor(message: string) {
    super('HUNT_ERR_EXTRACT_FAILED', message)
  }
}

/** A login flow step failed: wrong status, extraction failed, or the owner's marker never appeared. */
export class LoginFailedError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_LOGIN_FAILED', message, options)
  }
}

/** The target could not be reached at all (connection refused, DNS failure, no response by load.timeout). */
export class TargetUnreachableError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_TARGET_UNREACHABLE', message, options)
  }
}

/** A response began (status and headers came) but its body never completed: reset, or past load.timeout. */
export class ResponseIncompleteError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_RESPONSE_INCOMPLETE', message, options)
  }
}

/** A response did not match what the step expected (status). Counted as an error during load. */
export class UnexpectedStatusError extends HuntError {
  constructor(message: string) {
    super('HUNT_ERR_UNEXPECTED_STATUS', message)
  }
}

/** The run was aborted through its AbortSignal before it could produce a report. */
export class AbortedError extends HuntError {
  constructor(message = 'the hunt was aborted') {
    super('HUNT_ERR_ABORTED', message)
  }
}

/** Marker options cannot build an index: no columns, a column no account has, or a bad minimum length. */
export class MarkersInvalidError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_MARKERS_INVALID', message, options)
  }
}

/** `workers`: the worker processes could not start (the pool never became ready). */
export class WorkersStartError extends HuntError {
  constructor(workers: number, cause: unknown) {
    super(
      'HUNT_ERR_WORKERS_START',
      `${workers} worker process(es) could not start: ${(cause as Error).message ?? String(cause)}`,
      { cause }
    )
  }
}

/** `merge`: a file is not a shard's report, or the shards are not of one run. */
export class MergeInvalidError extends HuntError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HUNT_ERR_MERGE_INVALID', message, options)
  }
}

/**
 * A coordinated run (`coordinate`, `agent`) could not go ahead: Redis unreachable
 * (HUNT_ERR_REDIS_UNREACHABLE), or the agents did not join or do not match (HUNT_ERR_COORDINATION).
 */
export class CoordinationError extends HuntError {
  constructor(
    code: 'HUNT_ERR_COORDINATION' | 'HUNT_ERR_REDIS_UNREACHABLE',
    message: string,
    options?: { cause?: unknown }
  ) {
    super(code, message, options)
  }
}
