// The other users recently active on a benchmarked instance: realistic names, e-mails and user
// ids far from the seeded ones, so that every page is scanned for them all.
import type { Guard } from '@crosstalk/guard'
import { asciiFold, displayNames } from '../src/seed/names.js'
import { createPrng } from '../src/seed/prng.js'

/** Marks `count` other users active on `guard` and waits until its index holds them. */
export async function activateOtherUsers(guard: Guard, count: number): Promise<void> {
  displayNames(count, createPrng(16)).forEach((name, i) => {
    guard.activate({
      id: 1_000_000 + i,
      markers: {
        displayName: name,
        email: `${asciiFold(name)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '.')}.w${i}@example.com`,
        userId: 1_000_000 + i,
      },
    })
  })
  await guard.ready()
}
