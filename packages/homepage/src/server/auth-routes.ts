// GET /login, POST /login, POST /logout: the pre-session cookie and its form token, throttling
// and bounded hashing, the session stored at login, logout.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { checkLogin } from '../auth/check-login.js'
import {
  createLoginFormToken,
  newPreSession,
  preSessionIssuedAt,
  verifyLoginFormToken,
} from '../auth/login-form.js'
import { dummyHash } from '../auth/password.js'
import { verifyCsrfToken } from '../auth/tokens.js'
import {
  HomeBadCredentialsError,
  HomeBusyError,
  HomeCsrfError,
  HomeRetryLaterError,
} from '../errors.js'
import type { HomeError } from '../errors.js'
import type { AppContext } from './app-context.js'
import { clearCookie, loadSession, readCookie, setCookie } from './app-context.js'
import { identityOf } from './home-guard.js'
import { loginPage } from './login-page.js'
import { assertSameOrigin } from './security.js'

const MAX_USERNAME = 200
const MAX_PASSWORD = 1024
// A pre-session value from the future (clock skew between instances) is accepted this far ahead.
const SKEW_MS = 60_000

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
  /** The browser's pre-session value while it is live (the login form's lifetime is the idle timeout). */
  function livePreSession(request: FastifyRequest): string | undefined {
    const value = readCookie(ctx, request, 'pre-session')
    const issued = preSessionIssuedAt(value)
    const age = issued === undefined ? undefined : ctx.config.clock() - issued
    return age === undefined || age >= ctx.config.sessionIdleMs || age < -SKEW_MS
      ? undefined
      : value
  }

  /** The live pre-session value, or a new one set on the reply. Nothing is stored either way. */
  function preSession(request: FastifyRequest, reply: FastifyReply): string {
    const live = livePreSession(request)
    if (live !== undefined) {
      return live
    }
    const fresh = newPreSession(ctx.config.clock())
    setCookie(ctx, reply, 'pre-session', fresh)
    return fresh
  }

  function sendForm(
    reply: FastifyReply,
    preSessionValue: string,
    error?: HomeError,
    username?: string
  ): FastifyReply {
    if (error !== undefined) {
      void reply.code(error.statusCode)
      if (error instanceof HomeRetryLaterError) {
        void reply.header('retry-after', String(error.retryAfterSeconds))
      }
    }
    return reply.type('text/html; charset=utf-8').send(
      loginPage({
        csrfToken: createLoginFormToken(ctx.loginFormKey, preSessionValue),
        ...(error === undefined ? {} : { error: { code: error.code, message: error.message } }),
        ...(username === undefined ? {} : { username: username.slice(0, MAX_USERNAME) }),
      })
    )
  }

  app.get('/login', (request, reply) => sendForm(reply, preSession(request, reply)))

  app.post('/login', async (request, reply) => {
    assertSameOrigin(request)
    const pre = livePreSession(request)
    if (pre === undefined || !verifyLoginFormToken(ctx.loginFormKey, pre, csrfTokenOf(request))) {
      const err = new HomeCsrfError('Your form expired. Please try again.')
      return sendForm(reply, preSession(request, reply), err)
    }
    const username = field(request.body, 'username') ?? ''
    const password = field(request.body, 'password') ?? ''
    const user =
      username.length > 0 && username.length <= MAX_USERNAME
        ? ctx.users.byUsername(username)
        : undefined
    const check = await checkLogin(ctx.hashGate, ctx.throttle, {
      ip: request.ip,
      account: username.trim().toLowerCase().slice(0, MAX_USERNAME),
      // Unknown users still cost one OWASP-strength hash, so timing does not reveal who exists.
      password: password.length <= MAX_PASSWORD ? password : '',
      stored: user?.passwordHash ?? dummyHash(),
    })
    if (check.refused !== undefined) {
      const event = check.refused instanceof HomeBusyError ? 'login-busy' : 'login-throttled'
      ctx.emit(event, { ip: request.ip })
      return sendForm(reply, pre, check.refused, username)
    }
    if (user === undefined || !check.matches || password.length > MAX_PASSWORD) {
      ctx.emit('login-failed', { ip: request.ip })
      const err = new HomeBadCredentialsError('Invalid username or password.')
      return sendForm(reply, pre, err, username)
    }
    await check.reservation?.succeeded()
    // The first stored row for this browser: a new id and CSRF secret; any older session dies.
    const session = await ctx.sessions.rotate(readCookie(ctx, request, 'session'), user.id)
    ctx.users.setLastLogin(user.id, new Date(ctx.config.clock()).toISOString())
    setCookie(ctx, reply, 'session', session.id)
    clearCookie(ctx, reply, 'pre-session')
    // The new session is this user's: the guard learns it, and their markers count from now on.
    ctx.guard?.identify(request, identityOf(user))
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
    clearCookie(ctx, reply, 'session')
    return reply
      .code(303)
      .header('clear-site-data', '"cache", "cookies", "storage"')
      .header('location', '/login')
      .send()
  })
}
