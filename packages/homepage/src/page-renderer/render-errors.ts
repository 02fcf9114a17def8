import {
  HomeBadRequestError,
  HomeError,
  HomeRendererUnavailableError,
  HomeRenderTimeoutError,
} from '../errors.js'

// ipc-rpc errors are matched by code (a string), so this file does not depend on its classes.
function codeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    return typeof err.code === 'string' ? err.code : undefined
  }
  return undefined
}

/** Turns whatever a renderer transport rejected with into the HomeError the server expects. */
export function toRenderError(err: unknown, timeoutMs: number): HomeError {
  if (err instanceof HomeError) {
    return err
  }
  const code = codeOf(err)
  if (code === 'RPC_ERR_TIMEOUT') {
    return new HomeRenderTimeoutError(`renderer did not answer within ${timeoutMs} ms`, {
      cause: err,
    })
  }
  if (code === 'RPC_ERR_REMOTE') {
    const remoteName = (err as { remoteName?: unknown }).remoteName
    if (remoteName === 'BadRenderRequestError') {
      return new HomeBadRequestError('renderer refused a malformed render request', { cause: err })
    }
  }
  // Peer gone, pool closed or failing, queue full, aborted, or a renderer bug: no page was made.
  const what = code ?? (err instanceof Error ? err.name : 'unknown error')
  return new HomeRendererUnavailableError(`renderer unavailable (${what})`, { cause: err })
}

export function renderTimeoutError(timeoutMs: number): HomeRenderTimeoutError {
  return new HomeRenderTimeoutError(`renderer did not answer within ${timeoutMs} ms`)
}

export function abortedError(signal: AbortSignal): HomeRendererUnavailableError {
  return new HomeRendererUnavailableError('render aborted by the caller', {
    cause: signal.reason,
  })
}
