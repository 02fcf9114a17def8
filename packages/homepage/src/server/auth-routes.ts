// GET /login, POST /login, POST /logout: the pre-login session, CSRF, rate limits, rotation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { dummyHash, verifyPassword } from '../auth/password.js'
import type { ActiveSession } from '../auth/session-manager.js'
import { createCsrfToken, verifyCsrfToken } from '../auth/tokens.js'
import { HomeBadCredentialsError, HomeCsrfError, HomeRateLimitedError } from '../errors.js'
import type { HomeError } from '../errors.js'
import type { AppContext } from './app-context.js'
import { clearSessionCookie, loadSession, setSessionCookie } from './app-context.js'
import { loginPage } from './login-page.js'
import { assertSameOrigin } from './security.js'

const MAX_USERNAME = 200
const MAX_PASSWORD = 1024

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined
  }
  const value = (body as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** The form's `_csrf` field, or the `x-csrf-token` header for scripted clients. */
export function csrfTokenOf(request: FastifyRequest): unknown {
  return field(request.body, '_csrf') ?? request.headers['x-csrf-token']
}

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  async function ensureSession(
    request: FastifyRequest,
    reply: FastifyReply
  ): Promise<ActiveSession> {
    const existing = await loadSession(ctx, request)
    if (existing !== null) {
      return existing
    }
    // A pre-login session carries the login form's CSRF secret (login CSRF defence).
    const created = await ctx.sessions.create(null)
    setSessionCookie(ctx, reply, created.id)
    return created
  }

  function sendForm(
    reply: FastifyReply,
    session: ActiveSession,
    error?: HomeError,
    username?: string
  ): FastifyReply {
    if (error !== undefined) {
      void reply.code(error.statusCode)
      if (error instanceof HomeRateLimitedError) {
        void reply.header('retry-after', String(error.retryAfterSeconds))
      }
    }
    return reply.type('text/html; charset=utf-8').send(
      loginPage({
        csrfToken: createCsrfToken(session.record.csrfSecret),
        ...(error === undefined ? {} : { error: { code: error.code, message: error.message } }),
        ...(username === undefined ? {} : { username }),
      })
    )
  }

  app.get('/login', async (request, reply) => sendForm(reply, await ensureSession(request, reply)))

  app.post('/login', async (request, reply) => {
    assertSameOrigin(request)
    const session = await loadSession(ctx, request)
    if (session === null || !verifyCsrfToken(session.record.csrfSecret, csrfTokenOf(request))) {
      const fresh = session ?? (await ensureSession(request, reply))
      return sendForm(reply, fresh, new HomeCsrfError('Your form expired. Please try again.'))
    }
    const username = field(request.body, 'username') ?? ''
    const password = field(request.body, 'password') ?? ''
    const accountKey = username.trim().toLowerCase()
    const limiters = ctx.limiters
    if (limiters !== null) {
      const waitMs = Math.max(
        limiters.ip.retryAfterMs(request.ip),
        limiters.account.retryAfterMs(accountKey)
      )
      if (waitMs > 0) {
        const err = new HomeRateLimitedError(
          'Too many failed sign-in attempts. Try again later.',
          Math.ceil(waitMs / 1000)
        )
        return sendForm(reply, session, err, username.slice(0, MAX_USERNAME))
      }
    }
    const user =
      username.length > 0 && username.length <= MAX_USERNAME
        ? ctx.users.byUsername(username)
        : undefined
    // Unknown users still cost one OWASP-strength hash, so timing does not reveal who exists.
    const candidate = password.length <= MAX_PASSWORD ? password : ''
    const matches = await verifyPassword(candidate, user?.passwordHash ?? dummyHash())
    if (user === undefined || !matches || password.length > MAX_PASSWORD) {
      limiters?.ip.recordFailure(request.ip)
      limiters?.account.recordFailure(accountKey)
      ctx.emit('login-failed', { ip: request.ip })
      const err = new HomeBadCredentialsError('Invalid username or password.')
      return sendForm(reply, session, err, username.slice(0, MAX_USERNAME))
    }
    limiters?.account.reset(accountKey)
    // Rotation: the pre-login id and its CSRF secret die here; a new id and secret are issued.
    const rotated = await ctx.sessions.rotate(session, user.id)
    ctx.users.setLastLogin(user.id, new Date(ctx.config.clock()).toISOString())
    setSessionCookie(ctx, reply, rotated.id)
    ctx.emit('login', { userId: user.id })
    return reply.code(303).header('location', '/').send()
  })

  app.post('/logout', async (request, reply) => {
    assertSameOrigin(request)
    const session = await loadSession(ctx, request)
    if (session !== null) {
      if (!verifyCsrfToken(session.record.csrfSecret, csrfTokenOf(request))) {
        throw new HomeCsrfError('missing or invalid CSRF token')
      }
      await ctx.sessions.destroy(session)
      ctx.emit('logout', { userId: session.record.userId })
    }
    // Nothing to protect without a live session: just make sure the browser forgets its cookie.
    clearSessionCookie(ctx, reply)
    return reply
      .code(303)
      .header('clear-site-data', '"cache", "cookies", "storage"')
      .header('location', '/login')
      .send()
  })
}
