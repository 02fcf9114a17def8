// What the route modules share: stores, limiters, the renderer, and the session cookie rules.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FailureLimiter } from '../auth/failure-limiter.js'
import type { ActiveSession, SessionManager } from '../auth/session-manager.js'
import type { AppConfig } from '../config.js'
import type { PageRenderer } from '../render/index.js'
import type { UserStore } from '../store/user-store.js'

export interface AppContext {
  config: AppConfig
  users: UserStore
  sessions: SessionManager
  renderer: PageRenderer
  limiters: { ip: FailureLimiter; account: FailureLimiter } | null
  emit: (event: string, fields: Record<string, unknown>) => void
}

/** `__Host-` requires Secure, Path=/ and no Domain, which pins the cookie to this origin. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-sid' : 'sid'
}

function cookieOptions(secure: boolean): {
  path: string
  httpOnly: true
  sameSite: 'lax'
  secure: boolean
} {
  // No Max-Age/Expires: a browser-session cookie; the server enforces the real lifetimes.
  return { path: '/', httpOnly: true, sameSite: 'lax', secure }
}

export function readSessionCookie(ctx: AppContext, request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(ctx.config.secureCookies)]
}

export function loadSession(
  ctx: AppContext,
  request: FastifyRequest
): Promise<ActiveSession | null> {
  return ctx.sessions.load(readSessionCookie(ctx, request))
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, id: string): void {
  const secure = ctx.config.secureCookies
  void reply.setCookie(sessionCookieName(secure), id, cookieOptions(secure))
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  const secure = ctx.config.secureCookies
  void reply.clearCookie(sessionCookieName(secure), cookieOptions(secure))
}
