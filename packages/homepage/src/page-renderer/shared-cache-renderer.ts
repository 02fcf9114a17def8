import type { RenderReply } from '../render-contract/types.js'
import type { PageRenderer } from './types.js'

/** How long the faulty page cache keeps an entry. */
export const SHARED_CACHE_TTL_MS = 2000

/**
 * FAULT SWITCH 'shared-cache' (Steam, December 2015; docs/faults.md): the parent caches rendered
 * pages keyed by path only, for a short TTL, so the next visitor of '/' gets the last user's page.
 */
export function withSharedCache(
  inner: PageRenderer,
  ttlMs: number = SHARED_CACHE_TTL_MS,
  now: () => number = Date.now
): PageRenderer {
  const cache = new Map<string, { reply: RenderReply; expiresAt: number }>()
  let hits = 0
  let misses = 0
  return {
    async render(req, options) {
      const hit = cache.get(options.path)
      if (hit !== undefined && hit.expiresAt > now()) {
        hits += 1
        return hit.reply
      }
      misses += 1
      const reply = await inner.render(req, options)
      // The bug: the key is the path; the user is not part of it.
      cache.set(options.path, { reply, expiresAt: now() + ttlMs })
      return reply
    },
    stats() {
      return { ...inner.stats(), fault: 'shared-cache', cache: { hits, misses, size: cache.size } }
    },
    close() {
      cache.clear()
      return inner.close()
    },
  }
}
