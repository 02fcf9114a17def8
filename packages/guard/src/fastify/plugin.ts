// The Fastify plugin: one onSend hook on the root instance. Global onSend hooks run before the
// route-level ones @fastify/compress adds, so the guard sees the payload before compression; it
// must run after @fastify/cookie's (which turns reply.setCookie() into Set-Cookie headers), so the
// cookie plugin must be registered first (checked at ready: GUARD_ERR_PLUGIN_ORDER).
import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify'
import { GuardBlockedError, GuardPluginOrderError } from '../errors.js'
import type { GuardCore, ResponseHead, Subject } from '../guard-core.js'
import { pathOf } from '../guard-core.js'
import type { Identities } from '../identities.js'
import type { AllowlistRule } from '../options.js'
import type { LeakReason } from '../report/diagnostics.js'
import { GuardStream } from './guard-stream.js'

export interface FastifyGuardOptions {
  /** Who a response is for, called once in onSend; default: what guard.identify(request, ...) set. */
  identify?: (request: FastifyRequest, reply: FastifyReply) => unknown
  /** Require the owner's marker in 2xx bodies; a route's `config.guard.expectOwner` overrides it. */
  expectOwner?: boolean | ((request: FastifyRequest) => boolean)
}

/** Per-route settings, as `config: { guard: { ... } }` or `config: { guard: false }` to skip a route. */
export interface FastifyRouteGuardConfig {
  expectOwner?: boolean
  /** What may name other users on this route, with the guard's own `allowlist`. */
  allowlist?: readonly AllowlistRule[]
}

const BLOCKED = Symbol('crosstalk.guard.blocked')

type GuardedRequest = FastifyRequest & { [BLOCKED]?: true }

export function createFastifyPlugin(
  core: GuardCore,
  identities: Identities
): FastifyPluginCallback<FastifyGuardOptions> {
  const plugin: FastifyPluginCallback<FastifyGuardOptions> = (
    app: FastifyInstance,
    options,
    done
  ) => {
    const cookieFirst = app.hasPlugin('@fastify/cookie')
    app.addHook('onReady', (ready) => {
      if (!cookieFirst && app.hasPlugin('@fastify/cookie') && core.config.sessionCookies.size > 0) {
        ready(
          new GuardPluginOrderError(
            'register @fastify/cookie before the guard, or its Set-Cookie headers are not checked'
          )
        )
        return
      }
      ready()
    })
    // A route's allowlist is compiled as the route is added: a bad rule fails at start-up.
    app.addHook('onRoute', (route) => {
      const rules = (route.config as { guard?: FastifyRouteGuardConfig | false } | undefined)?.guard
      if (rules !== undefined && rules !== false && rules.allowlist !== undefined) {
        core.routeAllowlist(
          rules.allowlist,
          `${[route.method].flat().join(',')} ${route.url}: allowlist`
        )
      }
    })
    if (core.config.mode !== 'off') {
      app.addHook('onSend', (request, reply, payload) =>
        onSend(core, identities, options, request as GuardedRequest, reply, payload)
      )
    }
    done()
  }
  // What fastify-plugin does: hooks reach the whole app, and hasPlugin() knows the name.
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@crosstalk/guard',
    [Symbol.for('plugin-meta')]: { name: '@crosstalk/guard', fastify: '5.x' },
  })
  return plugin
}

