// createGuard(): one guard per process, shared by every adapter it is mounted with.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyPluginCallback } from 'fastify'
import type { BodyScanner } from './detection/body-scanner.js'
import { createDetectScanner } from './detection/detect-scanner.js'
import { withScanThread } from './detection/scan-thread.js'
import { GuardClosedError } from './errors.js'
import type { FastifyGuardOptions } from './fastify/plugin.js'
import { createFastifyPlugin } from './fastify/plugin.js'
import { GuardCore } from './guard-core.js'
import type { HttpGuardOptions, Middleware } from './http/middleware.js'
import { middleware, protect } from './http/middleware.js'
import { Identities } from './identities.js'
import type { Identity } from './identity/identity.js'
import { resolveIdentity } from './identity/identity.js'
import type { GuardConfig, GuardMode, GuardOptions } from './options.js'
import { resolveOptions } from './options.js'
import type { GuardStats } from './report/stats.js'

export interface Guard {
  readonly mode: GuardMode
  /** The Fastify plugin: `await app.register(guard.fastify, { identify })`, after @fastify/cookie. */
  readonly fastify: FastifyPluginCallback<FastifyGuardOptions>
  /** node:http / Express / Connect middleware: `app.use(guard.middleware({ identify }))`, after compression(). */
  middleware<
    Req extends IncomingMessage = IncomingMessage,
    Res extends ServerResponse = ServerResponse,
  >(
    options?: HttpGuardOptions<Req, Res>
  ): Middleware<Req, Res>
  /** Guards one node:http response: call at the top of the request handler. */
  protect<Req extends IncomingMessage, Res extends ServerResponse>(
    req: Req,
    res: Res,
    options?: HttpGuardOptions<Req, Res>
  ): void
  /** Says who a request's response is for (what the default identify hook returns for it). */
  identify(
    request: IncomingMessage | { raw: IncomingMessage },
    identity: Identity | undefined
  ): void
  /** Marks an identity active now without a request (a login, a warm start). */
  activate(identity: Identity): void
  /** Removes an identity from the registry (logout, account deleted): its markers stop counting. */
  forget(id: string | number): boolean
  /** Counters and registry figures; a copy. */
  stats(): GuardStats
  /** Resolves once every identity change so far is in the rebuilt index. */
  ready(): Promise<void>
  /** Stops the sweep timer and background index work; responses after it pass unguarded. */
  close(): void
}

export function createGuard(options: GuardOptions): Guard {
  return createGuardWith(resolveOptions(options), (config) => {
    const local = createDetectScanner(config)
    return config.threadBytes === false ? local : withScanThread(local, config, config.threadBytes)
  })
}

/** A guard over a given scanner: the seam the guard's own tests use. */
export function createGuardWith(
  config: GuardConfig,
  scanner: (config: GuardConfig) => BodyScanner
): Guard {
  const core = new GuardCore(config, scanner(config))
  const identities = new Identities()
  return {
    mode: config.mode,
    fastify: createFastifyPlugin(core, identities),
    middleware: (o) => middleware(core, identities, o),
    protect: (req, res, o) => protect(core, identities, req, res, o),
    identify: (request, identity) => identities.set(request, identity),
    activate: (identity) => {
      if (core.closed) {
        throw new GuardClosedError()
      }
      const resolved = resolveIdentity(identity)
      if (resolved !== undefined) {
        core.registry.touch(resolved, config.clock())
      }
    },
    forget: (id) => core.registry.forget(String(id)),
    stats: () => core.stats(),
    ready: () => core.flush(),
    close: () => core.close(),
  }
}
