// Assembles the Fastify app: stores, sessions, renderer pool, security, routes. Never listens.
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import fastifyStatic from '@fastify/static'
import Fastify from 'fastify'
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { FailureLimiter } from '../auth/failure-limiter.js'
import { SessionManager } from '../auth/session-manager.js'
import type { AppOptions } from '../config.js'
import { resolveConfig } from '../config.js'
import { HomeError, HomeNotFoundError, HomeRateLimitedError } from '../errors.js'
import { clientAssetsDir, createPageRenderer } from '../render/index.js'
import type { PageRenderer, PageRendererOptions } from '../render/index.js'
import { openDatabase } from '../store/database.js'
import { RedisSessionStore } from '../store/redis-session-store.js'
import type { SessionStore } from '../store/session-store.js'
import { SqliteSessionStore } from '../store/sqlite-session-store.js'
import { UserStore } from '../store/user-store.js'
import type { AppContext } from './app-context.js'
import { registerAuthRoutes } from './auth-routes.js'
import { registerHomeRoutes } from './home-routes.js'
import { errorPage } from './login-page.js'
import { NO_STORE, registerSecurity } from './security.js'

const SWEEP_INTERVAL_MS = 60_000
const INCIDENTS = new Set(['render-mismatch'])
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
  let store: SessionStore | undefined
  let renderer: PageRenderer | undefined
  try {
    store =
      config.redisUrl === undefined
        ? new SqliteSessionStore(db)
        : await RedisSessionStore.connect({ url: config.redisUrl, prefix: config.redisPrefix })
    const rendererOptions: PageRendererOptions = {
      mode: config.ipc,
      renderers: config.renderers,
      production: config.production,
      renderTimeoutMs: config.renderTimeoutMs,
      log: emit,
      ...(config.fault === undefined ? {} : { fault: config.fault }),
      ...(config.renderDelayMs === undefined ? {} : { renderDelayMs: config.renderDelayMs }),
    }
    renderer = await (options.createRenderer ?? createPageRenderer)(rendererOptions)
    const ctx: AppContext = {
      config,
      users: new UserStore(db),
      sessions: new SessionManager({
        store,
        idleMs: config.sessionIdleMs,
        absoluteMs: config.sessionAbsoluteMs,
        clock: config.clock,
      }),
      renderer,
      limiters:
        config.rateLimit === false
          ? null
          : {
              ip: new FailureLimiter({
                max: config.rateLimit.perIp,
                windowMs: config.rateLimit.windowMs,
                clock: config.clock,
              }),
              account: new FailureLimiter({
                max: config.rateLimit.perAccount,
                windowMs: config.rateLimit.windowMs,
                clock: config.clock,
              }),
            },
      emit,
    }
    const app = await assemble(ctx, options, () => {
      db.close()
    })
    logRef.log = app.log
    return app
  } catch (err) {
    // Nothing may outlive a failed build: no renderer children, no Redis socket, no open file.
    await renderer?.close().catch(() => {})
    await store?.close()
    db.close()
    throw err
  }
}

async function assemble(
  ctx: AppContext,
  options: AppOptions,
  closeDb: () => void
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024,
    trustProxy: ctx.config.trustProxy,
  })
  await registerSecurity(app, { secure: ctx.config.secureCookies })
  await app.register(cookie)
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
  }, SWEEP_INTERVAL_MS)
  sweep.unref()
  app.addHook('onClose', async () => {
    clearInterval(sweep)
    try {
      await ctx.renderer.close()
    } finally {
      await ctx.sessions.store.close()
      closeDb()
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
    if (home instanceof HomeRateLimitedError) {
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
