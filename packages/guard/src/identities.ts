// Identities set by the application for a request (guard.identify(req, identity)), read back by
// the adapters' default identify hook. Keyed by the node:http request, so a Fastify request and
// its raw request are the same key, and nothing outlives the request.
import type { IncomingMessage } from 'node:http'

export class Identities {
  readonly #byRequest = new WeakMap<object, unknown>()

  set(request: IncomingMessage | { raw: IncomingMessage }, identity: unknown): void {
    this.#byRequest.set(keyOf(request), identity)
  }

  of(request: IncomingMessage): unknown {
    return this.#byRequest.get(request)
  }
}

function keyOf(request: IncomingMessage | { raw: IncomingMessage }): object {
  return 'raw' in request && typeof request.raw === 'object' ? request.raw : request
}
