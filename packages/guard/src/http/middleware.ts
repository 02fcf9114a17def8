// node:http and Express/Connect: guard one response (protect), or every response (middleware).
// Mount the middleware after compression() (so it wraps the response before compression does and
// sees the body first) and before the routes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { GuardCore } from '../guard-core.js'
import { pathOf } from '../guard-core.js'
import type { Identities } from '../identities.js'
import type { AllowlistRule } from '../options.js'
import { guardResponse } from './guarded-response.js'

export interface HttpGuardOptions<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> {
  /** Who a response is for, called once at its first output; default: what guard.identify(req, ...) set. */
  identify?: (req: Req, res: Res) => unknown
  /** Require the owner's marker in 2xx bodies. */
  expectOwner?: boolean | ((req: Req, res: Res) => boolean)
  /** What may name other users on the responses guarded here, with the guard's own `allowlist`. */
  allowlist?: readonly AllowlistRule[]
}

export type Middleware<Req extends IncomingMessage, Res extends ServerResponse> = (
  req: Req,
  res: Res,
  next?: (err?: unknown) => void
) => void

export function protect<Req extends IncomingMessage, Res extends ServerResponse>(
  core: GuardCore,
  identities: Identities,
  req: Req,
  res: Res,
  options: HttpGuardOptions<Req, Res> = {}
): void {
  if (core.config.mode === 'off' || core.closed) {
    return
  }
  const { identify, expectOwner, allowlist } = options
  guardResponse(core, req, res, {
    allowlist,
    identify: identify === undefined ? () => identities.of(req) : () => identify(req, res),
    expectOwner:
      typeof expectOwner === 'function' ? () => expectOwner(req, res) : () => expectOwner ?? false,
  })
}

export function middleware<Req extends IncomingMessage, Res extends ServerResponse>(
  core: GuardCore,
  identities: Identities,
  options: HttpGuardOptions<Req, Res> = {}
): Middleware<Req, Res> {
  if (options.allowlist !== undefined) {
    // Compiled now: a bad rule fails where the middleware is created.
    core.routeAllowlist(options.allowlist, 'middleware allowlist')
  }
  return (req, res, next) => {
    try {
      protect(core, identities, req, res, options)
    } catch (err) {
      // Never take the server down: counted, logged, and failed closed or open as configured.
      if (
        core.failure({ method: req.method ?? 'GET', path: pathOf(req.url), status: 0 }, err) ===
        'fail-closed'
      ) {
        res.writeHead(500, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
        })
        res.end(core.config.blockedBody)
        return
      }
    }
    next?.()
  }
}
