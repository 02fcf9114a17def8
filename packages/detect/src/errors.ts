// Every error the package throws carries a stable `code`; callers and tests match the code, never the text.

export class DetectError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** IndexOptions or ScanOptions are invalid; `field` names the option, e.g. `ids[0].column`. */
export class OptionsInvalidError extends DetectError {
  readonly field: string
  constructor(field: string, problem: string) {
    super('DETECT_ERR_OPTIONS_INVALID', `${field}: ${problem}`)
    this.field = field
  }
}

/** An identity cannot be indexed: no id, an id given twice, a marker value that is not a string. */
export class IdentityInvalidError extends DetectError {
  readonly id: string | undefined
  constructor(id: string | undefined, problem: string) {
    super(
      'DETECT_ERR_IDENTITY_INVALID',
      id === undefined ? problem : `identity "${id}": ${problem}`
    )
    this.id = id
  }
}

/** An allowlist rule cannot be used; `field` is the rule's kind. */
export class AllowlistInvalidError extends DetectError {
  readonly field: 'text' | 'selector' | 'json'
  constructor(field: 'text' | 'selector' | 'json', problem: string) {
    super('DETECT_ERR_ALLOWLIST_INVALID', `allowlist ${field}: ${problem}`)
    this.field = field
  }
}

/** ScanResult.text() after the state (or cache) it came from scanned another body. */
export class StaleResultError extends DetectError {
  constructor() {
    super(
      'DETECT_ERR_STALE_RESULT',
      'this scan result text() was overwritten: its ScanState or ScanCache has scanned another body since; call text() before the next scan'
    )
  }
}

/** A background build was aborted through its signal. */
export class AbortedError extends DetectError {
  constructor(reason?: unknown) {
    super('DETECT_ERR_ABORTED', 'the index build was aborted', { cause: reason })
  }
}

/** The build worker failed or exited before it answered. */
export class BuildFailedError extends DetectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DETECT_ERR_BUILD_FAILED', message, options)
  }
}

/** A LiveIndex was changed after close(). */
export class ClosedError extends DetectError {
  constructor() {
    super('DETECT_ERR_CLOSED', 'the live index is closed')
  }
}
