// One render waiting on a plain-IPC child (naive mode, fifo-timeout fault): it settles once, with
// the child's message, the deadline, the caller's abort, or a failure. How a message is matched to
// a waiting render is each mode's own business (and its bug); this is only the waiting.
import type { ChildProcess } from 'node:child_process'
import { HomeRendererUnavailableError } from '../errors.js'
import type { RenderReply, RenderRequest } from '../render-contract/types.js'
import { abortedError, renderTimeoutError } from './render-errors.js'

export interface PendingRender {
  readonly promise: Promise<RenderReply>
  /** Settles with a child's message: a RenderReply, or `{ error }` when the render threw. */
  answer(message: unknown): void
  fail(err: Error): void
}

export interface PendingRenderOptions {
  timeoutMs: number
  signal: AbortSignal | undefined
  /** Runs once, however the render settles: detach listeners, leave queues. */
  onSettle(): void
  onTimeout(): void
}

export function pendingRender(options: PendingRenderOptions): PendingRender {
  let settled = false
  let resolvePromise!: (reply: RenderReply) => void
  let rejectPromise!: (err: Error) => void
  const promise = new Promise<RenderReply>((resolve, reject) => {
    resolvePromise = resolve
    rejectPromise = reject
  })
  const settle = (): boolean => {
    if (settled) {
      return false
    }
    settled = true
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
    options.onSettle()
    return true
  }
  const pending: PendingRender = {
    promise,
    answer(message) {
      if (!settle()) {
        return
      }
      const reply = message as Partial<RenderReply> & { error?: unknown }
      if (typeof reply.html === 'string' && typeof reply.renderedFor === 'number') {
        resolvePromise({ html: reply.html, renderedFor: reply.renderedFor })
      } else {
        rejectPromise(new HomeRendererUnavailableError(`renderer failed: ${String(reply.error)}`))
      }
    },
    fail(err) {
      if (settle()) {
        rejectPromise(err)
      }
    },
  }
  const onAbort = (): void => {
    pending.fail(abortedError(options.signal as AbortSignal))
  }
  const timer = setTimeout(() => {
    options.onTimeout()
    pending.fail(renderTimeoutError(options.timeoutMs))
  }, options.timeoutMs)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  return pending
}

/** Sends the request; a failed write fails the render with a 503. */
export function sendRender(child: ChildProcess, req: RenderRequest, pending: PendingRender): void {
  child.send(req, (err) => {
    if (err !== null) {
      pending.fail(
        new HomeRendererUnavailableError(`renderer ${String(child.pid)}: ${err.message}`)
      )
    }
  })
}

export function rendererGone(child: ChildProcess, why: string): HomeRendererUnavailableError {
  return new HomeRendererUnavailableError(`renderer ${String(child.pid)} is gone (${why})`)
}
