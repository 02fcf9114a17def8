// What the route modules share: stores, the login throttle, the renderer, and the cookie rules.
import type { Guard } from '@crosstalk/guard'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { HashGate } from '../auth/hash-gate.js'
import type { LoginThrottle } from '../auth/login-throttle.js'
import type { ActiveSession, SessionManager } from '../auth/session-manager.js'
import type { AppConfig } from '../config.js'
import type { PageRenderer } from '../page-renderer/index.js'
import type { UserStore } from '../store/user-store.js'

export interface AppContext {
  config: AppConfig
  users: UserStore
  sessions: SessionManager
  renderer: PageRenderer
  throttle: LoginThrottle | null
  hashGate: HashGate
  /** Signs login-form tokens; shared by every instance on the same store. */
  loginFormKey: Buffer
  emit: (event: string, fields: Record<string, unknown>) => void
  /** The response guard, when on: routes tell it whom each response is for. */
  guard: Guard | undefined
}

/** 'session' is the signed-in session; 'pre-session' binds an anonymous login form (nothing stored). */
export type CookieKind = 'session' | 'pre-session'

const BASE_NAMES: Record<CookieKind, string> = { session: 'sid', 'pre-session': 'presid' }

/** `__Host-` requires Secure, Path=/ and no Domain, which pins the cookie to this origin. */
export function cookieName(kind: CookieKind, secure: boolean): string {
  return secure ? `__Host-${BASE_NAMES[kind]}` : BASE_NAMES[kind]
}

function cookieOptions(secure: boolean): {
  path: string
  httpOnly: true
  sameSite: 'lax'
  secure: boolean
} {
  // No Max-Age/Expires: browser-session cookies; the server enforces the real lifetimes.
  return { path: '/', httpOnly: true, sameSite: 'lax', secure }
}

export function readCookie(
  ctx: AppContext,
  request: FastifyRequest,
  kind: CookieKind
): string | undefined {
  return request.cookies[cookieName(kind, ctx.config.secureCookies)]
}

export function setCookie(
  ctx: AppContext,
  reply: FastifyReply,
  kind: CookieKind,
  value: string
): void {
  const secure = ctx.config.secureCookies
  void reply.setCookie(cookieName(kind, secure), value, cookieOptions(secure))
}

export function clearCookie(ctx: AppContext, reply: FastifyReply, kind: CookieKind): void {
  const secure = ctx.config.secureCookies
  void reply.clearCookie(cookieName(kind, secure), cookieOptions(secure))
}

export function loadSession(
  ctx: AppContext,
  request: FastifyRequest
): Promise<ActiveSession | null> {
  return ctx.sessions.load(readCookie(ctx, request, 'session'))
}
