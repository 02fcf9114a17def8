// The serving half of an endpoint: runs handlers for the other side's requests, replies, and turns
// cancel messages (and channel close) into the handler's CallContext.signal firing.
import { MethodNotFoundError, UnserializableError } from '../errors.js'
import { encodeError, markLibraryError } from '../protocol/error-codec.js'
import { errorMessage, resultMessage } from '../protocol/envelope.js'
import type { Outbox, Unsendable } from './outbox.js'
import type { Serialization } from './transport.js'
import type { Api, CallContext, Handlers } from './types.js'

type AnyHandler = (...args: unknown[]) => unknown

/**
 * The CallContext a handler receives; the AbortController is only built if `signal` is read. It is
 * also what the outbox tells when the reply cannot be serialized.
 */
class IncomingCall implements CallContext, Unsendable {
  #controller: AbortController | undefined = undefined
  aborted = false
  #reason: unknown = undefined
  constructor(
    readonly owner: IncomingCalls,
    readonly callId: number,
    readonly method: string
  ) {}

  unsendable(err: unknown): void {
    this.owner.replyUnsendable(this.callId, this.method, err)
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.aborted) {
        this.#controller.abort(this.#reason)
      }
    }
    return this.#controller.signal
  }

  abort(reason: unknown): void {
    if (this.aborted) {
      return
    }
    this.aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

export class IncomingCalls {
  readonly #handlers = new Map<string, AnyHandler>()
  readonly #handlerThis: unknown
  readonly #active = new Map<number, IncomingCall>()
  readonly #outbox: Outbox
  readonly #serialization: Serialization
  #closed = false

  constructor(handlers: Handlers<Api> | undefined, outbox: Outbox, serialization: Serialization) {
    this.#handlerThis = handlers
    // Own enumerable functions only, so "toString" or "__proto__" never reach Object.prototype.
    for (const [name, fn] of Object.entries(handlers ?? {})) {
      if (typeof fn === 'function') {
        this.#handlers.set(name, fn as AnyHandler)
      }
    }
    this.#outbox = outbox
    this.#serialization = serialization
  }

  get active(): number {
    return this.#active.size
  }

  handle(id: number, method: string, args: unknown[]): void {
    const handler = this.#handlers.get(method)
    if (handler === undefined) {
      this.#sendError(id, markLibraryError(new MethodNotFoundError(method, id)))
      return
    }
    const ctx = new IncomingCall(this, id, method)
    args.push(ctx)
    let result: unknown
    try {
      result = Reflect.apply(handler, this.#handlerThis, args)
    } catch (err) {
      this.#finishError(ctx, err)
      return
    }
    if (isThenable(result)) {
      // Only calls that outlive this tick can be cancelled, so only they enter the map.
      this.#active.set(id, ctx)
      void this.#awaitResult(ctx, result)
    } else {
      this.#finish(ctx, result)
    }
  }

  cancel(id: number, reason: Error): void {
    const ctx = this.#active.get(id)
    if (ctx !== undefined) {
      this.#active.delete(id)
      ctx.abort(reason)
    }
  }

  /** The channel is gone or closed: every running handler sees its signal fire; no more replies. */
  closeAll(reason: Error): void {
    this.#closed = true
    const active = [...this.#active.values()]
    this.#active.clear()
    for (const ctx of active) {
      ctx.abort(reason)
    }
  }

  async #awaitResult(ctx: IncomingCall, pending: PromiseLike<unknown>): Promise<void> {
    let result: unknown
    try {
      result = await pending
    } catch (err) {
      this.#finishError(ctx, err)
      return
    }
    this.#finish(ctx, result)
  }

  #finish(ctx: IncomingCall, result: unknown): void {
    // A cancelled call gets no reply: the caller has already given up on it.
    if (ctx.aborted || this.#closed) {
      return
    }
    this.#active.delete(ctx.callId)
    this.#outbox.push(resultMessage(ctx.callId, result), ctx)
  }

  replyUnsendable(id: number, method: string, err: unknown): void {
    this.#sendError(id, markLibraryError(new UnserializableError(method, 'reply', err, id)))
  }

  #finishError(ctx: IncomingCall, thrown: unknown): void {
    if (ctx.aborted || this.#closed) {
      return
    }
    this.#active.delete(ctx.callId)
    this.#sendError(ctx.callId, thrown)
  }

  #sendError(id: number, thrown: unknown): void {
    if (this.#closed) {
      return
    }
    let encoded
    try {
      encoded = encodeError(thrown, this.#serialization)
    } catch (err) {
      encoded = encodeError(
        markLibraryError(new UnserializableError('?', 'reply', err, id)),
        'json'
      )
    }
    this.#outbox.push(errorMessage(id, encoded), new ErrorReply(this.#outbox, id))
  }
}

/** An encoded error the serializer still refuses: the caller gets a plain one, never a hang. */
class ErrorReply implements Unsendable {
  constructor(
    readonly outbox: Outbox,
    readonly id: number
  ) {}

  unsendable(err: unknown): void {
    const fallback = markLibraryError(new UnserializableError('?', 'reply', err, this.id))
    this.outbox.push(errorMessage(this.id, encodeError(fallback, 'json')), undefined)
  }
}
