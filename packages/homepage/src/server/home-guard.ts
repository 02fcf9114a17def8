// The homepage under @crosstalk/guard: every signed-in response is checked for the markers of
// other recently active users (display name, email, and the user id where the page says it is
// one), and for a session cookie handed to the wrong user. Identities come from the sessions.
import { createGuard } from '@crosstalk/guard'
import type { Guard, GuardMode, Identity } from '@crosstalk/guard'
import type { UserRow } from '../store/user-store.js'

export interface HomeGuardOptions {
  mode: Exclude<GuardMode, 'off'>
  /** Identities not seen for this long leave the registry: the session idle timeout. */
  ttlMs: number
  /** Report mode only: the share of responses scanned (default 1). */
  sampleRate?: number
  log?: (level: 'warn' | 'error', fields: Record<string, unknown>, message: string) => void
}

export function createHomeGuard(options: HomeGuardOptions): Guard {
  const log = options.log
  return createGuard({
    mode: options.mode,
    ...(options.sampleRate === undefined ? {} : { sampleRate: options.sampleRate }),
    markers: {
      text: ['displayName', 'email'],
      // The hydration data carries "userId": N; anywhere else small integers are noise.
      ids: [{ field: 'userId', json: ['userId'] }],
    },
    sessionCookies: ['sid', '__Host-sid'],
    registry: { ttlMs: options.ttlMs },
    ...(log === undefined
      ? {}
      : {
          log: {
            warn: (fields, message) => log('warn', fields as Record<string, unknown>, message),
            error: (fields, message) => log('error', fields as Record<string, unknown>, message),
          },
        }),
  })
}

export function identityOf(user: UserRow): Identity {
  return {
    id: user.id,
    markers: { displayName: user.displayName, email: user.email, userId: user.id },
  }
}
