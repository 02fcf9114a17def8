// The guard under test, with the markers every adapter test uses.
import { createGuardWith } from '../../src/guard.js'
import type { Guard } from '../../src/guard.js'
import type { GuardOptions } from '../../src/options.js'
import { resolveOptions } from '../../src/options.js'
import { plainScanner } from './plain-scanner.js'

export const MARY = { id: 'u1', markers: { displayName: 'Mary Major', email: 'mary@example.test', userId: 101 } }
export const JOHN = { id: 'u2', markers: { displayName: 'John Jones', email: 'john@example.test', userId: 102 } }

const guards: Guard[] = []

export function makeGuard(options: Partial<GuardOptions> = {}): Guard {
  const guard = createGuardWith(
    resolveOptions({
      markers: { text: ['displayName', 'email'], ids: [{ field: 'userId', json: ['userId'] }] },
      sessionCookies: ['sid'],
      ...options,
    }),
    plainScanner
  )
  guards.push(guard)
  return guard
}

export function closeGuards(): void {
  guards.splice(0).forEach((g) => g.close())
}
