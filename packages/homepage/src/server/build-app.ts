// Assembles the Fastify app: stores, sessions, renderer pool, security, routes. Never listens.
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import fastifyStatic from '@fastify/static'
import type { Guard, GuardMode } from '@crosstalk/guard'
import Fastify from 'fastify'
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { HashGate } from '../auth/hash-gate.js'
import { LoginThrottle } from '../auth/login-throttle.js'
import { OWASP_WORK } from '../auth/password.js'
import { SessionManager } from '../auth/session-manager.js'
import type { AppOptions } from '../config.js'
import { resolveConfig } from '../config.js'
import { HomeError, HomeNotFoundError, HomeRetryLaterError } from '../errors.js'
import { clientAssetsDir, createPageRenderer } from '../page-renderer/index.js'
import type { PageRenderer } from '../page-renderer/index.js'
import { openDatabase } from '../store/database.js'
import type { Stores } from '../store/open-stores.js'
import { openStores } from '../store/open-stores.js'
import { UserStore } from '../store/user-store.js'
import type { AppContext } from './app-context.js'
import { registerAuthRoutes } from './auth-routes.js'
import { createHomeGuard } from './home-guard.js'
import { registerHomeRoutes } from './home-routes.js'
import { errorPage } from './login-page.js'
import { NO_STORE, registerSecurity } from './security.js'

const SWEEP_INTERVAL_MS = 60_000
const INCIDENTS = new Set(['render-mismatch', 'guard'])
// esbuild names bundles `name-HASH.ext`: those can be cached for good.
const HASHED_ASSET = /-[A-Z0-9]{8}\.[a-z0-9]+$/

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const config = resolveConfig(options)
  // Events go to the caller's onEvent and to the app's logger (bound once the app exists).
  const logRef: { log?: FastifyBaseLogger } = {}
  const emit = (event: string, fields: Record<string, unknown>): void => {
    options.onEvent?.(event, fields)
    const level = INCIDENTS.has(event) ? 'error' : 'info'
    logRef.log?.[level]({ event, ...fields }, event)
  }
  const db = openDatabase(config.db)
  let stores: Stores | undefined
  let renderer: PageRenderer | undefined
  const guard = openGuard(config.guard, config.sessionIdleMs, emit)
  try {
    const rl = config.rateLimit
    stores = await openStores(db, {
      redisUrl: config.redisUrl,
      redisPrefix: config.redisPrefix,
      throttle: rl === false ? null : rl,
    })
    renderer = await (options.createRenderer ?? createPageRenderer)({
      ...config.renderer,
      log: emit,
    })
    const ctx: AppContext = {
      config,
      users: new UserStore(db),
      sessions: new SessionManager({
        store: stores.sessions,
        idleMs: config.sessionIdleMs,
        absoluteMs: config.sessionAbsoluteMs,
        clock: config.clock,
      }),
      renderer,
      throttle:
        rl === false || stores.attempts === null
          ? null
          : new LoginThrottle(stores.attempts, rl, config.clock),
      hashGate: new HashGate({
        concurrency: config.hashing.concurrency,
        maxQueuedWork: config.hashing.queue * OWASP_WORK,
        waitMs: config.hashing.waitMs,
      }),
      loginFormKey: stores.loginFormKey,
      emit,
      guard,
    }
    const opened = stores
    const app = await assemble(ctx, options, async () => {
      try {
        await opened.close()
      } finally {
        db.close()
      }
    })
    logRef.log = app.log
    return app
  } catch (err) {
    // Nothing may outlive a failed build: no renderer children, no Redis socket, no open file.
    await renderer?.close().catch(() => {})
    await stores?.close()
    db.close()
    guard?.close()
    throw err
  }
}

async function assemble(
  ctx: AppContext,
  options: AppOptions,
  closeStores: () => Promise<void>
): Promise<FastifyInstance> {
  const { requestTimeoutMs, headersTimeoutMs } = ctx.config
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024,
    trustProxy: ctx.config.trustProxy,
    // A slow client (one byte every few seconds) cannot hold a connection: 408 and close. Node
    // checks these timeouts every connectionsCheckingInterval (30 s by default; 1 s here).
    requestTimeout: requestTimeoutMs,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
  })
  await registerSecurity(app, { secure: ctx.config.secureCookies })
  await app.register(cookie)
  if (ctx.guard !== undefined) {
    // After @fastify/cookie, so its Set-Cookie headers are checked too.
    await app.register(ctx.guard.fastify)
  }
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  await app.register(fastifyStatic, {
    root: clientAssetsDir,
    prefix: '/assets/',
    index: false,
    dotfiles: 'ignore',
    wildcard: true,
    cacheControl: false,
    setHeaders(reply, path) {
      void reply.header(
        'cache-control',
        HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'public, max-age=300'
      )
    },
  })

  registerAuthRoutes(app, ctx)
  registerHomeRoutes(app, ctx)

  // Registered last, so a failure above leaves nothing running (buildApp cleans up the rest).
  const sweep = setInterval(() => {
    ctx.sessions.sweep().catch((err: unknown) => app.log.error({ err }, 'session sweep failed'))
    ctx.throttle?.sweep().catch((err: unknown) => app.log.error({ err }, 'throttle sweep failed'))
  }, SWEEP_INTERVAL_MS)
  sweep.unref()
  app.addHook('onClose', async () => {
    clearInterval(sweep)
    if (ctx.guard !== undefined) {
      // The guard's counters, once, for whoever watches the log (the e2e tests do).
      ctx.emit('guard-stats', { ...ctx.guard.stats() })
      ctx.guard.close()
    }
    try {
      await ctx.renderer.close()
    } finally {
      await closeStores()
    }
  })

  app.setNotFoundHandler((request, reply) => {
    // Never a catch-all page: /home.css or /api/me.css must not return personal content.
    const err = new HomeNotFoundError(`no route for ${request.method} ${request.url}`)
    sendError(request.url, reply.code(404), err.code, 'Not found')
  })

  app.setErrorHandler((error: FastifyError | HomeError, request, reply) => {
    const home = error instanceof HomeError ? error : null
    const raw = home?.statusCode ?? error.statusCode ?? 500
    const status = raw >= 400 && raw < 600 ? raw : 500
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
    }
    if (home instanceof HomeRetryLaterError) {
      void reply.header('retry-after', String(home.retryAfterSeconds))
    }
    const code = home?.code ?? (status >= 500 ? 'HOME_ERR' : 'HOME_ERR_BAD_REQUEST')
    const message = home !== null || status < 500 ? error.message : 'Internal server error'
    sendError(request.url, reply.code(status), code, message)
  })
  return app
}

function sendError(url: string, reply: FastifyReply, code: string, message: string): void {
  void reply.header('cache-control', NO_STORE)
  if (url.startsWith('/api/')) {
    void reply.type('application/json; charset=utf-8').send({ error: { code, message } })
  } else {
    void reply.type('text/html; charset=utf-8').send(errorPage(reply.statusCode, code, message))
  }
}

/** The guard for `mode` (a given Guard is used as is); its log lines become 'guard' events. */
function openGuard(
  mode: GuardMode | Guard,
  ttlMs: number,
  emit: (event: string, fields: Record<string, unknown>) => void
): Guard | undefined {
  if (typeof mode !== 'string') {
    return mode
  }
  if (mode === 'off') {
    return undefined
  }
  return createHomeGuard({
    mode,
    ttlMs,
    log: (_level, fields, message) => emit('guard', { ...(fields.guard as object), message }),
  })
}
