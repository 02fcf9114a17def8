// GET / (the personalised page from a renderer child) and GET /api/me.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ActiveSession } from '../auth/session-manager.js'
import { createCsrfToken } from '../auth/tokens.js'
import {
  HomeRendererUnavailableError,
  HomeRenderMismatchError,
  HomeUnauthenticatedError,
} from '../errors.js'
import type { HomePageData, RenderReply, RenderRequest } from '../page-renderer/index.js'
import type { UserRow } from '../store/user-store.js'
import type { AppContext } from './app-context.js'
import { loadSession } from './app-context.js'
import { identityOf } from './home-guard.js'

interface SignedIn {
  session: ActiveSession
  user: UserRow
}

export function registerHomeRoutes(app: FastifyInstance, ctx: AppContext): void {
  async function signedIn(request: FastifyRequest): Promise<SignedIn | null> {
    const session = await loadSession(ctx, request)
    const userId = session?.record.userId ?? null
    if (session === null || userId === null) {
      return null
    }
    const user = ctx.users.byId(userId)
    if (user === undefined) {
      await ctx.sessions.destroy(session)
      return null
    }
    ctx.guard?.identify(request, identityOf(user))
    return { session, user }
  }

  async function render(request: FastifyRequest, reply: FastifyReply, req: RenderRequest) {
    // Stop rendering for a client that went away.
    const abort = new AbortController()
    const onClose = (): void => {
      if (!reply.raw.writableFinished) {
        abort.abort(new Error('client closed the connection'))
      }
    }
    reply.raw.once('close', onClose)
    const options = { path: request.url, signal: abort.signal }
    try {
      return await ctx.renderer.render(req, options)
    } catch (err) {
      // A GET is idempotent: one transparent retry when the renderer child died under it.
      if (!(err instanceof HomeRendererUnavailableError) || abort.signal.aborted) {
        throw err
      }
      ctx.emit('render-retry', { userId: req.data.userId, reason: err.message })
      return await ctx.renderer.render(req, options)
    } finally {
      reply.raw.off('close', onClose)
    }
  }

  function check(reply: RenderReply, userId: number): void {
    if (ctx.config.trustRenderer || reply.renderedFor === userId) {
      return
    }
    ctx.emit('render-mismatch', { sessionUserId: userId, renderedFor: reply.renderedFor })
    throw new HomeRenderMismatchError('renderer replied for another user; page withheld', {
      expectedUserId: userId,
      renderedFor: reply.renderedFor,
    })
  }

  // The page must show its owner: a page without them is someone else's, or nobody's.
  app.get('/', { config: { guard: { expectOwner: true } } }, async (request, reply) => {
    const who = await signedIn(request)
    if (who === null) {
      return reply.code(303).header('location', '/login').send()
    }
    const { user, session } = who
    const data: HomePageData = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      email: user.email,
      accountId: user.accountId,
      lastLoginAt: user.lastLoginAt,
      items: ctx.users.items(user.id),
      csrfToken: createCsrfToken(session.record.csrfSecret),
    }
    const rendered = await render(request, reply, { view: 'home', data, nonce: reply.scriptNonce })
    check(rendered, user.id)
    // Asked after the slow part, every time: a session deleted while this page rendered (logout
    // on any instance) gets no page, and the session stays dead.
    if (!(await ctx.sessions.confirm(session))) {
      return reply.code(303).header('location', '/login').send()
    }
    return reply.type('text/html; charset=utf-8').send(rendered.html)
  })

  app.get('/api/me', async (request) => {
    const who = await signedIn(request)
    if (who === null || !(await ctx.sessions.confirm(who.session))) {
      throw new HomeUnauthenticatedError('not signed in')
    }
    const { user } = who
    return {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      email: user.email,
      accountId: user.accountId,
      lastLoginAt: user.lastLoginAt,
    }
  })
}