async function onSend(
  core: GuardCore,
  identities: Identities,
  options: FastifyGuardOptions,
  request: GuardedRequest,
  reply: FastifyReply,
  payload: unknown
): Promise<unknown> {
  if (request[BLOCKED] === true) {
    // The app's error page for a response the guard withheld: none of the route's cookies.
    reply.removeHeader('set-cookie')
    reply.raw.removeHeader('set-cookie')
    return payload
  }
  const route = (
    request.routeOptions.config as { guard?: FastifyRouteGuardConfig | false } | undefined
  )?.guard
  if (route === false) {
    return payload
  }
  const head: ResponseHead = {
    method: request.method,
    path: pathOf(request.url),
    status: reply.statusCode,
    header: (name) => reply.getHeader(name),
  }
  // Headers on reply.raw (set around the route: security headers) stay on a blocked response;
  // every header the route set through reply goes, and Set-Cookie.
  const block = (): void => {
    request[BLOCKED] = true
    stripHeaders(reply)
  }
  let subject: Subject
  try {
    const identified =
      options.identify !== undefined
        ? await options.identify(request, reply)
        : identities.of(request.raw)
    subject = core.admit(
      identified,
      expectOwner(options, route, request),
      request.headers.cookie,
      route?.allowlist
    )
    const plan = core.head(subject, head)
    if (plan.reasons.length > 0 && core.config.mode === 'block') {
      core.leak(subject, head, plan.reasons, [], 'blocked')
      block()
      throw new GuardBlockedError(plan.reasons)
    }
    if (!plan.scan || payload === null || payload === undefined) {
      report(core, subject, head, plan.reasons)
      return payload
    }
    if (core.encodingOf(head) !== undefined) {
      report(core, subject, head, plan.reasons)
      if (core.unchecked(subject, head, 'encoded') === 'fail-closed') {
        block()
        throw new GuardBlockedError(['unchecked-encoded'])
      }
      return payload
    }
    if (typeof payload === 'string' || payload instanceof Uint8Array) {
      // Buffered: whole in memory already, so scanned whole whatever its size. A string is
      // encoded once, here: the scan reads those bytes and Fastify sends them (rather than
      // encoding the string again, and measuring it, to send it).
      const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
      const verdict = core.verdict(subject, head, await core.scanBody(subject, head, bytes))
      const reasons = [...plan.reasons, ...verdict.reasons]
      if (reasons.length > 0) {
        core.leak(
          subject,
          head,
          reasons,
          verdict.foreign,
          core.config.mode === 'block' ? 'blocked' : 'reported'
        )
        if (core.config.mode === 'block') {
          block()
          throw new GuardBlockedError(reasons)
        }
      }
      return bytes
    }
    const stream = asNodeStream(payload)
    if (stream === undefined) {
      // A fetch Response or another payload Fastify unwraps later: not seen here.
      report(core, subject, head, plan.reasons)
      if (core.unchecked(subject, head, 'encoded') === 'fail-closed') {
        block()
        throw new GuardBlockedError(['unchecked-payload'])
      }
      return payload
    }
    const guarded = new GuardStream(core, subject, head, {
      beforeBlock: block,
      headReasons: plan.reasons,
    })
    stream.on('error', (err) => guarded.destroy(err))
    return stream.pipe(guarded)
  } catch (err) {
    if (err instanceof GuardBlockedError) {
      throw err
    }
    if (core.failure(head, err) === 'fail-closed') {
      block()
      throw new GuardBlockedError(['guard-error'])
    }
    return payload
  }
}

function expectOwner(
  options: FastifyGuardOptions,
  route: FastifyRouteGuardConfig | undefined,
  request: FastifyRequest
): boolean {
  if (route?.expectOwner !== undefined) {
    return route.expectOwner
  }
  const e = options.expectOwner
  return typeof e === 'function' ? e(request) : (e ?? false)
}

function report(
  core: GuardCore,
  subject: Subject,
  head: ResponseHead,
  reasons: readonly LeakReason[]
): void {
  if (reasons.length > 0) {
    core.leak(subject, head, reasons, [], 'reported')
  }
}

function asNodeStream(payload: unknown): Readable | undefined {
  const p = payload as { pipe?: unknown; getReader?: unknown }
  if (typeof p.pipe === 'function') {
    return payload as Readable
  }
  if (typeof p.getReader === 'function') {
    return Readable.fromWeb(payload as Parameters<typeof Readable.fromWeb>[0])
  }
  return undefined
}

/** Every header the route set through reply goes, and Set-Cookie from reply.raw too. */
function stripHeaders(reply: FastifyReply): void {
  for (const name of Object.keys(reply.getHeaders())) {
    reply.removeHeader(name)
  }
  if (!reply.raw.headersSent) {
    reply.raw.removeHeader('set-cookie')
  }
}
