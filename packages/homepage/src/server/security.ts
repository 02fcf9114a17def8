// Security headers, caching rules and the same-origin check for unsafe methods.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from '@fastify/helmet'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HomeCrossSiteError } from '../errors.js'

export const NO_STORE = 'no-store'

/** Registers helmet with a per-request script nonce and the caching invariants. */
export async function registerSecurity(
  app: FastifyInstance,
  options: { secure: boolean }
): Promise<void> {
  // The nonce lives on the raw response, where helmet's directive functions can reach it.
  const nonces = new WeakMap<ServerResponse, string>()
  app.decorateReply('scriptNonce', '')
  app.addHook('onRequest', (_request, reply, done) => {
    const nonce = randomBytes(16).toString('base64')
    nonces.set(reply.raw, nonce)
    reply.scriptNonce = nonce
    // Everything is personal or session-bound unless a route says otherwise (static assets).
    void reply.header('cache-control', NO_STORE)
    done()
  })
  await app.register(helmet, {
    global: true,
    hsts: options.secure,
    // Unlike no-referrer, this keeps a real Origin on our own form posts (checked above).
    referrerPolicy: { policy: 'same-origin' },
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': [
          "'self'",
          (_req: IncomingMessage, res: ServerResponse) => `'nonce-${nonces.get(res) ?? ''}'`,
        ],
        'style-src': ["'self'"],
        'form-action': ["'self'"],
        'upgrade-insecure-requests': options.secure ? [] : null,
      },
    },
  })
  // A cacheable response must never carry a session cookie (Steam 2015, KB917072).
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.hasHeader('set-cookie')) {
      const cc = String(reply.getHeader('cache-control') ?? '')
      if (cc !== NO_STORE) {
        request.log.error({ event: 'cacheable-set-cookie', url: request.url }, 'forced no-store')
        void reply.header('cache-control', NO_STORE)
      }
    }
    done(null, payload)
  })
}

/** Rejects unsafe requests sent by another site: Fetch Metadata first, then Origin. */
export function assertSameOrigin(request: FastifyRequest): void {
  // Fetch Metadata is authoritative when present. Browsers may send `Origin: null` on same-origin
  // form posts (privacy referrer policies), so Origin is only the fallback for older clients.
  const site = request.headers['sec-fetch-site']
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') {
      return
    }
    throw new HomeCrossSiteError(`cross-site request refused (Sec-Fetch-Site: ${site})`)
  }
  const origin = request.headers.origin
  if (origin === undefined) {
    return
  }
  let same: boolean
  try {
    // Both sides through URL, so default ports and case compare equal.
    same =
      new URL(origin).origin ===
      new URL(`${request.protocol}://${request.headers.host ?? ''}`).origin
  } catch {
    same = false
  }
  if (!same) {
    throw new HomeCrossSiteError('cross-site request refused (Origin does not match)')
  }
}

declare module 'fastify' {
  interface FastifyReply {
    /** Base64 CSP nonce of this response's inline script(s). */
    scriptNonce: string
  }
}
