// The guard under test, with the markers every adapter test uses.
import { createGuard } from '../../src/guard.js'
import type { Guard } from '../../src/guard.js'
import type { GuardOptions } from '../../src/options.js'

export const MARY = {
  id: 'u1',
  markers: { displayName: 'Mary Major', email: 'mary@example.test', userId: 101 },
}
export const JOHN = {
  id: 'u2',
  markers: { displayName: 'John Jones', email: 'john@example.test', userId: 102 },
}

const guards: Guard[] = []

export function makeGuard(options: Partial<GuardOptions> = {}): Guard {
  const guard = createGuard({
    markers: { text: ['displayName', 'email'], ids: [{ field: 'userId', json: ['userId'] }] },
    sessionCookies: ['sid'],
    ...options,
  })
  guards.push(guard)
  return guard
}

export function closeGuards(): void {
  guards.splice(0).forEach((g) => g.close())
}
