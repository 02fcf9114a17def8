// The other users recently active on a benchmarked instance: realistic names, e-mails and user
// ids far from the seeded ones, so that every page is scanned for them all.
import type { Guard } from '@crosstalk/guard'
import { asciiFold, displayNames } from '../src/seed/names.js'
import { createPrng } from '../src/seed/prng.js'

/** Other user number `i`, named `name`. */
function otherUser(name: string, i: number) {
  return {
    id: 1_000_000 + i,
    markers: {
      displayName: name,
      email: `${asciiFold(name)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '.')}.w${i}@example.com`,
      userId: 1_000_000 + i,
    },
  }
}

/** Marks `count` other users active on `guard` and waits until its index holds them. */
export async function activateOtherUsers(guard: Guard, count: number): Promise<void> {
  displayNames(count, createPrng(16)).forEach((name, i) => guard.activate(otherUser(name, i)))
  await guard.ready()
}

/**
 * Users logging in: `perSecond` more other users (numbered from `from`) marked active each
 * second until the returned function is called (before the guard closes), so that the guard's
 * index keeps changing (its overlay, and a rebuild of its base every `mergeAfterMs`) as in
 * production.
 */
export function churnOtherUsers(guard: Guard, perSecond: number, from: number): () => void {
  const names = displayNames(100_000, createPrng(17))
  let next = 0
  const timer = setInterval(() => {
    guard.activate(otherUser(names[next % names.length]!, from + next))
    next++
  }, 1000 / perSecond)
  return () => clearInterval(timer)
}
