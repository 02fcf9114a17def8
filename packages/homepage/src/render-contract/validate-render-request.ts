import type { RenderRequest } from './types.js'

// A renderer renders only a well-formed request for exactly one user; anything else is refused.
export function isRenderRequest(value: unknown): value is RenderRequest {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const req = value as Partial<RenderRequest>
  const data = req.data
  return (
    req.view === 'home' &&
    typeof req.nonce === 'string' &&
    typeof data === 'object' &&
    data !== null &&
    Number.isSafeInteger(data.userId) &&
    typeof data.username === 'string' &&
    typeof data.displayName === 'string' &&
    typeof data.email === 'string' &&
    typeof data.accountId === 'string' &&
    (data.lastLoginAt === null || typeof data.lastLoginAt === 'string') &&
    typeof data.csrfToken === 'string' &&
    Array.isArray(data.items) &&
    data.items.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        Number.isSafeInteger(item.id) &&
        typeof item.title === 'string'
    )
  )
}
